//! The directory in `directory.sqlite3` beside the document store (its own
//! file, so account work never waits on the documents' group commit).

use std::path::Path;
use std::sync::{Arc, Mutex};

use codraft_protocol::DocumentId;
use rusqlite::{Connection, OptionalExtension, params};

use super::*;

mod groups;
mod hooks;
mod inbox;
mod records;
mod reviews;
mod users;

#[derive(Debug, Clone)]
pub struct SqliteDirectory {
    conn: Arc<Mutex<Connection>>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL,
  organisation TEXT NOT NULL, sector TEXT NOT NULL, password_hash TEXT NOT NULL,
  admin INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
  expires_ms INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS api_tokens (
  id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL, created_ms INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS groups (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS members (
  group_id TEXT NOT NULL REFERENCES groups(id), user_id TEXT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL, PRIMARY KEY (group_id, user_id));
CREATE TABLE IF NOT EXISTS invitations (
  token_hash TEXT PRIMARY KEY, group_id TEXT NOT NULL, role TEXT NOT NULL, email TEXT,
  invited_by TEXT NOT NULL, expires_ms INTEGER NOT NULL, used_ms INTEGER);
CREATE TABLE IF NOT EXISTS documents (
  id BLOB PRIMARY KEY, group_id TEXT NOT NULL, kind TEXT NOT NULL, created_by TEXT NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id BLOB NOT NULL, change_hash TEXT NOT NULL,
  user_id TEXT NOT NULL, time_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS audit_doc ON audit (doc_id, seq);
CREATE TABLE IF NOT EXISTS review (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id BLOB NOT NULL, event TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS review_doc ON review (doc_id, seq);
CREATE TRIGGER IF NOT EXISTS review_no_update BEFORE UPDATE ON review BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS review_no_delete BEFORE DELETE ON review BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TABLE IF NOT EXISTS inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, note TEXT NOT NULL,
  read INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS inbox_user ON inbox (user_id, id);
CREATE TABLE IF NOT EXISTS prefs (user_id TEXT PRIMARY KEY, prefs TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, item TEXT NOT NULL,
  due_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, error TEXT);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (queue, due_ms);
CREATE TABLE IF NOT EXISTS webhooks (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, hook TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS webhook_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, hook_id TEXT NOT NULL, entry TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS webhook_log_hook ON webhook_log (hook_id, seq);
-- The audit log is append-only.
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

/// Columns added since the first schema, to files made before them.
fn migrate(c: &Connection) -> Result<()> {
    let has = |table: &str, col: &str| -> Result<bool> {
        let mut s = c
            .prepare(&format!(
                "SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1"
            ))
            .map_err(backend)?;
        s.exists(params![col]).map_err(backend)
    };
    if !has("audit", "summary")? {
        c.execute_batch("ALTER TABLE audit ADD COLUMN summary TEXT NOT NULL DEFAULT '{}'")
            .map_err(backend)?;
    }
    Ok(())
}

fn backend(e: rusqlite::Error) -> DirectoryError {
    DirectoryError::Backend(e.to_string())
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let sector: String = r.get(4)?;
    Ok(User {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        organisation: r.get(3)?,
        sector: Sector::parse(&sector).unwrap_or(Sector::Other),
        admin: r.get::<_, i64>(5)? != 0,
    })
}

const USER_COLS: &str = "u.id, u.email, u.name, u.organisation, u.sector, u.admin";

impl SqliteDirectory {
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| DirectoryError::Backend(e.to_string()))?;
        let conn = Connection::open(dir.join("directory.sqlite3")).map_err(backend)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(backend)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(backend)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(backend)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(backend)?;
        conn.execute_batch(SCHEMA).map_err(backend)?;
        migrate(&conn)?;
        Ok(SqliteDirectory {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` on the connection off the async threads.
    fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> BoxFuture<'_, Result<T>> {
        let conn = self.conn.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let mut c = conn.lock().unwrap_or_else(|p| p.into_inner());
                f(&mut c)
            })
            .await
            .map_err(|e| DirectoryError::Backend(e.to_string()))?
        })
    }
}

fn credential(
    c: &Connection,
    sql: &str,
    key: &str,
    kind: CredentialKind,
    now_ms: i64,
) -> Result<Option<Credential>> {
    c.query_row(sql, params![key, now_ms], |r| {
        Ok(Credential {
            user: user_row(r)?,
            kind,
            id: r.get(6)?,
            expires_ms: match kind {
                CredentialKind::Session => Some(r.get(7)?),
                CredentialKind::ApiToken => None,
            },
        })
    })
    .optional()
    .map_err(backend)
}

impl Directory for SqliteDirectory {}

fn invitation(c: &Connection, hash: &str, now_ms: i64) -> Result<Option<Invitation>> {
    c.query_row(
        "SELECT group_id, role, email, invited_by, expires_ms FROM invitations WHERE token_hash = ?1 AND used_ms IS NULL AND expires_ms > ?2",
        params![hash, now_ms],
        |r| {
            let role: String = r.get(1)?;
            Ok(Invitation { group: r.get(0)?, role: Role::parse(&role).unwrap_or(Role::Observer), email: r.get(2)?, invited_by: r.get(3)?, expires_ms: r.get(4)? })
        },
    )
    .optional()
    .map_err(backend)
}

use crate::clock::now_ms;
