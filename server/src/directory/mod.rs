//! Accounts, sessions, API tokens, thematic groups and their members,
//! invitations, which group each document belongs to, and the audit log.
//!
//! [`Directory`] is async and fallible like [`crate::store::Store`], so a
//! Redis implementation can sit behind it; [`SqliteDirectory`] keeps it in
//! tables of the embedded SQLite file. Secrets (passwords, session and API
//! tokens, invitation links) are stored only as hashes: argon2id for
//! passwords, SHA-256 for the random 256-bit tokens.

use std::fmt::Debug;

use codraft_protocol::DocumentId;
use serde::{Deserialize, Serialize};

use crate::store::BoxFuture;

pub mod redis;
pub mod sqlite;
pub use redis::RedisDirectory;
pub use sqlite::SqliteDirectory;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DirectoryError {
    #[error("directory storage failure: {0}")]
    Backend(String),
    #[error("{0} already exists")]
    Exists(String),
    #[error("{0} not found")]
    NotFound(String),
}

pub type Result<T> = std::result::Result<T, DirectoryError>;

/// A sector of the steering committee's membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    Administration,
    CivilSociety,
    Academia,
    Other,
}

impl Sector {
    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Administration => "administration",
            Sector::CivilSociety => "civil_society",
            Sector::Academia => "academia",
            Sector::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Sector> {
        Some(match s {
            "administration" => Sector::Administration,
            "civil_society" => Sector::CivilSociety,
            "academia" => Sector::Academia,
            "other" => Sector::Other,
            _ => return None,
        })
    }
}

/// A role in one thematic group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the group's members; writes; reads the audit log.
    CoCoordinator,
    /// Writes.
    Member,
    /// Reads.
    Observer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::CoCoordinator => "co_coordinator",
            Role::Member => "member",
            Role::Observer => "observer",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "co_coordinator" => Role::CoCoordinator,
            "member" => Role::Member,
            "observer" => Role::Observer,
            _ => return None,
        })
    }
    pub fn writes(self) -> bool {
        matches!(self, Role::CoCoordinator | Role::Member)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub organisation: String,
    pub sector: Sector,
    /// Site administrator: manages groups and every membership.
    pub admin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub organisation: String,
    pub sector: Sector,
    pub password_hash: String,
    pub admin: bool,
}

/// How a request or connection proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    Session,
    ApiToken,
}

/// A valid credential and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub user: User,
    pub kind: CredentialKind,
    /// The stored id of the session or token (the SHA-256 of a session, the
    /// id of an API token): what revocation names.
    pub id: String,
    /// When a session ends (ms since the epoch); API tokens last until revoked.
    pub expires_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_ms: i64,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub user: User,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub group: String,
    pub role: Role,
    pub email: Option<String>,
    pub invited_by: String,
    pub expires_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DocInfo {
    /// `automerge:` URL.
    #[schema(value_type = String)]
    #[serde(serialize_with = "doc_url")]
    pub id: DocumentId,
    pub group: String,
    pub kind: String,
    pub created_by: String,
    pub created_ms: i64,
}

fn doc_url<S: serde::Serializer>(id: &DocumentId, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&id.to_url())
}

/// One accepted change and who delivered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Where it is in the log: pass as `before` for the next (older) page.
    pub cursor: String,
    /// Hex hash of the Automerge change.
    pub change: String,
    pub user: String,
    pub user_name: String,
    pub sector: Sector,
    pub time_ms: i64,
    /// The fields it touched, characters added and removed.
    #[schema(value_type = Object)]
    pub summary: ChangeSummary,
}

/// A change to record: its hash, the verified user who delivered it, when,
/// and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub change: String,
    pub user: String,
    pub time_ms: i64,
    pub summary: ChangeSummary,
}

pub use codraft_schema::review::summary::ChangeSummary;

/// Accounts and their credentials: people, sign-in sessions, API tokens.
pub trait Users: Send + Sync + Debug + 'static {
    fn create_user(&self, u: NewUser) -> BoxFuture<'_, Result<User>>;
    /// The user and their password hash.
    fn user_by_email(&self, email: &str) -> BoxFuture<'_, Result<Option<(User, String)>>>;
    fn user(&self, id: &str) -> BoxFuture<'_, Result<Option<User>>>;
    fn users(&self) -> BoxFuture<'_, Result<Vec<User>>>;

    fn create_session(
        &self,
        user: &str,
        token_hash: &str,
        expires_ms: i64,
    ) -> BoxFuture<'_, Result<()>>;
    /// A session that is neither revoked nor expired at `now_ms`.
    fn session(&self, token_hash: &str, now_ms: i64) -> BoxFuture<'_, Result<Option<Credential>>>;
    fn revoke_session(&self, token_hash: &str) -> BoxFuture<'_, Result<bool>>;
    /// Revokes every session and API token of a user.
    fn revoke_user(&self, user: &str) -> BoxFuture<'_, Result<()>>;

    fn create_token(
        &self,
        user: &str,
        name: &str,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<String>>;
    fn token(&self, token_hash: &str) -> BoxFuture<'_, Result<Option<Credential>>>;
    fn tokens(&self, user: &str) -> BoxFuture<'_, Result<Vec<TokenInfo>>>;
    fn revoke_token(&self, user: &str, id: &str) -> BoxFuture<'_, Result<bool>>;
}

