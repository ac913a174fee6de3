//! # codraft-wasm-floor: how small can an automerge client be?
//!
//! Not part of Codraft. `scripts/wasm-floor.sh` builds this crate exactly as
//! the WASM client is built (profile `wasm-release`, wasm-bindgen,
//! `wasm-opt -Oz`) and prints its gzipped size, beside the client's. It uses
//! only what any live co-drafting client must use of automerge: load and
//! save, a text splice with a cursor, a scalar put, reading text, and the
//! sync protocol with patches. Whatever the client adds on top (connection,
//! offline storage, presence, the protocol's CBOR, the JSON editing API, the
//! card schema) is the difference between the two figures.

use automerge::sync::{Message, State, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ObjType, PatchLog, ROOT, ReadDoc};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;

/// One document and the sync state of its one peer; exported to JavaScript
/// as it is (errors as strings).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen)]
#[derive(Debug, Default)]
pub struct Floor {
    doc: Automerge,
    state: State,
}

fn text_of(e: impl std::fmt::Display) -> String {
    e.to_string()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen)]
impl Floor {
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen(constructor))]
    pub fn new() -> Floor {
        Floor::default()
    }

    pub fn load(bytes: &[u8]) -> Result<Floor, String> {
        Ok(Floor {
            doc: Automerge::load(bytes).map_err(text_of)?,
            state: State::new(),
        })
    }

    pub fn save(&self) -> Vec<u8> {
        self.doc.save()
    }

    /// Splices text field `key` (created if missing) and keeps a cursor.
    pub fn splice(&mut self, key: &str, pos: usize, del: isize, text: &str) -> Result<(), String> {
        self.doc
            .transact::<_, _, AutomergeError>(|tx| {
                let t = match tx.get(ROOT, key)? {
                    Some((_, t)) => t,
                    None => tx.put_object(ROOT, key, ObjType::Text)?,
                };
                tx.splice_text(&t, pos, del, text)?;
                let cursor = tx.get_cursor(&t, pos, None)?;
                tx.put(ROOT, "cursor", cursor.to_string())?;
                Ok(())
            })
            .map(|_| ())
            .map_err(|f| text_of(f.error))
    }

    pub fn put(&mut self, key: &str, value: f64) -> Result<(), String> {
        self.doc
            .transact::<_, _, AutomergeError>(|tx| tx.put(ROOT, key, value))
            .map(|_| ())
            .map_err(|f| text_of(f.error))
    }

    pub fn text(&self, key: &str) -> Option<String> {
        let (_, t) = self.doc.get(ROOT, key).ok()??;
        self.doc.text(&t).ok()
    }

    pub fn generate(&mut self) -> Option<Vec<u8>> {
        self.doc
            .generate_sync_message(&mut self.state)
            .map(|m| m.encode())
    }

    /// Applies a peer's sync message; returns how many patches it made.
    pub fn receive(&mut self, bytes: &[u8]) -> Result<usize, String> {
        let m = Message::decode(bytes).map_err(text_of)?;
        let before = self.doc.get_heads();
        let mut log = PatchLog::active();
        self.doc
            .receive_sync_message_log_patches(&mut self.state, m, &mut log)
            .map_err(text_of)?;
        let patches = self.doc.make_patches(&mut log);
        let diff = self.doc.diff(&before, &self.doc.get_heads());
        Ok(patches.len() + diff.len())
    }
}

#[cfg(test)]
mod tests {
    use super::Floor;

    #[test]
    fn two_floors_sync_a_text() {
        let (mut a, mut b) = (Floor::new(), Floor::new());
        a.splice("title", 0, 0, "ⵜⴰⵎⴰⵡⵜ").unwrap();
        a.put("year", 2026.0).unwrap();
        for _ in 0..6 {
            if let Some(m) = a.generate() {
                b.receive(&m).unwrap();
            }
            if let Some(m) = b.generate() {
                a.receive(&m).unwrap();
            }
        }
        assert_eq!(b.text("title").as_deref(), Some("ⵜⴰⵎⴰⵡⵜ"));
        let c = Floor::load(&b.save()).unwrap();
        assert_eq!(c.text("title"), b.text("title"));
    }
}
