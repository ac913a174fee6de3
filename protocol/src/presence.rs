//! automerge-repo 2.5 `Presence`, carried in `ephemeral` payloads.
//!
//! The payload is a CBOR map `{"__presence": M}` where M is one of
//! `{type: "update", channel, value}`, `{type: "snapshot", state}`,
//! `{type: "heartbeat"}` or `{type: "goodbye"}`. Values are arbitrary CBOR
//! (JSON-like in practice), kept as [`Value`].

use minicbor::data::Type;
use minicbor::{Decoder, Encoder};

use crate::ProtocolError;

/// The key that marks a presence payload.
pub const MARKER: &str = "__presence";

/// The key under which the server stamps a presence payload with the
/// verified user (id, name, sector, role). Whatever a client puts there is
/// replaced.
pub const USER_KEY: &str = "__user";

/// A JSON-like CBOR value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Bytes(Vec<u8>),
    Array(Vec<Value>),
    /// Keys in the order they came; text keys only.
    Map(Vec<(String, Value)>),
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// One presence message.
#[derive(Debug, Clone, PartialEq)]
pub enum PresenceMessage {
    Update { channel: String, value: Value },
    Snapshot { state: Value },
    Heartbeat,
    Goodbye,
}

impl PresenceMessage {
    /// The `ephemeral` payload bytes.
    pub fn encode(&self) -> Vec<u8> {
        let inner = match self {
            PresenceMessage::Update { channel, value } => Value::Map(vec![
                ("type".into(), Value::Text("update".into())),
                ("channel".into(), Value::Text(channel.clone())),
                ("value".into(), value.clone()),
            ]),
            PresenceMessage::Snapshot { state } => Value::Map(vec![
                ("type".into(), Value::Text("snapshot".into())),
                ("state".into(), state.clone()),
            ]),
            PresenceMessage::Heartbeat => {
                Value::Map(vec![("type".into(), Value::Text("heartbeat".into()))])
            }
            PresenceMessage::Goodbye => {
                Value::Map(vec![("type".into(), Value::Text("goodbye".into()))])
            }
        };
        encode_value(&Value::Map(vec![(MARKER.into(), inner)]))
    }

    /// Reads an `ephemeral` payload: `Ok(None)` if it is not presence.
    pub fn decode(payload: &[u8]) -> Result<Option<Self>, ProtocolError> {
        let v = decode_value(payload)?;
        let Some(inner) = v.get(MARKER) else {
            return Ok(None);
        };
        let wrong = |what: &str| ProtocolError::WrongType {
            field: format!("{MARKER}.{what}"),
            expected: "a presence message",
        };
        let t = inner
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| wrong("type"))?;
        Ok(Some(match t {
            "update" => PresenceMessage::Update {
                channel: inner
                    .get("channel")
                    .and_then(Value::as_str)
                    .ok_or_else(|| wrong("channel"))?
                    .to_owned(),
                value: inner.get("value").cloned().unwrap_or(Value::Null),
            },
            "snapshot" => PresenceMessage::Snapshot {
                state: inner.get("state").cloned().unwrap_or(Value::Map(vec![])),
            },
            "heartbeat" => PresenceMessage::Heartbeat,
            "goodbye" => PresenceMessage::Goodbye,
            _ => return Err(wrong("type")),
        }))
    }
}

/// Encodes a value as the JS encoder would read it back.
pub fn encode_value(v: &Value) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    write(&mut e, v).expect("encoding into a Vec cannot fail");
    e.into_writer()
}

fn write(
    e: &mut Encoder<Vec<u8>>,
    v: &Value,
) -> Result<(), minicbor::encode::Error<std::convert::Infallible>> {
    match v {
        Value::Null => {
            e.null()?;
        }
        Value::Bool(b) => {
            e.bool(*b)?;
        }
        Value::Int(i) => {
            e.i64(*i)?;
        }
        Value::Float(f) => {
            e.f64(*f)?;
        }
        Value::Text(s) => {
            e.str(s)?;
        }
        Value::Bytes(b) => {
            e.bytes(b)?;
        }
        Value::Array(items) => {
            e.array(items.len() as u64)?;
            for i in items {
                write(e, i)?;
            }
        }
        Value::Map(entries) => {
            e.map(entries.len() as u64)?;
            for (k, v) in entries {
                e.str(k)?;
                write(e, v)?;
            }
        }
    }
    Ok(())
}

