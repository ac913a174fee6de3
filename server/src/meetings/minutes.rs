//! The minutes document and the minutes themselves.
//!
//! The document holds only what people draft together: one text per
//! agenda item (`items/<id>`) and the main outcomes (`outcomes`, one per
//! line). Everything else comes from the server's record. [`build`] brings
//! a version of both together as the schema's
//! [`codraft_schema::meetings::Meeting`], which the schema renders as
//! Markdown or as a printable page.

use automerge::{Automerge, ChangeHash, ReadDoc};
use codraft_schema::meetings::{self as m, Attendance};
use serde_json::{Value as Json, json};

use super::rules::attendance_of;
use super::*;

/// The kind of a minutes document in the directory.
pub const KIND: &str = "minutes";

/// The minutes document's first state: an empty text per agenda item.
pub fn initial(plan: &Plan) -> Json {
    let items: serde_json::Map<String, Json> = plan
        .agenda
        .iter()
        .map(|a| (a.id.clone(), Json::String(String::new())))
        .collect();
    json!({ "kind": KIND, "items": items, "outcomes": "" })
}

/// The texts drafted together, at the document's current state or at
/// `heads`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    pub items: HashMap<String, String>,
    pub outcomes: String,
    pub heads: Vec<String>,
}

/// Reads the texts (at `heads`, if given and known).
pub fn texts(doc: &Automerge, heads: Option<&[String]>) -> Texts {
    let read = |d: &Automerge| {
        let json = codraft_schema::edit::read(d, &[]).unwrap_or(Json::Null);
        let items = json
            .get("items")
            .and_then(Json::as_object)
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Texts {
            items,
            outcomes: json
                .get("outcomes")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned(),
            heads: d.get_heads().iter().map(|h| h.to_string()).collect(),
        }
    };
    match heads {
        Some(h) => {
            let hashes: Vec<ChangeHash> = h.iter().filter_map(|s| s.parse().ok()).collect();
            if hashes.len() == h.len() && hashes.iter().all(|x| doc.get_change_by_hash(x).is_some())
            {
                read(&doc.fork_at(&hashes).unwrap_or_else(|_| doc.clone()))
            } else {
                read(doc)
            }
        }
        None => read(doc),
    }
}

/// Agenda items the document has no text for yet (added to the plan).
pub fn missing_items(doc: &Automerge, plan: &Plan) -> Vec<String> {
    let have = texts(doc, None).items;
    plan.agenda
        .iter()
        .filter(|a| !have.contains_key(&a.id))
        .map(|a| a.id.clone())
        .collect()
}

/// Adds an empty text for each of `ids` under `items`.
pub fn add_items(doc: &mut Automerge, ids: &[String], now_ms: i64) {
    let commit = codraft_schema::edit::Commit::at(now_ms);
    for id in ids {
        if let Err(e) = codraft_schema::edit::put(
            doc,
            &codraft_schema::edit::keys_of("items"),
            &codraft_schema::edit::Key::Map(id.clone()),
            &Json::String(String::new()),
            &commit,
        ) {
            tracing::error!(error = %e, "adding an agenda item's text");
        }
    }
}

/// The first title given, Arabic first (for notes and logs).
pub fn best_title(t: &Titles) -> &str {
    [&t.ar, &t.fr, &t.zgh]
        .into_iter()
        .find(|x| !x.trim().is_empty())
        .map_or("", |x| x.as_str())
}

fn multi(t: &Titles) -> codraft_schema::card::Multi {
    serde_json::from_value(codraft_schema::card::multi_with(&t.ar, &t.fr, &t.zgh))
        .unwrap_or_default()
}

