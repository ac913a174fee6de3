//! Why a frame was refused.

/// A frame that is not a valid protocol "1" message.
///
/// The text of each variant is what the peer reads in the `error` message the
/// server sends before it closes the connection, so it names the problem
/// plainly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    #[error("malformed CBOR: {0}")]
    Cbor(String),
    #[error("a message must be a CBOR map, found {0}")]
    NotAMap(String),
    #[error("message has no `type` field")]
    MissingType,
    #[error("`{message_type}` message has no `{field}` field")]
    MissingField {
        message_type: &'static str,
        field: &'static str,
    },
    #[error("field `{field}` must be {expected}")]
    WrongType {
        field: String,
        expected: &'static str,
    },
    #[error("invalid document id `{0}`: expected bs58check of 16 bytes")]
    InvalidDocumentId(String),
    #[error("{0} trailing bytes after the message")]
    TrailingBytes(usize),
}

impl From<minicbor::decode::Error> for ProtocolError {
    fn from(e: minicbor::decode::Error) -> Self {
        ProtocolError::Cbor(e.to_string())
    }
}
