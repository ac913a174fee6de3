//! What a [`crate::DocSession`] asks its shell to do.

use codraft_protocol::{Message, PeerId};

use crate::access::Accepted;

/// A write to the document's storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Persist {
    /// Append these incremental changes.
    Append(Vec<u8>),
    /// Replace everything stored for the document with this snapshot, in one
    /// transaction.
    Compact(Vec<u8>),
}

impl Persist {
    pub fn len(&self) -> usize {
        match self {
            Persist::Append(b) | Persist::Compact(b) => b.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The outcome of one batch of events.
///
/// The shell must make `persist` durable **before** it sends any of
/// `messages`. If persisting fails, it must not send them; the session then
/// holds changes that are not stored, so the shell drops the session and
/// closes its peers with an error (they resync on reconnect and re-send their
/// changes).
#[derive(Debug, Default)]
#[must_use = "effects must be carried out"]
pub struct Effects {
    pub persist: Option<Persist>,
    /// Messages to send, each with its `targetId` set.
    pub messages: Vec<Message>,
    /// Peers that broke the protocol for this document: send `error` with the
    /// text and close their connection.
    pub refused: Vec<(PeerId, String)>,
    /// Peers that told us they do not have the document (client side).
    pub unavailable_from: Vec<PeerId>,
    /// Changes applied from guarded peers ([`crate::Event::FromPeer`]),
    /// per message: who delivered which change, for the audit log.
    pub accepted: Vec<Accepted>,
    /// Automerge sync messages decoded in this batch (each message is
    /// decoded once, here; the shells count it to show so).
    pub decoded: usize,
}

impl Effects {
    pub fn is_empty(&self) -> bool {
        self.persist.is_none()
            && self.messages.is_empty()
            && self.refused.is_empty()
            && self.unavailable_from.is_empty()
            && self.accepted.is_empty()
    }
}
