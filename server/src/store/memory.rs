//! An in-process store: for tests and for wiring several servers together in
//! one test process. It can be told to fail, to exercise the error paths.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use codraft_protocol::DocumentId;
use codraft_sync::{ChunkKind, Persist, StoredChunk};

use super::{BoxFuture, Store, StoreError};

#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    docs: Arc<Mutex<HashMap<DocumentId, Vec<StoredChunk>>>>,
    /// When set, every write fails (a full disk, a lost database).
    fail_writes: Arc<AtomicBool>,
}

impl MemoryStore {
    pub fn fail_writes(&self, fail: bool) {
        self.fail_writes.store(fail, Ordering::SeqCst);
    }

    pub fn chunks(&self, doc: &DocumentId) -> Vec<StoredChunk> {
        self.docs
            .lock()
            .unwrap()
            .get(doc)
            .cloned()
            .unwrap_or_default()
    }
}

impl Store for MemoryStore {
    fn load(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<StoredChunk>, StoreError>> {
        let chunks = self.chunks(&doc);
        Box::pin(async move { Ok(chunks) })
    }

    fn write(&self, doc: DocumentId, op: Persist) -> BoxFuture<'_, Result<(), StoreError>> {
        let result = if self.fail_writes.load(Ordering::SeqCst) {
            Err(StoreError::Backend("injected write failure".into()))
        } else {
            let mut docs = self.docs.lock().unwrap();
            let chunks = docs.entry(doc).or_default();
            match op {
                Persist::Append(bytes) => chunks.push(StoredChunk {
                    kind: ChunkKind::Incremental,
                    bytes,
                }),
                Persist::Compact(bytes) => {
                    *chunks = vec![StoredChunk {
                        kind: ChunkKind::Snapshot,
                        bytes,
                    }]
                }
            }
            Ok(())
        };
        Box::pin(async move { result })
    }

    fn check(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }
}
