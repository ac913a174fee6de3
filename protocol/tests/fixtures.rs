//! Frames encoded by the real JS encoder (see `tests/js/make-fixtures.mjs`)
//! decode to what the JS side meant, and re-encode to frames that decode the
//! same again.

use codraft_protocol::{Message, decode, encode};

fn fixture(name: &str) -> Message {
    let path = format!("{}/tests/fixtures/{name}.cbor", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let msg = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(decode(&encode(&msg)).unwrap(), msg, "{name} round trip");
    msg
}

#[test]
fn join_with_undefined_storage_id() {
    let Message::Join {
        sender_id,
        peer_metadata,
        supported_protocol_versions,
    } = fixture("join")
    else {
        panic!("not a join")
    };
    assert_eq!(sender_id.as_str(), "client-7f3a");
    let m = peer_metadata.unwrap();
    assert!(m.storage_id.is_none());
    assert!(m.is_ephemeral);
    assert_eq!(supported_protocol_versions.unwrap(), vec!["1".to_owned()]);
}

#[test]
fn join_with_storage_and_legacy_metadata_key() {
    let Message::Join { peer_metadata, .. } = fixture("join-with-storage") else {
        panic!("not a join")
    };
    assert_eq!(
        peer_metadata.unwrap().storage_id.unwrap().as_str(),
        "3760df37-a4c6-4f66-9ecd-732039a9385d"
    );
    let Message::Join {
        peer_metadata,
        supported_protocol_versions,
        ..
    } = fixture("join-legacy-metadata")
    else {
        panic!("not a join")
    };
    assert!(peer_metadata.unwrap().is_ephemeral);
    assert!(supported_protocol_versions.is_none());
}

#[test]
fn peer_error_leave() {
    assert!(
        matches!(fixture("peer"), Message::Peer { selected_protocol_version, .. } if selected_protocol_version == "1")
    );
    assert!(
        matches!(fixture("error"), Message::Error { message, .. } if message == "unsupported protocol version")
    );
    assert!(matches!(fixture("leave"), Message::Leave { .. }));
}

#[test]
fn sync_and_request_carry_an_automerge_sync_message() {
    for name in ["sync", "request"] {
        let (Message::Sync(m) | Message::Request(m)) = fixture(name) else {
            panic!("{name}: wrong type")
        };
        assert_eq!(m.document_id.to_string(), "2ta1dQRziasGpTgzhDrBv9DTWno4");
        // Automerge sync message V1 or V2
        assert!(matches!(m.data[0], 0x42 | 0x43), "{name}: {:x}", m.data[0]);
        automerge::sync::Message::decode(&m.data).expect("data is a real sync message");
    }
}

#[test]
fn ephemeral_and_doc_unavailable() {
    let Message::Ephemeral(e) = fixture("ephemeral") else {
        panic!("not ephemeral")
    };
    assert_eq!(e.count, 3);
    assert_eq!(e.session_id.as_str(), "k2j3h4g5");
    // The payload is automerge-repo Presence, as the JS encoder wrote it.
    let p = codraft_protocol::presence::PresenceMessage::decode(&e.data)
        .unwrap()
        .unwrap();
    let codraft_protocol::presence::PresenceMessage::Update { channel, value } = p else {
        panic!("not an update: {p:?}")
    };
    assert_eq!(channel, "caret");
    assert_eq!(value.get("field").and_then(|v| v.as_str()), Some("title"));
    assert_eq!(
        value.get("at"),
        Some(&codraft_protocol::presence::Value::Int(12))
    );
    assert!(matches!(
        fixture("doc-unavailable"),
        Message::DocUnavailable { .. }
    ));
}

#[test]
fn remote_heads_with_float64_timestamp() {
    let Message::RemoteHeadsChanged { new_heads, .. } = fixture("remote-heads-changed") else {
        panic!("wrong type")
    };
    let (_, heads) = &new_heads[0];
    assert_eq!(heads.heads.len(), 1);
    assert!(
        heads.timestamp > 1.7e12,
        "Date.now()-sized: {}",
        heads.timestamp
    );
    let Message::RemoteSubscriptionChange { add, remove, .. } =
        fixture("remote-subscription-change")
    else {
        panic!("wrong type")
    };
    assert_eq!(add.unwrap().len(), 1);
    assert!(remove.is_none(), "undefined is absent");
}

#[test]
fn unknown_type_is_reported_not_refused() {
    assert!(
        matches!(fixture("unknown-type"), Message::Unknown { message_type, .. } if message_type == "future-thing")
    );
}
