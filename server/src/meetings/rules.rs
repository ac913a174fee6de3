//! Who may do what in a meeting, and what a plan must satisfy. Pure
//! functions of the meeting's state and who asks; the API calls them
//! before it appends an event.
//!
//! - schedule, change the plan (until it starts), start, move the agenda
//!   clock, end, confirm attendance: the body's organisers (its
//!   co-coordinators, the committee's secretariat, a site administrator);
//! - announce one's absence: the invitee, from their own account, before
//!   the meeting begins; being seen in the live page: the invitee, while
//!   it runs;
//! - record decisions and action items: those who write in the body,
//!   until the minutes are published; an action item's owner is a person
//!   of the body or an organisation present in it;
//! - approve: the body's co-coordinators, one administration and one civil
//!   society, the same version (the text's heads and the record's
//!   revision); both standing approvals publish and lock the minutes;
//! - a correction (with a reason) opens published minutes again; the
//!   published version stays.

use codraft_schema::meetings::{Attendance, Side};
use serde::Serialize;

use super::*;
use crate::directory::{Role, Sector};

/// Who asks, as the rules see them.
#[derive(Debug, Clone)]
pub struct Who {
    pub user: String,
    pub sector: Sector,
    pub admin: bool,
    pub secretariat: bool,
    /// Their role in the meeting's body.
    pub role: Option<Role>,
}

impl Who {
    pub fn coordinates(&self) -> bool {
        self.role == Some(Role::CoCoordinator)
    }
    /// Schedules and runs the body's meetings.
    pub fn organises(&self) -> bool {
        self.admin || self.secretariat || self.coordinates()
    }
    /// Writes the minutes, decisions and action items.
    pub fn writes(&self) -> bool {
        self.organises() || self.role.is_some_and(Role::writes)
    }
}

/// Limits of a plan.
pub const MAX_TITLE: usize = 300;
pub const MAX_TEXT: usize = 2000;
pub const MAX_AGENDA: usize = 40;
pub const MAX_INVITEES: usize = 300;
pub const MAX_DECISIONS: usize = 200;
pub const MAX_ACTIONS: usize = 200;
/// An item's planned duration, minutes.
pub const MAX_ITEM_MINUTES: u32 = 600;

