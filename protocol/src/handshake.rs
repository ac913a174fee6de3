//! The join handshake of protocol "1" as a sans-IO state machine, for
//! both sides.
//!
//! A connection starts with the client's `join` (its peer id, metadata and
//! the versions it speaks) and the server's `peer` answer (the server's
//! peer id and the version chosen). [`Server`] takes the first message of
//! a connection and says what to answer; [`Client`] makes the `join` and
//! checks the answer. Neither touches a socket: the server, the test
//! client and the load generator all drive them.

use crate::{Message, PROTOCOL_V1, PeerId, PeerMetadata, StorageId};

/// Why a handshake failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandshakeError {
    /// The first message was not a `join` (server) or `peer` (client).
    #[error("expected a {expected} message first, got `{got}`")]
    Unexpected { expected: &'static str, got: String },
    /// None of the client's versions is one we speak.
    #[error("unsupported protocol version")]
    UnsupportedVersion { offered: Vec<String> },
    /// The server answered a `peer` message for someone else.
    #[error("the server answered the join of peer {0}")]
    WrongTarget(PeerId),
}

/// Why a client's handshake did not complete.
#[derive(Debug, thiserror::Error)]
pub enum JoinFailed {
    /// The server answered with an `error` (e.g. `peer-id-in-use: …`).
    #[error("refused: {0}")]
    Refused(String),
    #[error(transparent)]
    Handshake(#[from] HandshakeError),
    #[error("malformed answer: {0}")]
    Malformed(#[from] crate::ProtocolError),
}

/// A joined connection, as the server sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Joined {
    /// The client's peer id, from its `join`.
    pub peer: PeerId,
    pub metadata: Option<PeerMetadata>,
    /// The `peer` message to answer with.
    pub reply: Message,
}

/// The server side: who we are on the wire.
#[derive(Debug, Clone)]
pub struct Server {
    pub peer: PeerId,
    pub storage_id: Option<StorageId>,
}

impl Server {
    pub fn new(peer: PeerId, storage_id: Option<StorageId>) -> Self {
        Server { peer, storage_id }
    }

    /// The first message of a connection: a `join` in a version we speak
    /// gives the `peer` answer; anything else is refused.
    pub fn receive(&self, first: &Message) -> Result<Joined, HandshakeError> {
        let Message::Join {
            sender_id,
            peer_metadata,
            supported_protocol_versions,
        } = first
        else {
            return Err(HandshakeError::Unexpected {
                expected: "join",
                got: first.type_name().to_owned(),
            });
        };
        // No list means ["1"].
        if let Some(offered) = supported_protocol_versions
            && !offered.iter().any(|v| v == PROTOCOL_V1)
        {
            return Err(HandshakeError::UnsupportedVersion {
                offered: offered.clone(),
            });
        }
        Ok(Joined {
            peer: sender_id.clone(),
            metadata: peer_metadata.clone(),
            reply: self.reply_to(sender_id),
        })
    }

    /// The `peer` message for this client (also the answer to a repeated
    /// `join` on a joined connection).
    pub fn reply_to(&self, peer: &PeerId) -> Message {
        Message::Peer {
            sender_id: self.peer.clone(),
            target_id: peer.clone(),
            peer_metadata: Some(PeerMetadata {
                storage_id: self.storage_id.clone(),
                is_ephemeral: false,
            }),
            selected_protocol_version: PROTOCOL_V1.to_owned(),
        }
    }
}

/// The client side.
#[derive(Debug, Clone)]
pub struct Client {
    pub peer: PeerId,
    pub metadata: PeerMetadata,
}

impl Client {
    pub fn new(peer: PeerId, metadata: PeerMetadata) -> Self {
        Client { peer, metadata }
    }

    /// The `join` to send first.
    pub fn join(&self) -> Message {
        Message::Join {
            sender_id: self.peer.clone(),
            peer_metadata: Some(self.metadata.clone()),
            supported_protocol_versions: Some(vec![PROTOCOL_V1.to_owned()]),
        }
    }

    /// The server's answer as it came off the wire (a binary frame): its
    /// peer id, or why the handshake failed.
    pub fn answer(&self, frame: &[u8]) -> Result<PeerId, JoinFailed> {
        self.receive(&crate::decode(frame)?).map_err(|e| match e {
            Ok(text) => JoinFailed::Refused(text),
            Err(e) => JoinFailed::Handshake(e),
        })
    }

    /// The server's answer: its peer id, or why the handshake failed (an
    /// `error` from the server is returned as `Err(Ok(text))`).
    pub fn receive(&self, answer: &Message) -> Result<PeerId, Result<String, HandshakeError>> {
        match answer {
            Message::Peer {
                sender_id,
                target_id,
                ..
            } if *target_id == self.peer => Ok(sender_id.clone()),
            Message::Peer { target_id, .. } => {
                Err(Err(HandshakeError::WrongTarget(target_id.clone())))
            }
            Message::Error { message, .. } => Err(Ok(message.clone())),
            other => Err(Err(HandshakeError::Unexpected {
                expected: "peer",
                got: other.type_name().to_owned(),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> Server {
        Server::new("server".into(), Some(StorageId::new("store")))
    }

    #[test]
    fn a_join_is_answered_with_peer_and_the_version() {
        let c = Client::new("alice".into(), PeerMetadata::default());
        let joined = server().receive(&c.join()).unwrap();
        assert_eq!(joined.peer.as_str(), "alice");
        let Message::Peer {
            selected_protocol_version,
            target_id,
            peer_metadata,
            ..
        } = &joined.reply
        else {
            panic!("{:?}", joined.reply)
        };
        assert_eq!(
            (selected_protocol_version.as_str(), target_id.as_str()),
            ("1", "alice")
        );
        assert_eq!(
            peer_metadata.as_ref().unwrap().storage_id,
            Some(StorageId::new("store"))
        );
        assert_eq!(c.receive(&joined.reply).unwrap().as_str(), "server");
    }

    #[test]
    fn no_version_list_means_one_and_other_versions_are_refused() {
        let join = |v: Option<Vec<String>>| Message::Join {
            sender_id: "p".into(),
            peer_metadata: None,
            supported_protocol_versions: v,
        };
        assert!(server().receive(&join(None)).is_ok());
        assert!(
            server()
                .receive(&join(Some(vec!["0".into(), "1".into()])))
                .is_ok()
        );
        let e = server().receive(&join(Some(vec!["2".into()]))).unwrap_err();
        assert_eq!(e.to_string(), "unsupported protocol version");
    }

    #[test]
    fn anything_but_join_first_is_refused() {
        let e = server()
            .receive(&Message::Leave {
                sender_id: "p".into(),
            })
            .unwrap_err();
        assert_eq!(
            e,
            HandshakeError::Unexpected {
                expected: "join",
                got: "leave".into()
            }
        );
    }

    #[test]
    fn the_client_checks_the_answer() {
        let c = Client::new("alice".into(), PeerMetadata::default());
        let for_bob = server().reply_to(&"bob".into());
        assert!(matches!(
            c.receive(&for_bob),
            Err(Err(HandshakeError::WrongTarget(_)))
        ));
        let refused = Message::Error {
            sender_id: "server".into(),
            target_id: None,
            message: "peer-id-in-use: …".into(),
        };
        assert_eq!(c.receive(&refused), Err(Ok("peer-id-in-use: …".into())));
    }
}
