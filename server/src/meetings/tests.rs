use codraft_schema::meetings::Attendance;

use super::minutes::cadence;
use super::rules::*;
use super::*;
use crate::directory::{Role, Sector};

fn stamp(by: &str, sector: Sector, at_ms: i64, heads: &[&str]) -> Stamp {
    Stamp {
        by: by.into(),
        by_name: by.into(),
        sector,
        at_ms,
        heads: heads.iter().map(|h| (*h).to_owned()).collect(),
    }
}

fn who(user: &str, sector: Sector, role: Option<Role>) -> Who {
    Who {
        user: user.into(),
        sector,
        admin: false,
        secretariat: false,
        role,
    }
}

fn plan() -> Plan {
    Plan {
        title: Titles {
            fr: "Réunion".into(),
            ..Titles::default()
        },
        date: "2026-02-03".into(),
        time: "10:00".into(),
        agenda: vec![
            AgendaEntry {
                id: "item1".into(),
                title: Titles {
                    ar: "المنهجية".into(),
                    ..Titles::default()
                },
                minutes: 60,
                start: Some("10:00".into()),
                ..AgendaEntry::default()
            },
            AgendaEntry {
                id: "item2".into(),
                title: Titles {
                    ar: "المجموعات".into(),
                    ..Titles::default()
                },
                minutes: 30,
                start: Some("11:00".into()),
                ..AgendaEntry::default()
            },
        ],
        invitees: [
            ("amina", "Ministère"),
            ("yassine", "Org"),
            ("karim", "Ministère"),
        ]
        .into_iter()
        .map(|(u, o)| Invitee {
            key: u.into(),
            user: Some(u.into()),
            name: u.into(),
            organisation: o.into(),
            ..Invitee::default()
        })
        .collect(),
        ..Plan::default()
    }
}

fn scheduled() -> MeetingState {
    let mut s = MeetingState::default();
    s.apply(MeetingEvent::Scheduled {
        body: "steering_committee".into(),
        plan: plan(),
        stamp: stamp("hajar", Sector::Administration, 0, &[]),
    });
    s
}

#[test]
fn a_plan_needs_a_date_a_title_and_an_agenda_that_does_not_overlap() {
    let member = |u: &str| u != "stranger";
    assert_eq!(check_plan(&plan(), member), Ok(()));
    let mut p = plan();
    p.date = String::new();
    assert_eq!(check_plan(&p, member), Err(MeetingError::DateNeeded));
    p.date = "2026-02-30".into();
    assert_eq!(check_plan(&p, member), Err(MeetingError::DateNeeded));
    let mut p = plan();
    p.title = Titles::default();
    assert_eq!(check_plan(&p, member), Err(MeetingError::TitleNeeded));
    let mut p = plan();
    p.agenda[1].start = Some("10:30".into());
    assert_eq!(
        check_plan(&p, member),
        Err(MeetingError::AgendaOverlap {
            item: 2,
            previous: 1
        })
    );
    let mut p = plan();
    p.invitees[0].user = Some("stranger".into());
    p.invitees[0].name = "Stranger".into();
    assert_eq!(
        check_plan(&p, member),
        Err(MeetingError::OutsideBody {
            name: "Stranger".into()
        })
    );
    let mut p = plan();
    p.link = "javascript:alert(1)".into();
    assert_eq!(check_plan(&p, member), Err(MeetingError::BadLink));
}

#[test]
fn an_absence_is_announced_before_the_meeting_begins_with_its_time() {
    let s = scheduled();
    let start = s.planned_ms().unwrap();
    assert_eq!(start, 1_770_109_200_000, "10:00 in Casablanca is 09:00 UTC");
    assert!(check_excuse(&s, "karim", start - 1).is_ok());
    assert_eq!(
        check_excuse(&s, "karim", start).err(),
        Some(MeetingError::AlreadyBegun)
    );
    assert_eq!(
        check_excuse(&s, "salma", start - 1).err(),
        Some(MeetingError::NotInvited)
    );
    let mut s = s;
    s.apply(MeetingEvent::Excused {
        key: "karim".into(),
        stamp: stamp("karim", Sector::Other, start - 3_600_000, &[]),
    });
    let r = &s.attendance["karim"];
    assert_eq!(r.attendance, Attendance::Excused);
    assert_eq!(r.excused_ms, Some(start - 3_600_000));
}

