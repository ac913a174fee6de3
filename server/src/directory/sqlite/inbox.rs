//! Each person's notifications and e-mail choices, and the e-mails
//! waiting to go, in SQLite.

use super::*;

impl Inbox for SqliteDirectory {
    fn inbox_add(&self, user: &str, note: String) -> BoxFuture<'_, Result<i64>> {
        let user = user.to_owned();
        self.run(move |c| {
            c.execute(
                "INSERT INTO inbox (user_id, note) VALUES (?1, ?2)",
                params![user, note],
            )
            .map_err(backend)?;
            Ok(c.last_insert_rowid())
        })
    }

    fn inbox(&self, user: &str, limit: usize) -> BoxFuture<'_, Result<Vec<(i64, String, bool)>>> {
        let user = user.to_owned();
        self.run(move |c| {
            let mut s = c
                .prepare_cached(
                    "SELECT id, note, read FROM inbox WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2",
                )
                .map_err(backend)?;
            let rows = s
                .query_map(params![user, limit as i64], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0))
                })
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn inbox_unread(&self, user: &str) -> BoxFuture<'_, Result<usize>> {
        let user = user.to_owned();
        self.run(move |c| {
            let n: i64 = c
                .query_row(
                    "SELECT COUNT(*) FROM inbox WHERE user_id = ?1 AND read = 0",
                    params![user],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            Ok(n as usize)
        })
    }

    fn inbox_mark_read(&self, user: &str, id: Option<i64>) -> BoxFuture<'_, Result<()>> {
        let user = user.to_owned();
        self.run(move |c| {
            match id {
                Some(id) => c.execute(
                    "UPDATE inbox SET read = 1 WHERE user_id = ?1 AND id = ?2",
                    params![user, id],
                ),
                None => c.execute(
                    "UPDATE inbox SET read = 1 WHERE user_id = ?1 AND read = 0",
                    params![user],
                ),
            }
            .map_err(backend)?;
            Ok(())
        })
    }

    fn prefs(&self, user: &str) -> BoxFuture<'_, Result<Option<String>>> {
        let user = user.to_owned();
        self.run(move |c| {
            c.query_row(
                "SELECT prefs FROM prefs WHERE user_id = ?1",
                params![user],
                |r| r.get(0),
            )
            .optional()
            .map_err(backend)
        })
    }

    fn set_prefs(&self, user: &str, prefs: String) -> BoxFuture<'_, Result<()>> {
        let user = user.to_owned();
        self.run(move |c| {
            c.execute(
                "INSERT INTO prefs (user_id, prefs) VALUES (?1, ?2) ON CONFLICT (user_id) DO UPDATE SET prefs = ?2",
                params![user, prefs],
            )
            .map_err(backend)?;
            Ok(())
        })
    }
}

impl Outbox for SqliteDirectory {
    fn out_queue(&self, queue: &str, item: String, due_ms: i64) -> BoxFuture<'_, Result<i64>> {
        let queue = queue.to_owned();
        self.run(move |c| {
            c.execute(
                "INSERT INTO outbox (queue, item, due_ms) VALUES (?1, ?2, ?3)",
                params![queue, item, due_ms],
            )
            .map_err(backend)?;
            Ok(c.last_insert_rowid())
        })
    }

    fn out_claim(
        &self,
        queue: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> BoxFuture<'_, Result<Vec<(i64, String, u32)>>> {
        let queue = queue.to_owned();
        self.run(move |c| {
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(backend)?;
            let rows: Vec<(i64, String, u32)> = {
                let mut s = tx
                    .prepare_cached(
                        "SELECT id, item, attempts FROM outbox WHERE queue = ?1 AND due_ms <= ?2 ORDER BY due_ms, id LIMIT ?3",
                    )
                    .map_err(backend)?;
                s.query_map(params![queue, now_ms, limit as i64], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .map_err(backend)?
                .collect::<rusqlite::Result<_>>()
                .map_err(backend)?
            };
            for (id, _, _) in &rows {
                tx.execute(
                    "UPDATE outbox SET due_ms = ?1 WHERE id = ?2",
                    params![now_ms + lease_ms, id],
                )
                .map_err(backend)?;
            }
            tx.commit().map_err(backend)?;
            Ok(rows)
        })
    }

    fn out_done(&self, _queue: &str, id: i64) -> BoxFuture<'_, Result<()>> {
        self.run(move |c| {
            c.execute("DELETE FROM outbox WHERE id = ?1", params![id])
                .map_err(backend)?;
            Ok(())
        })
    }

    fn out_failed(
        &self,
        _queue: &str,
        id: i64,
        next_ms: i64,
        error: String,
    ) -> BoxFuture<'_, Result<()>> {
        self.run(move |c| {
            c.execute(
                "UPDATE outbox SET due_ms = ?1, attempts = attempts + 1, error = ?2 WHERE id = ?3",
                params![next_ms, error, id],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn out_waiting(&self, queue: &str) -> BoxFuture<'_, Result<usize>> {
        let queue = queue.to_owned();
        self.run(move |c| {
            let n: i64 = c
                .query_row(
                    "SELECT COUNT(*) FROM outbox WHERE queue = ?1",
                    params![queue],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            Ok(n as usize)
        })
    }
}
