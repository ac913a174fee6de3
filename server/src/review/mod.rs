//! # Reviewing a card: the server's record of it
//!
//! What confers status on a card is decided here and recorded by the
//! server, never by a field of the shared document: the workflow stage,
//! approvals, named versions, review marks and each language's text
//! status. Each card has an append-only log of [`ReviewEvent`]s (kept by
//! [`crate::directory::Reviews`]); its [`ReviewState`] is the fold of that
//! log. [`workflow`] holds the rules (who may move a card where, when two
//! approvals validate it); [`history`] groups the audit log into edit
//! sessions. The document's content is reviewed with
//! [`codraft_schema::review`] (differences, attribution, restore).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::directory::Sector;

pub mod history;
pub mod workflow;

pub use workflow::{Actor, ReviewError};

/// Where a card is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    #[default]
    Draft,
    GroupReview,
    Validated,
    Adopted,
    Published,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::GroupReview => "group_review",
            Stage::Validated => "validated",
            Stage::Adopted => "adopted",
            Stage::Published => "published",
        }
    }
    /// Once the steering committee adopted it, the text is what was
    /// adopted: nobody writes it until it goes back to draft. (A validated
    /// card stays open: an edit sends it back to group review.)
    pub fn locks_content(self) -> bool {
        matches!(self, Stage::Adopted | Stage::Published)
    }
}

/// A language's text status, set by a co-coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TextStatus {
    Draft,
    Validated,
}

/// Who did something, when, at which version of the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Stamp {
    pub by: String,
    pub by_name: String,
    pub sector: Sector,
    pub at_ms: i64,
    /// The card's heads (hex change hashes) at that moment.
    pub heads: Vec<String>,
}

/// One entry of a card's review log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ReviewEvent {
    Transition {
        from: Stage,
        to: Stage,
        #[serde(flatten)]
        stamp: Stamp,
        reason: Option<String>,
    },
    Approved {
        #[serde(flatten)]
        stamp: Stamp,
    },
    Withdrawn {
        #[serde(flatten)]
        stamp: Stamp,
    },
    Version {
        id: String,
        name: String,
        #[serde(flatten)]
        stamp: Stamp,
    },
    Reviewed {
        #[serde(flatten)]
        stamp: Stamp,
    },
    TextStatus {
        /// `summary/fr`.
        field: String,
        status: TextStatus,
        #[serde(flatten)]
        stamp: Stamp,
    },
}

/// A card's review log, folded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct ReviewState {
    pub stage: Stage,
    /// Every transition, oldest first.
    pub transitions: Vec<ReviewEvent>,
    /// The approvals of the current review round (since the card last
    /// moved), one per co-coordinator; each is for the version it names.
    pub approvals: Vec<Stamp>,
    /// Named versions, oldest first.
    pub versions: Vec<ReviewEvent>,
    /// Each person's last review mark.
    #[serde(skip)]
    pub reviewed: HashMap<String, Stamp>,
    /// Each person's last approval, of any round.
    #[serde(skip)]
    pub last_approval: HashMap<String, Stamp>,
    /// Each language's latest status (`summary/fr` → status and stamp).
    pub text_status: BTreeMap<String, (TextStatus, Stamp)>,
    /// How many events the log holds (what an append expects).
    #[serde(skip)]
    pub len: usize,
}

impl ReviewState {
    /// Folds a log. Events that do not parse (written by a newer server)
    /// are skipped, and still counted.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a str>) -> Self {
        let mut s = ReviewState::default();
        for e in events {
            s.len += 1;
            if let Ok(ev) = serde_json::from_str::<ReviewEvent>(e) {
                s.apply(ev);
            }
        }
        s
    }

    pub fn apply(&mut self, ev: ReviewEvent) {
        match &ev {
            ReviewEvent::Transition { from, to, .. } => {
                self.stage = *to;
                // A new round: approvals start afresh — except across the
                // validation they made and its undoing by an edit: then they
                // stay on record, no longer standing, and each approver sees
                // the difference since.
                let validation = matches!(
                    (from, to),
                    (Stage::GroupReview, Stage::Validated) | (Stage::Validated, Stage::GroupReview)
                );
                if !validation {
                    self.approvals.clear();
                }
                self.transitions.push(ev);
            }
            ReviewEvent::Approved { stamp } => {
                self.last_approval.insert(stamp.by.clone(), stamp.clone());
                self.approvals.retain(|a| a.by != stamp.by);
                self.approvals.push(stamp.clone());
            }
            ReviewEvent::Withdrawn { stamp } => self.approvals.retain(|a| a.by != stamp.by),
            ReviewEvent::Version { .. } => self.versions.push(ev),
            ReviewEvent::Reviewed { stamp } => {
                self.reviewed.insert(stamp.by.clone(), stamp.clone());
            }
            ReviewEvent::TextStatus {
                field,
                status,
                stamp,
            } => {
                self.text_status
                    .insert(field.clone(), (*status, stamp.clone()));
            }
        }
    }

    /// The approvals that still hold: those for exactly the current heads.
    pub fn standing<'a>(&'a self, heads: &'a [String]) -> impl Iterator<Item = &'a Stamp> + 'a {
        self.approvals
            .iter()
            .filter(move |a| same_heads(&a.heads, heads))
    }

    pub fn version(&self, id: &str) -> Option<&ReviewEvent> {
        self.versions
            .iter()
            .find(|v| matches!(v, ReviewEvent::Version { id: i, .. } if i == id))
    }

    /// When the card last entered a stage (the latest such transition).
    pub fn last_transition_to(&self, stage: Stage) -> Option<&Stamp> {
        self.transitions.iter().rev().find_map(|t| match t {
            ReviewEvent::Transition { to, stamp, .. } if *to == stage => Some(stamp),
            _ => None,
        })
    }
}

/// Heads compared as sets.
pub fn same_heads(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

#[cfg(test)]
mod tests;
