//! Malformed frames are refused with an error that names the problem.

use codraft_protocol::{ProtocolError, decode};

#[test]
fn not_cbor_at_all() {
    assert!(matches!(decode(b""), Err(ProtocolError::Cbor(_))));
    assert!(decode(&[0x1c]).is_err(), "reserved additional info");
    assert!(matches!(
        decode(&[0xff, 0x00]),
        Err(ProtocolError::NotAMap(_))
    ));
}

#[test]
fn not_a_map() {
    let err = decode(&[0x83, 1, 2, 3]).unwrap_err();
    assert!(matches!(err, ProtocolError::NotAMap(_)), "{err}");
    assert!(err.to_string().contains("CBOR map"));
}

#[test]
fn truncated_map() {
    // map of 2 entries with only the first key present
    let err = decode(&[0xa2, 0x64, b't', b'y', b'p', b'e']).unwrap_err();
    assert!(matches!(err, ProtocolError::Cbor(_)), "{err}");
}

#[test]
fn missing_type_and_fields() {
    // {"senderId": "a"}
    let frame = [
        0xa1, 0x68, b's', b'e', b'n', b'd', b'e', b'r', b'I', b'd', 0x61, b'a',
    ];
    assert_eq!(decode(&frame).unwrap_err(), ProtocolError::MissingType);
    // {"type": "sync", "senderId": "a"}
    let mut frame = vec![
        0xa2, 0x64, b't', b'y', b'p', b'e', 0x64, b's', b'y', b'n', b'c',
    ];
    frame.extend_from_slice(&[
        0x68, b's', b'e', b'n', b'd', b'e', b'r', b'I', b'd', 0x61, b'a',
    ]);
    let err = decode(&frame).unwrap_err();
    assert!(
        matches!(
            err,
            ProtocolError::MissingField {
                message_type: "sync",
                field: "targetId"
            }
        ),
        "{err}"
    );
}

#[test]
fn wrong_field_type() {
    // {"type": 7}
    let frame = [0xa1, 0x64, b't', b'y', b'p', b'e', 0x07];
    let err = decode(&frame).unwrap_err();
    assert!(matches!(err, ProtocolError::WrongType { .. }), "{err}");
}

#[test]
fn trailing_bytes() {
    // {"type": "leave", "senderId": "a"} followed by a stray byte
    let mut frame = vec![
        0xa2, 0x64, b't', b'y', b'p', b'e', 0x65, b'l', b'e', b'a', b'v', b'e',
    ];
    frame.extend_from_slice(&[
        0x68, b's', b'e', b'n', b'd', b'e', b'r', b'I', b'd', 0x61, b'a',
    ]);
    assert!(decode(&frame).is_ok());
    frame.push(0x00);
    assert_eq!(decode(&frame).unwrap_err(), ProtocolError::TrailingBytes(1));
}

#[test]
fn bad_document_id() {
    use codraft_protocol::{DocMessage, Message, encode};
    let good = Message::Sync(DocMessage {
        sender_id: "a".into(),
        target_id: "b".into(),
        document_id: codraft_protocol::DocumentId::random(),
        data: vec![0x42],
    });
    let mut bytes = encode(&good);
    // corrupt one character of the 28-ish character id
    let at = bytes.windows(10).position(|w| w == b"documentId").unwrap() + 12;
    bytes[at] = if bytes[at] == b'z' { b'y' } else { b'z' };
    assert!(matches!(
        decode(&bytes),
        Err(ProtocolError::InvalidDocumentId(_))
    ));
}

#[test]
fn indefinite_map_is_accepted() {
    // {_ "type": "leave", "senderId": "a"}
    let mut frame = vec![
        0xbf, 0x64, b't', b'y', b'p', b'e', 0x65, b'l', b'e', b'a', b'v', b'e',
    ];
    frame.extend_from_slice(&[
        0x68, b's', b'e', b'n', b'd', b'e', b'r', b'I', b'd', 0x61, b'a', 0xff,
    ]);
    assert!(decode(&frame).is_ok());
}
