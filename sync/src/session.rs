//! One document and the sync state of every peer that has it open.

use std::collections::{BTreeSet, HashMap};

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, ChangeHash};
use codraft_protocol::{DocMessage, DocumentId, EphemeralMessage, Message, PeerId};

use crate::access::{Accepted, Access, Limits, Refusal};
use crate::chunks::{StoredChunk, StoredSizes};
use crate::dedup::EphemeralDedup;
use crate::effects::{Effects, Persist};

/// How long an ephemeral (sender, session) is remembered after it was last
/// heard from, for duplicate suppression.
const DEDUP_TTL_MS: u64 = 120_000;

/// Which side of the protocol this session plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Answers peers; never announces a document. Answers `request` for a
    /// document it does not have with `doc-unavailable`.
    Server,
    /// Starts sync with the peers it joins; sends `request` instead of `sync`
    /// while it has nothing of the document.
    Client,
}

/// An input to a [`DocSession`].
#[derive(Debug, Clone)]
pub enum Event {
    /// Start syncing with this peer (client side: the server we connected to).
    PeerJoined(PeerId),
    /// A document message from a trusted peer (`sync`, `request`,
    /// `ephemeral`, `doc-unavailable`); other messages are ignored. The
    /// client side uses it for what the server sends.
    Received(Message),
    /// A document message from a peer whose rights the shell established:
    /// changes are applied only if `access` allows them and they fit the
    /// session's [`Limits`], and what is applied is reported in
    /// [`Effects::accepted`]. The server uses it for every client message.
    FromPeer { message: Message, access: Access },
    /// The peer's connection ended: forget its sync state.
    PeerLeft(PeerId),
    /// Time passed; `now_ms` is the caller's clock in milliseconds.
    Tick { now_ms: u64 },
    /// Changes another server instance already made durable in the shared
    /// store (an Automerge chunk): applied, sent to the peers, not stored again.
    Stored(Vec<u8>),
}

/// Why stored chunks could not be turned into a document.
#[derive(Debug, thiserror::Error)]
#[error("stored chunks of document {document_id} do not load: {source}")]
pub struct LoadError {
    pub document_id: DocumentId,
    #[source]
    pub source: Box<automerge::AutomergeError>,
}

/// Per-peer state for one document.
#[derive(Debug)]
struct PeerSync {
    state: sync::State,
    /// The peer has sent us something about this document, so it is not the
    /// case that only we know of it.
    heard_from: bool,
}

/// An Automerge document plus one sync state per peer.
#[derive(Debug)]
pub struct DocSession {
    document_id: DocumentId,
    /// Our own peer id: the `senderId` of everything we send.
    local_peer: PeerId,
    mode: Mode,
    doc: Automerge,
    peers: HashMap<PeerId, PeerSync>,
    /// Heads of what storage holds; everything beyond is still to persist.
    persisted_heads: Vec<ChangeHash>,
    /// Heads at the end of the previous `handle`.
    last_heads: Vec<ChangeHash>,
    /// Sizes of what storage holds, for the compaction rule.
    stored: StoredSizes,
    /// True once the document is known to exist: loaded from storage, created
    /// locally, or created by a peer's `sync`.
    exists: bool,
    dedup: EphemeralDedup,
    /// Last `Tick` time, stamped on dedup entries.
    now_ms: u64,
    /// False for a peer that keeps nothing (the load generator): no
    /// `persist` effects, and no serialisation to make them.
    storage: bool,
    /// What peers' changes may add (see [`DocSession::set_limits`]).
    limits: Limits,
    /// Bytes of change chunks accepted since the last persist, for the
    /// document size limit.
    unpersisted_bytes: usize,
}

impl DocSession {
    /// A session for a document with nothing stored.
    pub fn new(document_id: DocumentId, local_peer: PeerId, mode: Mode) -> Self {
        DocSession {
            document_id,
            local_peer,
            mode,
            doc: Automerge::new(),
            peers: HashMap::new(),
            persisted_heads: Vec::new(),
            last_heads: Vec::new(),
            stored: StoredSizes::default(),
            exists: false,
            dedup: EphemeralDedup::default(),
            now_ms: 0,
            storage: true,
            limits: Limits::UNLIMITED,
            unpersisted_bytes: 0,
        }
    }

    /// A session for a document from its stored chunks. An empty list means
    /// the document does not exist (yet). A chunk that does not load is an
    /// error, never an empty document: an empty document would later be
    /// compacted over the stored data.
    pub fn load(
        document_id: DocumentId,
        local_peer: PeerId,
        mode: Mode,
        chunks: &[StoredChunk],
    ) -> Result<Self, LoadError> {
        let mut s = DocSession::new(document_id, local_peer, mode);
        for chunk in chunks {
            s.doc
                .load_incremental(&chunk.bytes)
                .map_err(|source| LoadError {
                    document_id,
                    source: Box::new(source),
                })?;
        }
        s.persisted_heads = s.doc.get_heads();
        s.last_heads = s.persisted_heads.clone();
        s.stored = StoredSizes::of(chunks);
        s.exists = !chunks.is_empty();
        Ok(s)
    }

