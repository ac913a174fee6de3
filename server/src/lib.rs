//! # codraft-server: the IO shell around the sync core
//!
//! The protocol lives in `codraft-protocol`, the sync logic in `codraft-sync`
//! (sans-IO), the documents' shape in `codraft-schema`; this crate does the
//! IO. Imports run one way (checked by `tests/tests/it/structure.rs`):
//! [`app`] composes everything and nothing imports it.
//!
//! - [`app`]: the composition root: builds the [`hub::Hub`] and the
//!   [`http::Api`] from the [`config`], a store and the accounts, the
//!   router, and [`app::run`]`(listener, state, shutdown)`.
//! - [`hub`]: the sync path: connections (reader and writer tasks, generic
//!   over any `Sink`/`Stream`), the registry of open documents, one actor
//!   per document (its session on the blocking pool, durable before
//!   advertised, audit of what the session accepted), and jobs on a
//!   document (the review API's reads and audited server-made edits).
//! - [`http`]: the JSON API by resource (sessions, tokens, groups,
//!   invitations, documents, a card's review, OpenAPI) with its extractors
//!   and typed error codes, and the sync endpoint, health, readiness and
//!   metrics.
//! - [`review`]: a card's review log (transitions, approvals, versions,
//!   review marks, text statuses) folded into its state, the workflow rules
//!   (two-key validation, the committee, the secretariat), edit sessions.
//! - [`comments`]: who may comment, suggest, resolve and decide, and the
//!   read-only comments document each card has (written by the server).
//! - [`meetings`]: a body's meetings as the server records them (plan,
//!   invitees, attendance from announced absences and verified presence,
//!   the agenda clock, decisions, action items, two-key approval and
//!   publication of the minutes, corrections) and the minutes document
//!   (one collaborative text per agenda item).
//! - [`process`]: the revision in the open: the timeline of its phases,
//!   proposals from the public (no account) and from consultations, their
//!   moderation, triage and reasoned responses.
//! - [`inbox`]: each person's notifications (mentions, replies, decisions
//!   on their suggestions, reviews asked of them).
//! - [`mail`]: e-mail through SMTP (invitations, notifications at once or
//!   in a daily digest), queued in the directory and retried.
//! - [`hooks`]: webhooks per group (signed POSTs of stage changes,
//!   approvals, comments), delivered through the outbox with retries and a
//!   delivery log.
//! - [`accounts`]: the view of roles the sync path checks, live sockets
//!   (revocation closes them), secrets, and the rules of the domain
//!   ([`accounts::rules`]: the co-coordinator rule, invitation acceptance).
//! - [`directory`]: accounts, sessions, tokens, groups, invitations,
//!   documents' groups, the audit log, the review logs and inboxes behind
//!   the `Users`, `Groups`, `Records`, `Reviews` and `Inbox` traits
//!   (SQLite, Redis).
//! - [`store`]: where documents are kept ([`store::Store`]: SQLite with
//!   group commit and compaction, Redis streams shared by instances, memory).
//! - [`auth`]: the [`auth::Authorizer`] seam: who may read, write, create,
//!   who a peer is.
//! - [`cards`]: creating a card (the API and the demo seed alike).
//! - [`seed`]: the six groups and, with `--demo`, demo accounts and cards.
//! - [`listener`]: the accept loop: header and idle timeouts, caps on
//!   connections and on those not yet signed in, a `503` past them.
//! - [`security`]: allowed origins (configured, never the `Host`), the
//!   client address behind a trusted proxy, security headers (CSP), no
//!   protocol-relative redirects.
//! - [`limiter`]: failed sign-ins and card creations per person.
//! - [`passwords`]: the password rule (length, `zxcvbn`, one's own words).
//! - [`backup`]: online backup and restore of the embedded store.
//! - [`metrics`]: Prometheus counters, gauges and histograms.
//! - [`clock`]: the server's one clock.
//! - [`config`]: every setting, as a clap flag with a `CODRAFT_*` variable.

pub mod accounts;
pub mod app;
pub mod auth;
pub mod backup;
pub mod cards;
pub mod clock;
pub mod comments;
pub mod config;
pub mod directory;
pub mod hooks;
pub mod http;
pub mod hub;
pub mod inbox;
pub mod limiter;
pub mod listener;
pub mod mail;
pub mod meetings;
pub mod metrics;
pub mod passwords;
pub mod process;
pub mod review;
pub mod security;
pub mod seed;
pub mod store;

pub use app::{AppState, run};
pub use config::Config;