/// Why a meeting action is refused; each has a code the clients word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum MeetingError {
    #[error("only {who} may do this (organisers, writers, co_coordinators, invitee)")]
    Forbidden { who: &'static str },
    #[error("a meeting needs a title in at least one language")]
    TitleNeeded,
    #[error("a meeting needs a date (YYYY-MM-DD)")]
    DateNeeded,
    #[error("the time is HH:MM")]
    BadTime,
    #[error("the video link must be an http(s) address")]
    BadLink,
    #[error("agenda item {item} needs a title")]
    ItemTitleNeeded { item: usize },
    #[error("agenda item {item} has a duration of 1 to {max} minutes")]
    BadDuration { item: usize, max: u32 },
    #[error("agenda item {item} starts before item {previous} ends")]
    AgendaOverlap { item: usize, previous: usize },
    #[error("{name} is not a member of the body")]
    OutsideBody { name: String },
    #[error("at most {max} characters")]
    TooLong { max: usize },
    #[error("at most {max} {what}")]
    TooMany { what: &'static str, max: usize },
    #[error("you are not invited to this meeting")]
    NotInvited,
    #[error("the meeting has begun: absences are announced before it starts")]
    AlreadyBegun,
    #[error("the meeting is {status}")]
    WrongStatus { status: &'static str },
    #[error("the minutes are published: open a correction to change them")]
    MinutesLocked,
    #[error("no such invitee, agenda item, decision or action item")]
    NoSuchEntry,
    #[error("the minutes changed since the version you saw: look again and approve again")]
    StaleVersion,
    #[error("you already approved this version")]
    AlreadyApproved,
    #[error("approvals come from an administration and a civil-society co-coordinator")]
    ApproverSector,
    #[error("you have no approval to withdraw")]
    NoApproval,
    #[error("a correction needs a reason")]
    ReasonNeeded,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Scheduled => "scheduled",
            Status::InProgress => "in_progress",
            Status::Ended => "ended",
            Status::Published => "published",
            Status::Correcting => "correcting",
        }
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn max_len(s: &str, max: usize) -> Result<(), MeetingError> {
    if chars(s) > max {
        Err(MeetingError::TooLong { max })
    } else {
        Ok(())
    }
}

/// Checks a plan; `member(user)`: is that account in the body?
pub fn check_plan(p: &Plan, member: impl Fn(&str) -> bool) -> Result<(), MeetingError> {
    if p.title.is_empty() {
        return Err(MeetingError::TitleNeeded);
    }
    for t in [&p.title.ar, &p.title.fr, &p.title.zgh] {
        max_len(t, MAX_TITLE)?;
    }
    if parse_date(p.date.trim()).is_none() {
        return Err(MeetingError::DateNeeded);
    }
    if parse_time(&p.time).is_none() {
        return Err(MeetingError::BadTime);
    }
    max_len(&p.link, MAX_TEXT)?;
    if !(p.link.is_empty() || p.link.starts_with("https://") || p.link.starts_with("http://")) {
        return Err(MeetingError::BadLink);
    }
    if p.agenda.len() > MAX_AGENDA {
        return Err(MeetingError::TooMany {
            what: "agenda items",
            max: MAX_AGENDA,
        });
    }
    // Each timed item starts once the timed item before it has ended.
    let mut previous: Option<(usize, u32)> = None;
    for (i, a) in p.agenda.iter().enumerate() {
        let item = i + 1;
        if a.title.is_empty() {
            return Err(MeetingError::ItemTitleNeeded { item });
        }
        for t in [&a.title.ar, &a.title.fr, &a.title.zgh, &a.presenter] {
            max_len(t, MAX_TITLE)?;
        }
        if a.minutes == 0 || a.minutes > MAX_ITEM_MINUTES {
            return Err(MeetingError::BadDuration {
                item,
                max: MAX_ITEM_MINUTES,
            });
        }
        if let Some(start) = a.start.as_deref().filter(|s| !s.is_empty()) {
            let s = parse_time(start).ok_or(MeetingError::BadTime)?;
            if let Some((prev, end)) = previous
                && s < end
            {
                return Err(MeetingError::AgendaOverlap {
                    item,
                    previous: prev,
                });
            }
            previous = Some((item, s + a.minutes));
        }
    }
    if p.invitees.len() > MAX_INVITEES {
        return Err(MeetingError::TooMany {
            what: "invitees",
            max: MAX_INVITEES,
        });
    }
    for i in &p.invitees {
        for t in [&i.name, &i.organisation, &i.honorific] {
            max_len(t, MAX_TITLE)?;
        }
        max_len(&i.function, MAX_TEXT)?;
        if let Some(u) = &i.user
            && !member(u)
        {
            return Err(MeetingError::OutsideBody {
                name: i.name.clone(),
            });
        }
    }
    Ok(())
}

pub fn check_organiser(w: &Who) -> Result<(), MeetingError> {
    if w.organises() {
        Ok(())
    } else {
        Err(MeetingError::Forbidden { who: "organisers" })
    }
}

pub fn check_writer(s: &MeetingState, w: &Who) -> Result<(), MeetingError> {
    if !w.writes() {
        return Err(MeetingError::Forbidden { who: "writers" });
    }
    if s.locked() {
        return Err(MeetingError::MinutesLocked);
    }
    Ok(())
}

fn status(s: &MeetingState, ok: &[Status]) -> Result<(), MeetingError> {
    if ok.contains(&s.status) {
        Ok(())
    } else if s.locked() {
        Err(MeetingError::MinutesLocked)
    } else {
        Err(MeetingError::WrongStatus {
            status: s.status.as_str(),
        })
    }
}

/// The plan changes until the meeting starts.
pub fn check_replan(s: &MeetingState, w: &Who) -> Result<(), MeetingError> {
    check_organiser(w)?;
    status(s, &[Status::Scheduled])
}

/// The invitee's own announcement, before the meeting begins.
pub fn check_excuse<'a>(
    s: &'a MeetingState,
    user: &str,
    now_ms: i64,
) -> Result<&'a Invitee, MeetingError> {
    let i = s.invitee_of_user(user).ok_or(MeetingError::NotInvited)?;
    if s.begun(now_ms) || s.status != Status::Scheduled {
        return Err(MeetingError::AlreadyBegun);
    }
    Ok(i)
}

