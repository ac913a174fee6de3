//! When a peer's acknowledgement needs no answer. Most messages of a
//! fan-out are a peer saying "I now have your heads". Once we have
//! answered the peer and last sent it exactly the document's heads, such a
//! message (no changes, nothing needed) only updates its sync state:
//! `graph::sync::generate` returns nothing for it, whether it is handled
//! now or in a later batch. The server uses this to set such messages
//! aside instead of waking the document for each.

use super::*;

impl DocSession {
    /// True when we have answered `peer` and the heads we last sent it are
    /// `heads`, the document's (sorted, as [`DocSession::heads`] gives
    /// them). Its [`acknowledges`] of them may then wait for the next batch.
    pub fn settled_with(&self, peer: &PeerId, heads: &[ChangeHash]) -> bool {
        let Some(p) = self.peers.get(peer) else {
            return false;
        };
        let s = &p.state;
        if !s.have_responded || s.needs_reset || heads.is_empty() {
            return false;
        }
        let mut sent = s.last_sent_heads.clone();
        sent.sort();
        sent == heads
    }
}

/// True for a sync message's `data` that carries no changes, needs nothing
/// and says its sender has exactly `heads` (sorted).
pub fn acknowledges(data: &[u8], heads: &[ChangeHash]) -> bool {
    let Ok(m) = sync::Message::decode(data) else {
        return false;
    };
    if !m.changes.is_empty() || !m.need.is_empty() || m.heads.len() != heads.len() {
        return false;
    }
    let mut theirs = m.heads;
    theirs.sort();
    theirs == heads
}