/// Maximum nesting accepted, so hostile payloads cannot exhaust the stack.
const MAX_DEPTH: usize = 32;

/// Decodes one CBOR value (the whole input).
pub fn decode_value(bytes: &[u8]) -> Result<Value, ProtocolError> {
    let mut d = Decoder::new(bytes);
    let v = read(&mut d, 0)?;
    if d.position() != bytes.len() {
        return Err(ProtocolError::TrailingBytes(bytes.len() - d.position()));
    }
    Ok(v)
}

fn read(d: &mut Decoder<'_>, depth: usize) -> Result<Value, ProtocolError> {
    if depth > MAX_DEPTH {
        return Err(ProtocolError::Cbor("value nested too deeply".into()));
    }
    Ok(match d.datatype()? {
        Type::Null | Type::Undefined => {
            d.skip()?;
            Value::Null
        }
        Type::Bool => Value::Bool(d.bool()?),
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => {
            let n = d.u64()?;
            i64::try_from(n)
                .map(Value::Int)
                .unwrap_or(Value::Float(n as f64))
        }
        Type::I8 | Type::I16 | Type::I32 | Type::I64 => Value::Int(d.i64()?),
        Type::F16 | Type::F32 | Type::F64 => {
            let f = d.f64()?;
            // JS numbers that are whole come back as integers.
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                Value::Int(f as i64)
            } else {
                Value::Float(f)
            }
        }
        Type::String => Value::Text(d.str()?.to_owned()),
        Type::Bytes => Value::Bytes(d.bytes()?.to_vec()),
        Type::Tag => {
            d.tag()?;
            read(d, depth + 1)?
        }
        Type::Array => {
            let n = d.array()?.unwrap_or(0);
            (0..n)
                .map(|_| read(d, depth + 1))
                .collect::<Result<_, _>>()
                .map(Value::Array)?
        }
        Type::Map => {
            let n = d.map()?.unwrap_or(0);
            let mut entries = Vec::with_capacity(n.min(64) as usize);
            for _ in 0..n {
                let k = match d.datatype()? {
                    Type::String => d.str()?.to_owned(),
                    _ => {
                        d.skip()?;
                        d.skip()?;
                        continue;
                    }
                };
                entries.push((k, read(d, depth + 1)?));
            }
            Value::Map(entries)
        }
        other => {
            return Err(ProtocolError::Cbor(format!(
                "unsupported CBOR item in a value: {other}"
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_round_trips() {
        let msgs = [
            PresenceMessage::Update {
                channel: "caret".into(),
                value: Value::Map(vec![
                    ("field".into(), Value::Text("title".into())),
                    ("at".into(), Value::Int(12)),
                ]),
            },
            PresenceMessage::Snapshot {
                state: Value::Map(vec![("name".into(), Value::Text("أمينة".into()))]),
            },
            PresenceMessage::Heartbeat,
            PresenceMessage::Goodbye,
        ];
        for m in msgs {
            assert_eq!(PresenceMessage::decode(&m.encode()).unwrap(), Some(m));
        }
    }

    #[test]
    fn non_presence_and_malformed_payloads() {
        let other = encode_value(&Value::Map(vec![("hello".into(), Value::Int(1))]));
        assert_eq!(PresenceMessage::decode(&other).unwrap(), None);
        let bad = encode_value(&Value::Map(vec![(MARKER.into(), Value::Map(vec![]))]));
        assert!(PresenceMessage::decode(&bad).is_err());
        // 40 nested arrays
        let mut deep = vec![0x81u8; 40];
        deep.push(0x00);
        assert!(decode_value(&deep).is_err());
    }
}
