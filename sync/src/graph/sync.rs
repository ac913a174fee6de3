//! Automerge's sync protocol spoken over a [`ChangeGraph`]: the same state
//! transitions as `automerge::sync::SyncDoc` (0.12), the same messages,
//! with every question put to the graph instead of to the document. What
//! the graph cannot give — the bytes of a change loaded from storage, a
//! whole document for a peer that has nothing — it asks of a [`Source`].
//!
//! The differential tests (`graph/tests.rs`) hold both to the same
//! behaviour.

use std::collections::HashSet;

use automerge::sync::{
    BloomFilter, Capability, ChunkList, Have, Message, MessageFlags, MessageVersion, State,
};
use automerge::{Change, ChangeHash};

use super::chunks::{Chunk, split};
use super::{ChangeGraph, GraphError};

/// What the graph cannot answer by itself.
pub trait Source {
    /// The bytes of a change the graph holds without them.
    fn change_bytes(&mut self, hash: &ChangeHash) -> Option<Vec<u8>>;
    /// The whole document, saved.
    fn document(&mut self) -> Vec<u8>;
}

/// What receiving a message did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Received {
    /// Changes that became part of the graph, in order.
    pub added: Vec<ChangeHash>,
    /// The message carried a whole document, which only a document can
    /// take in: the caller loads it into the document (which it has made
    /// current), calls [`ChangeGraph::catch_up`], then [`finish`].
    pub document: Option<Vec<u8>>,
    /// A change the graph refused; the changes before it were taken, the
    /// rest of the message (and its state transitions) were not.
    pub refused: Option<GraphError>,
}

/// Why a message was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("{0}")]
    Graph(#[from] GraphError),
}

/// Takes in a peer's message: its changes into the graph, its heads,
/// needs and bloom filters into `state`. If the message carries a whole
/// document, nothing is applied and [`Received::document`] says so.
pub fn receive(
    graph: &mut ChangeGraph,
    state: &mut State,
    message: &Message,
    vet: &mut super::Vet<'_>,
) -> Result<Received, ReceiveError> {
    let before = graph.heads();
    let mut received = Received::default();
    if !message.changes.is_empty() && !state.read_only {
        let joined: Vec<u8> = message.changes.iter().flatten().copied().collect();
        let chunks = split(&joined).ok_or_else(|| {
            GraphError::Unparsable("the changes are not a sequence of chunks".into())
        })?;
        if chunks.contains(&Chunk::Document) {
            received.document = Some(joined);
            return Ok(received);
        }
        // Parse everything first: a message is taken whole or not at all.
        let mut changes = Vec::with_capacity(chunks.len());
        for c in chunks {
            let Chunk::Change(bytes) = c else {
                unreachable!("documents handled above")
            };
            changes.push(
                Change::from_bytes(bytes.to_vec())
                    .map_err(|e| GraphError::Unparsable(e.to_string()))?,
            );
        }
        // Changes before a refused one stay: each passed the checks on
        // its own, and the peer is told of the refusal.
        for c in changes {
            match graph.insert_with(c, vet) {
                Ok(added) => received.added.extend(added),
                Err(e) => {
                    received.refused = Some(e);
                    return Ok(received);
                }
            }
        }
    }
    finish(graph, state, message, &before);
    Ok(received)
}

/// The state transitions of a received message once its changes are in:
/// `before` are the heads before them.
pub fn finish(graph: &ChangeGraph, state: &mut State, message: &Message, before: &[ChangeHash]) {
    state.in_flight = false;
    let Message {
        heads: message_heads,
        changes,
        need,
        have,
        flags,
        ..
    } = message;
    crate::receive::take_flags(state, *flags);
    if !changes.is_empty() && !state.read_only {
        let after: HashSet<ChangeHash> = graph.heads().into_iter().collect();
        state.shared_heads = crate::receive::advance_heads(before, &after, &state.shared_heads);
    }
    let known: Vec<ChangeHash> = message_heads
        .iter()
        .filter(|h| graph.has(h))
        .copied()
        .collect();
    graph.remove_covered(&mut state.sent_hashes, &known);
    if changes.is_empty() && message_heads == before {
        state.last_sent_heads.clone_from(message_heads);
    }
    crate::receive::share_known_heads(state, message_heads, &known);
    state.their_have = Some(have.clone());
    state.their_heads = Some(message_heads.clone());
    state.their_need = Some(need.clone());
}

