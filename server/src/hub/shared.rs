//! [`Hub`]: exactly what the sync path shares — the open documents, the
//! joined peers, the store, the access seam, the audit sink, metrics, our
//! ids on the wire, the limits, and the shutdown token and task tracker.
//! Connections and document actors get an `Arc<Hub>`; nothing on the sync
//! path sees the HTTP side, the accounts' directory or the whole `Config`.

use std::collections::HashMap;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codraft_protocol::handshake;
use codraft_protocol::{DocumentId, PeerId, StorageId};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::peer::PeerHandle;
use super::registry::Registry;
use crate::auth::Authorizer;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::store::Store;

/// One audit row: the change, the user, when, what it did.
pub use crate::directory::AuditRow;

/// Where accepted changes are recorded against the user who delivered them.
pub trait AuditSink: Send + Sync + Debug + 'static {
    fn append(
        &self,
        doc: DocumentId,
        rows: Vec<AuditRow>,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'static>>;
}

/// The settings the sync path reads (from [`Config`]).
#[derive(Debug, Clone)]
pub struct SyncSettings {
    pub ping_interval: Duration,
    pub handshake_timeout: Duration,
    pub idle_unload: Duration,
    /// A busy document's changes gather this long before going out.
    pub fanout_window: Duration,
    pub outbound_queue: usize,
    pub max_message_bytes: usize,
    pub max_frame_bytes: usize,
    pub limits: codraft_sync::Limits,
}

impl From<&Config> for SyncSettings {
    fn from(c: &Config) -> Self {
        SyncSettings {
            ping_interval: c.ping_interval,
            handshake_timeout: c.handshake_timeout,
            idle_unload: c.idle_unload,
            fanout_window: c.fanout_window,
            outbound_queue: c.outbound_queue,
            max_message_bytes: c.max_message_bytes,
            max_frame_bytes: c.max_frame_bytes,
            limits: codraft_sync::Limits {
                max_change_bytes: c.max_change_bytes,
                max_document_bytes: c.max_document_bytes,
            },
        }
    }
}

#[derive(Debug)]
pub struct Hub {
    pub settings: SyncSettings,
    /// Where documents are kept (SQLite, Redis, memory in tests).
    pub store: Arc<dyn Store>,
    /// Who may read and write which document; who a peer is.
    pub authorizer: Arc<dyn Authorizer>,
    /// Records accepted changes (with accounts); `None` in open access.
    pub audit: Option<Arc<dyn AuditSink>>,
    pub metrics: Arc<Metrics>,
    /// Open documents and their actors.
    pub documents: Registry,
    /// The live connection of each joined peer id.
    pub peers: Mutex<HashMap<PeerId, PeerHandle>>,
    /// Our side of the join handshake: our `senderId` (random per
    /// process) and `storageId`.
    pub handshake: handshake::Server,
    /// Cancelled when the server shuts down.
    pub shutdown: CancellationToken,
    /// Every connection, document and audit task, awaited at shutdown.
    pub tracker: TaskTracker,
    /// The review's character index of the documents differences were
    /// asked for lately.
    pub indexes: super::indexes::Indexes,
}

impl Hub {
    pub fn new(
        settings: SyncSettings,
        store: Arc<dyn Store>,
        authorizer: Arc<dyn Authorizer>,
        audit: Option<Arc<dyn AuditSink>>,
    ) -> Self {
        Hub {
            settings,
            store,
            authorizer,
            audit,
            metrics: Arc::new(Metrics::default()),
            documents: Registry::default(),
            peers: Mutex::new(HashMap::new()),
            handshake: handshake::Server::new(
                PeerId::new(format!("codraft-{}", uuid::Uuid::new_v4().simple())),
                Some(StorageId::new(uuid::Uuid::new_v4().to_string())),
            ),
            shutdown: CancellationToken::new(),
            tracker: TaskTracker::new(),
            indexes: super::indexes::Indexes::default(),
        }
    }

    /// Our `senderId` on the wire.
    pub fn server_peer(&self) -> &PeerId {
        &self.handshake.peer
    }
}