/// The invitee in the live page while the meeting runs.
pub fn check_seen<'a>(s: &'a MeetingState, user: &str) -> Result<&'a Invitee, MeetingError> {
    let i = s.invitee_of_user(user).ok_or(MeetingError::NotInvited)?;
    status(s, &[Status::InProgress])?;
    Ok(i)
}

pub fn check_mark(s: &MeetingState, w: &Who, key: &str) -> Result<(), MeetingError> {
    check_organiser(w)?;
    if s.locked() {
        return Err(MeetingError::MinutesLocked);
    }
    s.invitee(key).ok_or(MeetingError::NoSuchEntry)?;
    Ok(())
}

pub fn check_start(s: &MeetingState, w: &Who) -> Result<(), MeetingError> {
    check_organiser(w)?;
    status(s, &[Status::Scheduled])
}

pub fn check_item(s: &MeetingState, w: &Who, index: usize) -> Result<(), MeetingError> {
    check_organiser(w)?;
    status(s, &[Status::InProgress])?;
    if index >= s.plan.agenda.len() {
        return Err(MeetingError::NoSuchEntry);
    }
    Ok(())
}

pub fn check_end(s: &MeetingState, w: &Who) -> Result<(), MeetingError> {
    check_organiser(w)?;
    status(s, &[Status::InProgress])
}

pub fn check_decision(s: &MeetingState, w: &Who, text: &str) -> Result<(), MeetingError> {
    check_writer(s, w)?;
    max_len(text, MAX_TEXT)?;
    if s.decisions.len() >= MAX_DECISIONS {
        return Err(MeetingError::TooMany {
            what: "decisions",
            max: MAX_DECISIONS,
        });
    }
    Ok(())
}

/// An action item's owner: a person of the body (`member`) or an
/// organisation one of the invitees belongs to.
pub fn check_action(
    s: &MeetingState,
    w: &Who,
    text: &str,
    owner: &Owner,
    due: Option<&str>,
    member: impl Fn(&str) -> bool,
) -> Result<(), MeetingError> {
    check_writer(s, w)?;
    max_len(text, MAX_TEXT)?;
    if s.actions.len() >= MAX_ACTIONS {
        return Err(MeetingError::TooMany {
            what: "action items",
            max: MAX_ACTIONS,
        });
    }
    if due.is_some_and(|d| parse_date(d).is_none()) {
        return Err(MeetingError::DateNeeded);
    }
    let inside = match owner {
        Owner::Person { user, .. } => member(user),
        Owner::Organisation { name } => {
            s.plan.invitees.iter().any(|i| i.organisation == *name)
                || s.plan.absent.iter().any(|a| a.organisation == *name)
        }
    };
    if !inside {
        return Err(MeetingError::OutsideBody {
            name: owner.label().to_owned(),
        });
    }
    Ok(())
}

