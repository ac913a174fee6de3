//! The review's index of every character each text ever held
//! ([`codraft_schema::review::index::TextIndex`]), kept for the documents
//! whose differences were asked for lately: built on the first difference
//! of a loaded document, brought up to date with the changes since on each
//! next one (on the document's actor, like every read job), and dropped
//! for the least recently used beyond [`KEPT`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use codraft_protocol::DocumentId;
use codraft_schema::review::index::TextIndex;

/// Documents whose index is kept.
pub const KEPT: usize = 16;

/// One document's index, shared with the read job that updates it.
pub type Shared = Arc<Mutex<TextIndex>>;

#[derive(Debug, Default)]
pub struct Indexes {
    /// Each document's index and when it was last asked for.
    map: Mutex<HashMap<DocumentId, (u64, Shared)>>,
    clock: Mutex<u64>,
}

impl Indexes {
    /// The index of `doc` (empty at first: the read job builds it).
    pub fn of(&self, doc: DocumentId) -> Shared {
        let tick = {
            let mut c = self.clock.lock().unwrap();
            *c += 1;
            *c
        };
        let mut map = self.map.lock().unwrap();
        if let Some((used, ix)) = map.get_mut(&doc) {
            *used = tick;
            return ix.clone();
        }
        if map.len() >= KEPT
            && let Some(oldest) = map.iter().min_by_key(|(_, (u, _))| *u).map(|(d, _)| *d)
        {
            map.remove(&oldest);
        }
        let ix = Arc::new(Mutex::new(TextIndex::default()));
        map.insert(doc, (tick, ix.clone()));
        ix
    }

    pub fn len(&self) -> usize {
        self.map.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_index_goes_first() {
        let ix = Indexes::default();
        let docs: Vec<DocumentId> = (0..KEPT + 1).map(|_| DocumentId::random()).collect();
        let first = ix.of(docs[0]);
        for d in &docs[1..KEPT] {
            ix.of(*d);
        }
        // The first is used again: the second is now the oldest.
        assert!(Arc::ptr_eq(&first, &ix.of(docs[0])));
        ix.of(docs[KEPT]);
        assert_eq!(ix.len(), KEPT);
        assert!(Arc::ptr_eq(&first, &ix.of(docs[0])));
        let map = ix.map.lock().unwrap();
        assert!(!map.contains_key(&docs[1]));
    }
}
