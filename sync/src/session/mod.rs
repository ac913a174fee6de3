//! One document and the sync state of every peer that has it open.

use std::collections::{BTreeSet, HashMap};

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, ChangeHash};
use codraft_protocol::{DocMessage, DocumentId, EphemeralMessage, Message, PeerId};

use crate::access::{Accepted, Access, Limits, Refusal};
use crate::chunks::{StoredChunk, StoredSizes};
use crate::dedup::EphemeralDedup;
use crate::effects::{Effects, Persist};

mod outbound;

mod inbound;

mod relay;

mod materialise;

mod vet;

mod settled;
pub use settled::acknowledges;

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
    /// Report in [`Effects::accepted`] which changes came from which guarded
    /// peer (off unless the shell keeps an audit log).
    report_accepted: bool,
    /// Relay mode: the change graph, current, with the document lagging
    /// (see [`DocSession::set_relay`]).
    relay: Option<relay::Relay>,
    /// Stored changes that did not apply when the document was loaded.
    loaded_set_aside: Vec<ChangeHash>,
    /// Batched mode (see [`DocSession::set_batched`]).
    batched: bool,
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
            report_accepted: false,
            relay: None,
            loaded_set_aside: Vec::new(),
            batched: false,
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
        let mut set_aside = Vec::new();
        for chunk in chunks {
            materialise::load_chunk(&mut s.doc, &chunk.bytes, &mut set_aside).map_err(
                |source| LoadError {
                    document_id,
                    source: Box::new(source),
                },
            )?;
        }
        s.persisted_heads = s.doc.get_heads();
        s.last_heads = s.persisted_heads.clone();
        s.stored = StoredSizes::of(chunks);
        s.exists = !chunks.is_empty();
        if !set_aside.is_empty() {
            tracing::error!(
                document = %document_id,
                set_aside = set_aside.len(),
                "stored changes the document cannot apply are set aside; the next write compacts without them"
            );
            // The next write is a snapshot, without them.
            s.stored = StoredSizes::default();
            s.loaded_set_aside = set_aside;
        }
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

    /// Whether to report which changes each guarded peer delivered
    /// ([`Effects::accepted`], for an audit log). Off by default: it costs
    /// a look at each change received.
    pub fn set_report_accepted(&mut self, report: bool) {
        self.report_accepted = report;
    }

    /// What the document takes in storage, plus what it is about to store.
    pub fn size_bytes(&self) -> usize {
        self.stored.snapshot + self.stored.incremental + self.unpersisted_bytes
    }

    pub fn document_id(&self) -> DocumentId {
        self.document_id
    }

    /// The document. In relay mode, as of the last
    /// [`DocSession::materialise`] (call it first to read what is current).
    pub fn doc(&self) -> &Automerge {
        &self.doc
    }

    /// For local edits. Call [`DocSession::handle`] afterwards (with no
    /// events if there are none) to persist and sync them. In relay mode
    /// the document is made current first.
    pub fn doc_mut(&mut self) -> &mut Automerge {
        self.materialise();
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
        let mut ours = self.heads();
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
        self.relay_catch_up();
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
                Event::Stored(bytes) if self.relay.is_some() => {
                    let durable_before = self.heads() == self.persisted_heads;
                    match self.relay_stored(&bytes) {
                        Ok(()) => {
                            self.exists = self.exists || !self.heads().is_empty();
                            if durable_before {
                                self.persisted_heads = self.heads();
                            }
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "a stored chunk from elsewhere did not apply")
                        }
                    }
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
        let heads_after = self.heads();
        // Compared with the end of the previous batch, so that local edits
        // made through `doc_mut` in between count as changes too.
        if heads_after != self.last_heads {
            // Everyone hears of new changes, not just whoever sent them.
            to_sync.extend(self.peers.keys().cloned());
        }
        if heads_after != self.persisted_heads {
            if self.storage {
                fx.persist = Some(if self.relay.is_some() {
                    self.unpersisted_bytes = 0;
                    self.relay_persist()
                } else {
                    self.next_persist()
                });
            } else if let Some(r) = self.relay.as_mut() {
                // Nothing is handed out to persist: nothing to remember.
                r.unpersisted.clear();
            }
            self.persisted_heads = heads_after.clone();
        }
        self.last_heads = heads_after;
        // Peers in the same sync state get the same message: generate it
        // once. With many peers that all acknowledged the same heads (the
        // usual case when one of them types), that is one generation
        // instead of one per peer.
        let mut memo = (to_sync.len() > 1).then(outbound::Memo::new);
        let no_heads = self.last_heads.is_empty();
        for peer in to_sync {
            if let Some(m) = self.generate(&peer, no_heads, memo.as_mut()) {
                fx.messages.push(m);
            }
        }
        self.batch_done();
        fx
    }

    fn peer_entry(&mut self, peer: &PeerId) -> &mut PeerSync {
        self.peers.entry(peer.clone()).or_insert_with(|| PeerSync {
            state: sync::State::new(),
            heard_from: false,
        })
    }
}
