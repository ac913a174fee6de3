//! The directory in `directory.sqlite3` beside the document store (its own
//! file, so account work never waits on the documents' group commit).

use std::path::Path;
use std::sync::{Arc, Mutex};

use codraft_protocol::DocumentId;
use rusqlite::{Connection, OptionalExtension, params};

use super::*;

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
-- The audit log is append-only.
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

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

impl Directory for SqliteDirectory {
    fn create_user(&self, u: NewUser) -> BoxFuture<'_, Result<User>> {
        self.run(move |c| {
            let id = uuid::Uuid::new_v4().simple().to_string();
            let now = now_ms();
            match c.execute(
                "INSERT INTO users (id, email, name, organisation, sector, password_hash, admin, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, u.email, u.name, u.organisation, u.sector.as_str(), u.password_hash, u.admin as i64, now],
            ) {
                Ok(_) => {}
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                    return Err(DirectoryError::Exists(format!("an account with the email {}", u.email)));
                }
                Err(e) => return Err(backend(e)),
            }
            Ok(User { id, email: u.email, name: u.name, organisation: u.organisation, sector: u.sector, admin: u.admin })
        })
    }

    fn user_by_email(&self, email: &str) -> BoxFuture<'_, Result<Option<(User, String)>>> {
        let email = email.to_owned();
        self.run(move |c| {
            c.query_row(
                &format!("SELECT {USER_COLS}, u.password_hash FROM users u WHERE u.email = ?1"),
                params![email],
                |r| Ok((user_row(r)?, r.get(6)?)),
            )
            .optional()
            .map_err(backend)
        })
    }

    fn user(&self, id: &str) -> BoxFuture<'_, Result<Option<User>>> {
        let id = id.to_owned();
        self.run(move |c| {
            c.query_row(
                &format!("SELECT {USER_COLS} FROM users u WHERE u.id = ?1"),
                params![id],
                user_row,
            )
            .optional()
            .map_err(backend)
        })
    }

    fn users(&self) -> BoxFuture<'_, Result<Vec<User>>> {
        self.run(move |c| {
            let mut s = c
                .prepare(&format!("SELECT {USER_COLS} FROM users u ORDER BY u.name"))
                .map_err(backend)?;
            let rows = s.query_map([], user_row).map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn create_session(
        &self,
        user: &str,
        token_hash: &str,
        expires_ms: i64,
    ) -> BoxFuture<'_, Result<()>> {
        let (user, hash) = (user.to_owned(), token_hash.to_owned());
        self.run(move |c| {
            c.execute(
                "INSERT INTO sessions (token_hash, user_id, expires_ms) VALUES (?1, ?2, ?3)",
                params![hash, user, expires_ms],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str, now_ms: i64) -> BoxFuture<'_, Result<Option<Credential>>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            credential(c, &format!("SELECT {USER_COLS}, s.token_hash, s.expires_ms FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.revoked = 0 AND s.expires_ms > ?2"), &hash, CredentialKind::Session, now_ms)
        })
    }

    fn revoke_session(&self, token_hash: &str) -> BoxFuture<'_, Result<bool>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            Ok(c.execute(
                "UPDATE sessions SET revoked = 1 WHERE token_hash = ?1 AND revoked = 0",
                params![hash],
            )
            .map_err(backend)?
                > 0)
        })
    }

    fn revoke_user(&self, user: &str) -> BoxFuture<'_, Result<()>> {
        let user = user.to_owned();
        self.run(move |c| {
            let tx = c.transaction().map_err(backend)?;
            tx.execute(
                "UPDATE sessions SET revoked = 1 WHERE user_id = ?1",
                params![user],
            )
            .map_err(backend)?;
            tx.execute(
                "UPDATE api_tokens SET revoked = 1 WHERE user_id = ?1",
                params![user],
            )
            .map_err(backend)?;
            tx.commit().map_err(backend)
        })
    }

    fn create_token(
        &self,
        user: &str,
        name: &str,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<String>> {
        let (user, name, hash) = (user.to_owned(), name.to_owned(), token_hash.to_owned());
        self.run(move |c| {
            let id = uuid::Uuid::new_v4().simple().to_string();
            c.execute(
                "INSERT INTO api_tokens (id, token_hash, user_id, name, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, hash, user, name, now_ms],
            )
            .map_err(backend)?;
            Ok(id)
        })
    }

    fn token(&self, token_hash: &str) -> BoxFuture<'_, Result<Option<Credential>>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            credential(c, &format!("SELECT {USER_COLS}, t.id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1 AND t.revoked = 0 AND ?2 = ?2"), &hash, CredentialKind::ApiToken, 0)
        })
    }

    fn tokens(&self, user: &str) -> BoxFuture<'_, Result<Vec<TokenInfo>>> {
        let user = user.to_owned();
        self.run(move |c| {
            let mut s = c.prepare("SELECT id, name, created_ms, revoked FROM api_tokens WHERE user_id = ?1 ORDER BY created_ms").map_err(backend)?;
            let rows = s
                .query_map(params![user], |r| Ok(TokenInfo { id: r.get(0)?, name: r.get(1)?, created_ms: r.get(2)?, revoked: r.get::<_, i64>(3)? != 0 }))
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn revoke_token(&self, user: &str, id: &str) -> BoxFuture<'_, Result<bool>> {
        let (user, id) = (user.to_owned(), id.to_owned());
        self.run(move |c| {
            Ok(c.execute(
                "UPDATE api_tokens SET revoked = 1 WHERE id = ?1 AND user_id = ?2 AND revoked = 0",
                params![id, user],
            )
            .map_err(backend)?
                > 0)
        })
    }

    fn groups(&self) -> BoxFuture<'_, Result<Vec<String>>> {
        self.run(move |c| {
            let mut s = c
                .prepare("SELECT id FROM groups ORDER BY rowid")
                .map_err(backend)?;
            let rows = s.query_map([], |r| r.get(0)).map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn create_group(&self, id: &str) -> BoxFuture<'_, Result<()>> {
        let id = id.to_owned();
        self.run(move |c| {
            c.execute("INSERT OR IGNORE INTO groups (id) VALUES (?1)", params![id])
                .map_err(backend)?;
            Ok(())
        })
    }

    fn members(&self, group: &str) -> BoxFuture<'_, Result<Vec<Member>>> {
        let group = group.to_owned();
        self.run(move |c| {
            let mut s = c
                .prepare(&format!("SELECT {USER_COLS}, m.role FROM members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ?1 ORDER BY u.name"))
                .map_err(backend)?;
            let rows = s
                .query_map(params![group], |r| {
                    let role: String = r.get(6)?;
                    Ok(Member { user: user_row(r)?, role: Role::parse(&role).unwrap_or(Role::Observer) })
                })
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn all_roles(&self) -> BoxFuture<'_, Result<Vec<(String, String, Role)>>> {
        self.run(move |c| {
            let mut s = c
                .prepare("SELECT group_id, user_id, role FROM members")
                .map_err(backend)?;
            let rows = s
                .query_map([], |r| {
                    let role: String = r.get(2)?;
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        Role::parse(&role).unwrap_or(Role::Observer),
                    ))
                })
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn set_role(&self, group: &str, user: &str, role: Role) -> BoxFuture<'_, Result<()>> {
        let (group, user) = (group.to_owned(), user.to_owned());
        self.run(move |c| {
            c.execute(
                "INSERT INTO members (group_id, user_id, role) VALUES (?1, ?2, ?3) ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role",
                params![group, user, role.as_str()],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn remove_member(&self, group: &str, user: &str) -> BoxFuture<'_, Result<bool>> {
        let (group, user) = (group.to_owned(), user.to_owned());
        self.run(move |c| {
            Ok(c.execute(
                "DELETE FROM members WHERE group_id = ?1 AND user_id = ?2",
                params![group, user],
            )
            .map_err(backend)?
                > 0)
        })
    }

    fn create_invitation(&self, token_hash: &str, inv: Invitation) -> BoxFuture<'_, Result<()>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            c.execute(
                "INSERT INTO invitations (token_hash, group_id, role, email, invited_by, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![hash, inv.group, inv.role.as_str(), inv.email, inv.invited_by, inv.expires_ms],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn invitation(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<Option<Invitation>>> {
        let hash = token_hash.to_owned();
        self.run(move |c| invitation(c, &hash, now_ms))
    }

    fn use_invitation(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<Option<Invitation>>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            let tx = c.transaction().map_err(backend)?;
            let inv = invitation(&tx, &hash, now_ms)?;
            if inv.is_some() {
                tx.execute(
                    "UPDATE invitations SET used_ms = ?2 WHERE token_hash = ?1",
                    params![hash, now_ms],
                )
                .map_err(backend)?;
            }
            tx.commit().map_err(backend)?;
            Ok(inv)
        })
    }

    fn restore_invitation(&self, token_hash: &str) -> BoxFuture<'_, Result<()>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            c.execute(
                "UPDATE invitations SET used_ms = NULL WHERE token_hash = ?1",
                params![hash],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

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
