//! A body's meetings: the list with the cadence, scheduling, the meeting
//! as the server records it, and the actions that change it (plan,
//! absences, presence, attendance, the agenda clock, decisions, action
//! items, approval, correction) in [`actions`]; the minutes as Markdown or
//! a printable page and one's own action items in [`read`]. The rules are
//! in [`crate::meetings::rules`].

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use codraft_protocol::DocumentId;
use codraft_schema::meetings::{Attendance, Format};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::documents::doc_for;
use super::error::{ApiError, ApiResult, Body, ErrorBody, ErrorCode};
use super::extract::Caller;
use crate::accounts::Accounts;
use crate::directory::{Credential, DocInfo};
use crate::hub::Hub;
use crate::meetings::minutes::{Cadence, cadence};
use crate::meetings::rules::{self, Who, attendance_of};
use crate::meetings::{
    AbsentOrg, ActionRecord, AgendaEntry, DecisionRecord, Invitee, MeetingError, MeetingEvent,
    MeetingState, Plan, Status, Titles, Version,
};
use crate::review::Stamp;

mod actions;
pub mod read;

pub use actions::*;
pub use read::*;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
    Arc<Hub>: axum::extract::FromRef<S>,
{
    Router::new()
        .route(
            "/api/bodies/{body}/meetings",
            get(list_meetings).post(actions::schedule),
        )
        .route("/api/meetings/{meeting}", get(meeting))
        .route("/api/meetings/{meeting}/plan", post(actions::replan))
        .route("/api/meetings/{meeting}/excuse", post(actions::excuse))
        .route("/api/meetings/{meeting}/here", post(actions::here))
        .route("/api/meetings/{meeting}/attendance", post(actions::mark))
        .route("/api/meetings/{meeting}/start", post(actions::start))
        .route("/api/meetings/{meeting}/item", post(actions::item))
        .route("/api/meetings/{meeting}/end", post(actions::end))
        .route(
            "/api/meetings/{meeting}/decisions",
            post(actions::decide_on),
        )
        .route(
            "/api/meetings/{meeting}/decisions/{id}/drop",
            post(actions::drop_decision),
        )
        .route("/api/meetings/{meeting}/actions", post(actions::add_action))
        .route(
            "/api/meetings/{meeting}/actions/{id}/status",
            post(actions::action_status),
        )
        .route(
            "/api/meetings/{meeting}/approve",
            post(actions::approve_minutes),
        )
        .route(
            "/api/meetings/{meeting}/withdraw",
            post(actions::withdraw_minutes),
        )
        .route("/api/meetings/{meeting}/correction", post(actions::correct))
        .route("/api/meetings/{meeting}/minutes", get(read::minutes))
        .route("/api/me/actions", get(read::my_actions))
}

impl From<MeetingError> for ApiError {
    fn from(e: MeetingError) -> Self {
        use MeetingError as M;
        let message = e.to_string();
        let err = |c| ApiError::new(c, message.clone());
        match e {
            M::Forbidden { who } => err(ErrorCode::Forbidden).with("who", who),
            M::TitleNeeded => err(ErrorCode::TitleNeeded),
            M::DateNeeded => err(ErrorCode::DateNeeded),
            M::BadTime => err(ErrorCode::BadTime),
            M::BadLink => err(ErrorCode::BadLink),
            M::ItemTitleNeeded { item } => err(ErrorCode::ItemTitleNeeded).with("item", item),
            M::BadDuration { item, max } => err(ErrorCode::BadDuration)
                .with("item", item)
                .with("max", max),
            M::AgendaOverlap { item, previous } => err(ErrorCode::AgendaOverlap)
                .with("item", item)
                .with("previous", previous),
            M::OutsideBody { name } => err(ErrorCode::OutsideBody).with("name", name),
            M::TooLong { max } => err(ErrorCode::TooLong).with("max", max),
            M::TooMany { what, max } => err(ErrorCode::TooMany).with("what", what).with("max", max),
            M::NotInvited => err(ErrorCode::NotInvited),
            M::AlreadyBegun => err(ErrorCode::AlreadyBegun),
            M::WrongStatus { status } => err(ErrorCode::WrongStatus).with("status", status),
            M::MinutesLocked => err(ErrorCode::MinutesLocked),
            M::NoSuchEntry => err(ErrorCode::NoSuchEntry),
            M::StaleVersion => err(ErrorCode::StaleVersion),
            M::AlreadyApproved => err(ErrorCode::AlreadyApproved),
            M::ApproverSector => err(ErrorCode::ApproverSector),
            M::NoApproval => err(ErrorCode::NoApproval),
            M::ReasonNeeded => err(ErrorCode::ReasonNeeded),
        }
    }
}

