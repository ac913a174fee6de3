//! Documents' review logs, in SQLite.

use super::*;

impl Reviews for SqliteDirectory {
    fn review_events(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<String>>> {
        self.run(move |c| {
            let mut s = c
                .prepare_cached("SELECT event FROM review WHERE doc_id = ?1 ORDER BY seq")
                .map_err(backend)?;
            let rows = s
                .query_map(params![doc.as_bytes().to_vec()], |r| r.get(0))
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn review_append(
        &self,
        doc: DocumentId,
        expected: usize,
        event: String,
    ) -> BoxFuture<'_, Result<bool>> {
        self.run(move |c| {
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(backend)?;
            let id = doc.as_bytes().to_vec();
            let n: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM review WHERE doc_id = ?1",
                    params![id],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            if n as usize != expected {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO review (doc_id, event) VALUES (?1, ?2)",
                params![id, event],
            )
            .map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(true)
        })
    }
}