#[test]
fn presence_in_the_live_page_counts_while_the_meeting_runs_and_the_rest_are_absent_at_the_end() {
    let mut s = scheduled();
    assert_eq!(
        check_seen(&s, "amina").err(),
        Some(MeetingError::WrongStatus {
            status: "scheduled"
        })
    );
    s.apply(MeetingEvent::Started {
        stamp: stamp("hajar", Sector::Administration, 100, &[]),
    });
    assert!(check_seen(&s, "amina").is_ok());
    s.apply(MeetingEvent::Seen {
        key: "amina".into(),
        stamp: stamp("amina", Sector::Administration, 150, &[]),
    });
    assert_eq!(attendance_of(&s, "amina"), Attendance::PresentRemotely);
    assert_eq!(attendance_of(&s, "yassine"), Attendance::Invited);
    s.apply(MeetingEvent::Item {
        index: 1,
        stamp: stamp("hajar", Sector::Administration, 400, &[]),
    });
    s.apply(MeetingEvent::Ended {
        stamp: stamp("hajar", Sector::Administration, 500, &[]),
    });
    assert_eq!(attendance_of(&s, "yassine"), Attendance::Absent);
    assert_eq!(s.spent_ms, vec![300, 100], "the agenda clock per item");
    // An organisation none of whose people came is listed absent.
    assert_eq!(
        absent_orgs(&s),
        vec![AbsentOrg {
            side: Default::default(),
            organisation: "Org".into()
        }],
        "only when every one of its people is absent"
    );
}

#[test]
fn both_co_coordinators_approving_the_same_version_publish_and_a_later_change_makes_an_approval_stale()
 {
    let mut s = scheduled();
    s.apply(MeetingEvent::Started {
        stamp: stamp("hajar", Sector::Administration, 100, &[]),
    });
    let amina = who("amina", Sector::Administration, Some(Role::CoCoordinator));
    let yassine = who("yassine", Sector::CivilSociety, Some(Role::CoCoordinator));
    let salma = who("salma", Sector::Academia, Some(Role::Member));
    let h1 = vec!["aa".to_owned()];
    assert_eq!(
        check_approval(&s, &salma, &h1, s.rev, &h1),
        Err(MeetingError::Forbidden {
            who: "co_coordinators"
        })
    );
    assert_eq!(check_approval(&s, &amina, &h1, s.rev, &h1), Ok(false));
    s.apply(MeetingEvent::Approved {
        rev: s.rev,
        stamp: stamp("amina", Sector::Administration, 200, &["aa"]),
    });
    // Someone typed: the text is at other heads now.
    let h2 = vec!["bb".to_owned()];
    assert_eq!(
        check_approval(&s, &yassine, &h1, s.rev, &h2),
        Err(MeetingError::StaleVersion)
    );
    assert_eq!(check_approval(&s, &yassine, &h2, s.rev, &h2), Ok(false));
    assert!(
        s.standing(&h2).is_empty(),
        "Amina's approval no longer stands"
    );
    // At the version Amina approved, Yassine's approval publishes…
    assert_eq!(check_approval(&s, &yassine, &h1, s.rev, &h1), Ok(true));
    // …unless the record changed (a decision) after hers.
    let mut later = s.clone();
    later.apply(MeetingEvent::Decision {
        decision: DecisionRecord {
            id: "d".into(),
            text: "x".into(),
            kind: Default::default(),
            item: None,
            card: None,
            card_heads: vec![],
            stamp: stamp("salma", Sector::Academia, 250, &[]),
        },
    });
    assert_eq!(
        check_approval(&later, &yassine, &h1, s.rev, &h1),
        Err(MeetingError::StaleVersion)
    );
    assert_eq!(
        check_approval(&later, &yassine, &h1, later.rev, &h1),
        Ok(false)
    );
}

