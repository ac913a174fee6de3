//! # The sync hub
//!
//! Everything on the path of a sync message, and nothing else:
//!
//! - [`shared`]: [`Hub`], what the path shares (documents, peers, store,
//!   access seam, audit sink, metrics, ids, limits, shutdown, tasks), and
//!   [`SyncSettings`];
//! - [`outbox`]: a connection's way out, written directly by its senders
//!   when the socket takes a frame at once, else queued for its writer —
//!   a leaf;
//! - [`aside`]: acknowledgements a connection sets aside for its
//!   document's next batch instead of waking its actor — a leaf;
//! - [`peer`]: how anything reaches one connection ([`PeerHandle`], the one
//!   "error then close" in [`peer::Closer`]) and the commands of a document
//!   actor ([`DocCommand`]) — a leaf;
//! - [`connection`]: one socket's reader and writer tasks, generic over any
//!   `Sink`/`Stream` of frames;
//! - [`registry`]: the open documents (which actor serves which document);
//! - [`actor`]: one document's actor: batches, the session on the blocking
//!   pool, durable before advertised, audit;
//! - [`pipeline`]: batches waiting for their write;
//! - [`indexes`]: the review's character index of the documents whose
//!   differences were asked for lately (kept beside, read on the actor).
//!
//! Imports run one way: `outbox`, `aside` ← `peer` ← `registry` ← `shared` ← `pipeline` ←
//! `actor` ← `connection`.

pub mod actor;
pub mod aside;
pub mod connection;
pub mod indexes;
pub mod outbox;
pub mod peer;
pub mod pipeline;
pub mod registry;
pub mod shared;
#[cfg(test)]
mod tests;

pub use connection::serve;
pub use peer::{DocCommand, JobError, PeerHandle};
pub use shared::{AuditRow, AuditSink, Hub, SyncSettings};
