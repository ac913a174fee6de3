//! What each person is told: notes in their in-app inbox (mentioned,
//! replied to, a suggestion of theirs accepted or rejected, a review asked
//! of them, a card validated or sent back, an invitation). Stored in the
//! directory ([`crate::directory::Inbox`]), private to the person; the
//! client words each kind in the person's language. With an SMTP server,
//! each note also goes by e-mail as the person chose (the mail module).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::directory::Credential;

/// The newest notes an inbox lists.
pub const PAGE: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Mentioned,
    Replied,
    SuggestionAccepted,
    SuggestionRejected,
    ReviewRequested,
    Approved,
    Returned,
    Invited,
    /// Invited to a meeting (`doc`: its minutes document).
    MeetingInvited,
    /// Given an action item in a meeting (`doc`: its minutes document).
    ActionAssigned,
}

impl NoteKind {
    /// Where a note of this kind about `doc` opens in the web app.
    pub fn route(self, doc: &str) -> String {
        match self {
            NoteKind::MeetingInvited | NoteKind::ActionAssigned => format!("#/meeting/{doc}"),
            _ => format!("#/card/{doc}"),
        }
    }
}

/// One thing that happened that concerns the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Note {
    pub kind: NoteKind,
    /// The card it is about (`automerge:` URL), if any.
    #[serde(default)]
    pub doc: Option<String>,
    /// The card's number (MO0056) when it has one.
    #[serde(default)]
    pub card: Option<String>,
    /// The comment thread, if any.
    #[serde(default)]
    pub thread: Option<String>,
    /// The group, for an invitation.
    #[serde(default)]
    pub group: Option<String>,
    /// Who did it.
    pub by: String,
    pub by_name: String,
    /// A few words of what was written (a comment's start, a reason).
    #[serde(default)]
    pub excerpt: String,
    pub time_ms: i64,
}

impl Note {
    pub fn new(kind: NoteKind, by: &Credential) -> Self {
        Note {
            kind,
            doc: None,
            card: None,
            thread: None,
            group: None,
            by: by.user.id.clone(),
            by_name: by.user.name.clone(),
            excerpt: String::new(),
            time_ms: crate::clock::now_ms(),
        }
    }

    pub fn excerpt(mut self, text: &str) -> Self {
        let mut e: String = text.chars().take(140).collect();
        if text.chars().count() > 140 {
            e.push('…');
        }
        self.excerpt = e;
        self
    }
}

/// A note as its reader lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Entry {
    pub id: i64,
    pub read: bool,
    #[serde(flatten)]
    pub note: Note,
}
