//! The client state machine: one connection to a Codraft server, any number
//! of open documents.

use std::collections::HashMap;
use std::time::Duration;

use automerge::{Automerge, ChangeHash, Patch};
use codraft_protocol::presence::{PresenceMessage, Value};
use codraft_protocol::{
    DocumentId, EphemeralMessage, Message, PeerId, PeerMetadata, SessionId, decode, encode,
};
use codraft_sync::{DocSession, Effects, EphemeralDedup, Event, Mode};

use crate::backoff::Backoff;
use crate::presence::Presence;

mod draft;
mod effects;
mod inbox;
mod keep;
mod undo;
pub use keep::Write;
pub use undo::{Direction, PAUSE_MS};

/// The connection as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionState {
    Connecting,
    Online,
    /// Disconnected; a reconnect is scheduled.
    Offline,
}

/// Whether a document's local changes are on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    /// The server advertised heads that include every local change (it only
    /// advertises what it has persisted).
    Saved,
    /// Connected, and local changes are not yet acknowledged.
    Saving,
    /// Disconnected with changes the server has not acknowledged.
    Offline,
}

/// What the UI hears.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent {
    Connection(ConnectionState),
    /// The server sent `error` (it closes the connection after it).
    ServerError(String),
    /// An opened document is synced with the server.
    Ready(DocumentId),
    /// The server does not have the document (or access is denied).
    Unavailable(DocumentId),
    /// Remote changes, as patches to apply to what the UI shows.
    Changed {
        doc: DocumentId,
        patches: Vec<Patch>,
    },
    SaveState {
        doc: DocumentId,
        state: SaveState,
    },
    /// A peer's presence changed, appeared or went away.
    PresenceChanged {
        doc: DocumentId,
        peer: PeerId,
    },
    /// The server refused this document's local changes (`why`: its
    /// error, a code first): they were dropped, the document is back at
    /// what the server has; the UI redraws it and says why.
    Refused {
        doc: DocumentId,
        why: String,
    },
}

/// Does the server's error refuse changes (rather than the connection)?
fn refuses_changes(message: &str) -> bool {
    ["read-only", "change-too-large", "document-full"]
        .iter()
        .any(|c| message.starts_with(c))
}

/// The result of any input.
#[derive(Debug, Default)]
#[must_use = "frames must be sent and events delivered"]
pub struct Output {
    /// Binary WebSocket frames to send, in order.
    pub frames: Vec<Vec<u8>>,
    pub events: Vec<ClientEvent>,
}

#[derive(Debug)]
enum Conn {
    Disconnected,
    /// Socket open, `join` sent.
    Joining,
    Joined {
        server: PeerId,
    },
}

#[derive(Debug)]
struct OpenDoc {
    session: DocSession,
    /// `Ready` or `Unavailable` was reported.
    settled: bool,
    save: SaveState,
    /// Heads the server last acknowledged, for the save state while offline.
    acknowledged: Vec<ChangeHash>,
    presence: Presence,
    /// This tab's own edits, for undo and redo.
    history: undo::History,
    /// What this browser keeps of it.
    kept: keep::Kept,
}

#[derive(Debug)]
pub struct Client {
    peer_id: PeerId,
    session_id: SessionId,
    conn: Conn,
    backoff: Backoff,
    docs: HashMap<DocumentId, OpenDoc>,
    /// `count` of our ephemeral messages.
    ephemeral_count: u64,
    dedup: EphemeralDedup,
    now_ms: u64,
    /// Documents opened from now on take a batch of frames in one pass
    /// (the default; off only to measure what it saves).
    batched: bool,
}

/// Why an input was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum ClientError {
    #[error("document {0} is not open")]
    NotOpen(DocumentId),
    #[error("changes from another tab do not load: {0}")]
    BadChanges(String),
    #[error("this document does not hold that version: {0}")]
    UnknownHeads(String),
}

impl Client {
    /// `peer_id` and `session_id` should be random per tab.
    pub fn new(peer_id: PeerId, session_id: SessionId) -> Self {
        Client {
            peer_id,
            session_id,
            conn: Conn::Disconnected,
            backoff: Backoff::default(),
            docs: HashMap::new(),
            ephemeral_count: 0,
            dedup: EphemeralDedup::default(),
            now_ms: 0,
            batched: true,
        }
    }

    /// Whether documents opened from now on are batched (see `inbox`).
    pub fn set_batched(&mut self, on: bool) {
        self.batched = on;
    }

    /// The join handshake, as this client plays it (it keeps its documents
    /// in IndexedDB itself: an ephemeral peer to the server).
    fn handshake(&self) -> codraft_protocol::handshake::Client {
        codraft_protocol::handshake::Client::new(
            self.peer_id.clone(),
            PeerMetadata {
                storage_id: None,
                is_ephemeral: true,
            },
        )
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.peer_id
    }

