//! # codraft-protocol: the automerge-repo wire protocol "1"
//!
//! Codraft speaks the same protocol as the reference automerge-repo sync
//! server so that unmodified JS clients (and `samod`) sync through it. This
//! crate is the vocabulary of that protocol and nothing else: it does no IO.
//!
//! - [`ids`]: [`DocumentId`] (bs58check of a UUID, `automerge:` URLs),
//!   [`PeerId`], [`StorageId`] and [`SessionId`].
//! - [`message`]: [`Message`], one variant per message type, plus the shapes
//!   they share ([`DocMessage`], [`EphemeralMessage`], [`PeerMetadata`]).
//! - [`decode`]: CBOR bytes → [`Message`]. Accepts everything the JS encoder
//!   (cbor-x) emits: 16-bit map headers, float64 numbers, `undefined`, unknown
//!   keys. Unknown message *types* decode to [`Message::Unknown`] so the caller
//!   can log and ignore them.
//! - [`encode`]: [`Message`] → CBOR bytes in the shape the JS decoder accepts
//!   (plain maps with text keys, byte strings without tags).
//! - [`ProtocolError`]: why a frame was refused.
//! - [`handshake`]: the `join`/`peer` handshake as a sans-IO state machine
//!   ([`handshake::Server`], [`handshake::Client`]).
//! - [`time`]: [`Millis`], time as the peers count it (the shells read the
//!   clock; nothing here does).
//! - [`presence`]: the automerge-repo 2.5 `Presence` convention carried in
//!   `ephemeral` payloads, with a JSON-like CBOR [`presence::Value`].

pub mod decode;
pub mod encode;
pub mod error;
pub mod handshake;
pub mod ids;
pub mod message;
pub mod presence;
pub mod time;

pub use decode::decode;
pub use encode::encode;
pub use error::ProtocolError;
pub use ids::{DocumentId, PeerId, SessionId, StorageId};
pub use message::{DocMessage, EphemeralMessage, Message, PeerMetadata, RemoteHeads};
pub use time::Millis;

/// The only protocol version there is.
pub const PROTOCOL_V1: &str = "1";