/// The meeting (its minutes document) and who the caller is to the rules.
pub(super) struct Ctx {
    pub info: DocInfo,
    pub who: Who,
    pub cred: Credential,
}

pub(super) fn who_in(acc: &Accounts, c: &Credential, body: &str) -> Who {
    Who {
        user: c.user.id.clone(),
        sector: c.user.sector,
        admin: c.user.admin,
        secretariat: acc.is_secretariat(&c.user.id),
        role: acc.role(body, &c.user.id),
    }
}

pub(super) async fn ctx(acc: &Accounts, cred: Credential, meeting: &str) -> ApiResult<Ctx> {
    let (info, _) = doc_for(acc, &cred, meeting).await?;
    if info.kind != crate::meetings::minutes::KIND {
        return Err(ApiError::not_found("no such meeting"));
    }
    Ok(Ctx {
        who: who_in(acc, &cred, &info.group),
        info,
        cred,
    })
}

pub(super) fn stamp(c: &Credential, heads: Vec<String>) -> Stamp {
    crate::http::review::stamp(c, heads)
}

/// The minutes document's heads now.
pub(super) async fn heads(hub: &Arc<Hub>, doc: DocumentId) -> ApiResult<Vec<String>> {
    Ok(crate::hub::actor::read(hub, doc, |d| {
        d.get_heads().iter().map(|h| h.to_string()).collect()
    })
    .await?)
}

