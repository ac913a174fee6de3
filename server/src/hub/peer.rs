//! How the rest of the hub reaches one connection: its [`PeerHandle`] (its
//! outbox, `outbox.rs`, and a cancellation token), and the commands a
//! document actor takes ([`DocCommand`]). A leaf: it knows frames and
//! messages, nothing of documents or accounts.

use std::sync::Arc;
use std::time::Instant;

use codraft_protocol::{Message, PeerId, encode};
use codraft_sync::Access;
use tokio_util::sync::CancellationToken;

use crate::metrics::Metrics;

/// WebSocket close codes used here.
pub const CLOSE_NORMAL: u16 = 1000;
pub const CLOSE_GOING_AWAY: u16 = 1001;
pub const CLOSE_PROTOCOL: u16 = 1002;
pub const CLOSE_POLICY: u16 = 1008;
pub const CLOSE_TOO_BIG: u16 = 1009;

pub use super::outbox::{Outbound, Outbox, Refused};

/// A connection's way into one document, where its acknowledgements may
/// be set aside (`aside.rs`).
pub type Lane = super::aside::Lane<DocCommand>;
/// What a document's actor has not taken yet.
pub type Aside = super::aside::Aside<DocCommand>;

/// The one way a connection is told why it ends: an `error` message with
/// the reason, then a close frame with a code. Queued behind what is
/// already queued; if the queue is full the connection is cut at once.
#[derive(Debug, Clone)]
pub struct Closer {
    pub outbox: Outbox,
    /// Cancelled to end the connection (both tasks).
    pub closing: CancellationToken,
    /// Our `senderId`.
    pub server_peer: PeerId,
}

impl Closer {
    /// Without waiting (from a document actor or a revocation).
    pub fn fail(&self, target: Option<&PeerId>, why: &str, code: u16) {
        if self.outbox.try_send(self.frame(target, why, code)).is_err() {
            self.closing.cancel();
        }
    }

    /// Waiting for room in the queue (from the connection's own reader).
    pub async fn fail_waiting(&self, target: Option<&PeerId>, why: &str, code: u16) {
        let _ = self.outbox.send(self.frame(target, why, code)).await;
    }

    fn frame(&self, target: Option<&PeerId>, why: &str, code: u16) -> Outbound {
        let err = Message::Error {
            sender_id: self.server_peer.clone(),
            target_id: target.cloned(),
            message: why.to_owned(),
        };
        Outbound::FrameThenClose(encode(&err).into(), code, short(why))
    }
}

/// Close reasons are limited to 123 bytes.
fn short(s: &str) -> String {
    let mut end = s.len().min(120);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

/// How a document actor reaches a connection: shared, since every message
/// of the connection carries one to its document's actor (a clone is one
/// count, not copies of its ids).
#[derive(Debug, Clone)]
pub struct PeerHandle(Arc<PeerConnection>);

impl PeerHandle {
    pub fn new(connection: PeerConnection) -> Self {
        PeerHandle(Arc::new(connection))
    }
}

impl std::ops::Deref for PeerHandle {
    type Target = PeerConnection;
    fn deref(&self) -> &PeerConnection {
        &self.0
    }
}

/// One connection as the document actors see it.
#[derive(Debug)]
pub struct PeerConnection {
    pub conn_id: u64,
    pub peer: PeerId,
    /// The signed-in user behind the connection, for the audit log.
    pub user: Option<String>,
    pub closer: Closer,
    pub metrics: Arc<Metrics>,
}

impl PeerHandle {
    /// Queues a message. If the queue is full the client is too slow: the
    /// connection is closed and `false` returned.
    pub fn send(&self, msg: &Message) -> bool {
        let bytes = encode(msg);
        let len = bytes.len() as u64;
        match self.closer.outbox.try_send(Outbound::Frame(bytes.into())) {
            Ok(()) => {
                self.metrics.messages_out.inc();
                self.metrics.bytes_out.inc_by(len);
                true
            }
            Err(Refused::Full) => {
                self.metrics.slow_client_disconnects.inc();
                tracing::warn!(peer = %self.peer, "outbound queue full: disconnecting slow client");
                self.closer.closing.cancel();
                false
            }
            Err(Refused::Closed) => false,
        }
    }

    /// Sends `error` with this text and closes the connection.
    pub fn fail(&self, why: &str) {
        self.closer.fail(Some(&self.peer), why, CLOSE_POLICY);
    }

    /// Closes without an error (replaced by a newer connection, shutdown).
    pub fn close(&self) {
        self.closer.closing.cancel();
    }
}

/// What a document's actor is asked to do.
#[derive(Debug)]
pub enum DocCommand {
    /// A document message from a connection.
    Message {
        from: PeerHandle,
        message: Message,
        /// What the sender may do with the document (its session enforces it).
        access: Access,
        /// May this connection create the document if it does not exist?
        may_create: bool,
        /// When the connection read it.
        received: Instant,
        /// The connection's way into this document (`aside.rs`).
        lane: Arc<Lane>,
    },
    /// The connection ended.
    PeerLeft { peer: PeerId, conn_id: u64 },
    /// Work on the document itself (the review API's reads and edits).
    Job(Job),
}

impl DocCommand {
    /// The data of a `sync` message (what may be an acknowledgement).
    pub fn sync_data(&self) -> Option<&[u8]> {
        match self {
            DocCommand::Message {
                message: Message::Sync(m),
                ..
            } => Some(&m.data),
            _ => None,
        }
    }
}

/// Work on a document, run by its actor on the blocking pool, between
/// batches of messages.
pub enum Job {
    /// Reads the document (the closure sends its own answer).
    Read(Box<dyn FnOnce(&automerge::Automerge) + Send>),
    /// Edits it on behalf of `user`: the changes made are stored, synced to
    /// every peer and audited against `user`; `done` hears their hashes
    /// once they are durable.
    Edit {
        user: String,
        /// The edit applies someone's suggestion, accepted by this person.
        accepted_by: Option<codraft_schema::review::summary::AcceptedBy>,
        edit: Box<dyn FnOnce(&mut automerge::Automerge) + Send>,
        done: Done,
    },
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Job::Read(_) => "Job::Read",
            Job::Edit { .. } => "Job::Edit",
        })
    }
}

/// Where an edit's outcome goes: the hashes of the changes it made.
pub type Done = tokio::sync::oneshot::Sender<Result<Vec<String>, JobError>>;

/// Why a job did not complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error("the server is shutting down")]
    ShuttingDown,
    #[error("{0}")]
    Storage(String),
    #[error("the document's work failed")]
    Failed,
}