    /// Whether changes are handed out to persist (the default). A peer
    /// without storage turns it off and never gets a `persist` effect.
    pub fn set_storage(&mut self, storage: bool) {
        self.storage = storage;
    }

    /// Bounds on the changes peers may send ([`Event::FromPeer`]).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// What the document takes in storage, plus what it is about to store.
    pub fn size_bytes(&self) -> usize {
        self.stored.snapshot + self.stored.incremental + self.unpersisted_bytes
    }

    pub fn document_id(&self) -> DocumentId {
        self.document_id
    }

    pub fn doc(&self) -> &Automerge {
        &self.doc
    }

    /// For local edits (client side). Call [`DocSession::handle`] afterwards
    /// (with no events if there are none) to persist and sync them.
    pub fn doc_mut(&mut self) -> &mut Automerge {
        self.exists = true;
        &mut self.doc
    }

    pub fn exists(&self) -> bool {
        self.exists
    }

    pub fn peer_count(&self) -> usize {
        self.peers.len()
    }

    pub fn has_peer(&self, peer: &PeerId) -> bool {
        self.peers.contains_key(peer)
    }

    /// Heads the peer last said it has, if it said anything yet.
    pub fn peer_heads(&self, peer: &PeerId) -> Option<&[ChangeHash]> {
        self.peers.get(peer)?.state.their_heads.as_deref()
    }

    /// True when the peer has said it holds exactly our heads: everything we
    /// have, it has. On the client, with the server as peer, this is "saved":
    /// the server only advertises heads it has persisted.
    pub fn in_sync_with(&self, peer: &PeerId) -> bool {
        let Some(theirs) = self.peer_heads(peer) else {
            return false;
        };
        let mut theirs = theirs.to_vec();
        let mut ours = self.doc.get_heads();
        theirs.sort();
        ours.sort();
        theirs == ours
    }

    /// Heads that storage holds.
    pub fn persisted_heads(&self) -> &[ChangeHash] {
        &self.persisted_heads
    }