/// Decides on the log as it is and appends the event (again if someone
/// appended meanwhile); `None` from `f`: nothing to record.
pub(super) async fn decide(
    acc: &Accounts,
    doc: DocumentId,
    mut f: impl FnMut(&MeetingState) -> ApiResult<Option<MeetingEvent>>,
) -> ApiResult<MeetingState> {
    for _ in 0..5 {
        let state = acc.meeting_state(doc).await?;
        let Some(event) = f(&state)? else {
            return Ok(state);
        };
        if acc.append_meeting(doc, &state, &event).await? {
            let mut after = state;
            after.len += 1;
            after.apply(event);
            return Ok(after);
        }
    }
    Err(ApiError::new(
        ErrorCode::Busy,
        "the meeting's record changed several times meanwhile: try again",
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingSummary {
    /// The minutes document (`automerge:` URL): the meeting's id.
    pub id: String,
    pub body: String,
    pub title: Titles,
    pub date: String,
    pub time: String,
    pub format: Format,
    pub status: Status,
    pub planned_ms: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BodyMeetings {
    pub body: String,
    /// Newest first.
    pub meetings: Vec<MeetingSummary>,
    pub cadence: Cadence,
    pub can_schedule: bool,
}

pub(super) fn summary(info: &DocInfo, s: &MeetingState) -> MeetingSummary {
    MeetingSummary {
        id: info.id.to_url(),
        body: info.group.clone(),
        title: s.plan.title.clone(),
        date: s.plan.date.clone(),
        time: s.plan.time.clone(),
        format: s.plan.format,
        status: s.status,
        planned_ms: s.planned_ms(),
    }
}

/// A body's meetings, newest first, and its cadence.
#[utoipa::path(get, path = "/api/bodies/{body}/meetings", responses((status = 200, body = BodyMeetings), (status = 404, body = ErrorBody)))]
pub async fn list_meetings(
    Caller { acc, who }: Caller,
    Path(body): Path<String>,
) -> ApiResult<Json<BodyMeetings>> {
    let w = who_in(&acc, &who, &body);
    if !acc.groups().await?.contains(&body) || !(w.role.is_some() || w.organises()) {
        return Err(ApiError::not_found("no such body"));
    }
    let mut meetings = Vec::new();
    for info in acc
        .meetings()
        .await?
        .into_iter()
        .filter(|d| d.group == body)
    {
        let s = acc.meeting_state(info.id).await?;
        meetings.push(summary(&info, &s));
    }
    meetings.sort_by_key(|m| std::cmp::Reverse(m.planned_ms));
    let planned: Vec<i64> = meetings.iter().filter_map(|m| m.planned_ms).collect();
    Ok(Json(BodyMeetings {
        cadence: cadence(&planned, crate::clock::now_ms()),
        can_schedule: w.organises(),
        meetings,
        body,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceRow {
    #[serde(flatten)]
    pub invitee: Invitee,
    pub attendance: Attendance,
    pub excused_ms: Option<i64>,
    pub seen_ms: Option<i64>,
    pub confirmed_by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Clock {
    /// The current item, since when (ms).
    pub index: usize,
    pub since_ms: i64,
    /// Time spent so far on each item before the current stretch (ms).
    pub spent_ms: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MinutesApproval {
    #[serde(flatten)]
    pub stamp: Stamp,
    pub rev: usize,
    /// Still of the current version.
    pub standing: bool,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct MeetingAllowed {
    pub replan: bool,
    pub excuse: bool,
    pub mark: bool,
    pub start: bool,
    pub clock: bool,
    pub end: bool,
    /// Write the minutes, record decisions and action items.
    pub record: bool,
    pub approve: bool,
    pub withdraw: bool,
    pub correct: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingView {
    #[serde(flatten)]
    pub summary: MeetingSummary,
    pub plan: Plan,
    pub scheduled: Option<Stamp>,
    pub attendance: Vec<AttendanceRow>,
    /// The organisations absent, as the minutes will list them.
    pub absent_organisations: Vec<AbsentOrg>,
    pub started_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    pub clock: Option<Clock>,
    pub decisions: Vec<DecisionRecord>,
    pub actions: Vec<ActionRecord>,
    pub approvals: Vec<MinutesApproval>,
    pub versions: Vec<Version>,
    /// The version now: the text's heads and the record's revision (what
    /// an approval names).
    pub heads: Vec<String>,
    pub rev: usize,
    /// The caller's own invitee key, if invited.
    pub me: Option<String>,
    pub allowed: MeetingAllowed,
    pub now_ms: i64,
}

pub(super) fn view(info: &DocInfo, s: &MeetingState, w: &Who, heads: Vec<String>) -> MeetingView {
    let now = crate::clock::now_ms();
    let attendance = s
        .plan
        .invitees
        .iter()
        .map(|i| {
            let r = s.attendance.get(&i.key).cloned().unwrap_or_default();
            AttendanceRow {
                invitee: i.clone(),
                attendance: attendance_of(s, &i.key),
                excused_ms: r.excused_ms,
                seen_ms: r.seen_ms,
                confirmed_by: r.confirmed_by,
            }
        })
        .collect();
    let me = s.invitee_of_user(&w.user).map(|i| i.key.clone());
    let standing: Vec<String> = s.standing(&heads).iter().map(|a| a.by.clone()).collect();
    let allowed = MeetingAllowed {
        replan: rules::check_replan(s, w).is_ok(),
        excuse: rules::check_excuse(s, &w.user, now).is_ok()
            && s.attendance
                .get(me.as_deref().unwrap_or(""))
                .map(|r| r.attendance)
                != Some(Attendance::Excused),
        mark: rules::check_organiser(w).is_ok() && !s.locked(),
        start: rules::check_start(s, w).is_ok(),
        clock: rules::check_item(s, w, 0).is_ok(),
        end: rules::check_end(s, w).is_ok(),
        record: rules::check_writer(s, w).is_ok(),
        approve: rules::check_approval(s, w, &heads, s.rev, &heads).is_ok(),
        withdraw: rules::check_withdrawal(s, w).is_ok(),
        correct: rules::check_correction(s, w, "-").is_ok(),
    };
    MeetingView {
        summary: summary(info, s),
        plan: s.plan.clone(),
        scheduled: s.scheduled.clone(),
        attendance,
        absent_organisations: rules::absent_orgs(s),
        started_ms: s.started_ms,
        ended_ms: s.ended_ms,
        clock: s.current_item.map(|(index, since_ms)| Clock {
            index,
            since_ms,
            spent_ms: s.spent_ms.clone(),
        }),
        decisions: s.decisions.clone(),
        actions: s.actions.clone(),
        approvals: s
            .approvals
            .iter()
            .map(|(a, rev)| MinutesApproval {
                standing: standing.contains(&a.by),
                stamp: a.clone(),
                rev: *rev,
            })
            .collect(),
        versions: s.versions.clone(),
        heads,
        rev: s.rev,
        me,
        allowed,
        now_ms: now,
    }
}

/// The meeting as the server records it, with what the caller may do.
#[utoipa::path(get, path = "/api/meetings/{meeting}", responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
pub async fn meeting(
    State(hub): State<Arc<Hub>>,
    Caller { acc, who }: Caller,
    Path(meeting): Path<String>,
) -> ApiResult<Json<MeetingView>> {
    let c = ctx(&acc, who, &meeting).await?;
    let s = acc.meeting_state(c.info.id).await?;
    let h = heads(&hub, c.info.id).await?;
    Ok(Json(view(&c.info, &s, &c.who, h)))
}

/// An agenda item as asked for (an id keeps an item's text across plan
/// changes; a new item gets one).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AgendaInput {
    pub id: Option<String>,
    pub title: Titles,
    pub presenter: String,
    pub minutes: u32,
    pub start: Option<String>,
    /// Cards discussed under the item (`automerge:` URLs the organiser
    /// reads).
    pub cards: Vec<String>,
    /// Proposals discussed under the item (tracking codes).
    pub proposals: Vec<String>,
}

/// A meeting's plan as asked for: accounts invited by id (all the body's
/// members when absent), guests without an account as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PlanBody {
    pub title: Titles,
    pub date: String,
    pub time: String,
    pub format: Format,
    pub link: String,
    pub agenda: Vec<AgendaInput>,
    pub invite: Option<Vec<String>>,
    /// An invited account's function in the meeting ("principal
    /// representative", "deputy", "commitment 10 lead"), by account id.
    pub functions: std::collections::BTreeMap<String, String>,
    pub guests: Vec<Invitee>,
    pub absent: Vec<AbsentOrg>,
}

/// Turns a plan request into a plan: invitees from the directory, item
/// ids kept or given.
pub(super) async fn plan_of(acc: &Accounts, body: &str, b: PlanBody) -> ApiResult<Plan> {
    let members = acc.members(body).await?;
    let wanted: Vec<String> = match &b.invite {
        Some(ids) => ids.clone(),
        None => members.iter().map(|m| m.user.id.clone()).collect(),
    };
    let mut invitees = Vec::new();
    for id in wanted {
        let Some(m) = members.iter().find(|m| m.user.id == id) else {
            let name = acc.user(&id).await?.map(|u| u.name).unwrap_or(id);
            return Err(MeetingError::OutsideBody { name }.into());
        };
        invitees.push(Invitee {
            key: m.user.id.clone(),
            user: Some(m.user.id.clone()),
            honorific: String::new(),
            name: m.user.name.clone(),
            organisation: m.user.organisation.clone(),
            side: rules::side_of(m.user.sector),
            function: b
                .functions
                .get(&id)
                .map(|f| f.trim().to_owned())
                .unwrap_or_default(),
        });
    }
    for (n, mut g) in b.guests.into_iter().enumerate() {
        g.user = None;
        if g.key.is_empty() || invitees.iter().any(|i| i.key == g.key) {
            g.key = format!("guest{}", n + 1);
        }
        invitees.push(g);
    }
    let mut used: Vec<String> = b.agenda.iter().filter_map(|a| a.id.clone()).collect();
    let mut next = 1;
    let agenda = b
        .agenda
        .into_iter()
        .map(|a| {
            let id = a.id.filter(|i| !i.is_empty()).unwrap_or_else(|| {
                loop {
                    let id = format!("item{next}");
                    next += 1;
                    if !used.contains(&id) {
                        used.push(id.clone());
                        break id;
                    }
                }
            });
            AgendaEntry {
                id,
                title: a.title,
                presenter: a.presenter,
                minutes: a.minutes,
                start: a.start.filter(|s| !s.is_empty()),
                cards: a.cards,
                proposals: a.proposals,
            }
        })
        .collect();
    let plan = Plan {
        title: b.title,
        date: b.date.trim().to_owned(),
        time: b.time.trim().to_owned(),
        format: b.format,
        link: b.link.trim().to_owned(),
        agenda,
        invitees,
        absent: b.absent,
    };
    rules::check_plan(&plan, |u| acc.role(body, u).is_some())?;
    Ok(plan)
}

/// The cards and proposals an agenda links exist (and the cards are ones
/// `who` reads); cards are kept as `automerge:` URLs, codes in capitals.
pub(super) async fn check_links(
    acc: &Accounts,
    who: &Credential,
    plan: &mut Plan,
) -> ApiResult<()> {
    let process = acc.process().await?;
    for item in &mut plan.agenda {
        for card in &mut item.cards {
            let (info, _) = doc_for(acc, who, card).await?;
            if info.kind != "card" {
                return Err(ApiError::not_found("no such card"));
            }
            *card = info.id.to_url();
        }
        for code in &mut item.proposals {
            *code = code.trim().to_uppercase();
            if process.proposal(code).is_none() {
                return Err(
                    ApiError::new(ErrorCode::NoSuchProposal, "no proposal with this code")
                        .with("code", code.clone()),
                );
            }
        }
        if item.cards.len() + item.proposals.len() > 50 {
            return Err(MeetingError::TooMany {
                what: "linked cards and proposals",
                max: 50,
            }
            .into());
        }
    }
    Ok(())
}
