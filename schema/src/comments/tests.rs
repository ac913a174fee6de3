use automerge::Automerge;

use super::anchor::{self, AnchorError};
use super::write::{self, WriteError};
use super::*;
use crate::edit::{self, Commit, Key};

fn card() -> Automerge {
    let mut doc = edit::from_json(&crate::card::blank_card("g"), 1_000).unwrap();
    let p = [
        Key::Map("summary".into()),
        Key::Map("ar".into()),
        Key::Map("text".into()),
    ];
    edit::update_text(
        &mut doc,
        &p,
        "نشر بيانات الصفقات العمومية",
        &Commit::at(2_000),
    )
    .unwrap();
    let p = [
        Key::Map("summary".into()),
        Key::Map("fr".into()),
        Key::Map("text".into()),
    ];
    edit::update_text(
        &mut doc,
        &p,
        "Publier les données des marchés",
        &Commit::at(2_000),
    )
    .unwrap();
    doc
}

fn summary_fr(doc: &mut Automerge, new: &str) {
    let p = [
        Key::Map("summary".into()),
        Key::Map("fr".into()),
        Key::Map("text".into()),
    ];
    edit::update_text(doc, &p, new, &Commit::at(3_000)).unwrap();
}

#[test]
fn a_passage_follows_edits_around_it_and_is_orphaned_when_deleted() {
    let mut doc = card();
    // "données"
    let a = anchor::text(&doc, "summary/fr", 12, 19).unwrap();
    assert_eq!(a.quote, "données");
    summary_fr(&mut doc, "Publier vite les données des marchés");
    let p = anchor::place(&doc, &a);
    assert_eq!(
        (p.start, p.end, p.text.as_str()),
        (17, 24, "données"),
        "{p:?}"
    );
    assert!(!p.orphaned && !p.stale);
    summary_fr(&mut doc, "Publier vite les donnés des marchés");
    assert!(anchor::place(&doc, &a).stale);
    let fr = [
        Key::Map("summary".into()),
        Key::Map("fr".into()),
        Key::Map("text".into()),
    ];
    edit::splice(&mut doc, &fr, 17, 7, "", &Commit::at(3_500)).unwrap();
    let p = anchor::place(&doc, &a);
    assert!(p.orphaned, "{p:?}");
    assert_eq!(p.field, "summary/fr");
}

#[test]
fn arabic_positions_are_utf16_units_and_out_of_range_is_an_error() {
    let doc = card();
    let a = anchor::text(&doc, "summary/ar", 4, 11).unwrap();
    assert_eq!(a.quote, "بيانات ");
    assert_eq!(
        anchor::text(&doc, "summary/ar", 4, 400),
        Err(AnchorError::OutOfRange(4, 400))
    );
    assert_eq!(
        anchor::text(&doc, "summary/ar", 4, 4),
        Err(AnchorError::PassageSize)
    );
    assert_eq!(
        anchor::text(&doc, "nowhere/ar", 0, 1),
        Err(AnchorError::NoSuchField("nowhere/ar".into()))
    );
    assert_eq!(
        anchor::text(&doc, "activities", 0, 1),
        Err(AnchorError::NotText("activities".into()))
    );
}

#[test]
fn a_row_is_followed_by_its_object_through_other_rows_deletion() {
    let mut doc = card();
    let acts = [Key::Map("activities".into())];
    for title in ["Portail", "Formation"] {
        let mut row = crate::card::blank_activity();
        row["title"] = title.into();
        let n = edit::read(&doc, &acts).unwrap().as_array().unwrap().len();
        edit::insert(&mut doc, &acts, n, &row, &Commit::at(2_500)).unwrap();
    }
    let a = anchor::row(&doc, "activities/1").unwrap();
    assert_eq!(a.quote, "Formation");
    edit::delete(&mut doc, &acts, &Key::Seq(0), &Commit::at(2_600)).unwrap();
    let p = anchor::place(&doc, &a);
    assert_eq!((p.field.as_str(), p.orphaned), ("activities/0", false));
    edit::delete(&mut doc, &acts, &Key::Seq(0), &Commit::at(2_700)).unwrap();
    assert!(anchor::place(&doc, &a).orphaned);
    assert_eq!(
        anchor::row(&doc, "summary"),
        Err(AnchorError::NotRow("summary".into()))
    );
}