    /// Feeds a batch of events and returns what to do about them. Batching
    /// matters: many changes arriving together are persisted as one write and
    /// answered with one sync message per peer.
    pub fn handle(&mut self, events: impl IntoIterator<Item = Event>) -> Effects {
        let mut fx = Effects::default();
        // Peers that need a sync message generated after the batch.
        let mut to_sync: BTreeSet<PeerId> = BTreeSet::new();
        for event in events {
            match event {
                Event::PeerJoined(peer) => {
                    self.peer_entry(&peer);
                    to_sync.insert(peer);
                }
                Event::PeerLeft(peer) => {
                    self.peers.remove(&peer);
                    to_sync.remove(&peer);
                    // Its presence counters go with it: whoever joins with
                    // this peer id next starts afresh.
                    self.dedup.forget(&peer);
                }
                Event::Tick { now_ms } => {
                    self.now_ms = now_ms;
                    self.dedup.prune(now_ms.saturating_sub(DEDUP_TTL_MS));
                }
                Event::Received(message) => self.receive(message, None, &mut fx, &mut to_sync),
                Event::FromPeer { message, access } => {
                    self.receive(message, Some(access), &mut fx, &mut to_sync)
                }
                Event::Stored(bytes) => {
                    let durable_before = self.doc.get_heads() == self.persisted_heads;
                    match self.doc.load_incremental(&bytes) {
                        Ok(_) => {
                            self.exists = self.exists || !self.doc.get_heads().is_empty();
                            // Nothing of ours was waiting: all we hold is durable.
                            if durable_before {
                                self.persisted_heads = self.doc.get_heads();
                            }
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "a stored chunk from elsewhere did not apply")
                        }
                    }
                }
            }
        }
        let heads_after = self.doc.get_heads();
        // Compared with the end of the previous batch, so that local edits
        // made through `doc_mut` in between count as changes too.
        if heads_after != self.last_heads {
            // Everyone hears of new changes, not just whoever sent them.
            to_sync.extend(self.peers.keys().cloned());
        }
        if heads_after != self.persisted_heads {
            if self.storage {
                fx.persist = Some(self.next_persist());
            }
            self.persisted_heads = heads_after.clone();
        }
        self.last_heads = heads_after;
        // Peers in the same sync state get the same message: generate it
        // once. With many peers that all acknowledged the same heads (the
        // usual case when one of them types), that is one generation
        // instead of one per peer.
        let mut memo: HashMap<sync::State, (sync::State, Option<Vec<u8>>)> = HashMap::new();
        let no_heads = self.last_heads.is_empty();
        for peer in to_sync {
            if let Some(m) = self.generate(&peer, no_heads, &mut memo) {
                fx.messages.push(m);
            }
        }
        fx
    }

    fn peer_entry(&mut self, peer: &PeerId) -> &mut PeerSync {
        self.peers.entry(peer.clone()).or_insert_with(|| PeerSync {
            state: sync::State::new(),
            heard_from: false,
        })
    }

    /// `guard`: the sender's access, for a peer whose changes are checked
    /// and reported; `None` for a trusted peer.
    fn receive(
        &mut self,
        message: Message,
        guard: Option<Access>,
        fx: &mut Effects,
        to_sync: &mut BTreeSet<PeerId>,
    ) {
        match message {
            Message::Request(m) if self.mode == Mode::Server && !self.exists => {
                // We don't have it and won't ask anyone: say so, keep nothing.
                fx.messages.push(Message::DocUnavailable {
                    sender_id: self.local_peer.clone(),
                    target_id: m.sender_id,
                    document_id: self.document_id,
                });
            }
            Message::Request(m) | Message::Sync(m) => {
                let sender = m.sender_id.clone();
                fx.decoded += 1;
                match self.apply_sync(m, guard) {
                    Ok(changes) => {
                        if guard.is_some() && !changes.is_empty() {
                            fx.accepted.push(Accepted {
                                peer: sender.clone(),
                                changes,
                            });
                        }
                        to_sync.insert(sender);
                    }
                    Err(why) => {
                        self.peers.remove(&sender);
                        to_sync.remove(&sender);
                        fx.refused.push((sender, why.to_string()));
                    }
                }
            }
            Message::Ephemeral(e) => self.relay(e, fx),
            Message::DocUnavailable { sender_id, .. } => {
                if let Some(p) = self.peers.get_mut(&sender_id) {
                    p.heard_from = true;
                }
                fx.unavailable_from.push(sender_id);
            }
            other => {
                tracing::debug!(
                    message_type = other.type_name(),
                    "not a document message; ignored"
                );
            }
        }
    }

    /// Decodes and applies one sync message. With a `guard`, refuses it
    /// (nothing applied) if it carries changes the sender may not make or
    /// that break the limits, and returns the hashes of the changes it
    /// added; a trusted message returns none.
    fn apply_sync(
        &mut self,
        m: DocMessage,
        guard: Option<Access>,
    ) -> Result<Vec<ChangeHash>, Refusal> {
        let msg = sync::Message::decode(&m.data)
            .map_err(|e| Refusal::Invalid(format!("invalid automerge sync message: {e}")))?;
        let incoming: usize = msg.changes.iter().map(<[u8]>::len).sum();
        if let (Some(access), false) = (guard, msg.changes.is_empty()) {
            if access == Access::ReadOnly {
                return Err(Refusal::ReadOnly(self.document_id.to_string()));
            }
            let limit = self.limits.max_change_bytes;
            if let Some(size) = msg.changes.iter().map(<[u8]>::len).find(|&n| n > limit) {
                return Err(Refusal::ChangeTooLarge { size, limit });
            }
            let size = self.size_bytes().saturating_add(incoming);
            let limit = self.limits.max_document_bytes;
            if size > limit {
                return Err(Refusal::DocumentFull { size, limit });
            }
        }
        let before = guard.is_some().then(|| self.doc.get_heads());
        let peer = self
            .peers
            .entry(m.sender_id.clone())
            .or_insert_with(|| PeerSync {
                state: sync::State::new(),
                heard_from: false,
            });
        peer.heard_from = true;
        crate::receive::receive_sync_message(
            &mut self.doc,
            &mut peer.state,
            msg,
            &mut automerge::PatchLog::inactive(),
        )
        .map_err(|e| Refusal::Invalid(format!("sync message could not be applied: {e}")))?;
        self.exists = true;
        let Some(before) = before else {
            return Ok(Vec::new());
        };
        if self.doc.get_heads() == before {
            return Ok(Vec::new());
        }
        self.unpersisted_bytes += incoming;
        // Metadata only: what this message added beyond the heads before it.
        Ok(self
            .doc
            .get_changes_meta(&before)
            .into_iter()
            .map(|c| c.hash)
            .collect())
    }

    fn relay(&mut self, e: EphemeralMessage, fx: &mut Effects) {
        if !self
            .dedup
            .accept(&e.sender_id, &e.session_id, e.count, self.now_ms)
        {
            return;
        }
        for peer in self.peers.keys() {
            if *peer != e.sender_id {
                fx.messages.push(Message::Ephemeral(EphemeralMessage {
                    target_id: peer.clone(),
                    ..e.clone()
                }));
            }
        }
    }

    fn next_persist(&mut self) -> Persist {
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

    fn generate(
        &mut self,
        peer: &PeerId,
        // The document has nothing yet (client side: ask with `request`).
        no_heads: bool,
        memo: &mut HashMap<sync::State, (sync::State, Option<Vec<u8>>)>,
    ) -> Option<Message> {
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
        let m = DocMessage {
            sender_id: self.local_peer.clone(),
            target_id: peer.clone(),
            document_id: self.document_id,
            data,
        };
        // A client with nothing of the document asks for it with `request`,
        // so that a server without it answers `doc-unavailable`.
        if self.mode == Mode::Client && no_heads && !p.heard_from {
            Some(Message::Request(m))
        } else {
            Some(Message::Sync(m))
        }
    }
}