    pub fn is_online(&self) -> bool {
        matches!(self.conn, Conn::Joined { .. })
    }

    /// The server refused local changes: every document holding changes
    /// it has not acknowledged goes back to what it acknowledged (a fresh
    /// actor for what comes next), so that nothing refused is kept, shown
    /// or sent again.
    fn drop_refused(&mut self, why: &str, out: &mut Output) {
        let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
        for id in ids {
            let Some(doc) = self.docs.get_mut(&id) else {
                continue;
            };
            let heads = doc.session.doc().get_heads();
            if doc.acknowledged.is_empty() || doc.acknowledged == heads {
                continue;
            }
            let Ok(back) = doc.session.doc().fork_at(&doc.acknowledged) else {
                continue;
            };
            doc.session.replace_doc(back);
            doc.history.clear();
            doc.kept.forget();
            // Marks it to be stored again (and tells the UI to redraw).
            out.events.push(ClientEvent::Changed {
                doc: id,
                patches: Vec::new(),
            });
            out.events.push(ClientEvent::Refused {
                doc: id,
                why: why.to_owned(),
            });
            self.update_save_state(id, out);
        }
    }

    pub fn doc(&self, id: DocumentId) -> Option<&Automerge> {
        self.docs.get(&id).map(|d| d.session.doc())
    }

    pub fn save_state(&self, id: DocumentId) -> Option<SaveState> {
        self.docs.get(&id).map(|d| d.save)
    }

    pub fn presence(&self, id: DocumentId) -> Option<&Presence> {
        self.docs.get(&id).map(|d| &d.presence)
    }

    /// The socket is being dialled.
    pub fn connecting(&mut self) -> Output {
        Output {
            frames: vec![],
            events: vec![ClientEvent::Connection(ConnectionState::Connecting)],
        }
    }

    /// The socket opened: send `join`.
    pub fn socket_opened(&mut self) -> Output {
        self.conn = Conn::Joining;
        Output {
            frames: vec![encode(&self.handshake().join())],
            events: vec![],
        }
    }

    /// The socket closed (or failed). Returns the events and the delay
    /// before the caller should dial again; `jitter` is random in [0, 1).
    pub fn socket_closed(&mut self, jitter: f64) -> (Output, Duration) {
        let mut out = Output::default();
        if let Conn::Joined { server } = std::mem::replace(&mut self.conn, Conn::Disconnected) {
            for doc in self.docs.values_mut() {
                let _ = doc.session.handle([Event::PeerLeft(server.clone())]);
            }
        }
        out.events
            .push(ClientEvent::Connection(ConnectionState::Offline));
        let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
        for id in ids {
            self.update_save_state(id, &mut out);
        }
        (out, self.backoff.next_delay(jitter))
    }

    /// A binary frame arrived.
    pub fn receive(&mut self, bytes: &[u8], now_ms: u64) -> Output {
        self.now_ms = now_ms;
        let mut out = Output::default();
        let message = match decode(bytes) {
            Ok(m) => m,
            Err(e) => {
                out.events.push(ClientEvent::ServerError(format!(
                    "malformed message from the server: {e}"
                )));
                return out;
            }
        };
        match message {
            Message::Peer { .. } => {
                let sender_id = match self.handshake().receive(&message) {
                    Ok(server) => server,
                    Err(why) => {
                        let why = why.unwrap_or_else(|e| e.to_string());
                        out.events.push(ClientEvent::ServerError(why));
                        return out;
                    }
                };
                self.conn = Conn::Joined {
                    server: sender_id.clone(),
                };
                self.backoff.reset();
                out.events
                    .push(ClientEvent::Connection(ConnectionState::Online));
                // Resync every open document and say who we are.
                let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
                for id in ids {
                    let fx = self
                        .docs
                        .get_mut(&id)
                        .map(|d| d.session.handle([Event::PeerJoined(sender_id.clone())]));
                    if let Some(fx) = fx {
                        self.after(id, fx, &[], &mut out);
                    }
                    let announce = self
                        .docs
                        .get_mut(&id)
                        .map(|d| d.presence.announce(now_ms))
                        .unwrap_or_default();
                    self.send_presence(id, announce, &mut out);
                }
            }
            Message::Error { message, .. } => {
                if refuses_changes(&message) {
                    self.drop_refused(&message, &mut out);
                }
                out.events.push(ClientEvent::ServerError(message));
            }
            Message::Sync(ref d) | Message::Request(ref d) => {
                let id = d.document_id;
                if let Some(doc) = self.docs.get_mut(&id) {
                    let before = doc.session.doc().get_heads();
                    let fx = doc.session.handle([Event::Received(message)]);
                    self.after(id, fx, &before, &mut out);
                }
            }
            Message::DocUnavailable { document_id, .. } => {
                if let Some(doc) = self.docs.get_mut(&document_id)
                    && !doc.settled
                {
                    doc.settled = true;
                    out.events.push(ClientEvent::Unavailable(document_id));
                }
            }
            Message::Ephemeral(e) => self.receive_ephemeral(e, now_ms, &mut out),
            _ => {}
        }
        out
    }

