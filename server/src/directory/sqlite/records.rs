//! Documents' groups and the audit log, in SQLite.

use super::*;

impl Records for SqliteDirectory {
    fn register_document(&self, d: DocInfo) -> BoxFuture<'_, Result<()>> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO documents (id, group_id, kind, created_by, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![d.id.as_bytes().to_vec(), d.group, d.kind, d.created_by, d.created_ms],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn documents(&self) -> BoxFuture<'_, Result<Vec<DocInfo>>> {
        self.run(move |c| {
            let mut s = c.prepare("SELECT id, group_id, kind, created_by, created_ms FROM documents ORDER BY created_ms, rowid").map_err(backend)?;
            let rows = s
                .query_map([], |r| {
                    let id: Vec<u8> = r.get(0)?;
                    let bytes: [u8; 16] = id.try_into().unwrap_or([0; 16]);
                    Ok(DocInfo { id: DocumentId::from_bytes(bytes), group: r.get(1)?, kind: r.get(2)?, created_by: r.get(3)?, created_ms: r.get(4)? })
                })
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn audit_append(
        &self,
        doc: DocumentId,
        entries: Vec<(String, String, i64)>,
    ) -> BoxFuture<'_, Result<()>> {
        self.run(move |c| {
            let tx = c.transaction().map_err(backend)?;
            {
                let mut s = tx.prepare("INSERT INTO audit (doc_id, change_hash, user_id, time_ms) VALUES (?1, ?2, ?3, ?4)").map_err(backend)?;
                for (hash, user, time) in entries {
                    s.execute(params![doc.as_bytes().to_vec(), hash, user, time]).map_err(backend)?;
                }
            }
            tx.commit().map_err(backend)
        })
    }

    fn audit(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<AuditEntry>>> {
        self.run(move |c| {
            let mut s = c
                .prepare("SELECT a.change_hash, a.user_id, COALESCE(u.name, ''), a.time_ms FROM audit a LEFT JOIN users u ON u.id = a.user_id WHERE a.doc_id = ?1 ORDER BY a.seq")
                .map_err(backend)?;
            let rows = s
                .query_map(params![doc.as_bytes().to_vec()], |r| Ok(AuditEntry { change: r.get(0)?, user: r.get(1)?, user_name: r.get(2)?, time_ms: r.get(3)? }))
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }
}
