//! The messages of protocol "1", one variant per `type`.

use crate::ids::{DocumentId, PeerId, SessionId, StorageId};

/// `peerMetadata` of `join` and `peer`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PeerMetadata {
    pub storage_id: Option<StorageId>,
    pub is_ephemeral: bool,
}

/// The body shared by `sync` and `request`: an Automerge sync message for one
/// document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocMessage {
    pub sender_id: PeerId,
    pub target_id: PeerId,
    pub document_id: DocumentId,
    /// An Automerge sync message (first byte 0x42 = V1, 0x43 = V2).
    pub data: Vec<u8>,
}

/// An `ephemeral` message: relayed to every other peer of the document, never
/// stored.
#[derive(Debug, Clone, PartialEq)]
pub struct EphemeralMessage {
    /// The original sender, kept as the message is relayed.
    pub sender_id: PeerId,
    /// Rewritten at every hop.
    pub target_id: PeerId,
    pub document_id: DocumentId,
    pub session_id: SessionId,
    pub count: u64,
    /// A CBOR-encoded payload (for presence: `{"__presence": ...}`).
    pub data: Vec<u8>,
}

/// The heads a storage id reported, in `remote-heads-changed`.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteHeads {
    pub heads: Vec<String>,
    pub timestamp: f64,
}

/// One frame of protocol "1".
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Join {
        sender_id: PeerId,
        peer_metadata: Option<PeerMetadata>,
        /// `None` when the key is absent, which means `["1"]`.
        supported_protocol_versions: Option<Vec<String>>,
    },
    Peer {
        sender_id: PeerId,
        target_id: PeerId,
        peer_metadata: Option<PeerMetadata>,
        selected_protocol_version: String,
    },
    Error {
        sender_id: PeerId,
        target_id: Option<PeerId>,
        message: String,
    },
    Leave {
        sender_id: PeerId,
    },
    Request(DocMessage),
    Sync(DocMessage),
    DocUnavailable {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
    },
    Ephemeral(EphemeralMessage),
    RemoteSubscriptionChange {
        sender_id: PeerId,
        target_id: PeerId,
        add: Option<Vec<StorageId>>,
        remove: Option<Vec<StorageId>>,
    },
    RemoteHeadsChanged {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        new_heads: Vec<(StorageId, RemoteHeads)>,
    },
    /// A `type` this implementation does not know. Decoded rather than refused
    /// so that the caller can log it and carry on.
    Unknown {
        message_type: String,
        sender_id: Option<PeerId>,
    },
}

impl Message {
    /// The wire `type` string.
    pub fn type_name(&self) -> &str {
        match self {
            Message::Join { .. } => "join",
            Message::Peer { .. } => "peer",
            Message::Error { .. } => "error",
            Message::Leave { .. } => "leave",
            Message::Request(_) => "request",
            Message::Sync(_) => "sync",
            Message::DocUnavailable { .. } => "doc-unavailable",
            Message::Ephemeral(_) => "ephemeral",
            Message::RemoteSubscriptionChange { .. } => "remote-subscription-change",
            Message::RemoteHeadsChanged { .. } => "remote-heads-changed",
            Message::Unknown { message_type, .. } => message_type,
        }
    }

    /// The document a message is about, if any.
    pub fn document_id(&self) -> Option<DocumentId> {
        match self {
            Message::Request(m) | Message::Sync(m) => Some(m.document_id),
            Message::DocUnavailable { document_id, .. }
            | Message::RemoteHeadsChanged { document_id, .. } => Some(*document_id),
            Message::Ephemeral(m) => Some(m.document_id),
            _ => None,
        }
    }

    /// The `targetId`, if the message has one (`join` and `leave` do not;
    /// an `error` may not).
    pub fn target_id(&self) -> Option<&PeerId> {
        match self {
            Message::Request(m) | Message::Sync(m) => Some(&m.target_id),
            Message::Ephemeral(m) => Some(&m.target_id),
            Message::Peer { target_id, .. }
            | Message::DocUnavailable { target_id, .. }
            | Message::RemoteSubscriptionChange { target_id, .. }
            | Message::RemoteHeadsChanged { target_id, .. } => Some(target_id),
            Message::Error { target_id, .. } => target_id.as_ref(),
            Message::Join { .. } | Message::Leave { .. } | Message::Unknown { .. } => None,
        }
    }

    /// The `senderId`, if the message has one.
    pub fn sender_id(&self) -> Option<&PeerId> {
        match self {
            Message::Join { sender_id, .. }
            | Message::Peer { sender_id, .. }
            | Message::Error { sender_id, .. }
            | Message::Leave { sender_id }
            | Message::DocUnavailable { sender_id, .. }
            | Message::RemoteSubscriptionChange { sender_id, .. }
            | Message::RemoteHeadsChanged { sender_id, .. } => Some(sender_id),
            Message::Request(m) | Message::Sync(m) => Some(&m.sender_id),
            Message::Ephemeral(m) => Some(&m.sender_id),
            Message::Unknown { sender_id, .. } => sender_id.as_ref(),
        }
    }
}
