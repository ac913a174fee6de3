//! Receiving a peer's sync message in time proportional to what changed.
//!
//! `automerge::sync::SyncDoc::receive_sync_message` (automerge 0.12) trims
//! the peer's `sent_hashes` with a walk over *every* ancestor of the heads
//! the peer advertised, even when `sent_hashes` is empty. With one message
//! per keystroke per peer that walk is the server's hot spot: it grows with
//! the document's history, and a busy document pays it for every
//! acknowledgement of every peer.
//!
//! [`receive_sync_message`] does exactly what Automerge's does (same state
//! transitions, same document), except that the trim asks the change graph
//! which changes are *not* covered by the advertised heads (a clock lookup,
//! proportional to the changes since those heads) and skips the work when
//! nothing was sent. The differential test below feeds both versions the
//! same messages and compares the resulting states.

use std::collections::HashSet;

use automerge::sync::{Capability, Message, MessageFlags, State};
use automerge::{Automerge, AutomergeError, ChangeHash, PatchLog};

/// Applies `message` from a peer to `doc` and updates the peer's `state`;
/// a drop-in for `SyncDoc::receive_sync_message_log_patches`.
pub fn receive_sync_message(
    doc: &mut Automerge,
    state: &mut State,
    message: Message,
    patch_log: &mut PatchLog,
) -> Result<(), AutomergeError> {
    state.in_flight = false;
    let before_heads = doc.get_heads();
    let Message {
        heads: message_heads,
        changes,
        need,
        have,
        flags,
        ..
    } = message;

    take_flags(state, flags);

    let changes_is_empty = changes.is_empty();
    if !changes_is_empty && !state.read_only {
        let bytes: Vec<u8> = changes.iter().flatten().copied().collect();
        doc.load_incremental_log_patches(&bytes, patch_log)?;
        let after: HashSet<ChangeHash> = doc.get_heads().into_iter().collect();
        state.shared_heads = advance_heads(&before_heads, &after, &state.shared_heads);
    }

    if changes_is_empty && message_heads == before_heads {
        state.last_sent_heads.clone_from(&message_heads);
    }

    let known: Vec<ChangeHash> = message_heads
        .iter()
        .filter(|h| doc.get_change_meta_by_hash(h).is_some())
        .copied()
        .collect();
    // Forget what we sent that the peer's heads now cover.
    trim_sent_hashes(doc, &known, state);
    share_known_heads(state, &message_heads, &known);

    state.their_have = Some(have);
    state.their_heads = Some(message_heads);
    state.their_need = Some(need);
    Ok(())
}

/// What a message's flags say of its sender: it supports V2 messages (and
/// a sync reset), asks for a reset, is read-only.
pub(crate) fn take_flags(state: &mut State, flags: Option<MessageFlags>) {
    if let Some(flags) = flags {
        // A peer that sends flags at all supports V2 messages.
        let mut caps = vec![Capability::MessageV2];
        if flags.contains(MessageFlags::SUPPORTS_SYNC_RESET) {
            caps.push(Capability::SyncReset);
        }
        state.their_capabilities = Some(caps);
        if flags.contains(MessageFlags::SYNC_RESET) {
            state.sent_hashes.clear();
        }
        state.peer_read_only = flags.contains(MessageFlags::READ_ONLY);
    }
}

/// The shared heads once the peer's `heads` are known, `known` being those
/// of them we hold: all of them if we hold all (and a peer with nothing
/// starts over), else the old shared heads plus those we hold.
pub(crate) fn share_known_heads(state: &mut State, heads: &[ChangeHash], known: &[ChangeHash]) {
    if known.len() == heads.len() {
        state.shared_heads = heads.to_vec();
        // The peer lost everything: start over with it.
        if heads.is_empty() {
            state.last_sent_heads = Vec::new();
            state.sent_hashes.clear();
        }
    } else {
        let mut shared: Vec<ChangeHash> = state.shared_heads.iter().chain(known).copied().collect();
        shared.sort();
        shared.dedup();
        state.shared_heads = shared;
    }
}

/// Removes from `state.sent_hashes` every change that `known` (the peer's
/// heads that the document has) include, as Automerge's `filter_changes`
/// does.
fn trim_sent_hashes(doc: &Automerge, known: &[ChangeHash], state: &mut State) {
    if state.sent_hashes.is_empty() || known.is_empty() {
        // Nothing sent, or no known heads (so no ancestors): nothing to remove.
        return;
    }
    // The changes the heads do not cover (a clock lookup).
    let beyond: HashSet<ChangeHash> = doc
        .get_changes_meta(known)
        .into_iter()
        .map(|m| m.hash)
        .collect();
    state.sent_hashes.retain(|h| beyond.contains(h));
}

