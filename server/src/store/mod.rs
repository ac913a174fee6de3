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
pub mod sqlite;

pub use memory::MemoryStore;
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
}
