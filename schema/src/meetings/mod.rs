//! Meetings of a body (the steering committee, a thematic group) as their
//! minutes record them: who was invited and came (grouped by organisation,
//! with their function, as the minutes list them), the organisations
//! absent, the agenda, what was discussed per item, the main outcomes,
//! decisions and action items.
//!
//! - this file: the types;
//! - [`minutes`]: the minutes as Markdown in Arabic, French or Amazigh, in
//!   the shape of the 3 February 2026 minutes;
//! - [`print`]: the same as a printable page;
//! - [`demo`]: that session, reproduced from its minutes.
//!
//! Who attended, who approved and what was decided confer status: the
//! server keeps them as its own records; these types are their shape.

use serde::{Deserialize, Serialize};

use crate::card::Multi;

pub mod demo;
pub mod minutes;
pub mod print;

/// Where the meeting happens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    #[default]
    Remote,
    InPerson,
    Hybrid,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Remote => "remote",
            Format::InPerson => "in_person",
            Format::Hybrid => "hybrid",
        }
    }
}

/// A person's attendance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    #[default]
    Invited,
    Present,
    PresentRemotely,
    /// Announced beforehand, from the person's own account.
    Excused,
    Absent,
}

/// Which side of the committee an organisation is on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The administration-reform department, which holds the secretariat.
    Secretariat,
    #[default]
    Administration,
    CivilSociety,
    Academia,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Participant {
    /// `السيد`, `السيدة`, or empty, as the minutes write it.
    pub honorific: String,
    pub name: String,
    pub organisation: String,
    pub side: Side,
    /// Their function and role, as the minutes give it ("head of the
    /// information systems division, deputy principal representative").
    pub function: String,
    pub attendance: Attendance,
    /// When they announced their absence (ms), if they did.
    pub excused_ms: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgendaItem {
    pub title: Multi,
    pub presenter: String,
    /// Planned duration.
    pub minutes: u32,
    /// What was said, as drafted during the meeting.
    pub discussion: String,
    /// The main points concluded (the minutes' "أهم الخلاصات").
    pub conclusions: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Adopt,
    Revise,
    Keep,
    Drop,
    #[default]
    Other,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Decision {
    pub text: String,
    pub kind: DecisionKind,
    /// The card decided on (`automerge:` URL) and the exact version.
    pub card: Option<String>,
    pub card_heads: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Open,
    Done,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionItem {
    pub text: String,
    /// A person or an organisation.
    pub owner: String,
    /// ISO date.
    pub due: Option<String>,
    pub status: ActionStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Meeting {
    /// The body that meets (`steering_committee`, a group's id).
    pub body: String,
    pub title: Multi,
    /// ISO date and `HH:MM`, Africa/Casablanca.
    pub date: String,
    pub time: String,
    pub format: Format,
    /// The video link (any provider).
    pub link: String,
    pub participants: Vec<Participant>,
    /// Organisations none of whose people came, by side, as the minutes
    /// list them.
    pub absent: Vec<(Side, String)>,
    pub agenda: Vec<AgendaItem>,
    /// The main outcomes (the minutes' closing list).
    pub outcomes: Vec<String>,
    pub decisions: Vec<Decision>,
    pub actions: Vec<ActionItem>,
}

impl Meeting {
    /// Those who came (in person or remotely).
    pub fn present(&self) -> impl Iterator<Item = &Participant> {
        self.participants.iter().filter(|p| {
            matches!(
                p.attendance,
                Attendance::Present | Attendance::PresentRemotely
            )
        })
    }
}