/// Thematic groups, who has which role in them, and invitations.
pub trait Groups: Send + Sync + Debug + 'static {
    fn groups(&self) -> BoxFuture<'_, Result<Vec<String>>>;
    fn create_group(&self, id: &str) -> BoxFuture<'_, Result<()>>;
    fn members(&self, group: &str) -> BoxFuture<'_, Result<Vec<Member>>>;
    /// Every (group, user id, role).
    fn all_roles(&self) -> BoxFuture<'_, Result<Vec<(String, String, Role)>>>;
    fn set_role(&self, group: &str, user: &str, role: Role) -> BoxFuture<'_, Result<()>>;
    fn remove_member(&self, group: &str, user: &str) -> BoxFuture<'_, Result<bool>>;

    fn create_invitation(&self, token_hash: &str, inv: Invitation) -> BoxFuture<'_, Result<()>>;
    /// An invitation not used and not expired at `now_ms`.
    fn invitation(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<Option<Invitation>>>;
    /// Marks it used, once: `None` if it was used, expired or unknown.
    fn use_invitation(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<Option<Invitation>>>;

    /// Gives a used invitation back (its acceptance failed after all).
    fn restore_invitation(&self, token_hash: &str) -> BoxFuture<'_, Result<()>>;
}

/// Documents' groups and the audit log of accepted changes.
pub trait Records: Send + Sync + Debug + 'static {
    fn register_document(&self, d: DocInfo) -> BoxFuture<'_, Result<()>>;
    fn documents(&self) -> BoxFuture<'_, Result<Vec<DocInfo>>>;

    fn audit_append(&self, doc: DocumentId, entries: Vec<AuditRow>) -> BoxFuture<'_, Result<()>>;
    /// The whole log of a document, oldest first.
    fn audit(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<AuditEntry>>>;
    /// Up to `limit` entries older than the cursor `before` (the newest if
    /// `None`), newest first: a page costs its own size, however long the
    /// log.
    fn audit_page(
        &self,
        doc: DocumentId,
        before: Option<String>,
        limit: usize,
    ) -> BoxFuture<'_, Result<Vec<AuditEntry>>>;
}

/// Each document's review log (approvals, workflow transitions, versions,
/// review marks) as JSON events, append-only.
pub trait Reviews: Send + Sync + Debug + 'static {
    /// Every event of the document, in order.
    fn review_events(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<String>>>;
    /// Appends `event` only if the log holds exactly `expected` events
    /// (`false`: someone appended first; read again and retry), so that
    /// two instances deciding on the same log cannot both win.
    fn review_append(
        &self,
        doc: DocumentId,
        expected: usize,
        event: String,
    ) -> BoxFuture<'_, Result<bool>>;
}

/// Each person's notifications (mentions, replies, decisions on their
/// suggestions, reviews asked of them), private to them, newest first.
/// Notes are JSON (the inbox module's); ids grow with time.
pub trait Inbox: Send + Sync + Debug + 'static {
    /// Adds a note for `user`; its id.
    fn inbox_add(&self, user: &str, note: String) -> BoxFuture<'_, Result<i64>>;
    /// Up to `limit` of the newest notes: (id, note, read).
    fn inbox(&self, user: &str, limit: usize) -> BoxFuture<'_, Result<Vec<(i64, String, bool)>>>;
    /// How many are unread.
    fn inbox_unread(&self, user: &str) -> BoxFuture<'_, Result<usize>>;
    /// Marks one note (or, with `None`, every note) read.
    fn inbox_mark_read(&self, user: &str, id: Option<i64>) -> BoxFuture<'_, Result<()>>;
    /// What the person chose to receive by e-mail (JSON, the mail module's).
    fn prefs(&self, user: &str) -> BoxFuture<'_, Result<Option<String>>>;
    fn set_prefs(&self, user: &str, prefs: String) -> BoxFuture<'_, Result<()>>;
}