    /// Starts syncing a document this client made (or kept offline).
    pub fn add(&mut self, id: DocumentId, doc: Automerge) -> Output {
        let mut session = DocSession::new(id, self.peer_id.clone(), Mode::Client);
        session.replace_doc(doc);
        self.insert(id, session, true)
    }

    /// Asks the server for a document; `Ready` or `Unavailable` follows.
    pub fn open(&mut self, id: DocumentId) -> Output {
        let session = DocSession::new(id, self.peer_id.clone(), Mode::Client);
        self.insert(id, session, false)
    }

    fn insert(&mut self, id: DocumentId, mut session: DocSession, settled: bool) -> Output {
        // The frames of one animation frame are one batch: one walk of a
        // long text for all of its remote keystrokes (`receive_all`).
        session.set_batched(self.batched);
        // The browser keeps documents itself (`keep.rs`, IndexedDB), not
        // through the session's `persist` effects: with them on, the
        // session would bring the document up to date and save it whole
        // now and then for nothing.
        session.set_storage(false);
        let mut out = Output::default();
        self.docs.insert(
            id,
            OpenDoc {
                session,
                settled,
                save: SaveState::Saved,
                acknowledged: vec![],
                presence: Presence::default(),
                history: undo::History::default(),
                kept: keep::Kept::default(),
            },
        );
        if let Conn::Joined { server } = &self.conn {
            let server = server.clone();
            let fx = self
                .docs
                .get_mut(&id)
                .map(|d| d.session.handle([Event::PeerJoined(server)]));
            if let Some(fx) = fx {
                self.after(id, fx, &[], &mut out);
            }
        }
        self.update_save_state(id, &mut out);
        out
    }

    /// Closes a document: says goodbye to its peers and forgets it.
    pub fn close(&mut self, id: DocumentId) -> Output {
        let mut out = Output::default();
        if let Some(mut doc) = self.docs.remove(&id) {
            let bye = doc.presence.goodbye();
            self.docs.insert(id, doc);
            self.send_presence(id, vec![bye], &mut out);
            self.docs.remove(&id);
        }
        out
    }

    /// Says goodbye on every open document (the page is going away) without
    /// closing them: if the page comes back, presence resumes with the next
    /// update or heartbeat.
    pub fn leave_all(&mut self) -> Output {
        let mut out = Output::default();
        let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
        for id in ids {
            if let Some(doc) = self.docs.get_mut(&id) {
                let bye = doc.presence.goodbye();
                self.send_presence(id, vec![bye], &mut out);
            }
        }
        out
    }

    /// A local change. `f` edits the document (and commits, with the time
    /// and message it chooses); the change syncs in the background.
    pub fn change(
        &mut self,
        id: DocumentId,
        f: impl FnOnce(&mut Automerge),
    ) -> Result<Output, ClientError> {
        let doc = self.docs.get_mut(&id).ok_or(ClientError::NotOpen(id))?;
        f(doc.session.doc_mut());
        let fx = doc.session.handle([]);
        let mut out = Output::default();
        self.after(id, fx, &[], &mut out);
        Ok(out)
    }

    /// Changes made by another tab of this browser (`Automerge::save_after`
    /// bytes): merged, reported as patches, and synced to the server.
    pub fn merge(&mut self, id: DocumentId, changes: &[u8]) -> Result<Output, ClientError> {
        let doc = self.docs.get_mut(&id).ok_or(ClientError::NotOpen(id))?;
        // Automerge skips what it cannot parse; refuse it instead.
        const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
        if !changes.is_empty() && !changes.starts_with(&MAGIC) {
            return Err(ClientError::BadChanges("not Automerge data".into()));
        }
        let before = doc.session.doc().get_heads();
        doc.session
            .doc_mut()
            .load_incremental(changes)
            .map_err(|e| ClientError::BadChanges(e.to_string()))?;
        let fx = doc.session.handle([]);
        let mut out = Output::default();
        self.after(id, fx, &before, &mut out);
        Ok(out)
    }
}

/// Where a Codraft server with accounts puts the verified identity of a
/// presence message's sender: `{id, name, sector, role}`.
pub const USER_STAMP: &str = codraft_protocol::presence::USER_KEY;
