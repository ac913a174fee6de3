//! What this browser keeps of a document (IndexedDB, in the shell): the
//! whole document now and then, and between those writes only the changes
//! since the last one, appended to it. Saving a whole document compresses
//! and hashes all of it (1.7 ms in the browser at 50,000 characters, at
//! every tick while people type); the changes of one tick cost what they
//! are. Automerge loads a whole document followed by change chunks as one
//! document.

use automerge::{Automerge, ChangeHash};
use codraft_protocol::DocumentId;

use super::Client;

/// Appends between two whole writes, at most.
const APPENDS: usize = 256;
/// Appended bytes between two whole writes, at most: the size of the last
/// whole one, or this if it was smaller.
const APPENDED_FLOOR: usize = 16 * 1024;

/// One write to the browser's storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// The document, in place of what is kept.
    Whole(Vec<u8>),
    /// Changes, after what is kept.
    Append(Vec<u8>),
}

/// What was last written of one document.
#[derive(Debug, Default)]
pub(crate) struct Kept {
    /// Heads of what is kept; `None`: nothing written by this tab yet (or
    /// the document was replaced), the next write is whole.
    heads: Option<Vec<ChangeHash>>,
    whole: usize,
    appended: usize,
    appends: usize,
}

impl Kept {
    /// What to write for `doc` now; `None` when what is kept is current.
    pub(crate) fn next(&mut self, doc: &Automerge) -> Option<Write> {
        let now = doc.get_heads();
        let heads = match &self.heads {
            Some(h) if *h == now => return None,
            Some(h) if self.appends < APPENDS && self.appended < self.whole.max(APPENDED_FLOOR) => {
                h
            }
            _ => {
                let bytes = doc.save();
                *self = Kept {
                    heads: Some(now),
                    whole: bytes.len(),
                    appended: 0,
                    appends: 0,
                };
                return Some(Write::Whole(bytes));
            }
        };
        let bytes = doc.save_after(heads);
        self.heads = Some(now);
        self.appended += bytes.len();
        self.appends += 1;
        Some(Write::Append(bytes))
    }

    /// The document was replaced: the next write is whole.
    pub(crate) fn forget(&mut self) {
        self.heads = None;
    }
}

impl Client {
    /// What to write to this browser's storage for `id` now (`None`: not
    /// open, or nothing new).
    pub fn to_keep(&mut self, id: DocumentId) -> Option<Write> {
        let doc = self.docs.get_mut(&id)?;
        doc.kept.next(doc.session.doc())
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{AutomergeError, ObjType, ROOT, ReadDoc};

    use super::*;

    fn typed(doc: &mut Automerge, s: &str) {
        doc.transact::<_, _, AutomergeError>(|tx| {
            let t = match tx.get(ROOT, "t")? {
                Some((_, t)) => t,
                None => tx.put_object(ROOT, "t", ObjType::Text)?,
            };
            let len = tx.length(&t);
            tx.splice_text(&t, len, 0, s)?;
            Ok(())
        })
        .unwrap();
    }

    fn text(doc: &Automerge) -> String {
        let (_, t) = doc.get(ROOT, "t").unwrap().unwrap();
        doc.text(&t).unwrap()
    }

    /// The storage: a whole write replaces, an append concatenates.
    fn write(stored: &mut Vec<u8>, w: Write) -> &'static str {
        match w {
            Write::Whole(b) => {
                *stored = b;
                "whole"
            }
            Write::Append(b) => {
                stored.extend(b);
                "append"
            }
        }
    }

    #[test]
    fn what_is_kept_loads_as_the_document_whole_or_appended() {
        let mut doc = Automerge::new();
        let mut kept = Kept::default();
        let mut stored = Vec::new();
        assert_eq!(
            kept.next(&doc).map(|w| write(&mut stored, w)),
            Some("whole")
        );
        let mut kinds = Vec::new();
        for i in 0..300 {
            typed(&mut doc, &format!("{i} "));
            kinds.push(write(&mut stored, kept.next(&doc).unwrap()));
            assert!(kept.next(&doc).is_none(), "nothing new: no write");
            let loaded = Automerge::load(&stored).unwrap();
            assert_eq!(loaded.get_heads(), doc.get_heads(), "after {i}");
            assert_eq!(text(&loaded), text(&doc));
        }
        // Appends, and now and then a whole write (here when the appended
        // bytes reach the floor: ~100 bytes a change), never more than
        // `APPENDS` appends in a row.
        assert_eq!(kinds[0], "append");
        let wholes = kinds.iter().filter(|k| **k == "whole").count();
        assert!(wholes >= 1, "{kinds:?}");
        assert!(kinds.len() - wholes > 10 * wholes, "mostly appends");
        let longest = kinds.split(|k| *k == "whole").map(<[_]>::len).max();
        assert!(longest.unwrap() <= APPENDS);
    }

    #[test]
    fn a_replaced_document_is_written_whole() {
        let mut doc = Automerge::new();
        typed(&mut doc, "a");
        let mut kept = Kept::default();
        assert!(matches!(kept.next(&doc), Some(Write::Whole(_))));
        typed(&mut doc, "b");
        assert!(matches!(kept.next(&doc), Some(Write::Append(_))));
        // Back to what the server has: not a descendant of what is kept.
        let mut back = Automerge::new();
        typed(&mut back, "server");
        kept.forget();
        let mut stored = Vec::new();
        assert_eq!(write(&mut stored, kept.next(&back).unwrap()), "whole");
        assert_eq!(text(&Automerge::load(&stored).unwrap()), "server");
    }

    #[test]
    fn appends_stop_at_the_size_of_the_whole_document() {
        let mut doc = Automerge::new();
        let mut kept = Kept::default();
        kept.next(&doc);
        let big = "x".repeat(APPENDED_FLOOR + 1);
        typed(&mut doc, &big);
        // Larger than the floor and the (empty) whole: appended once...
        assert!(matches!(kept.next(&doc), Some(Write::Append(_))));
        typed(&mut doc, "y");
        // ...and the next write is whole.
        assert!(matches!(kept.next(&doc), Some(Write::Whole(_))));
    }

    #[test]
    fn appends_stop_after_their_number_however_small() {
        let mut doc = Automerge::new();
        // A whole document too large for the appended bytes to bound them
        // (text that does not compress away).
        let mut x = 1u32;
        let varied: String = (0..200_000)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                char::from_u32(0x2D30 + (x >> 26)).unwrap()
            })
            .collect();
        typed(&mut doc, &varied);
        let mut kept = Kept::default();
        match kept.next(&doc) {
            Some(Write::Whole(b)) => assert!(b.len() > 2 * APPENDS * 200, "{}", b.len()),
            w => panic!("{w:?}"),
        }
        for i in 0..APPENDS {
            typed(&mut doc, "y");
            assert!(
                matches!(kept.next(&doc), Some(Write::Append(_))),
                "append {i}"
            );
        }
        typed(&mut doc, "y");
        assert!(matches!(kept.next(&doc), Some(Write::Whole(_))));
    }
}