#[test]
fn a_correction_reopens_published_minutes_and_keeps_the_published_version() {
    let mut s = scheduled();
    s.apply(MeetingEvent::Published {
        version: 1,
        rev: s.rev,
        upto: 1,
        approvals: vec![],
        stamp: stamp("yassine", Sector::CivilSociety, 300, &["aa"]),
    });
    assert!(s.locked());
    let salma = who("salma", Sector::Academia, Some(Role::Member));
    assert_eq!(
        check_decision(&s, &salma, "x"),
        Err(MeetingError::MinutesLocked)
    );
    let hajar = Who {
        secretariat: true,
        ..who("hajar", Sector::Administration, Some(Role::Member))
    };
    assert_eq!(
        check_correction(&s, &hajar, " "),
        Err(MeetingError::ReasonNeeded)
    );
    assert_eq!(
        check_correction(&s, &salma, "typo"),
        Err(MeetingError::Forbidden { who: "organisers" })
    );
    s.apply(MeetingEvent::Correction {
        reason: "a name misspelt".into(),
        stamp: stamp("hajar", Sector::Administration, 400, &[]),
    });
    assert!(!s.locked());
    assert_eq!(s.status, Status::Correcting);
    assert_eq!(s.versions.len(), 1);
    assert_eq!(s.versions[0].heads, vec!["aa".to_owned()]);
    assert_eq!(s.versions[0].corrected.as_deref(), Some("a name misspelt"));
}

#[test]
fn an_action_item_belongs_to_someone_of_the_body() {
    let s = scheduled();
    let salma = who("salma", Sector::Academia, Some(Role::Member));
    let member = |u: &str| ["amina", "yassine", "salma"].contains(&u);
    let yassine = Owner::Person {
        user: "yassine".into(),
        name: "Yassine".into(),
    };
    assert_eq!(
        check_action(&s, &salma, "x", &yassine, Some("2026-03-01"), member),
        Ok(())
    );
    let stranger = Owner::Person {
        user: "stranger".into(),
        name: "Stranger".into(),
    };
    assert_eq!(
        check_action(&s, &salma, "x", &stranger, None, member),
        Err(MeetingError::OutsideBody {
            name: "Stranger".into()
        })
    );
    assert_eq!(
        check_action(&s, &salma, "x", &yassine, Some("March"), member),
        Err(MeetingError::DateNeeded)
    );
    let observer = who("karim", Sector::Other, Some(Role::Observer));
    assert_eq!(
        check_action(&s, &observer, "x", &yassine, None, member),
        Err(MeetingError::Forbidden { who: "writers" })
    );
}

#[test]
fn the_cadence_warns_six_months_after_the_last_meeting() {
    let feb = planned_ms("2026-02-03", "10:00").unwrap();
    let july = planned_ms("2026-07-01", "10:00").unwrap();
    let dec = planned_ms("2026-12-01", "10:00").unwrap();
    let c = cadence(&[feb], july);
    assert_eq!((c.last_ms, c.next_ms, c.overdue), (Some(feb), None, false));
    let c = cadence(&[feb], dec);
    assert!(c.overdue, "ten months without a meeting");
    let c = cadence(&[feb, july], dec);
    assert_eq!((c.last_ms, c.overdue), (Some(july), false));
    let c = cadence(&[dec + DAY_MS], dec);
    assert_eq!(
        (c.last_ms, c.next_ms, c.overdue),
        (None, Some(dec + DAY_MS), true)
    );
}

#[test]
fn events_round_trip_and_unknown_ones_are_skipped() {
    let ev = MeetingEvent::Excused {
        key: "karim".into(),
        stamp: stamp("karim", Sector::Other, 5, &[]),
    };
    let json = serde_json::to_string(&ev).unwrap();
    assert_eq!(serde_json::from_str::<MeetingEvent>(&json).unwrap(), ev);
    let first = serde_json::to_string(&MeetingEvent::Scheduled {
        body: "b".into(),
        plan: plan(),
        stamp: stamp("hajar", Sector::Administration, 0, &[]),
    })
    .unwrap();
    assert!(MeetingState::is_meeting_log(&first));
    assert!(!MeetingState::is_meeting_log(
        r#"{"event":"approved","by":"x"}"#
    ));
    let s = MeetingState::fold([
        first.as_str(),
        r#"{"event":"from_the_future"}"#,
        json.as_str(),
    ]);
    assert_eq!(s.len, 3);
    assert_eq!(s.attendance["karim"].attendance, Attendance::Excused);
}