/// The shared heads after applying a peer's changes: our new heads that the
/// changes produced, plus the old shared heads that are still heads.
pub(crate) fn advance_heads(
    old_heads: &[ChangeHash],
    new_heads: &HashSet<ChangeHash>,
    old_shared: &[ChangeHash],
) -> Vec<ChangeHash> {
    let mut advanced: Vec<ChangeHash> = new_heads
        .iter()
        .filter(|h| !old_heads.contains(h))
        .chain(old_shared.iter().filter(|h| new_heads.contains(h)))
        .copied()
        .collect();
    advanced.sort();
    advanced.dedup();
    advanced
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;
    use automerge::sync::SyncDoc;
    use automerge::transaction::Transactable;
    use automerge::{ObjType, ROOT, ReadDoc};
    use rand::rngs::SmallRng;
    use rand::{Rng, SeedableRng};

    /// One peer of the differential run: a document and its state per peer.
    struct Peer {
        doc: Automerge,
        states: Vec<State>,
    }

    impl Peer {
        /// A message from peer `from`, through our receive.
        fn receive(&mut self, from: usize, m: Message) {
            receive_sync_message(
                &mut self.doc,
                &mut self.states[from],
                m,
                &mut PatchLog::inactive(),
            )
            .unwrap();
        }
    }

    /// Random edits and random delivery between `n` peers; every message is
    /// received twice, by Automerge's own function on a copy and
    /// by ours, and the resulting states and documents must be identical.
    fn differential(seed: u64) -> usize {
        let mut partial_trims = 0;
        let mut rng = SmallRng::seed_from_u64(seed);
        let n = 4;
        let mut peers: Vec<Peer> = (0..n)
            .map(|_| Peer {
                doc: Automerge::new(),
                states: vec![State::new(); n],
            })
            .collect();
        // A shared text so that edits interleave in one object.
        let mut first = Automerge::new();
        first
            .transact::<_, _, AutomergeError>(|tx| {
                tx.put_object(ROOT, "text", ObjType::Text)?;
                Ok(())
            })
            .unwrap();
        for p in &mut peers {
            p.doc.merge(&mut first.clone()).unwrap();
        }
        // Messages in flight, first in first out per (from, to) as on a
        // WebSocket: `wire[from * n + to]`.
        let mut wire: Vec<VecDeque<Message>> = vec![VecDeque::new(); n * n];
        for step in 0..400 {
            match rng.random_range(0..10) {
                0..=3 => {
                    let i = rng.random_range(0..n);
                    let doc = &mut peers[i].doc;
                    let text = doc.get(ROOT, "text").unwrap().unwrap().1;
                    let len = doc.length(&text);
                    let pos = rng.random_range(0..=len);
                    doc.transact::<_, _, AutomergeError>(|tx| {
                        tx.splice_text(&text, pos, 0, &format!("{step}"))?;
                        Ok(())
                    })
                    .unwrap();
                }
                4..=6 => {
                    let from = rng.random_range(0..n);
                    let to = (from + rng.random_range(1..n)) % n;
                    let p = &mut peers[from];
                    if let Some(m) = p.doc.generate_sync_message(&mut p.states[to]) {
                        wire[from * n + to].push_back(m);
                    }
                }
                _ => {
                    let from = rng.random_range(0..n);
                    let to = (from + rng.random_range(1..n)) % n;
                    let Some(m) = wire[from * n + to].pop_front() else {
                        continue;
                    };
                    let p = &mut peers[to];
                    let mut their_doc = p.doc.clone();
                    let mut their_state = p.states[from].clone();
                    let before = their_state.sent_hashes.len();
                    their_doc
                        .receive_sync_message(&mut their_state, m.clone())
                        .unwrap();
                    p.receive(from, m);
                    assert_eq!(p.states[from], their_state, "seed {seed}, step {step}");
                    let after = their_state.sent_hashes.len();
                    if after > 0 && after < before {
                        partial_trims += 1;
                    }
                    assert_eq!(p.doc.get_heads(), their_doc.get_heads(), "seed {seed}");
                }
            }
        }
        // Deliver what is still on the wire.
        for from in 0..n {
            for to in 0..n {
                while let Some(m) = wire[from * n + to].pop_front() {
                    peers[to].receive(from, m);
                }
            }
        }
        // Then sync everything to the end with our receive only.
        for _round in 0..50 {
            let mut quiet = true;
            for from in 0..n {
                for to in 0..n {
                    if from == to {
                        continue;
                    }
                    let m = {
                        let p = &mut peers[from];
                        p.doc.generate_sync_message(&mut p.states[to])
                    };
                    if let Some(m) = m {
                        quiet = false;
                        peers[to].receive(from, m);
                    }
                }
            }
            if quiet {
                break;
            }
        }
        let heads = peers[0].doc.get_heads();
        for p in &peers {
            assert_eq!(
                p.doc.get_heads(),
                heads,
                "seed {seed}: peers did not converge"
            );
        }
        partial_trims
    }

    #[test]
    fn same_states_as_automerge_receive() {
        let partial_trims: usize = (0..40).map(differential).sum();
        // The interesting case: some, not all, of what was sent is covered.
        assert!(
            partial_trims > 0,
            "no receive trimmed sent_hashes partially"
        );
    }

    #[test]
    fn sent_hashes_trimmed_by_acknowledgement() {
        let mut a = Automerge::new();
        let mut b = Automerge::new();
        let (mut sa, mut sb) = (State::new(), State::new());
        for i in 0..5 {
            a.transact::<_, _, AutomergeError>(|tx| {
                tx.put(ROOT, "k", i)?;
                Ok(())
            })
            .unwrap();
        }
        // a → b (a has sent its changes), b → a (b acknowledges).
        for _ in 0..4 {
            if let Some(m) = a.generate_sync_message(&mut sa) {
                receive_sync_message(&mut b, &mut sb, m, &mut PatchLog::inactive()).unwrap();
            }
            if let Some(m) = b.generate_sync_message(&mut sb) {
                receive_sync_message(&mut a, &mut sa, m, &mut PatchLog::inactive()).unwrap();
            }
        }
        assert_eq!(a.get_heads(), b.get_heads());
        assert!(sa.sent_hashes.is_empty(), "acknowledged changes forgotten");
        assert_eq!(sa.shared_heads, a.get_heads());
    }
}
