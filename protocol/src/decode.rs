//! CBOR bytes → [`Message`].
//!
//! Written against the low-level [`minicbor::Decoder`] rather than a derive so
//! that it accepts every shape the JS encoder (cbor-x with
//! `tagUint8Array: false, useRecords: false`) emits: map headers in any length
//! form, numbers as integers or floats, `undefined` and `null` for absent
//! optional fields, byte strings with or without a typed-array tag, and keys it
//! does not know (skipped).

use minicbor::Decoder;
use minicbor::data::Type;

use crate::error::ProtocolError;
use crate::ids::{DocumentId, PeerId, SessionId, StorageId};
use crate::message::{DocMessage, EphemeralMessage, Message, PeerMetadata, RemoteHeads};

/// Decodes one frame. The whole input must be one CBOR map.
pub fn decode(bytes: &[u8]) -> Result<Message, ProtocolError> {
    let mut d = Decoder::new(bytes);
    let mut f = Fields::default();
    for_each_entry(&mut d, "message", |d, key| f.read(d, key))?;
    if d.position() != bytes.len() {
        return Err(ProtocolError::TrailingBytes(bytes.len() - d.position()));
    }
    f.build()
}

/// Every field any message type can carry; `build` picks what the type needs.
#[derive(Default)]
struct Fields {
    message_type: Option<String>,
    sender_id: Option<PeerId>,
    target_id: Option<PeerId>,
    peer_metadata: Option<PeerMetadata>,
    supported_protocol_versions: Option<Vec<String>>,
    selected_protocol_version: Option<String>,
    message: Option<String>,
    document_id: Option<DocumentId>,
    data: Option<Vec<u8>>,
    session_id: Option<SessionId>,
    count: Option<u64>,
    add: Option<Vec<StorageId>>,
    remove: Option<Vec<StorageId>>,
    new_heads: Option<Vec<(StorageId, RemoteHeads)>>,
}

impl Fields {
    fn read(&mut self, d: &mut Decoder<'_>, key: &str) -> Result<(), ProtocolError> {
        if is_absent(d)? {
            return Ok(());
        }
        match key {
            "type" => self.message_type = Some(text(d, key)?),
            "senderId" => self.sender_id = Some(PeerId::new(text(d, key)?)),
            "targetId" => self.target_id = Some(PeerId::new(text(d, key)?)),
            "peerMetadata" | "metadata" => self.peer_metadata = Some(peer_metadata(d)?),
            "supportedProtocolVersions" => {
                self.supported_protocol_versions = Some(text_array(d, key)?)
            }
            "selectedProtocolVersion" => self.selected_protocol_version = Some(text(d, key)?),
            "message" => self.message = Some(text(d, key)?),
            "documentId" => self.document_id = Some(text(d, key)?.parse()?),
            "data" => self.data = Some(byte_string(d, key)?),
            "sessionId" => self.session_id = Some(SessionId::new(text(d, key)?)),
            "count" => self.count = Some(unsigned(d, key)?),
            "add" => self.add = Some(storage_ids(d, key)?),
            "remove" => self.remove = Some(storage_ids(d, key)?),
            "newHeads" => self.new_heads = Some(new_heads(d)?),
            _ => d.skip()?,
        }
        Ok(())
    }