/// The next message for a peer, as `generate_sync_message` would make it,
/// except that a peer that has something is sent the whole document
/// (instead of the changes it lacks) only when it lacks more than a third
/// of the changes *and* more than `whole_over` of them: with a long text
/// of few changes, a peer a few keystrokes behind would otherwise be sent
/// the whole text (Automerge's rule is `whole_over` 0).
pub fn generate(
    graph: &ChangeGraph,
    state: &mut State,
    source: &mut dyn Source,
    whole_over: usize,
) -> Option<Message> {
    let our_heads = graph.heads();
    if let Some(first) = state.their_have.as_ref().and_then(|h| h.first())
        && !first.last_sync.iter().all(|h| graph.has(h))
    {
        return Some(reset(our_heads));
    }
    let v2 = supports_v2(state);
    // The hashes sent and the message's changes.
    let (hashes, changes): (Vec<ChangeHash>, Vec<Vec<u8>>) = if state.peer_read_only {
        (Vec::new(), Vec::new())
    } else if let (Some(have), Some(need)) = (&state.their_have, &state.their_need) {
        if state.their_heads.as_deref() == Some(&[]) && v2 {
            whole(graph, source)
        } else {
            let hashes: Vec<ChangeHash> = hashes_to_send(graph, have, need)
                .into_iter()
                .filter(|h| !state.sent_hashes.contains(h))
                .collect();
            if hashes.len() > graph.len() / 3 && hashes.len() > whole_over && v2 {
                whole(graph, source)
            } else {
                let mut bytes = Vec::with_capacity(hashes.len());
                for h in &hashes {
                    bytes.push(match graph.bytes(h) {
                        Some(b) => b.to_vec(),
                        None => source.change_bytes(h)?,
                    });
                }
                let changes = match (v2, bytes.is_empty()) {
                    (_, true) => Vec::new(),
                    (true, false) => vec![bytes.concat()],
                    (false, false) => bytes,
                };
                (hashes, changes)
            }
        }
    } else {
        (Vec::new(), Vec::new())
    };
    let heads_unchanged = state.last_sent_heads == our_heads;
    let heads_equal = state.their_heads.as_ref() == Some(&our_heads);
    if heads_unchanged && state.have_responded {
        if (heads_equal || state.read_only) && hashes.is_empty() {
            return None;
        }
        if state.in_flight {
            return None;
        }
    }
    // What we need and what we have, only for a message that goes out:
    // most acknowledgements end above, and a bloom filter of the changes
    // since the shared heads is the dearest part of a message.
    let our_need = if state.read_only {
        Vec::new()
    } else {
        graph.missing_from(state.their_heads.iter().flatten().copied())
    };
    let their_heads: HashSet<&ChangeHash> = state.their_heads.iter().flatten().collect();
    let our_have = if our_need.iter().all(|h| their_heads.contains(h)) {
        let last_sync = state.shared_heads.clone();
        let hashes = graph.beyond(&last_sync);
        vec![Have {
            last_sync,
            bloom: BloomFilter::from_hashes(hashes.iter()),
        }]
    } else {
        Vec::new()
    };
    state.have_responded = true;
    state.last_sent_heads.clone_from(&our_heads);
    state.sent_hashes.extend(hashes.iter().copied());
    let mut flags = MessageFlags::new();
    flags.set(MessageFlags::SUPPORTS_SYNC_RESET);
    if state.read_only {
        flags.set(MessageFlags::READ_ONLY);
    }
    let heads = if state.needs_reset {
        state.needs_reset = false;
        if supports_reset(state) {
            flags.set(MessageFlags::SYNC_RESET);
            our_heads
        } else {
            Vec::new()
        }
    } else {
        our_heads
    };
    state.in_flight = true;
    Some(Message {
        heads,
        need: our_need,
        have: our_have,
        changes: ChunkList::from(changes),
        flags: Some(flags),
        version: if v2 {
            MessageVersion::V2
        } else {
            MessageVersion::V1
        },
    })
}

/// Everything, as one saved document.
fn whole(graph: &ChangeGraph, source: &mut dyn Source) -> (Vec<ChangeHash>, Vec<Vec<u8>>) {
    let hashes = graph.beyond(&[]);
    let mut doc = source.document();
    // As Automerge's `save` does, changes still waiting for their
    // dependencies go along after the document.
    for c in graph.queued() {
        doc.extend_from_slice(c.raw_bytes());
    }
    let changes = if doc.is_empty() {
        Vec::new()
    } else {
        vec![doc]
    };
    (hashes, changes)
}

fn reset(our_heads: Vec<ChangeHash>) -> Message {
    let mut flags = MessageFlags::new();
    flags.set(MessageFlags::SUPPORTS_SYNC_RESET);
    Message {
        heads: our_heads,
        need: Vec::new(),
        have: vec![Have::default()],
        changes: ChunkList::empty(),
        flags: Some(flags),
        version: MessageVersion::V1,
    }
}

fn supports_v2(state: &State) -> bool {
    state
        .their_capabilities
        .as_ref()
        .is_some_and(|c| c.contains(&Capability::MessageV2))
}

fn supports_reset(state: &State) -> bool {
    state
        .their_capabilities
        .as_ref()
        .is_some_and(|c| c.contains(&Capability::SyncReset))
}

/// Automerge's `get_hashes_to_send`: what the peer's bloom filters do not
/// hold, plus everything that depends on it, plus what it asked for.
fn hashes_to_send(graph: &ChangeGraph, have: &[Have], need: &[ChangeHash]) -> Vec<ChangeHash> {
    let need: Vec<ChangeHash> = need.iter().filter(|h| graph.has(h)).copied().collect();
    if have.is_empty() {
        return need;
    }
    let mut last_sync: Vec<ChangeHash> = have.iter().flat_map(|h| h.last_sync.clone()).collect();
    last_sync.sort();
    last_sync.dedup();
    let hashes = graph.beyond(&last_sync);
    let mut dependents: std::collections::HashMap<ChangeHash, Vec<ChangeHash>> =
        std::collections::HashMap::new();
    let mut to_send: HashSet<ChangeHash> = HashSet::new();
    for h in &hashes {
        for d in graph.deps(h) {
            dependents.entry(*d).or_default().push(*h);
        }
        if have.iter().all(|b| !b.bloom.contains_hash(h)) {
            to_send.insert(*h);
        }
    }
    let mut stack: Vec<ChangeHash> = to_send.iter().copied().collect();
    while let Some(h) = stack.pop() {
        for d in dependents.get(&h).into_iter().flatten() {
            if to_send.insert(*d) {
                stack.push(*d);
            }
        }
    }
    let mut out: Vec<ChangeHash> = need.into_iter().filter(|h| !to_send.contains(h)).collect();
    out.extend(hashes.iter().filter(|h| to_send.contains(*h)));
    out
}
