//! Stored chunks of a document and when to compact them.

/// What a stored chunk holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    /// A whole document (`Automerge::save`).
    Snapshot,
    /// Changes since earlier chunks (`Automerge::save_after`).
    Incremental,
}

/// One chunk as the store returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChunk {
    pub kind: ChunkKind,
    pub bytes: Vec<u8>,
}

/// Incremental chunks below this total never trigger a compaction: for a tiny
/// document a snapshot per change would be wasted work.
pub const COMPACTION_FLOOR: usize = 16 * 1024;

/// Sizes of what is stored for one document, to decide when to compact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoredSizes {
    pub snapshot: usize,
    pub incremental: usize,
}

impl StoredSizes {
    pub fn of(chunks: &[StoredChunk]) -> Self {
        let mut s = StoredSizes::default();
        for c in chunks {
            match c.kind {
                ChunkKind::Snapshot => s.snapshot += c.bytes.len(),
                ChunkKind::Incremental => s.incremental += c.bytes.len(),
            }
        }
        s
    }

    /// Would appending `next` incremental bytes make the increments outgrow
    /// the snapshot?
    pub fn should_compact(&self, next: usize) -> bool {
        let incremental = self.incremental + next;
        incremental > COMPACTION_FLOOR && incremental > self.snapshot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacts_only_when_increments_outgrow_the_snapshot() {
        let s = StoredSizes {
            snapshot: 100_000,
            incremental: 90_000,
        };
        assert!(!s.should_compact(5_000));
        assert!(s.should_compact(20_000));
        let tiny = StoredSizes {
            snapshot: 10,
            incremental: 100,
        };
        assert!(!tiny.should_compact(100), "below the floor");
    }
}
