//! # codraft-client: the client side of Codraft, sans-IO
//!
//! What a browser tab (through wasm-bindgen) or a native program needs to
//! edit documents with a Codraft server, written as a state machine that
//! takes inputs and returns [`Output`] (frames to send, events for the UI)
//! so it runs and is tested natively, and the WASM shell only moves bytes.
//!
//! - [`client`]: [`Client`]: the connection (join/peer, reconnect with
//!   [`backoff`]), open documents (create, open, close, local changes,
//!   remote changes as patches), each document's [`SaveState`], and undo
//!   and redo of this tab's own steps of edits (`client::undo`).
//! - [`presence`]: automerge-repo 2.5 `Presence` per document: local state
//!   by channel, peers' states with a TTL, heartbeats, goodbye, throttling.
//! - [`edit`] (re-exported from `codraft-schema`): reading and editing
//!   documents by JSON paths, text in UTF-16 positions, cursors, patches.
//! - [`backoff`]: exponential reconnect delays with full jitter.
//! - `wasm` (wasm32 only): the browser shell, `CodraftClient` for JS: a
//!   WebSocket, timers, and IndexedDB (`js/idb.js`) for offline copies.

pub mod backoff;
pub mod client;
pub use codraft_schema::edit;
pub mod presence;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use client::{Client, ClientError, ClientEvent, ConnectionState, Direction, Output, SaveState};
