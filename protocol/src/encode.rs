//! [`Message`] → CBOR bytes, in the shape the JS decoder accepts: one map with
//! text keys, byte strings without tags, absent optional fields left out.

use std::convert::Infallible;

use minicbor::Encoder;
use minicbor::encode::Error;

use crate::message::{DocMessage, EphemeralMessage, Message, PeerMetadata};

type E = Encoder<Vec<u8>>;
type R = Result<(), Error<Infallible>>;

/// Encodes one frame.
pub fn encode(message: &Message) -> Vec<u8> {
    let mut e = Encoder::new(Vec::with_capacity(64 + data_len(message)));
    write(&mut e, message).expect("encoding into a Vec cannot fail");
    e.into_writer()
}

fn data_len(message: &Message) -> usize {
    match message {
        Message::Sync(m) | Message::Request(m) => m.data.len(),
        Message::Ephemeral(m) => m.data.len(),
        _ => 0,
    }
}

fn write(e: &mut E, message: &Message) -> R {
    match message {
        Message::Join {
            sender_id,
            peer_metadata,
            supported_protocol_versions,
        } => {
            let n =
                2 + peer_metadata.is_some() as u64 + supported_protocol_versions.is_some() as u64;
            e.map(n)?.str("type")?.str("join")?;
            e.str("senderId")?.str(sender_id.as_str())?;
            if let Some(m) = peer_metadata {
                e.str("peerMetadata")?;
                write_metadata(e, m)?;
            }
            if let Some(v) = supported_protocol_versions {
                e.str("supportedProtocolVersions")?.array(v.len() as u64)?;
                for s in v {
                    e.str(s)?;
                }
            }
        }
        Message::Peer {
            sender_id,
            target_id,
            peer_metadata,
            selected_protocol_version,
        } => {
            e.map(4 + peer_metadata.is_some() as u64)?;
            e.str("type")?.str("peer")?;
            e.str("senderId")?.str(sender_id.as_str())?;
            e.str("targetId")?.str(target_id.as_str())?;
            if let Some(m) = peer_metadata {
                e.str("peerMetadata")?;
                write_metadata(e, m)?;
            }
            e.str("selectedProtocolVersion")?
                .str(selected_protocol_version)?;
        }
        Message::Error {
            sender_id,
            target_id,
            message,
        } => {
            e.map(3 + target_id.is_some() as u64)?;
            e.str("type")?.str("error")?;
            e.str("senderId")?.str(sender_id.as_str())?;
            if let Some(t) = target_id {
                e.str("targetId")?.str(t.as_str())?;
            }
            e.str("message")?.str(message)?;
        }
        Message::Leave { sender_id } => {
            e.map(2)?.str("type")?.str("leave")?;
            e.str("senderId")?.str(sender_id.as_str())?;
        }
        Message::Request(m) => write_doc_message(e, "request", m)?,
        Message::Sync(m) => write_doc_message(e, "sync", m)?,
        Message::DocUnavailable {
            sender_id,
            target_id,
            document_id,
        } => {
            e.map(4)?.str("type")?.str("doc-unavailable")?;
            e.str("senderId")?.str(sender_id.as_str())?;
            e.str("targetId")?.str(target_id.as_str())?;
            e.str("documentId")?.str(&document_id.to_string())?;
        }
        Message::Ephemeral(m) => write_ephemeral(e, m)?,
        Message::RemoteSubscriptionChange {
            sender_id,
            target_id,
            add,
            remove,
        } => {
            e.map(3 + add.is_some() as u64 + remove.is_some() as u64)?;
            e.str("type")?.str("remote-subscription-change")?;
            e.str("senderId")?.str(sender_id.as_str())?;
            e.str("targetId")?.str(target_id.as_str())?;
            for (key, list) in [("add", add), ("remove", remove)] {
                if let Some(list) = list {
                    e.str(key)?.array(list.len() as u64)?;
                    for s in list {
                        e.str(s.as_str())?;
                    }
                }
            }
        }
        Message::RemoteHeadsChanged {
            sender_id,
            target_id,
            document_id,
            new_heads,
        } => {
            e.map(5)?.str("type")?.str("remote-heads-changed")?;
            e.str("senderId")?.str(sender_id.as_str())?;
            e.str("targetId")?.str(target_id.as_str())?;
            e.str("documentId")?.str(&document_id.to_string())?;
            e.str("newHeads")?.map(new_heads.len() as u64)?;
            for (storage_id, h) in new_heads {
                e.str(storage_id.as_str())?.map(2)?;
                e.str("heads")?.array(h.heads.len() as u64)?;
                for head in &h.heads {
                    e.str(head)?;
                }
                e.str("timestamp")?.f64(h.timestamp)?;
            }
        }
        Message::Unknown {
            message_type,
            sender_id,
        } => {
            e.map(1 + sender_id.is_some() as u64)?;
            e.str("type")?.str(message_type)?;
            if let Some(s) = sender_id {
                e.str("senderId")?.str(s.as_str())?;
            }
        }
    }
    Ok(())
}

fn write_metadata(e: &mut E, m: &PeerMetadata) -> R {
    e.map(1 + m.storage_id.is_some() as u64)?;
    if let Some(s) = &m.storage_id {
        e.str("storageId")?.str(s.as_str())?;
    }
    e.str("isEphemeral")?.bool(m.is_ephemeral)?;
    Ok(())
}

fn write_doc_message(e: &mut E, t: &str, m: &DocMessage) -> R {
    e.map(5)?.str("type")?.str(t)?;
    e.str("senderId")?.str(m.sender_id.as_str())?;
    e.str("targetId")?.str(m.target_id.as_str())?;
    e.str("documentId")?.str(&m.document_id.to_string())?;
    e.str("data")?.bytes(&m.data)?;
    Ok(())
}

fn write_ephemeral(e: &mut E, m: &EphemeralMessage) -> R {
    e.map(7)?.str("type")?.str("ephemeral")?;
    e.str("senderId")?.str(m.sender_id.as_str())?;
    e.str("targetId")?.str(m.target_id.as_str())?;
    e.str("documentId")?.str(&m.document_id.to_string())?;
    e.str("sessionId")?.str(m.session_id.as_str())?;
    e.str("count")?.u64(m.count)?;
    e.str("data")?.bytes(&m.data)?;
    Ok(())
}
