//! Where documents live between processes.
//!
//! [`Store`] is fallible and async so that any backend (the embedded SQLite
//! file here, Redis later) can sit behind it. Two promises every backend
//! keeps: `write` returns `Ok` only once the data is durable, and `load`
//! never hides a failure behind an empty result.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

use codraft_protocol::DocumentId;
use codraft_sync::{Persist, StoredChunk};

pub mod memory;
pub mod redis;
pub mod sqlite;

pub use memory::MemoryStore;
pub use redis::RedisStore;
pub use sqlite::SqliteStore;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("storage failure: {0}")]
    Backend(String),
    #[error("storage is shut down")]
    Closed,
}

pub trait Store: Send + Sync + Debug + 'static {
    /// Every chunk stored for the document, oldest first; empty if none.
    fn load(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<StoredChunk>, StoreError>>;

    /// Appends or compacts; `Ok` means durable.
    fn write(&self, doc: DocumentId, op: Persist) -> BoxFuture<'_, Result<(), StoreError>>;

    /// Can the store take writes right now? (`/readyz`)
    fn check(&self) -> BoxFuture<'_, Result<(), StoreError>>;

    // A store shared by several server instances (Redis) also carries what
    // the other instances do. The embedded store has nothing to share.

    /// Starts delivering, in order, what other instances store for this
    /// open document (and their peers' ephemeral messages).
    fn follow(&self, _doc: DocumentId, _to: tokio::sync::mpsc::Sender<Remote>) {}

    /// Stops following (the document was unloaded).
    fn unfollow(&self, _doc: DocumentId) {}

    /// The document's actor has applied everything up to this position
    /// (what a compaction may then drop from the shared log).
    fn applied(&self, _doc: DocumentId, _position: &str) {}

    /// An ephemeral message from a peer of this instance, for the peers of
    /// the document on the other instances (encoded only by a shared store:
    /// presence is a hot path).
    fn publish_ephemeral(&self, _doc: DocumentId, _message: &codraft_protocol::Message) {}
}

/// Something another instance did to a followed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remote {
    /// A log entry, in order: its changes (`None` for this instance's own
    /// entry, which the document already has).
    Changes {
        position: String,
        bytes: Option<Vec<u8>>,
    },
    /// An encoded `ephemeral` message from a peer on another instance.
    Ephemeral(Vec<u8>),
}
