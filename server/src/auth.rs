//! The access seam: the sync path asks an [`Authorizer`] about every
//! document message. [`crate::accounts::Accounts`] enforces accounts, groups
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

pub trait Authorizer: Send + Sync + Debug + 'static {
    /// Access to a document that exists.
    fn access(&self, who: &Identity, doc: &DocumentId) -> Access;
    /// May `who` create this document by syncing it?
    fn may_create(&self, who: &Identity, doc: &DocumentId) -> bool;
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