/// The minutes as the schema renders them: the record `s` (the whole log,
/// or the log up to a published version) and the texts `t`.
pub fn build(s: &MeetingState, t: &Texts) -> m::Meeting {
    let participants = s
        .plan
        .invitees
        .iter()
        .map(|i| m::Participant {
            honorific: i.honorific.clone(),
            name: i.name.clone(),
            organisation: i.organisation.clone(),
            side: i.side,
            function: i.function.clone(),
            attendance: attendance_of(s, &i.key),
            excused_ms: s.attendance.get(&i.key).and_then(|r| r.excused_ms),
        })
        .collect();
    m::Meeting {
        body: s.body.clone(),
        title: multi(&s.plan.title),
        date: s.plan.date.clone(),
        time: s.plan.time.clone(),
        format: s.plan.format,
        link: s.plan.link.clone(),
        participants,
        absent: super::rules::absent_orgs(s)
            .into_iter()
            .map(|a| (a.side, a.organisation))
            .collect(),
        agenda: s
            .plan
            .agenda
            .iter()
            .map(|a| m::AgendaItem {
                title: multi(&a.title),
                presenter: a.presenter.clone(),
                minutes: a.minutes,
                discussion: t.items.get(&a.id).cloned().unwrap_or_default(),
                conclusions: Vec::new(),
            })
            .collect(),
        outcomes: t
            .outcomes
            .lines()
            .map(|l| l.trim().trim_start_matches('-').trim())
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        decisions: s
            .decisions
            .iter()
            .map(|d| m::Decision {
                text: d.text.clone(),
                kind: d.kind,
                card: d.card.clone(),
                card_heads: d.card_heads.clone(),
            })
            .collect(),
        actions: s
            .actions
            .iter()
            .map(|a| m::ActionItem {
                text: a.text.clone(),
                owner: a.owner.label().to_owned(),
                due: a.due.clone(),
                status: a.status,
            })
            .collect(),
    }
}

/// The plan, the attendance and the texts of a meeting the schema
/// describes (the seeded 3 February session): invitees keyed by their
/// order, the discussion and conclusions of each item as its text.
pub fn from_schema(meeting: &m::Meeting) -> (Plan, Vec<(String, Attendance)>, Json) {
    let invitees: Vec<Invitee> = meeting
        .participants
        .iter()
        .enumerate()
        .map(|(n, p)| Invitee {
            key: format!("p{}", n + 1),
            user: None,
            honorific: p.honorific.clone(),
            name: p.name.clone(),
            organisation: p.organisation.clone(),
            side: p.side,
            function: p.function.clone(),
        })
        .collect();
    let attendance = meeting
        .participants
        .iter()
        .enumerate()
        .map(|(n, p)| (format!("p{}", n + 1), p.attendance))
        .collect();
    let titles = |t: &codraft_schema::card::Multi| Titles {
        ar: t.ar.text.clone(),
        fr: t.fr.text.clone(),
        zgh: t.zgh.text.clone(),
    };
    let agenda: Vec<AgendaEntry> = meeting
        .agenda
        .iter()
        .enumerate()
        .map(|(n, a)| AgendaEntry {
            id: format!("item{}", n + 1),
            title: titles(&a.title),
            presenter: a.presenter.clone(),
            minutes: a.minutes,
            start: None,
            cards: Vec::new(),
            proposals: Vec::new(),
        })
        .collect();
    let items: serde_json::Map<String, Json> = meeting
        .agenda
        .iter()
        .zip(&agenda)
        .map(|(a, e)| {
            let mut text = a.discussion.trim().to_owned();
            for c in &a.conclusions {
                text.push_str(&format!("\n- {c}"));
            }
            (e.id.clone(), Json::String(text))
        })
        .collect();
    let outcomes: String = meeting.outcomes.iter().map(|o| format!("{o}\n")).collect();
    let plan = Plan {
        title: titles(&meeting.title),
        date: meeting.date.clone(),
        time: meeting.time.clone(),
        format: meeting.format,
        link: meeting.link.clone(),
        agenda,
        invitees,
        absent: meeting
            .absent
            .iter()
            .map(|(side, o)| AbsentOrg {
                side: *side,
                organisation: o.clone(),
            })
            .collect(),
    };
    (
        plan,
        attendance,
        json!({ "kind": KIND, "items": items, "outcomes": outcomes }),
    )
}

/// The cadence of a body's meetings (the OGP standard: the forum meets
/// at least every six months).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ToSchema)]
pub struct Cadence {
    /// The planned start of the last meeting held (ms).
    pub last_ms: Option<i64>,
    /// The next meeting planned (ms).
    pub next_ms: Option<i64>,
    /// Six months passed since the last meeting (or there was none) and
    /// none is planned within them.
    pub overdue: bool,
}

pub fn cadence(planned: &[i64], now_ms: i64) -> Cadence {
    let last = planned.iter().copied().filter(|t| *t <= now_ms).max();
    let next = planned.iter().copied().filter(|t| *t > now_ms).min();
    let overdue = match last {
        Some(l) => now_ms - l > SIX_MONTHS_MS,
        None => true,
    };
    Cadence {
        last_ms: last,
        next_ms: next,
        overdue,
    }
}
