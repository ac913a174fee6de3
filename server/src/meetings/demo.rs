//! The steering committee's session of 3 February 2026, seeded as an
//! approved, published meeting from its minutes
//! (`codraft_schema::meetings::demo`): scheduled and run by the
//! secretariat, each participant's attendance as the minutes give it, the
//! decision and the action item, approved by both co-coordinators.

use codraft_schema::meetings::{ActionStatus, demo};
use codraft_sync::Persist;

use super::minutes::{KIND, from_schema};
use super::*;
use crate::accounts::Accounts;
use crate::directory::{DirectoryError, DocInfo, User};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum DemoMeetingError {
    #[error("building the minutes: {0}")]
    Build(#[from] codraft_schema::edit::EditError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Directory(#[from] DirectoryError),
}

fn stamp(u: &User, at_ms: i64, heads: Vec<String>) -> Stamp {
    Stamp {
        by: u.id.clone(),
        by_name: u.name.clone(),
        sector: u.sector,
        at_ms,
        heads,
    }
}

/// Seeds the session: `secretariat` runs it, `admin_side` and
/// `civil_side` (the committee's co-coordinators) approve its minutes.
pub async fn february_2026(
    store: &dyn Store,
    acc: &Accounts,
    secretariat: &User,
    admin_side: &User,
    civil_side: &User,
) -> Result<DocInfo, DemoMeetingError> {
    let meeting = demo::february_2026();
    let (plan, attendance, content) = from_schema(&meeting);
    let start = planned_ms(&plan.date, &plan.time).unwrap_or_default();
    let scheduled_at = start - 14 * DAY_MS;
    let doc = codraft_schema::edit::from_json(&content, start + 2 * 3_600_000)?;
    let heads: Vec<String> = doc.get_heads().iter().map(|h| h.to_string()).collect();
    let id = codraft_protocol::DocumentId::random();
    store.write(id, Persist::Compact(doc.save())).await?;
    let info = DocInfo {
        id,
        group: meeting.body.clone(),
        kind: KIND.into(),
        created_by: secretariat.id.clone(),
        created_ms: scheduled_at,
    };
    acc.register_document(info.clone()).await?;
    let hour = 3_600_000;
    let mut events = vec![MeetingEvent::Scheduled {
        body: meeting.body.clone(),
        plan,
        stamp: stamp(secretariat, scheduled_at, Vec::new()),
    }];
    for (key, a) in attendance {
        events.push(MeetingEvent::Marked {
            key,
            attendance: a,
            stamp: stamp(secretariat, start + 2 * hour, Vec::new()),
        });
    }
    events.push(MeetingEvent::Started {
        stamp: stamp(secretariat, start, Vec::new()),
    });
    events.push(MeetingEvent::Item {
        index: 1,
        stamp: stamp(secretariat, start + hour, Vec::new()),
    });
    events.push(MeetingEvent::Ended {
        stamp: stamp(secretariat, start + 2 * hour, Vec::new()),
    });
    for (n, d) in meeting.decisions.iter().enumerate() {
        events.push(MeetingEvent::Decision {
            decision: DecisionRecord {
                id: format!("decision{}", n + 1),
                text: d.text.clone(),
                kind: d.kind,
                item: Some("item1".into()),
                card: None,
                card_heads: Vec::new(),
                stamp: stamp(secretariat, start + 50 * 60_000, Vec::new()),
            },
        });
    }
    for (n, a) in meeting.actions.iter().enumerate() {
        events.push(MeetingEvent::Action {
            action: ActionRecord {
                id: format!("action{}", n + 1),
                text: a.text.clone(),
                owner: Owner::Organisation {
                    name: a.owner.clone(),
                },
                due: a.due.clone(),
                status: ActionStatus::Open,
                stamp: stamp(secretariat, start + 110 * 60_000, Vec::new()),
            },
        });
    }
    // Both co-coordinators approve the same version a week later.
    let mut state = MeetingState::default();
    for e in &events {
        state.apply(e.clone());
    }
    let approved_at = start + 7 * DAY_MS;
    let approvals = vec![
        stamp(admin_side, approved_at, heads.clone()),
        stamp(civil_side, approved_at + hour, heads.clone()),
    ];
    for a in &approvals {
        events.push(MeetingEvent::Approved {
            rev: state.rev,
            stamp: a.clone(),
        });
    }
    let upto = events.len();
    events.push(MeetingEvent::Published {
        version: 1,
        rev: state.rev,
        upto,
        approvals,
        stamp: stamp(civil_side, approved_at + hour, heads),
    });
    let mut log = MeetingState::default();
    for e in events {
        acc.append_meeting(id, &log, &e).await?;
        log.len += 1;
        log.apply(e);
    }
    Ok(info)
}
