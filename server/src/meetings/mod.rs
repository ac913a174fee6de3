//! # Meetings: the server's record of them
//!
//! A meeting belongs to a body (the steering committee or a thematic
//! group: a group of the directory). What confers status — the plan and
//! its invitees, who announced an absence and when, who was seen in the
//! live page, what the secretariat confirmed, decisions, action items,
//! approvals and publication — is an append-only log of [`MeetingEvent`]s
//! the server writes (kept like a card's review log, under the meeting's
//! minutes document); [`MeetingState`] is its fold. Only the discussion of
//! each agenda item and the main outcomes are collaborative text, in the
//! minutes document (one text per item, so no text grows without bound).
//!
//! - this file: the records and their fold;
//! - [`rules`]: who may do what, and what a plan must satisfy;
//! - [`demo`]: the 3 February 2026 session, seeded from its minutes;
//! - [`minutes`]: the minutes document and the export (the record and the
//!   texts brought together as `codraft_schema::meetings::Meeting`).

use std::collections::HashMap;

use codraft_schema::meetings::{ActionStatus, Attendance, DecisionKind, Format, Side};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::review::{Stamp, same_heads};

pub mod demo;
pub mod minutes;
pub mod rules;
#[cfg(test)]
mod tests;

pub use rules::{MeetingError, Who};

/// A text in the three languages (what people type; any may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Titles {
    pub ar: String,
    pub fr: String,
    pub zgh: String,
}

impl Titles {
    pub fn is_empty(&self) -> bool {
        [&self.ar, &self.fr, &self.zgh]
            .iter()
            .all(|t| t.trim().is_empty())
    }
}

/// One item of the agenda.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AgendaEntry {
    /// Stable id: the key of the item's text in the minutes document.
    pub id: String,
    pub title: Titles,
    pub presenter: String,
    /// Planned duration, minutes.
    pub minutes: u32,
    /// Planned start (`HH:MM`), if the agenda gives times.
    pub start: Option<String>,
    /// Cards discussed under this item (`automerge:` URLs).
    pub cards: Vec<String>,
    /// Proposals discussed under this item (tracking codes).
    pub proposals: Vec<String>,
}

/// Someone invited, as the minutes list them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Invitee {
    /// Stable key within the meeting (the account id when there is one).
    pub key: String,
    /// Their account, if they have one (only they announce their absence).
    pub user: Option<String>,
    pub honorific: String,
    pub name: String,
    pub organisation: String,
    pub side: Side,
    /// Function and role ("principal representative", "commitment lead").
    pub function: String,
}

/// What a meeting is to be: set when scheduled, changed until it starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Plan {
    pub title: Titles,
    /// ISO date, Africa/Casablanca.
    pub date: String,
    /// `HH:MM`, Africa/Casablanca.
    pub time: String,
    pub format: Format,
    /// The video link (any provider).
    pub link: String,
    pub agenda: Vec<AgendaEntry>,
    pub invitees: Vec<Invitee>,
    /// Organisations none of whose people came, as the minutes list them.
    pub absent: Vec<AbsentOrg>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AbsentOrg {
    pub side: Side,
    pub organisation: String,
}

/// Who owns an action item: a person of the body or an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Owner {
    Person { user: String, name: String },
    Organisation { name: String },
}

