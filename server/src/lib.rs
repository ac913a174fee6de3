//! # codraft-server: the axum shell around the sync core
//!
//! The protocol lives in `codraft-protocol`, the sync logic in `codraft-sync`
//! (sans-IO); this crate does the IO.
//!
//! - [`config`]: every setting, as a clap flag with a `CODRAFT_*` variable.
//! - [`app`]: the router (`/sync`, `/healthz`, `/readyz`, `/metrics`,
//!   `/api/*`, the web app's files) and
//!   [`app::run`], which serves until a shutdown signal and then flushes.
//! - [`connection`]: one task pair per WebSocket (reader + writer), generic
//!   over any `Sink`/`Stream` of frames: handshake, limits, keepalive, routing
//!   of document messages to document actors, a bounded outbound queue.
//! - [`documents`]: the registry of open documents and the per-document actor
//!   that owns a `DocSession`, persists each batch **before** it sends
//!   anything derived from it, and unloads itself when idle.
//! - [`store`]: the [`store::Store`] trait (fallible, async) and its embedded
//!   SQLite implementation with group commit and compaction.
//! - [`auth`]: the [`auth::Authorizer`] seam: who may read, write, create.
//! - [`listener`]: the accept loop: header and idle timeouts, caps on
//!   connections and on those not yet signed in, a `503` past them.
//! - [`security`]: allowed origins (configured, never the `Host`), the
//!   client address behind a trusted proxy, security headers (CSP), no
//!   protocol-relative redirects.
//! - [`backup`]: online backup and restore of the embedded store.
//! - [`metrics`]: Prometheus counters, gauges and the persist histogram.
//! - [`seed`]: the six thematic groups and, with `--demo`, demo accounts
//!   and cards, created on first start.
//! - [`directory`]: accounts, sessions, API tokens, groups, members,
//!   invitations, documents' groups, the audit log (SQLite; a trait for Redis).
//! - [`accounts`]: the view of roles the sync path checks, revocation of
//!   live sockets, password and token secrets, sign-in rate limits.
//! - [`passwords`]: the password rule (length, `zxcvbn` strength).
//! - [`limiter`]: failed sign-ins (per account and address, per address,
//!   a back-off per account) and card creations per person.
//! - [`api`]: the JSON HTTP API (sign-in, invitations, groups, members,
//!   documents, audit, tokens) and its OpenAPI description.

pub mod accounts;
pub mod app;
pub mod auth;
pub mod backup;
pub mod cards;
pub mod clock;
pub mod config;
pub mod directory;
pub mod http;
pub mod hub;
pub mod limiter;
pub mod listener;
pub mod metrics;
pub mod passwords;
pub mod security;
pub mod seed;
pub mod store;

pub use app::{AppState, run};
pub use config::Config;