    fn build(self) -> Result<Message, ProtocolError> {
        let message_type = self.message_type.ok_or(ProtocolError::MissingType)?;
        let t: &'static str = match message_type.as_str() {
            "join" => "join",
            "peer" => "peer",
            "error" => "error",
            "leave" => "leave",
            "request" => "request",
            "sync" => "sync",
            "doc-unavailable" => "doc-unavailable",
            "ephemeral" => "ephemeral",
            "remote-subscription-change" => "remote-subscription-change",
            "remote-heads-changed" => "remote-heads-changed",
            _ => {
                return Ok(Message::Unknown {
                    message_type,
                    sender_id: self.sender_id,
                });
            }
        };
        let need = |field: &'static str| ProtocolError::MissingField {
            message_type: t,
            field,
        };
        let sender_id = self.sender_id.ok_or_else(|| need("senderId"))?;
        let msg = match t {
            "join" => Message::Join {
                sender_id,
                peer_metadata: self.peer_metadata,
                supported_protocol_versions: self.supported_protocol_versions,
            },
            "peer" => Message::Peer {
                sender_id,
                target_id: self.target_id.ok_or_else(|| need("targetId"))?,
                peer_metadata: self.peer_metadata,
                selected_protocol_version: self
                    .selected_protocol_version
                    .ok_or_else(|| need("selectedProtocolVersion"))?,
            },
            "error" => Message::Error {
                sender_id,
                target_id: self.target_id,
                message: self.message.unwrap_or_default(),
            },
            "leave" => Message::Leave { sender_id },
            "request" | "sync" => {
                let m = DocMessage {
                    sender_id,
                    target_id: self.target_id.ok_or_else(|| need("targetId"))?,
                    document_id: self.document_id.ok_or_else(|| need("documentId"))?,
                    data: self.data.ok_or_else(|| need("data"))?,
                };
                if t == "sync" {
                    Message::Sync(m)
                } else {
                    Message::Request(m)
                }
            }
            "doc-unavailable" => Message::DocUnavailable {
                sender_id,
                target_id: self.target_id.ok_or_else(|| need("targetId"))?,
                document_id: self.document_id.ok_or_else(|| need("documentId"))?,
            },
            "ephemeral" => Message::Ephemeral(EphemeralMessage {
                sender_id,
                target_id: self.target_id.ok_or_else(|| need("targetId"))?,
                document_id: self.document_id.ok_or_else(|| need("documentId"))?,
                session_id: self.session_id.ok_or_else(|| need("sessionId"))?,
                count: self.count.ok_or_else(|| need("count"))?,
                data: self.data.ok_or_else(|| need("data"))?,
            }),
            "remote-subscription-change" => Message::RemoteSubscriptionChange {
                sender_id,
                target_id: self.target_id.ok_or_else(|| need("targetId"))?,
                add: self.add,
                remove: self.remove,
            },
            _ => Message::RemoteHeadsChanged {
                sender_id,
                target_id: self.target_id.ok_or_else(|| need("targetId"))?,
                document_id: self.document_id.ok_or_else(|| need("documentId"))?,
                new_heads: self.new_heads.ok_or_else(|| need("newHeads"))?,
            },
        };
        Ok(msg)
    }
}

/// Calls `f` for every entry of a map with a text key, skipping the others.
/// Accepts definite maps in any header form and indefinite maps.
fn for_each_entry<'b>(
    d: &mut Decoder<'b>,
    what: &str,
    mut f: impl FnMut(&mut Decoder<'b>, &str) -> Result<(), ProtocolError>,
) -> Result<(), ProtocolError> {
    let len = match d.datatype()? {
        Type::Map | Type::MapIndef => d.map()?,
        other => {
            return Err(if what == "message" {
                ProtocolError::NotAMap(other.to_string())
            } else {
                ProtocolError::WrongType {
                    field: what.to_owned(),
                    expected: "a map",
                }
            });
        }
    };
    let mut left = len;
    loop {
        match &mut left {
            Some(0) => break,
            Some(n) => *n -= 1,
            None => {
                if d.datatype()? == Type::Break {
                    // The break byte (0xff) ends an indefinite map.
                    d.set_position(d.position() + 1);
                    break;
                }
            }
        }
        if d.datatype()? == Type::String {
            let key = d.str()?;
            f(d, key)?;
        } else {
            d.skip()?;
            d.skip()?;
        }
    }
    Ok(())
}