/// The owner, an organiser or a writer of the body updates an action
/// item (also after publication: it is follow-up).
pub fn check_action_status(s: &MeetingState, w: &Who, id: &str) -> Result<(), MeetingError> {
    let a = s
        .actions
        .iter()
        .find(|a| a.id == id)
        .ok_or(MeetingError::NoSuchEntry)?;
    let owner = matches!(&a.owner, Owner::Person { user, .. } if *user == w.user);
    if owner || w.writes() {
        Ok(())
    } else {
        Err(MeetingError::Forbidden { who: "writers" })
    }
}

/// May `w` approve the version (`heads`, `rev`) the current text is at
/// (`now`)? `Ok(true)`: with this approval both sides stand — publish.
pub fn check_approval(
    s: &MeetingState,
    w: &Who,
    heads: &[String],
    rev: usize,
    now: &[String],
) -> Result<bool, MeetingError> {
    if !w.coordinates() {
        return Err(MeetingError::Forbidden {
            who: "co_coordinators",
        });
    }
    status(s, &[Status::InProgress, Status::Ended, Status::Correcting])?;
    if !matches!(w.sector, Sector::Administration | Sector::CivilSociety) {
        return Err(MeetingError::ApproverSector);
    }
    if rev != s.rev || !same_heads(heads, now) {
        return Err(MeetingError::StaleVersion);
    }
    let standing = s.standing(now);
    if standing.iter().any(|a| a.by == w.user) {
        return Err(MeetingError::AlreadyApproved);
    }
    let other = match w.sector {
        Sector::Administration => Sector::CivilSociety,
        _ => Sector::Administration,
    };
    Ok(standing.iter().any(|a| a.sector == other))
}

pub fn check_withdrawal(s: &MeetingState, w: &Who) -> Result<(), MeetingError> {
    if s.locked() {
        return Err(MeetingError::MinutesLocked);
    }
    if s.approvals.iter().any(|(a, _)| a.by == w.user) {
        Ok(())
    } else {
        Err(MeetingError::NoApproval)
    }
}

pub fn check_correction(s: &MeetingState, w: &Who, reason: &str) -> Result<(), MeetingError> {
    if !w.organises() {
        return Err(MeetingError::Forbidden { who: "organisers" });
    }
    if s.status != Status::Published {
        return Err(MeetingError::WrongStatus {
            status: s.status.as_str(),
        });
    }
    if reason.trim().is_empty() {
        return Err(MeetingError::ReasonNeeded);
    }
    max_len(reason, MAX_TEXT)
}

/// The attendance of an invitee, as the minutes will give it: what was
/// recorded, or invited (not yet known) before the end and absent after.
pub fn attendance_of(s: &MeetingState, key: &str) -> Attendance {
    match s.attendance.get(key).map(|r| r.attendance) {
        Some(a) if a != Attendance::Invited => a,
        _ if s.ended_ms.is_some() => Attendance::Absent,
        _ => Attendance::Invited,
    }
}

/// The organisations absent, as the minutes list them: those the plan
/// names, then (once the meeting ended) each invited organisation none of
/// whose people came or excused themselves.
pub fn absent_orgs(s: &MeetingState) -> Vec<AbsentOrg> {
    let mut out = s.plan.absent.clone();
    if s.ended_ms.is_none() {
        return out;
    }
    for i in &s.plan.invitees {
        if i.organisation.is_empty() || out.iter().any(|a| a.organisation == i.organisation) {
            continue;
        }
        let absent = s
            .plan
            .invitees
            .iter()
            .filter(|j| j.organisation == i.organisation)
            .all(|j| attendance_of(s, &j.key) == Attendance::Absent);
        if absent {
            out.push(AbsentOrg {
                side: i.side,
                organisation: i.organisation.clone(),
            });
        }
    }
    out
}

/// The side a sector sits on in the minutes.
pub fn side_of(sector: Sector) -> Side {
    match sector {
        Sector::Administration => Side::Administration,
        Sector::CivilSociety => Side::CivilSociety,
        Sector::Academia => Side::Academia,
        Sector::Other => Side::CivilSociety,
    }
}