#[test]
fn a_suggestion_applies_only_to_the_passage_as_quoted() {
    let mut doc = card();
    let a = anchor::text(&doc, "summary/fr", 0, 7).unwrap();
    anchor::apply(&mut doc, &a, "Ouvrir", &Commit::at(4_000)).unwrap();
    let fr = edit::read(
        &doc,
        &[
            Key::Map("summary".into()),
            Key::Map("fr".into()),
            Key::Map("text".into()),
        ],
    );
    assert_eq!(fr.unwrap(), "Ouvrir les données des marchés");
    assert_eq!(
        anchor::apply(&mut doc, &a, "X", &Commit::at(5_000)),
        Err(AnchorError::Stale)
    );
    let b = anchor::text(&doc, "summary/fr", 7, 11).unwrap();
    summary_fr(&mut doc, "Ouvrir des données des marchés");
    assert_eq!(
        anchor::apply(&mut doc, &b, "toutes les", &Commit::at(6_000)),
        Err(AnchorError::Stale)
    );
}

fn me(id: &str) -> Person {
    Person {
        id: id.into(),
        name: id.into(),
        sector: "other".into(),
    }
}

#[test]
fn threads_are_written_and_read_back_with_replies_edits_and_status() {
    let card = card();
    let mut doc = Automerge::new();
    assert!(write::init(&mut doc, &Commit::at(1)).unwrap());
    assert!(!write::init(&mut doc, &Commit::at(1)).unwrap());
    assert!(threads(&doc).is_empty());
    let first = Comment {
        id: "c1".into(),
        author: me("karim"),
        body: "Pourquoi « données » ?".into(),
        created_ms: 10,
        ..Comment::default()
    };
    let t = Thread {
        id: "t1".into(),
        anchor: anchor::text(&card, "summary/fr", 12, 19).unwrap(),
        author: me("karim"),
        created_ms: 10,
        comments: vec![first],
        ..Thread::default()
    };
    write::add_thread(&mut doc, &t, &Commit::at(10)).unwrap();
    let reply = Comment {
        id: "c2".into(),
        author: me("amina"),
        body: "@karim voir l'annexe".into(),
        created_ms: 20,
        mentions: vec!["karim".into()],
        ..Comment::default()
    };
    write::add_comment(&mut doc, "t1", &reply, &Commit::at(20)).unwrap();
    write::set_body(
        &mut doc,
        "t1",
        "c1",
        Some(("Pourquoi ce mot ?", &[])),
        &Commit::at(30),
    )
    .unwrap();
    write::set_status(
        &mut doc,
        "t1",
        Status::Resolved,
        &me("amina"),
        &Commit::at(40),
    )
    .unwrap();
    write::set_body(&mut doc, "t1", "c2", None, &Commit::at(50)).unwrap();
    let back = thread(&doc, "t1").unwrap();
    assert_eq!(back.anchor, t.anchor);
    assert_eq!(back.status, Status::Resolved);
    assert_eq!(back.decided_by, Some(me("amina")));
    assert_eq!(back.comments[0].body, "Pourquoi ce mot ?");
    assert_eq!(back.comments[0].edited_ms, Some(30));
    assert!(
        back.comments[1].deleted
            && back.comments[1].body.is_empty()
            && back.comments[1].mentions.is_empty()
    );
    assert_eq!(
        write::add_comment(&mut doc, "t9", &reply, &Commit::at(60)),
        Err(WriteError::NoSuchThread("t9".into()))
    );
    assert_eq!(
        write::set_body(&mut doc, "t1", "c9", None, &Commit::at(60)),
        Err(WriteError::NoSuchComment("c9".into()))
    );
}

#[test]
fn mentions_are_words_after_an_at_sign_not_email_addresses() {
    assert_eq!(
        mentions::tokens("@Yassine et @amina, voir x@y.org. (@Salma)"),
        ["Yassine", "amina", "Salma"]
    );
    assert_eq!(mentions::tokens("@سلمى المرجو"), ["سلمى"]);
    assert!(mentions::names("yassine", "Yassine", "y@example.org"));
    assert!(mentions::names("amina", "Amina Benali", "a@example.org"));
    assert!(mentions::names("hajar", "Secrétariat", "hajar@example.org"));
    assert!(!mentions::names("sal", "Salma", "salma@example.org"));
}