/// Work waiting to go out, by queue (`mail`: e-mails; `hooks`: webhook
/// deliveries), each item JSON of its module, kept until done: an item that
/// fails is tried again later, and one instance at a time holds it (a
/// lease) so that two do not both send it.
pub trait Outbox: Send + Sync + Debug + 'static {
    /// Queues an item due at `due_ms`; its id.
    fn out_queue(&self, queue: &str, item: String, due_ms: i64) -> BoxFuture<'_, Result<i64>>;
    /// Takes up to `limit` items due at `now_ms`, holding them until
    /// `now_ms + lease_ms` (then they are due again unless done): (id,
    /// item, failed attempts so far).
    fn out_claim(
        &self,
        queue: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> BoxFuture<'_, Result<Vec<(i64, String, u32)>>>;
    /// Done: forgotten.
    fn out_done(&self, queue: &str, id: i64) -> BoxFuture<'_, Result<()>>;
    /// It failed: due again at `next_ms`, with the error kept.
    fn out_failed(
        &self,
        queue: &str,
        id: i64,
        next_ms: i64,
        error: String,
    ) -> BoxFuture<'_, Result<()>>;
    /// How many wait (due or not).
    fn out_waiting(&self, queue: &str) -> BoxFuture<'_, Result<usize>>;
}

/// Each group's webhooks (JSON of the hooks module, secret included: it
/// signs each delivery) and each webhook's delivery log, newest first.
pub trait Hooks: Send + Sync + Debug + 'static {
    fn hooks(&self, group: &str) -> BoxFuture<'_, Result<Vec<String>>>;
    fn add_hook(&self, group: &str, id: &str, hook: String) -> BoxFuture<'_, Result<()>>;
    /// `false`: there was no such hook.
    fn remove_hook(&self, group: &str, id: &str) -> BoxFuture<'_, Result<bool>>;
    /// Adds to a webhook's log (which keeps its newest 200 entries).
    fn hook_log_add(&self, id: &str, entry: String) -> BoxFuture<'_, Result<()>>;
    fn hook_log(&self, id: &str, limit: usize) -> BoxFuture<'_, Result<Vec<String>>>;
}

/// The whole directory: [`Users`], [`Groups`], [`Records`], [`Reviews`],
/// [`Inbox`], [`Outbox`], [`Hooks`], and what a directory shared by several instances adds
/// (events, shared counters).
pub trait Directory: Users + Groups + Records + Reviews + Inbox + Outbox + Hooks {
    // A directory shared by several instances (Redis) tells the others
    // what changed, so their views and live sockets follow. A directory of
    // one process has no one to tell.

    /// Tells the other instances (see [`DirEvent`]).
    fn notify(&self, _event: DirEvent) {}

    /// Calls `f` with every event another instance sends.
    fn listen(&self, _f: std::sync::Arc<dyn Fn(DirEvent) + Send + Sync>) {}

    /// Failed sign-ins under `key` in the current window, counted across
    /// instances; `None`: this directory does not count them (the process
    /// does).
    fn failures(&self, _key: &str) -> BoxFuture<'_, Result<Option<u64>>> {
        Box::pin(async { Ok(None) })
    }

    /// Counts a failed sign-in under `key` for `window_ms`; `false`: not
    /// counted here (the process counts it).
    fn add_failure(&self, _key: &str, _window_ms: i64) -> BoxFuture<'_, Result<bool>> {
        Box::pin(async { Ok(false) })
    }
}

/// A change one instance made that the others must reflect at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DirEvent {
    /// A role set (`Some`) or removed (`None`); `close`: the user's sockets
    /// close (their access shrank).
    Role {
        group: String,
        user: String,
        role: Option<Role>,
        close: bool,
    },
    /// A document registered in a group.
    Document { id: String, group: String },
    /// Close the sockets of this session or token.
    Credential { id: String, why: String },
    /// Close every socket of this user.
    User { user: String, why: String },
    /// A document's review log grew (its workflow state may have changed).
    Review { doc: String },
    /// Events may have been missed (the subscription was re-established):
    /// reload everything.
    Reload,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_as_json() {
        for ev in [
            DirEvent::Role {
                group: "g".into(),
                user: "u".into(),
                role: Some(Role::Member),
                close: false,
            },
            DirEvent::Role {
                group: "g".into(),
                user: "u".into(),
                role: None,
                close: true,
            },
            DirEvent::Document {
                id: "d".into(),
                group: "g".into(),
            },
            DirEvent::Credential {
                id: "c".into(),
                why: "w".into(),
            },
            DirEvent::User {
                user: "u".into(),
                why: "w".into(),
            },
        ] {
            let json = serde_json::to_string(&ev).unwrap();
            assert_eq!(
                serde_json::from_str::<DirEvent>(&json).unwrap(),
                ev,
                "{json}"
            );
        }
    }
}
