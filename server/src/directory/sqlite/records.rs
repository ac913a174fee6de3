//! Documents' groups and the audit log, in SQLite.

use super::*;

const AUDIT_COLS: &str = "a.seq, a.change_hash, a.user_id, COALESCE(u.name, ''), COALESCE(u.sector, 'other'), a.time_ms, a.summary FROM audit a LEFT JOIN users u ON u.id = a.user_id";

fn audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    let seq: i64 = r.get(0)?;
    let sector: String = r.get(4)?;
    let summary: String = r.get(6)?;
    Ok(AuditEntry {
        cursor: seq.to_string(),
        change: r.get(1)?,
        user: r.get(2)?,
        user_name: r.get(3)?,
        sector: Sector::parse(&sector).unwrap_or(Sector::Other),
        time_ms: r.get(5)?,
        summary: serde_json::from_str(&summary).unwrap_or_default(),
    })
}

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

    fn audit_append(&self, doc: DocumentId, entries: Vec<AuditRow>) -> BoxFuture<'_, Result<()>> {
        self.run(move |c| {
            let tx = c.transaction().map_err(backend)?;
            {
                let mut s = tx.prepare("INSERT INTO audit (doc_id, change_hash, user_id, time_ms, summary) VALUES (?1, ?2, ?3, ?4, ?5)").map_err(backend)?;
                for e in entries {
                    let summary = serde_json::to_string(&e.summary).unwrap_or_else(|_| "{}".into());
                    s.execute(params![doc.as_bytes().to_vec(), e.change, e.user, e.time_ms, summary]).map_err(backend)?;
                }
            }
            tx.commit().map_err(backend)
        })
    }

    fn audit(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<AuditEntry>>> {
        self.run(move |c| {
            let mut s = c
                .prepare(&format!(
                    "SELECT {AUDIT_COLS} WHERE a.doc_id = ?1 ORDER BY a.seq"
                ))
                .map_err(backend)?;
            let rows = s
                .query_map(params![doc.as_bytes().to_vec()], audit_row)
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn audit_page(
        &self,
        doc: DocumentId,
        before: Option<String>,
        limit: usize,
    ) -> BoxFuture<'_, Result<Vec<AuditEntry>>> {
        self.run(move |c| {
            let before: i64 = before.and_then(|b| b.parse().ok()).unwrap_or(i64::MAX);
            let mut s = c
                .prepare_cached(&format!("SELECT {AUDIT_COLS} WHERE a.doc_id = ?1 AND a.seq < ?2 ORDER BY a.seq DESC LIMIT ?3"))
                .map_err(backend)?;
            let rows = s
                .query_map(params![doc.as_bytes().to_vec(), before, limit as i64], audit_row)
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }
}
