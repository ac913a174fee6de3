//! Comments and suggestions on a card, kept in a second Automerge document
//! per card that only the server writes (every reader of the card syncs it
//! read-only, so threads are live for everyone, and nobody can post as
//! someone else or change another's words).
//!
//! - this file: the document's shape ([`Thread`], [`Comment`], [`Anchor`])
//!   and reading it;
//! - [`anchor`]: where a thread points in the card (a passage of a text by
//!   two Automerge cursors and its quote, a whole field, a table row), where
//!   that is now, whether it was deleted (orphaned) or changed (stale), and
//!   applying a suggestion;
//! - [`write`]: the server's edits of the comments document;
//! - [`mentions`]: `@name` in a comment's text.

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use crate::edit::{self, Key};

pub mod anchor;
pub mod mentions;
pub mod write;

#[cfg(test)]
mod tests;

pub use anchor::{AnchorError, Placement};

/// The longest comment or suggested text, in characters.
pub const MAX_BODY: usize = 4_000;
/// The longest passage a thread can quote, in characters.
pub const MAX_QUOTE: usize = 2_000;
/// Threads on one card.
pub const MAX_THREADS: usize = 2_000;
/// Comments in one thread (the first included).
pub const MAX_COMMENTS: usize = 200;

/// Who wrote something, as the server verified them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Person {
    pub id: String,
    pub name: String,
    /// `administration`, `civil_society`, `academia`, `other`.
    pub sector: String,
}

/// What a thread is attached to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnchorKind {
    /// A passage of one language of a text.
    #[default]
    Text,
    /// A whole field.
    Field,
    /// One row of a table.
    Row,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Anchor {
    pub kind: AnchorKind,
    /// The field's name when the thread began (`summary/ar`,
    /// `activities/2/title`, `budget/amount`; the table for a row).
    pub field: String,
    /// Text: cursors at the passage's first character and just after its
    /// last (as [`crate::edit::cursor`] makes them: they follow edits).
    pub start: String,
    pub end: String,
    /// Row: the row's object id (it follows moves of other rows).
    pub row: String,
    /// The passage as it read when the thread began (a row: its title).
    pub quote: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThreadKind {
    #[default]
    Comment,
    /// A proposed replacement of the anchored passage.
    Suggestion,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Open,
    Resolved,
    /// A suggestion applied to the card.
    Accepted,
    /// A suggestion turned down (or withdrawn by its author).
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Resolved => "resolved",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Comment {
    pub id: String,
    pub author: Person,
    /// Empty once deleted.
    pub body: String,
    pub created_ms: i64,
    pub edited_ms: Option<i64>,
    pub deleted: bool,
    /// User ids of the group's members it mentions.
    pub mentions: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Thread {
    pub id: String,
    pub kind: ThreadKind,
    pub anchor: Anchor,
    /// A suggestion's proposed text for the passage.
    pub replacement: String,
    pub status: Status,
    pub author: Person,
    pub created_ms: i64,
    /// Who resolved, reopened, accepted or rejected it last, and when.
    pub decided_by: Option<Person>,
    pub decided_ms: Option<i64>,
    /// The first is the thread's opening comment (a suggestion's may be
    /// empty).
    pub comments: Vec<Comment>,
}

/// Every thread of a comments document, oldest first (none if the
/// document is empty or not one).
pub fn threads(doc: &Automerge) -> Vec<Thread> {
    let Ok(serde_json::Value::Object(m)) = edit::read(doc, &[Key::Map("threads".into())]) else {
        return Vec::new();
    };
    let mut out: Vec<Thread> = m
        .into_iter()
        .filter_map(|(_, v)| serde_json::from_value(v).ok())
        .collect();
    out.sort_by(|a, b| (a.created_ms, &a.id).cmp(&(b.created_ms, &b.id)));
    out
}

/// One thread by id.
pub fn thread(doc: &Automerge, id: &str) -> Option<Thread> {
    let v = edit::read(doc, &[Key::Map("threads".into()), Key::Map(id.into())]).ok()?;
    serde_json::from_value(v).ok()
}
