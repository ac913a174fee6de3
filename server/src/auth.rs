//! The access seam: the sync path asks an [`Authorizer`] about every
//! document message. `Accounts` (the accounts module) enforces accounts, groups
//! and roles; [`AllowAll`] (the `--open-access` mode, for protocol tests and
//! benchmarks against the reference server) lets everyone do everything.

use std::fmt::Debug;
use std::net::SocketAddr;

use codraft_protocol::DocumentId;

/// Who a connection belongs to, as established at the upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// No credentials were presented (only served in open-access mode).
    Anonymous { addr: Option<SocketAddr> },
    /// A valid session cookie or API token.
    User(crate::directory::Credential),
}

/// What a connection may do with one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Nothing; the document's existence is not disclosed (`doc-unavailable`).
    None,
    ReadOnly,
    ReadWrite,
}

/// Told a reason, closes one live socket (with an `error`).
pub type CloseFn = Box<dyn Fn(&str) + Send + Sync>;

/// Who a presence payload says its sender is, as the server verified it
/// (put under `__user`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub id: String,
    pub name: String,
    pub sector: String,
    /// The sender's role in the document's group (`admin` for a site
    /// administrator outside it).
    pub role: String,
}

pub trait Authorizer: Send + Sync + Debug + 'static {
    /// Access to a document that exists.
    fn access(&self, who: &Identity, doc: &DocumentId) -> Access;
    /// May `who` create this document by syncing it?
    fn may_create(&self, who: &Identity, doc: &DocumentId) -> bool;
    /// The verified identity to stamp `who`'s presence with; `None`: relay
    /// as sent (no accounts).
    fn stamp(&self, _who: &Identity, _doc: &DocumentId) -> Option<Stamp> {
        None
    }
    /// Remembers a live socket of `who`, to close it when their access is
    /// revoked.
    fn watch(&self, _who: &Identity, _conn_id: u64, _close: CloseFn) {}
    /// The socket ended.
    fn unwatch(&self, _who: &Identity, _conn_id: u64) {}
}

/// Everyone may do everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct AllowAll;

impl Authorizer for AllowAll {
    fn access(&self, _: &Identity, _: &DocumentId) -> Access {
        Access::ReadWrite
    }
    fn may_create(&self, _: &Identity, _: &DocumentId) -> bool {
        true
    }
}
