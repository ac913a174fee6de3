//! # codraft-schema: the documents Codraft keeps
//!
//! Server and client agree here on what a document holds.
//!
//! - [`card`]: the commitment card (every field of the OGP template as
//!   Morocco's plans use it), typed views that read any partial card, and
//!   the JSON of a blank card.
//! - [`workspace`]: the workspace document: the six thematic groups and
//!   their cards.
//! - [`fields`]: every field of the card declared once (path, kind, label,
//!   required rule, panel): the editor's layout, the validator's required
//!   fields and the exports' columns come from it.
//! - [`describe`]: the card's fields, choices, labels and month names as
//!   one JSON, for a page that lays a card out before the WASM client is in.
//! - [`validate`]: what a card still lacks, as [`validate::Issue`]s with
//!   messages in each language.
//! - [`export`]: a card as Markdown and as a printable HTML page.
//! - [`labels`]: every field's and choice's name, and the messages, in
//!   Arabic, French and Amazigh (Tifinagh).
//! - [`lang`]: the three languages, direction, Moroccan date formats.
//! - [`demo`]: the demo workspace's cards (MO0056, MO0059, ...).
//! - [`review`]: reviewing edits: one-line summaries of changes, the
//!   difference between two points with who wrote and deleted what,
//!   who wrote the current text (shares per sector), restoring.
//! - [`comments`]: comment threads and suggestions on a card, in a second
//!   document only the server writes; anchors that follow edits.
//! - [`meetings`]: meetings of a body as their minutes record them
//!   (participants by organisation, absences, agenda, discussion,
//!   outcomes, decisions, action items), the minutes as Markdown, and the
//!   steering committee's 3 February 2026 session.
//! - [`edit`]: documents as JSON: build one from JSON, read it back, edit
//!   by paths, text in UTF-16 positions, cursors, patches; `edit::undo`
//!   takes back exactly one person's operations (undo and redo).

pub mod card;
pub mod comments;
pub mod demo;
pub mod describe;
pub mod edit;
pub mod export;
pub mod fields;
pub mod labels;
pub mod lang;
pub mod meetings;
pub mod review;
pub mod validate;
pub mod workspace;

pub use card::Card;
pub use lang::Lang;
pub use workspace::Workspace;
