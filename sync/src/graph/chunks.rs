//! Splitting a byte string of concatenated Automerge chunks (what a sync
//! message's changes and a stored increment hold) into its chunks, by their
//! headers: magic bytes, checksum, type, LEB128 length.

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// One chunk of a byte string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chunk<'a> {
    /// A change, plain or compressed: its whole bytes, header included.
    Change(&'a [u8]),
    /// A whole document (or a bundle): only a document can take it in.
    Document,
}

/// The chunks of `bytes`, or `None` if they are not a sequence of chunks.
pub fn split(mut bytes: &[u8]) -> Option<Vec<Chunk<'_>>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        if bytes.len() < 9 || bytes[..4] != MAGIC {
            return None;
        }
        let kind = bytes[8];
        let (len, used) = leb128(&bytes[9..])?;
        let end = 9usize
            .checked_add(used)?
            .checked_add(usize::try_from(len).ok()?)?;
        if end > bytes.len() {
            return None;
        }
        out.push(match kind {
            1 | 2 => Chunk::Change(&bytes[..end]),
            0 | 3 => Chunk::Document,
            _ => return None,
        });
        bytes = &bytes[end..];
    }
    Some(out)
}

/// An unsigned LEB128 number and how many bytes it took.
fn leb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f).checked_shl(7 * i as u32)?;
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ROOT};

    #[test]
    fn splits_changes_and_names_a_document() {
        let mut doc = Automerge::new();
        for i in 0..3 {
            let mut tx = doc.transaction();
            tx.put(ROOT, "n", i as i64).unwrap();
            tx.commit();
        }
        let bytes = doc.save_after(&[]);
        let chunks = split(&bytes).unwrap();
        assert_eq!(chunks.len(), 3);
        for c in &chunks {
            let Chunk::Change(b) = c else { panic!("{c:?}") };
            automerge::Change::from_bytes(b.to_vec()).unwrap();
        }
        let mut saved = doc.save();
        assert_eq!(split(&saved), Some(vec![Chunk::Document]));
        saved.pop();
        assert_eq!(split(&saved), None, "a cut chunk is not a chunk");
        assert_eq!(split(b"not a chunk at all"), None);
        assert_eq!(split(&[]), Some(vec![]));
    }
}
