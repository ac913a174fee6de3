//! Groups' webhooks and their delivery logs, in SQLite.

use super::*;

/// Entries a webhook's log keeps.
const KEEP: i64 = 200;

impl Hooks for SqliteDirectory {
    fn hooks(&self, group: &str) -> BoxFuture<'_, Result<Vec<String>>> {
        let group = group.to_owned();
        self.run(move |c| {
            let mut s = c
                .prepare_cached("SELECT hook FROM webhooks WHERE group_id = ?1 ORDER BY rowid")
                .map_err(backend)?;
            let rows = s.query_map(params![group], |r| r.get(0)).map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn add_hook(&self, group: &str, id: &str, hook: String) -> BoxFuture<'_, Result<()>> {
        let (group, id) = (group.to_owned(), id.to_owned());
        self.run(move |c| {
            c.execute(
                "INSERT INTO webhooks (id, group_id, hook) VALUES (?1, ?2, ?3)",
                params![id, group, hook],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn remove_hook(&self, group: &str, id: &str) -> BoxFuture<'_, Result<bool>> {
        let (group, id) = (group.to_owned(), id.to_owned());
        self.run(move |c| {
            let n = c
                .execute(
                    "DELETE FROM webhooks WHERE id = ?1 AND group_id = ?2",
                    params![id, group],
                )
                .map_err(backend)?;
            Ok(n > 0)
        })
    }

    fn hook_log_add(&self, id: &str, entry: String) -> BoxFuture<'_, Result<()>> {
        let id = id.to_owned();
        self.run(move |c| {
            c.execute(
                "INSERT INTO webhook_log (hook_id, entry) VALUES (?1, ?2)",
                params![id, entry],
            )
            .map_err(backend)?;
            c.execute(
                "DELETE FROM webhook_log WHERE hook_id = ?1 AND seq <= (SELECT seq FROM webhook_log WHERE hook_id = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)",
                params![id, KEEP],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn hook_log(&self, id: &str, limit: usize) -> BoxFuture<'_, Result<Vec<String>>> {
        let id = id.to_owned();
        self.run(move |c| {
            let mut s = c
                .prepare_cached(
                    "SELECT entry FROM webhook_log WHERE hook_id = ?1 ORDER BY seq DESC LIMIT ?2",
                )
                .map_err(backend)?;
            let rows = s
                .query_map(params![id, limit as i64], |r| r.get(0))
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }
}