/// `undefined` and `null` stand for an absent optional field; consumes them.
fn is_absent(d: &mut Decoder<'_>) -> Result<bool, ProtocolError> {
    match d.datatype()? {
        Type::Undefined | Type::Null => {
            d.skip()?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

fn wrong(field: &str, expected: &'static str) -> ProtocolError {
    ProtocolError::WrongType {
        field: field.to_owned(),
        expected,
    }
}

fn text(d: &mut Decoder<'_>, field: &str) -> Result<String, ProtocolError> {
    match d.datatype()? {
        Type::String => Ok(d.str()?.to_owned()),
        _ => Err(wrong(field, "a text string")),
    }
}

fn byte_string(d: &mut Decoder<'_>, field: &str) -> Result<Vec<u8>, ProtocolError> {
    if d.datatype()? == Type::Tag {
        // A typed-array tag (e.g. 64, Uint8Array) around the bytes: look through it.
        d.tag()?;
    }
    match d.datatype()? {
        Type::Bytes => Ok(d.bytes()?.to_vec()),
        _ => Err(wrong(field, "a byte string")),
    }
}

fn unsigned(d: &mut Decoder<'_>, field: &str) -> Result<u64, ProtocolError> {
    match d.datatype()? {
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Ok(d.u64()?),
        Type::F16 | Type::F32 | Type::F64 => {
            let x = d.f64()?;
            if x >= 0.0 && x.fract() == 0.0 && x <= 2f64.powi(53) {
                Ok(x as u64)
            } else {
                Err(wrong(field, "a non-negative whole number"))
            }
        }
        _ => Err(wrong(field, "a non-negative whole number")),
    }
}

fn number(d: &mut Decoder<'_>, field: &str) -> Result<f64, ProtocolError> {
    match d.datatype()? {
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Ok(d.u64()? as f64),
        Type::I8 | Type::I16 | Type::I32 | Type::I64 => Ok(d.i64()? as f64),
        Type::F16 | Type::F32 | Type::F64 => Ok(d.f64()?),
        _ => Err(wrong(field, "a number")),
    }
}

fn array_len(d: &mut Decoder<'_>, field: &str) -> Result<u64, ProtocolError> {
    match d.datatype()? {
        Type::Array => Ok(d.array()?.unwrap_or(0)),
        _ => Err(wrong(field, "a definite-length array")),
    }
}

fn text_array(d: &mut Decoder<'_>, field: &str) -> Result<Vec<String>, ProtocolError> {
    let n = array_len(d, field)?;
    (0..n).map(|_| text(d, field)).collect()
}

fn storage_ids(d: &mut Decoder<'_>, field: &str) -> Result<Vec<StorageId>, ProtocolError> {
    Ok(text_array(d, field)?
        .into_iter()
        .map(StorageId::new)
        .collect())
}

fn peer_metadata(d: &mut Decoder<'_>) -> Result<PeerMetadata, ProtocolError> {
    let mut m = PeerMetadata::default();
    for_each_entry(d, "peerMetadata", |d, key| {
        if is_absent(d)? {
            return Ok(());
        }
        match key {
            "storageId" => m.storage_id = Some(StorageId::new(text(d, key)?)),
            "isEphemeral" => match d.datatype()? {
                Type::Bool => m.is_ephemeral = d.bool()?,
                _ => return Err(wrong(key, "a boolean")),
            },
            _ => d.skip()?,
        }
        Ok(())
    })?;
    Ok(m)
}

fn new_heads(d: &mut Decoder<'_>) -> Result<Vec<(StorageId, RemoteHeads)>, ProtocolError> {
    let mut out = Vec::new();
    for_each_entry(d, "newHeads", |d, storage_id| {
        let storage_id = StorageId::new(storage_id);
        let mut heads = Vec::new();
        let mut timestamp = 0.0;
        for_each_entry(d, "newHeads entry", |d, key| {
            match key {
                "heads" => heads = text_array(d, key)?,
                "timestamp" => timestamp = number(d, key)?,
                _ => d.skip()?,
            }
            Ok(())
        })?;
        out.push((storage_id, RemoteHeads { heads, timestamp }));
        Ok(())
    })?;
    Ok(out)
}
