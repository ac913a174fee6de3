//! The rules of the workflow: who may move a card from one stage to
//! another, and when approvals validate it. Pure functions of the review
//! state and who asks; the API calls them before it appends an event.
//!
//! - draft → group review: a member or co-coordinator of the card's group;
//! - group review → validated: only by approvals — both co-coordinators,
//!   one administration and one civil society, approve the same version
//!   (the current one), with every required item of the card complete;
//!   an edit to a validated card sends it back to group review (recorded
//!   as the editor's doing; the approvals stop standing);
//! - validated → adopted: the steering committee (a site administrator or
//!   the committee secretariat); adopted → published: the secretariat;
//! - back to draft from any stage, with a reason: a co-coordinator, a site
//!   administrator or the secretariat.

use serde::Serialize;

use super::{ReviewState, Stage, same_heads};
use crate::directory::{Role, Sector};

/// Who asks, as the rules see them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: String,
    pub sector: Sector,
    pub admin: bool,
    /// A writer of the steering committee's secretariat.
    pub secretariat: bool,
    /// Their role in the card's group.
    pub role: Option<Role>,
}

impl Actor {
    fn coordinates(&self) -> bool {
        self.role == Some(Role::CoCoordinator)
    }
    fn writes(&self) -> bool {
        self.role.is_some_and(Role::writes)
    }
}

/// Why a review action is refused; each has a code the clients word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum ReviewError {
    #[error("only {who} may do this (co_coordinators, writers, committee, secretariat)")]
    Forbidden { who: &'static str },
    #[error("a card cannot go from {from} to {to}")]
    NoSuchMove {
        from: &'static str,
        to: &'static str,
    },
    #[error("a card is validated by the approvals of both co-coordinators, not by a transition")]
    NeedsApprovals,
    #[error("going back to draft needs a reason")]
    ReasonNeeded,
    #[error("the card is {stage}: approvals are taken in group review")]
    NotInReview { stage: &'static str },
    #[error("you already approved this version")]
    AlreadyApproved,
    #[error(
        "the card changed since the version you approved: look at the difference and approve again"
    )]
    StaleVersion,
    #[error("{missing} required items are missing")]
    Incomplete { missing: usize },
    #[error("approvals come from an administration and a civil-society co-coordinator")]
    ApproverSector,
    #[error("you have no approval to withdraw")]
    NoApproval,
    #[error("the card is {stage}: its text cannot change until it goes back to draft")]
    Locked { stage: &'static str },
}

/// May `actor` move the card to `to`?
pub fn check_transition(
    s: &ReviewState,
    actor: &Actor,
    to: Stage,
    reason: Option<&str>,
) -> Result<(), ReviewError> {
    use Stage::*;
    let from = s.stage;
    let committee = actor.admin || actor.secretariat;
    match (from, to) {
        (_, Draft) if from != Draft => {
            if !(actor.coordinates() || committee) {
                return Err(ReviewError::Forbidden {
                    who: "co_coordinators_or_committee",
                });
            }
            if reason.is_none_or(|r| r.trim().is_empty()) {
                return Err(ReviewError::ReasonNeeded);
            }
            Ok(())
        }
        (Draft, GroupReview) if actor.writes() || actor.admin => Ok(()),
        (Draft, GroupReview) => Err(ReviewError::Forbidden { who: "writers" }),
        (GroupReview, Validated) => Err(ReviewError::NeedsApprovals),
        (Validated, Adopted) if committee => Ok(()),
        (Validated, Adopted) => Err(ReviewError::Forbidden { who: "committee" }),
        (Adopted, Published) if actor.secretariat || actor.admin => Ok(()),
        (Adopted, Published) => Err(ReviewError::Forbidden { who: "secretariat" }),
        _ => Err(ReviewError::NoSuchMove {
            from: from.as_str(),
            to: to.as_str(),
        }),
    }
}

/// May `actor` approve the version `heads` (the card now being at `now`,
/// with `missing` required items)? `Ok(true)`: with this approval both
/// sectors approved the current version: the card is validated.
pub fn check_approval(
    s: &ReviewState,
    actor: &Actor,
    heads: &[String],
    now: &[String],
    missing: usize,
) -> Result<bool, ReviewError> {
    if !actor.coordinates() {
        return Err(ReviewError::Forbidden {
            who: "co_coordinators",
        });
    }
    if !matches!(actor.sector, Sector::Administration | Sector::CivilSociety) {
        return Err(ReviewError::ApproverSector);
    }
    if s.stage != Stage::GroupReview {
        return Err(ReviewError::NotInReview {
            stage: s.stage.as_str(),
        });
    }
    if !same_heads(heads, now) {
        return Err(ReviewError::StaleVersion);
    }
    if s.standing(now).any(|a| a.by == actor.user) {
        return Err(ReviewError::AlreadyApproved);
    }
    if missing > 0 {
        return Err(ReviewError::Incomplete { missing });
    }
    let other = match actor.sector {
        Sector::Administration => Sector::CivilSociety,
        _ => Sector::Administration,
    };
    Ok(s.standing(now).any(|a| a.sector == other))
}

/// May `actor` withdraw their approval?
pub fn check_withdrawal(s: &ReviewState, actor: &Actor) -> Result<(), ReviewError> {
    if s.approvals.iter().any(|a| a.by == actor.user) {
        Ok(())
    } else {
        Err(ReviewError::NoApproval)
    }
}

/// May `actor` set a language's text status, name a version or mark the
/// card reviewed? Co-coordinators (and site administrators).
pub fn check_coordinator(actor: &Actor) -> Result<(), ReviewError> {
    if actor.coordinates() || actor.admin {
        Ok(())
    } else {
        Err(ReviewError::Forbidden {
            who: "co_coordinators",
        })
    }
}

/// May the card's text be written (restore, text status)? Not once adopted.
pub fn check_unlocked(s: &ReviewState) -> Result<(), ReviewError> {
    if s.stage.locks_content() {
        Err(ReviewError::Locked {
            stage: s.stage.as_str(),
        })
    } else {
        Ok(())
    }
}
