//! What a session hands out: the next write (an increment or a compacted
//! snapshot) and one sync message per peer, generated once per distinct
//! peer state.

use super::*;

/// A batch's generations by peer state: the state before, the state after
/// and the message.
pub(super) type Memo = HashMap<sync::State, (sync::State, Option<Vec<u8>>)>;

impl DocSession {
    pub(super) fn next_persist(&mut self) -> Persist {
        self.unpersisted_bytes = 0;
        if self.stored == StoredSizes::default() {
            // Nothing stored yet: the first write is a snapshot (one
            // serialisation, not an increment and then a compaction).
            let snapshot = self.doc.save();
            self.stored.snapshot = snapshot.len();
            return Persist::Compact(snapshot);
        }
        let incremental = self.doc.save_after(&self.persisted_heads);
        if self.stored.should_compact(incremental.len()) {
            let snapshot = self.doc.save();
            self.stored = StoredSizes {
                snapshot: snapshot.len(),
                incremental: 0,
            };
            Persist::Compact(snapshot)
        } else {
            self.stored.incremental += incremental.len();
            Persist::Append(incremental)
        }
    }

    /// The next message for `peer`. With `memo`, peers in the same state
    /// share one generation; without it (a batch that syncs one peer, as
    /// each acknowledgement of a fan-out does) the state is neither copied
    /// nor hashed.
    pub(super) fn generate(
        &mut self,
        peer: &PeerId,
        // The document has nothing yet (client side: ask with `request`).
        no_heads: bool,
        memo: Option<&mut Memo>,
    ) -> Option<Message> {
        let Some(memo) = memo else {
            let data = if self.relay.is_some() {
                self.relay_generate(peer)
            } else {
                let p = self.peers.get_mut(peer)?;
                self.doc
                    .generate_sync_message(&mut p.state)
                    .map(|m| m.encode())
            }?;
            return Some(self.wrap(peer, no_heads, data));
        };
        if self.relay.is_some() {
            return self.generate_relayed(peer, no_heads, memo);
        }
        let p = self.peers.get_mut(peer)?;
        let data = match memo.get(&p.state) {
            Some((after, data)) => {
                p.state.clone_from(after);
                data.clone()
            }
            None => {
                let before = p.state.clone();
                let data = self
                    .doc
                    .generate_sync_message(&mut p.state)
                    .map(|m| m.encode());
                memo.insert(before, (p.state.clone(), data.clone()));
                data
            }
        }?;
        Some(self.wrap(peer, no_heads, data))
    }

    /// [`DocSession::generate`] in relay mode: the same memo, over the graph.
    fn generate_relayed(
        &mut self,
        peer: &PeerId,
        no_heads: bool,
        memo: &mut Memo,
    ) -> Option<Message> {
        let before = self.peers.get(peer)?.state.clone();
        let data = match memo.get(&before) {
            Some((after, data)) => {
                let data = data.clone();
                self.peers.get_mut(peer)?.state.clone_from(after);
                data
            }
            None => {
                let data = self.relay_generate(peer);
                let after = self.peers.get(peer)?.state.clone();
                memo.insert(before, (after, data.clone()));
                data
            }
        }?;
        Some(self.wrap(peer, no_heads, data))
    }

    fn wrap(&self, peer: &PeerId, no_heads: bool, data: Vec<u8>) -> Message {
        let heard_from = self.peers.get(peer).is_some_and(|p| p.heard_from);
        let m = DocMessage {
            sender_id: self.local_peer.clone(),
            target_id: peer.clone(),
            document_id: self.document_id,
            data,
        };
        // A client with nothing of the document asks for it with `request`,
        // so that a server without it answers `doc-unavailable`.
        if self.mode == Mode::Client && no_heads && !heard_from {
            Message::Request(m)
        } else {
            Message::Sync(m)
        }
    }
}
