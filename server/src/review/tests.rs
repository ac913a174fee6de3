use super::workflow::*;
use super::*;
use crate::directory::Role;

fn actor(user: &str, sector: Sector, role: Option<Role>) -> Actor {
    Actor {
        user: user.into(),
        sector,
        admin: false,
        secretariat: false,
        role,
    }
}

fn stamp(by: &str, sector: Sector, heads: &[&str]) -> Stamp {
    Stamp {
        by: by.into(),
        by_name: by.into(),
        sector,
        at_ms: 1,
        heads: heads.iter().map(|h| h.to_string()).collect(),
    }
}

fn moved(s: &mut ReviewState, from: Stage, to: Stage) {
    s.apply(ReviewEvent::Transition {
        from,
        to,
        stamp: stamp("x", Sector::Other, &["h0"]),
        reason: None,
    });
}

#[test]
fn a_member_sends_to_review_but_cannot_validate_adopt_or_publish() {
    let salma = actor("salma", Sector::Academia, Some(Role::Member));
    let mut s = ReviewState::default();
    assert!(check_transition(&s, &salma, Stage::GroupReview, None).is_ok());
    assert_eq!(
        check_transition(&s, &salma, Stage::Published, None),
        Err(ReviewError::NoSuchMove {
            from: "draft",
            to: "published"
        })
    );
    moved(&mut s, Stage::Draft, Stage::GroupReview);
    assert_eq!(
        check_transition(&s, &salma, Stage::Validated, None),
        Err(ReviewError::NeedsApprovals)
    );
    let e = check_approval(&s, &salma, &["h0".into()], &["h0".into()], 0);
    assert!(matches!(e, Err(ReviewError::Forbidden { .. })));
    let karim = actor("karim", Sector::Other, Some(Role::Observer));
    assert!(check_transition(&ReviewState::default(), &karim, Stage::GroupReview, None).is_err());
}

#[test]
fn two_co_coordinators_of_both_sectors_at_the_same_version_validate() {
    let amina = actor("amina", Sector::Administration, Some(Role::CoCoordinator));
    let yassine = actor("yassine", Sector::CivilSociety, Some(Role::CoCoordinator));
    let mut s = ReviewState::default();
    moved(&mut s, Stage::Draft, Stage::GroupReview);
    let v1 = vec!["h1".to_string()];
    assert_eq!(
        check_approval(&s, &amina, &v1, &v1, 3),
        Err(ReviewError::Incomplete { missing: 3 })
    );
    assert_eq!(check_approval(&s, &amina, &v1, &v1, 0), Ok(false));
    s.apply(ReviewEvent::Approved {
        stamp: stamp("amina", Sector::Administration, &["h1"]),
    });
    assert_eq!(
        check_approval(&s, &amina, &v1, &v1, 0),
        Err(ReviewError::AlreadyApproved)
    );
    // Yassine looked at an older version.
    assert_eq!(
        check_approval(&s, &yassine, &["h0".into()], &v1, 0),
        Err(ReviewError::StaleVersion)
    );
    assert_eq!(check_approval(&s, &yassine, &v1, &v1, 0), Ok(true));
    // A later change: Amina's approval no longer stands; Yassine's alone
    // does not validate.
    let v2 = vec!["h2".to_string()];
    assert_eq!(s.standing(&v2).count(), 0);
    assert_eq!(check_approval(&s, &yassine, &v2, &v2, 0), Ok(false));
    // Two administrations do not make two keys.
    let other_admin = actor("omar", Sector::Administration, Some(Role::CoCoordinator));
    assert_eq!(check_approval(&s, &other_admin, &v1, &v1, 0), Ok(false));
    let academic = actor("salma", Sector::Academia, Some(Role::CoCoordinator));
    assert_eq!(
        check_approval(&s, &academic, &v1, &v1, 0),
        Err(ReviewError::ApproverSector)
    );
}

#[test]
fn the_committee_adopts_the_secretariat_publishes_and_draft_needs_a_reason() {
    let amina = actor("amina", Sector::Administration, Some(Role::CoCoordinator));
    let mut admin = actor("admin", Sector::Administration, None);
    admin.admin = true;
    let mut nadia = actor("nadia", Sector::Administration, None);
    nadia.secretariat = true;
    let mut s = ReviewState::default();
    moved(&mut s, Stage::Draft, Stage::GroupReview);
    moved(&mut s, Stage::GroupReview, Stage::Validated);
    assert!(
        check_unlocked(&s).is_ok(),
        "a validated card stays open (an edit sends it back)"
    );
    assert!(check_transition(&s, &amina, Stage::Adopted, None).is_err());
    assert!(check_transition(&s, &admin, Stage::Adopted, None).is_ok());
    moved(&mut s, Stage::Validated, Stage::Adopted);
    assert!(check_unlocked(&s).is_err());
    assert!(check_transition(&s, &amina, Stage::Published, None).is_err());
    assert!(check_transition(&s, &nadia, Stage::Published, None).is_ok());
    assert_eq!(
        check_transition(&s, &amina, Stage::Draft, Some("  ")),
        Err(ReviewError::ReasonNeeded)
    );
    assert!(
        check_transition(
            &s,
            &amina,
            Stage::Draft,
            Some("the ministry asked for changes")
        )
        .is_ok()
    );
}

#[test]
fn the_log_folds_and_a_transition_starts_a_new_round() {
    let events = [
        serde_json::to_string(&ReviewEvent::Approved {
            stamp: stamp("amina", Sector::Administration, &["h1"]),
        })
        .unwrap(),
        "{\"event\":\"from_a_newer_server\"}".to_string(),
        serde_json::to_string(&ReviewEvent::Withdrawn {
            stamp: stamp("amina", Sector::Administration, &["h1"]),
        })
        .unwrap(),
        serde_json::to_string(&ReviewEvent::Approved {
            stamp: stamp("yassine", Sector::CivilSociety, &["h1"]),
        })
        .unwrap(),
    ];
    let s = ReviewState::fold(events.iter().map(String::as_str));
    assert_eq!(s.len, 4);
    assert_eq!(s.approvals.len(), 1);
    assert_eq!(s.approvals[0].by, "yassine");
    let mut s = s;
    moved(&mut s, Stage::GroupReview, Stage::Draft);
    assert!(s.approvals.is_empty(), "back to draft: a new round");
    assert_eq!(
        s.last_transition_to(Stage::Draft).map(|t| t.by.as_str()),
        Some("x")
    );
}

#[test]
fn an_edit_after_validation_keeps_the_approvals_on_record_not_standing() {
    let mut s = ReviewState::default();
    moved(&mut s, Stage::Draft, Stage::GroupReview);
    s.apply(ReviewEvent::Approved {
        stamp: stamp("amina", Sector::Administration, &["h1"]),
    });
    s.apply(ReviewEvent::Approved {
        stamp: stamp("yassine", Sector::CivilSociety, &["h1"]),
    });
    moved(&mut s, Stage::GroupReview, Stage::Validated);
    assert_eq!(s.approvals.len(), 2);
    // The move back after an edit keeps what was approved on record.
    moved(&mut s, Stage::Validated, Stage::GroupReview);
    assert_eq!(s.approvals.len(), 2);
    assert_eq!(s.standing(&["h2".to_string()]).count(), 0);
    assert_eq!(s.last_approval["yassine"].heads, vec!["h1".to_string()]);
}