impl Owner {
    pub fn label(&self) -> &str {
        match self {
            Owner::Person { name, .. } | Owner::Organisation { name } => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DecisionRecord {
    pub id: String,
    pub text: String,
    pub kind: DecisionKind,
    /// The agenda item it was taken under.
    pub item: Option<String>,
    /// The card decided on and its exact version (heads) at that moment.
    pub card: Option<String>,
    pub card_heads: Vec<String>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActionRecord {
    pub id: String,
    pub text: String,
    pub owner: Owner,
    /// ISO date.
    pub due: Option<String>,
    pub status: ActionStatus,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// One entry of a meeting's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum MeetingEvent {
    Scheduled {
        body: String,
        plan: Plan,
        #[serde(flatten)]
        stamp: Stamp,
    },
    Replanned {
        plan: Plan,
        #[serde(flatten)]
        stamp: Stamp,
    },
    /// The person announced their absence, from their own account.
    Excused {
        key: String,
        #[serde(flatten)]
        stamp: Stamp,
    },
    /// The person was in the meeting's live page while it ran (their
    /// authenticated session, seen by the server).
    Seen {
        key: String,
        #[serde(flatten)]
        stamp: Stamp,
    },
    /// The secretariat set or confirmed someone's attendance.
    Marked {
        key: String,
        attendance: Attendance,
        #[serde(flatten)]
        stamp: Stamp,
    },
    Started {
        #[serde(flatten)]
        stamp: Stamp,
    },
    /// The agenda clock moved to item `index`.
    Item {
        index: usize,
        #[serde(flatten)]
        stamp: Stamp,
    },
    Ended {
        #[serde(flatten)]
        stamp: Stamp,
    },
    Decision {
        decision: DecisionRecord,
    },
    DecisionDropped {
        id: String,
        #[serde(flatten)]
        stamp: Stamp,
    },
    Action {
        action: ActionRecord,
    },
    ActionStatus {
        id: String,
        status: ActionStatus,
        #[serde(flatten)]
        stamp: Stamp,
    },
    /// Approval of the minutes at `heads` (the text) and `rev` (the
    /// record).
    Approved {
        rev: usize,
        #[serde(flatten)]
        stamp: Stamp,
    },
    Withdrawn {
        #[serde(flatten)]
        stamp: Stamp,
    },
    /// Both co-coordinators approved the same version: it is published
    /// and the minutes locked. `upto`: how many events of the log that
    /// version's record holds.
    Published {
        version: u32,
        rev: usize,
        upto: usize,
        approvals: Vec<Stamp>,
        #[serde(flatten)]
        stamp: Stamp,
    },
    /// The published minutes are opened again for a correction (a new
    /// version; the previous one is kept).
    Correction {
        reason: String,
        #[serde(flatten)]
        stamp: Stamp,
    },
}

/// Where a meeting is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = MeetingStatus)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Scheduled,
    InProgress,
    Ended,
    Published,
    /// Published once, opened again for a correction.
    Correcting,
}

/// One person's attendance as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct AttendanceRecord {
    pub attendance: Attendance,
    /// When they announced their absence.
    pub excused_ms: Option<i64>,
    /// When the server first saw them in the live page.
    pub seen_ms: Option<i64>,
    /// Set or confirmed by the secretariat (who).
    pub confirmed_by: Option<String>,
}

/// A published version of the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = MinutesVersion)]
pub struct Version {
    pub version: u32,
    pub heads: Vec<String>,
    pub rev: usize,
    #[serde(skip)]
    pub upto: usize,
    pub at_ms: i64,
    pub approvals: Vec<Stamp>,
    /// Why it was corrected afterwards, if it was.
    pub corrected: Option<String>,
}

/// A meeting's log, folded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct MeetingState {
    pub body: String,
    pub plan: Plan,
    pub scheduled: Option<Stamp>,
    pub status: Status,
    pub attendance: HashMap<String, AttendanceRecord>,
    pub started_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    /// The agenda clock: the current item and since when.
    pub current_item: Option<(usize, i64)>,
    /// Time spent per item so far (ms), by index.
    pub spent_ms: Vec<i64>,
    pub decisions: Vec<DecisionRecord>,
    pub actions: Vec<ActionRecord>,
    /// Approvals of the current round, each with the record revision it
    /// saw.
    pub approvals: Vec<(Stamp, usize)>,
    pub versions: Vec<Version>,
    /// Revision of the record's content (plan, attendance, decisions,
    /// action items): an approval is of the text's heads and this.
    pub rev: usize,
    #[serde(skip)]
    pub len: usize,
}

impl MeetingState {
    /// Folds a log; events that do not parse are skipped, and counted.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a str>) -> Self {
        let mut s = MeetingState::default();
        for e in events {
            s.len += 1;
            if let Ok(ev) = serde_json::from_str::<MeetingEvent>(e) {
                s.apply(ev);
            }
        }
        s
    }

    /// Is this log a meeting's (its first event schedules one)?
    pub fn is_meeting_log(first: &str) -> bool {
        matches!(
            serde_json::from_str::<MeetingEvent>(first),
            Ok(MeetingEvent::Scheduled { .. })
        )
    }

    /// The minutes cannot change (published, not being corrected).
    pub fn locked(&self) -> bool {
        self.status == Status::Published
    }

    pub fn invitee(&self, key: &str) -> Option<&Invitee> {
        self.plan.invitees.iter().find(|i| i.key == key)
    }

    pub fn invitee_of_user(&self, user: &str) -> Option<&Invitee> {
        self.plan
            .invitees
            .iter()
            .find(|i| i.user.as_deref() == Some(user))
    }

    /// The approvals standing for the version (`heads`, current record).
    pub fn standing(&self, heads: &[String]) -> Vec<&Stamp> {
        self.approvals
            .iter()
            .filter(|(s, rev)| *rev == self.rev && same_heads(&s.heads, heads))
            .map(|(s, _)| s)
            .collect()
    }

    fn touch(&mut self) {
        self.rev += 1;
    }

    fn record(&mut self, key: &str) -> &mut AttendanceRecord {
        self.attendance.entry(key.to_owned()).or_default()
    }

    fn close_item(&mut self, at: i64) {
        if let Some((i, since)) = self.current_item.take() {
            if self.spent_ms.len() <= i {
                self.spent_ms.resize(i + 1, 0);
            }
            self.spent_ms[i] += (at - since).max(0);
        }
    }

