//! What a peer may do with a document, decided by the shell and enforced
//! here, where sync messages are decoded (once) and applied.
//!
//! The shell says, with each message, whether its sender may change the
//! document ([`Access`]) and how large a change and a document may grow
//! ([`Limits`]). The session refuses whatever breaks either *before*
//! applying anything, whatever the message's type (`sync` or `request`:
//! both carry Automerge sync data), and reports what it accepted from whom
//! in [`crate::Effects::accepted`].

use automerge::ChangeHash;
use codraft_protocol::PeerId;

/// What the sender of a message may do with the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Sync to read; a message that carries changes is refused, unapplied.
    ReadOnly,
    /// Read and change.
    ReadWrite,
}

/// Bounds on what peers may add to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest change chunk one sync message may carry, in bytes.
    pub max_change_bytes: usize,
    /// Largest the document may grow to (stored bytes plus what it is
    /// about to store), in bytes.
    pub max_document_bytes: usize,
}

impl Limits {
    pub const UNLIMITED: Limits = Limits {
        max_change_bytes: usize::MAX,
        max_document_bytes: usize::MAX,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::UNLIMITED
    }
}

/// Why a peer's message was refused. The text of each starts with a stable
/// code (`read-only:`, `change-too-large:`, `document-full:`,
/// `invalid-sync:`) that clients may word in their own language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "read-only: you may read document {0} but not change it; your changes were not applied"
    )]
    ReadOnly(String),
    #[error(
        "change-too-large: a change of {size} bytes is over the limit of {limit} bytes; nothing was applied"
    )]
    ChangeTooLarge { size: usize, limit: usize },
    #[error(
        "document-full: the document would grow to {size} bytes, over the limit of {limit} bytes; nothing was applied"
    )]
    DocumentFull { size: usize, limit: usize },
    #[error("invalid-sync: {0}")]
    Invalid(String),
}

/// Changes the session applied from one peer's message, in the order they
/// were accepted: what the shell's audit log records against the user
/// behind that peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub peer: PeerId,
    pub changes: Vec<ChangeHash>,
}

/// Automerge sync data that pushes `changes` (raw change chunks) with
/// `heads`, without negotiating (no `have`, no `need`): what a peer sends
/// when it ignores the sync protocol's rounds. The session judges it like
/// any other; tests use it to probe the limits and the rights.
pub fn push_changes(heads: Vec<ChangeHash>, changes: Vec<Vec<u8>>) -> Vec<u8> {
    automerge::sync::Message {
        heads,
        need: vec![],
        have: vec![],
        changes: changes.into(),
        flags: None,
        version: automerge::sync::MessageVersion::V1,
    }
    .encode()
}
