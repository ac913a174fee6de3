//! Identifiers on the wire.

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
}

impl FromStr for DocumentId {
    type Err = ProtocolError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
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

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
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