    pub fn apply(&mut self, ev: MeetingEvent) {
        use MeetingEvent as E;
        match ev {
            E::Scheduled { body, plan, stamp } => {
                self.body = body;
                self.plan = plan;
                self.scheduled = Some(stamp);
                self.touch();
            }
            E::Replanned { plan, .. } => {
                self.plan = plan;
                self.touch();
            }
            E::Excused { key, stamp } => {
                let r = self.record(&key);
                r.attendance = Attendance::Excused;
                r.excused_ms = Some(stamp.at_ms);
                self.touch();
            }
            E::Seen { key, stamp } => {
                let r = self.record(&key);
                r.seen_ms.get_or_insert(stamp.at_ms);
                if matches!(r.attendance, Attendance::Invited | Attendance::Absent)
                    && r.confirmed_by.is_none()
                {
                    r.attendance = Attendance::PresentRemotely;
                }
                self.touch();
            }
            E::Marked {
                key,
                attendance,
                stamp,
            } => {
                let r = self.record(&key);
                r.attendance = attendance;
                r.confirmed_by = Some(stamp.by_name.clone());
                self.touch();
            }
            E::Started { stamp } => {
                self.status = Status::InProgress;
                self.started_ms = Some(stamp.at_ms);
                if !self.plan.agenda.is_empty() {
                    self.current_item = Some((0, stamp.at_ms));
                }
            }
            E::Item { index, stamp } => {
                self.close_item(stamp.at_ms);
                self.current_item = Some((index, stamp.at_ms));
            }
            E::Ended { stamp } => {
                self.close_item(stamp.at_ms);
                self.ended_ms = Some(stamp.at_ms);
                if self.status == Status::InProgress || self.status == Status::Scheduled {
                    self.status = Status::Ended;
                }
            }
            E::Decision { decision } => {
                self.decisions.push(decision);
                self.touch();
            }
            E::DecisionDropped { id, .. } => {
                self.decisions.retain(|d| d.id != id);
                self.touch();
            }
            E::Action { action } => {
                self.actions.push(action);
                self.touch();
            }
            // A follow-up, not the minutes' content: it does not withdraw
            // approvals and may change after publication.
            E::ActionStatus { id, status, .. } => {
                if let Some(a) = self.actions.iter_mut().find(|a| a.id == id) {
                    a.status = status;
                }
            }
            E::Approved { rev, stamp } => {
                self.approvals.retain(|(a, _)| a.by != stamp.by);
                self.approvals.push((stamp, rev));
            }
            E::Withdrawn { stamp } => self.approvals.retain(|(a, _)| a.by != stamp.by),
            E::Published {
                version,
                rev,
                upto,
                approvals,
                stamp,
            } => {
                self.close_item(stamp.at_ms);
                self.ended_ms.get_or_insert(stamp.at_ms);
                self.status = Status::Published;
                self.approvals.clear();
                self.versions.push(Version {
                    version,
                    heads: stamp.heads,
                    rev,
                    upto,
                    at_ms: stamp.at_ms,
                    approvals,
                    corrected: None,
                });
            }
            E::Correction { reason, .. } => {
                self.status = Status::Correcting;
                self.approvals.clear();
                if let Some(v) = self.versions.last_mut() {
                    v.corrected = Some(reason);
                }
                self.touch();
            }
        }
    }

    /// When the meeting is planned to start (ms since the epoch), reading
    /// the date and time in Africa/Casablanca (UTC+1; the Ramadan return
    /// to UTC is not modelled).
    pub fn planned_ms(&self) -> Option<i64> {
        planned_ms(&self.plan.date, &self.plan.time)
    }

    /// Has it begun (started by the secretariat, or its time has come)?
    pub fn begun(&self, now_ms: i64) -> bool {
        self.started_ms.is_some()
            || self.ended_ms.is_some()
            || self.planned_ms().is_some_and(|t| now_ms >= t)
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The UTC civil date (`YYYY-MM-DD`) of a time in ms (the inverse of
/// `days_from_civil`).
pub fn civil_date(ms: i64) -> String {
    let z = ms.div_euclid(DAY_MS) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A valid ISO date `YYYY-MM-DD` as (year, month, day).
pub fn parse_date(s: &str) -> Option<(i64, i64, i64)> {
    let p: Vec<&str> = s.split('-').collect();
    if p.len() != 3 || p[0].len() != 4 || p[1].len() != 2 || p[2].len() != 2 {
        return None;
    }
    let (y, m, d) = (
        p[0].parse::<i64>().ok()?,
        p[1].parse::<i64>().ok()?,
        p[2].parse::<i64>().ok()?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    ((1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]).then_some((y, m, d))
}

/// `HH:MM` as minutes since midnight.
pub fn parse_time(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Milliseconds since the epoch of a date and time in Africa/Casablanca.
pub fn planned_ms(date: &str, time: &str) -> Option<i64> {
    let (y, m, d) = parse_date(date)?;
    let minutes = parse_time(time).unwrap_or(0) as i64;
    Some((days_from_civil(y, m, d) * 1440 + minutes - 60) * 60_000)
}

/// A day in ms, and six months as the OGP standard counts them.
pub const DAY_MS: i64 = 86_400_000;
pub const SIX_MONTHS_MS: i64 = 183 * DAY_MS;
