//! Points of a card's history, as the API names them, and their heads.
//!
//! `now` (or empty), `start` (before anything), `version:<id>` (a named
//! version), `heads:<hex>,<hex>` (any state), `after:<hex>` (right after a
//! change, with everything it had seen), `before:<hex>` (right before it),
//! `time:<ms>` (right after the last change recorded by then), `reviewed`
//! (my last review mark), `approval` (my last approval), `stage:<stage>`
//! (when the card last entered that stage), `meeting` (the last meeting of
//! the card's group or of the steering committee: the version a decision
//! of it named, else the card as it was when it ended).

use automerge::{Automerge, ChangeHash};
use codraft_protocol::DocumentId;

use super::super::error::{ApiError, ApiResult, ErrorCode};
use crate::accounts::Accounts;
use crate::review::{ReviewEvent, ReviewState, Stage};

/// A point, resolved as far as the review log allows; the rest needs the
/// document ([`Point::heads`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Point {
    Now,
    Heads(Vec<ChangeHash>),
    Before(ChangeHash),
}

fn hash(s: &str) -> ApiResult<ChangeHash> {
    s.trim().parse::<ChangeHash>().map_err(|_| {
        ApiError::new(
            ErrorCode::UnknownHeads,
            format!("{s:?} is not a change hash"),
        )
        .with("heads", s)
    })
}

fn hashes(list: &[String]) -> ApiResult<Vec<ChangeHash>> {
    list.iter().map(|h| hash(h)).collect()
}

/// Parses a point for the caller `me` of a card whose review log is `s`.
pub async fn parse(
    acc: &Accounts,
    doc: DocumentId,
    s: &ReviewState,
    me: &str,
    spec: &str,
) -> ApiResult<Point> {
    let (kind, arg) = spec.split_once(':').unwrap_or((spec, ""));
    Ok(match kind {
        "" | "now" => Point::Now,
        "start" => Point::Heads(Vec::new()),
        "version" => match s.version(arg) {
            Some(ReviewEvent::Version { stamp, .. }) => Point::Heads(hashes(&stamp.heads)?),
            _ => {
                return Err(ApiError::new(
                    ErrorCode::UnknownVersion,
                    format!("no version {arg:?}"),
                )
                .with("version", arg));
            }
        },
        "heads" => Point::Heads(
            arg.split(',')
                .filter(|h| !h.is_empty())
                .map(hash)
                .collect::<ApiResult<_>>()?,
        ),
        "after" => Point::Heads(vec![hash(arg)?]),
        "before" => Point::Before(hash(arg)?),
        "reviewed" => Point::Heads(match s.reviewed.get(me) {
            Some(m) => hashes(&m.heads)?,
            None => Vec::new(),
        }),
        "approval" => match s.last_approval.get(me) {
            Some(a) => Point::Heads(hashes(&a.heads)?),
            None => {
                return Err(ApiError::new(
                    ErrorCode::NoApproval,
                    "you have not approved this card",
                ));
            }
        },
        "stage" => {
            let stage: Stage = serde_json::from_value(serde_json::Value::String(arg.into()))
                .map_err(|_| ApiError::bad_request(format!("no stage {arg:?}")))?;
            match s.last_transition_to(stage) {
                Some(t) => Point::Heads(hashes(&t.heads)?),
                None => Point::Heads(Vec::new()),
            }
        }
        "meeting" => Point::Heads(since_meeting(acc, doc).await?),
        "time" => {
            let t: i64 = arg
                .parse()
                .map_err(|_| ApiError::bad_request(format!("{arg:?} is not a time in ms")))?;
            Point::Heads(at_time(acc, doc, t).await?)
        }
        _ => {
            return Err(ApiError::bad_request(format!(
                "{spec:?} is not a point of the history"
            )));
        }
    })
}

/// The card at the last meeting that discussed it: the latest meeting (of
/// its group or the steering committee) that has begun; the card's
/// version one of its decisions named, else the card when it ended.
async fn since_meeting(acc: &Accounts, doc: DocumentId) -> ApiResult<Vec<ChangeHash>> {
    let group = acc.group_of(&doc).unwrap_or_default();
    let now = crate::clock::now_ms();
    let url = doc.to_url();
    let mut last: Option<(i64, crate::meetings::MeetingState)> = None;
    for m in acc.meetings().await? {
        if m.group != group && m.group != codraft_schema::workspace::STEERING_COMMITTEE {
            continue;
        }
        let s = acc.meeting_state(m.id).await?;
        let Some(t) = s
            .ended_ms
            .or(s.started_ms)
            .or(s.planned_ms().filter(|t| *t <= now))
        else {
            continue;
        };
        if t <= now && last.as_ref().is_none_or(|(l, _)| t > *l) {
            last = Some((t, s));
        }
    }
    let Some((t, s)) = last else {
        return Err(ApiError::new(
            ErrorCode::NoMeeting,
            "no meeting of the group or the committee has taken place yet",
        ));
    };
    if let Some(d) = s
        .decisions
        .iter()
        .rev()
        .find(|d| d.card.as_deref() == Some(&url))
    {
        return hashes(&d.card_heads);
    }
    at_time(acc, doc, t).await
}

/// The heads right after the last change recorded at or before `t`.
async fn at_time(acc: &Accounts, doc: DocumentId, t: i64) -> ApiResult<Vec<ChangeHash>> {
    let mut before = None;
    loop {
        let page = acc.audit_page(doc, before.clone(), 500).await?;
        let Some(last) = page.last() else {
            return Ok(Vec::new());
        };
        if let Some(e) = page.iter().find(|e| e.time_ms <= t) {
            return Ok(vec![hash(&e.change)?]);
        }
        before = Some(last.cursor.clone());
    }
}

impl Point {
    /// The heads of this point in `doc`; `Err(hex)` for a change it lacks.
    pub fn heads(&self, doc: &Automerge) -> Result<Vec<ChangeHash>, String> {
        match self {
            Point::Now => Ok(doc.get_heads()),
            Point::Heads(h) => Ok(h.clone()),
            Point::Before(h) => doc
                .get_change_meta_by_hash(h)
                .map(|m| m.deps.clone())
                .ok_or_else(|| h.to_string()),
        }
    }
}

pub fn unknown_heads(h: String) -> ApiError {
    ApiError::new(
        ErrorCode::UnknownHeads,
        format!("the card has no change {h}"),
    )
    .with("heads", h)
}
