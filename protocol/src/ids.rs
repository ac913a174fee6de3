//! Identifiers on the wire.

use std::cell::RefCell;
use std::fmt;
use std::str::FromStr;

use crate::ProtocolError;

/// A document's id: 16 random bytes (a UUIDv4), written as bs58check text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; 16]);

impl DocumentId {
    /// A fresh random id, as `Repo.create()` makes one.
    pub fn random() -> Self {
        DocumentId(*uuid::Uuid::new_v4().as_bytes())
    }

    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        DocumentId(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// `automerge:<id>`, the form users share.
    pub fn to_url(&self) -> String {
        format!("automerge:{self}")
    }

    /// Parses `automerge:<id>` (a `#heads` suffix is ignored) or a bare id.
    pub fn from_url(url: &str) -> Result<Self, ProtocolError> {
        let rest = url.strip_prefix("automerge:").unwrap_or(url);
        let id = rest.split('#').next().unwrap_or(rest);
        id.parse()
    }

    /// The bs58check text as an id (uncached: see `FromStr`).
    fn parse_text(s: &str) -> Result<Self, ProtocolError> {
        let bytes = bs58::decode(s)
            .with_check(None)
            .into_vec()
            .map_err(|_| ProtocolError::InvalidDocumentId(s.to_owned()))?;
        let arr: [u8; 16] = bytes
            .try_into()
            .map_err(|_| ProtocolError::InvalidDocumentId(s.to_owned()))?;
        Ok(DocumentId(arr))
    }
}

thread_local! {
    /// The id last written as text on this thread, and that text: a
    /// change fanned out to fifty peers writes the same id fifty times,
    /// and bs58check costs two SHA-256 rounds and a base conversion.
    static LAST_WRITTEN: RefCell<Option<(DocumentId, String)>> = const { RefCell::new(None) };
    /// The text last read as an id on this thread, and the id: fifty
    /// acknowledgements of a change name the same document.
    static LAST_READ: RefCell<Option<(String, DocumentId)>> = const { RefCell::new(None) };
}

impl FromStr for DocumentId {
    type Err = ProtocolError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let known = LAST_READ.with_borrow(|last| match last {
            Some((text, id)) if text == s => Some(*id),
            _ => None,
        });
        if let Some(id) = known {
            return Ok(id);
        }
        let id = Self::parse_text(s)?;
        LAST_READ.set(Some((s.to_owned(), id)));
        Ok(id)
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        LAST_WRITTEN.with_borrow_mut(|last| {
            match last {
                Some((id, text)) if id == self => {}
                _ => *last = Some((*self, bs58::encode(self.0).with_check().into_string())),
            }
            f.write_str(&last.as_ref().expect("just set").1)
        })
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn new(s: impl Into<String>) -> Self {
                $name(s.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }
    };
}

string_id!(
    /// A peer's id: any string the peer chooses. Nothing authenticates it;
    /// identity comes from the connection.
    PeerId
);
string_id!(
    /// A peer's storage id (a UUID string), sent in `peerMetadata`.
    StorageId
);
string_id!(
    /// A random string per process, scoping `ephemeral` message counts.
    SessionId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_written_again_come_out_the_same() {
        // The last id read and written are kept per thread: alternating
        // ids, and a bad checksum after a good id, still come out right.
        let (a, b) = (DocumentId::random(), DocumentId::random());
        for _ in 0..2 {
            for id in [a, b, a, a, b] {
                let text = id.to_string();
                assert_eq!(text, bs58::encode(id.0).with_check().into_string());
                assert_eq!(text.parse::<DocumentId>().unwrap(), id);
                assert_eq!(text.parse::<DocumentId>().unwrap(), id);
            }
        }
        let good = "2ta1dQRziasGpTgzhDrBv9DTWno4";
        assert!(good.parse::<DocumentId>().is_ok());
        assert!(
            "2ta1dQRziasGpTgzhDrBv9DTWno5"
                .parse::<DocumentId>()
                .is_err()
        );
        assert!(good.parse::<DocumentId>().is_ok());
    }

    #[test]
    fn known_id_round_trips() {
        let id: DocumentId = "2ta1dQRziasGpTgzhDrBv9DTWno4".parse().unwrap();
        assert_eq!(id.to_string(), "2ta1dQRziasGpTgzhDrBv9DTWno4");
        assert_eq!(
            DocumentId::from_url("automerge:2ta1dQRziasGpTgzhDrBv9DTWno4").unwrap(),
            id
        );
    }

    #[test]
    fn bad_checksum_is_refused() {
        // last character changed: the checksum no longer matches
        let err = "2ta1dQRziasGpTgzhDrBv9DTWno5".parse::<DocumentId>();
        assert!(matches!(err, Err(ProtocolError::InvalidDocumentId(_))));
        assert!("hello".parse::<DocumentId>().is_err());
    }

    #[test]
    fn random_ids_differ_and_round_trip() {
        let a = DocumentId::random();
        let b = DocumentId::random();
        assert_ne!(a, b);
        assert_eq!(DocumentId::from_url(&a.to_url()).unwrap(), a);
    }
}
