//! # codraft-sync: the sans-IO sync core
//!
//! Shared by the server and the WASM client. Nothing here awaits, spawns,
//! reads the clock or touches a socket or a disk: the caller feeds
//! [`Event`]s into a [`DocSession`] and carries out the [`Effects`] it returns.
//! That is what lets the same code run in a tokio task on the server, in a
//! browser tab, and in the in-memory network of the tests.
//!
//! - [`session`]: [`DocSession`], one Automerge document and one
//!   `automerge::sync::State` per peer. Events: a peer joined, a message
//!   arrived, a peer left, a tick. Effects: what to persist and what to send.
//!   In relay mode (the server) the session answers peers from its change
//!   graph and materialises the document in batches (`session/relay.rs`),
//!   checking each change on arrival (`session/vet.rs`); in batched mode
//!   (the browser) it materialises at the end of every batch.
//! - [`effects`]: [`Effects`] and [`Persist`], with the one rule every shell
//!   must keep: **`persist` is made durable before any of `messages` is
//!   sent.** That is how "a client that sees the server's heads contain its
//!   change knows the change is on disk" holds.
//! - [`access`]: what a peer may do ([`Access`], [`Limits`]): the session
//!   refuses a read-only peer's changes and oversized ones before applying
//!   anything, whatever the message type, and reports which changes it
//!   accepted from whom ([`Accepted`]). Each sync message is decoded once.
//! - [`chunks`]: stored chunks (snapshot / incremental) and the compaction
//!   rule: incremental chunks are appended until they outgrow the snapshot.
//! - [`dedup`]: drops `ephemeral` messages already seen, by
//!   (senderId, sessionId, count).
//! - [`graph`]: the change graph (hashes, dependencies, bytes) and
//!   Automerge's sync protocol spoken over it, for a relay that forwards a
//!   change in time proportional to the change; the session's relay mode
//!   materialises the document from it in batches.
//! - [`receive`]: Automerge's receive of a sync message, with the trim of
//!   the peer's sent changes made proportional to what changed instead of
//!   to the document's whole history (the server's hot path).

pub mod access;
pub mod chunks;
pub mod dedup;
pub mod effects;
pub mod graph;
pub mod receive;
pub mod session;

pub use access::{Accepted, Access, Limits, Refusal};
pub use chunks::{ChunkKind, StoredChunk};
pub use dedup::EphemeralDedup;
pub use effects::{Effects, Persist};
pub use session::{DocSession, Event, LoadError, Mode, acknowledges};
