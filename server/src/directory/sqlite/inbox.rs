//! Each person's notifications, in SQLite.

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
}
