//! decode(encode(m)) == m for every message type (property test).

use codraft_protocol::{
    DocMessage, DocumentId, EphemeralMessage, Message, PeerId, PeerMetadata, RemoteHeads,
    SessionId, StorageId, decode, encode,
};
use proptest::prelude::*;

fn peer() -> impl Strategy<Value = PeerId> {
    "[a-zA-Z0-9ا-ي-]{1,24}".prop_map(PeerId::new)
}
fn doc_id() -> impl Strategy<Value = DocumentId> {
    any::<[u8; 16]>().prop_map(DocumentId::from_bytes)
}
fn storage() -> impl Strategy<Value = StorageId> {
    "[0-9a-f-]{36}".prop_map(StorageId::new)
}
fn metadata() -> impl Strategy<Value = PeerMetadata> {
    (proptest::option::of(storage()), any::<bool>()).prop_map(|(storage_id, is_ephemeral)| {
        PeerMetadata {
            storage_id,
            is_ephemeral,
        }
    })
}
fn doc_message() -> impl Strategy<Value = DocMessage> {
    (
        peer(),
        peer(),
        doc_id(),
        proptest::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(|(sender_id, target_id, document_id, data)| DocMessage {
            sender_id,
            target_id,
            document_id,
            data,
        })
}

fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        (
            peer(),
            proptest::option::of(metadata()),
            proptest::option::of(proptest::collection::vec("[0-9]{1,2}", 0..3))
        )
            .prop_map(|(sender_id, peer_metadata, supported_protocol_versions)| {
                Message::Join {
                    sender_id,
                    peer_metadata,
                    supported_protocol_versions,
                }
            }),
        (peer(), peer(), proptest::option::of(metadata()), "[0-9]").prop_map(
            |(sender_id, target_id, peer_metadata, v)| Message::Peer {
                sender_id,
                target_id,
                peer_metadata,
                selected_protocol_version: v
            }
        ),
        (peer(), proptest::option::of(peer()), ".{0,40}").prop_map(
            |(sender_id, target_id, message)| {
                Message::Error {
                    sender_id,
                    target_id,
                    message,
                }
            }
        ),
        peer().prop_map(|sender_id| Message::Leave { sender_id }),
        doc_message().prop_map(Message::Request),
        doc_message().prop_map(Message::Sync),
        (peer(), peer(), doc_id()).prop_map(|(sender_id, target_id, document_id)| {
            Message::DocUnavailable {
                sender_id,
                target_id,
                document_id,
            }
        }),
        (doc_message(), "[a-z0-9]{1,12}", any::<u64>()).prop_map(|(m, s, count)| {
            Message::Ephemeral(EphemeralMessage {
                sender_id: m.sender_id,
                target_id: m.target_id,
                document_id: m.document_id,
                session_id: SessionId::new(s),
                count,
                data: m.data,
            })
        }),
        (
            peer(),
            peer(),
            proptest::option::of(proptest::collection::vec(storage(), 0..3)),
            proptest::option::of(proptest::collection::vec(storage(), 0..3))
        )
            .prop_map(|(sender_id, target_id, add, remove)| {
                Message::RemoteSubscriptionChange {
                    sender_id,
                    target_id,
                    add,
                    remove,
                }
            }),
        (
            peer(),
            peer(),
            doc_id(),
            proptest::collection::btree_map(
                storage(),
                (proptest::collection::vec("[0-9a-f]{64}", 0..3), 0f64..2e12),
                0..3
            )
        )
            .prop_map(|(sender_id, target_id, document_id, heads)| {
                Message::RemoteHeadsChanged {
                    sender_id,
                    target_id,
                    document_id,
                    new_heads: heads
                        .into_iter()
                        .map(|(k, (heads, timestamp))| (k, RemoteHeads { heads, timestamp }))
                        .collect(),
                }
            }),
    ]
}

proptest! {
    #[test]
    fn decode_inverts_encode(m in message()) {
        prop_assert_eq!(decode(&encode(&m)).unwrap(), m);
    }

    #[test]
    fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn decoder_never_panics_on_damaged_frames(m in message(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = encode(&m);
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let _ = decode(&bytes);
    }
}
