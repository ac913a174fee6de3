use super::*;
use crate::review::testing::Script;

fn segs(d: &Diff, field: &str) -> Vec<(String, String, Option<String>)> {
    let f = d
        .fields
        .iter()
        .find(|f| f.field == field)
        .unwrap_or_else(|| panic!("no {field} in {:?}", d.fields));
    f.segments
        .iter()
        .map(|s| match s {
            Segment::Same { text } => ("=".into(), text.clone(), None),
            Segment::Inserted { text, by } => ("+".into(), text.clone(), by.clone()),
            Segment::Deleted { text, by } => ("-".into(), text.clone(), by.clone()),
        })
        .collect()
}

fn s(k: &str, t: &str, by: Option<&str>) -> (String, String, Option<String>) {
    (k.into(), t.into(), by.map(str::to_owned))
}

#[test]
fn words_inserted_and_deleted_carry_who_did_it() {
    let mut sc = Script::new();
    sc.type_text("salma", &["summary", "fr"], "Un portail des services");
    let reviewed = sc.heads();
    // Amina replaces a word, Yassine appends one.
    sc.replace("amina", &["summary", "fr"], 3, 7, "guichet");
    sc.replace("yassine", &["summary", "fr"], 23, 0, " publics");
    let d = diff(sc.doc(), &reviewed, &sc.heads(), &sc.who()).unwrap();
    assert_eq!(d.changes, 2);
    assert_eq!(
        segs(&d, "summary/fr"),
        vec![
            s("=", "Un ", None),
            s("-", "portail", Some("amina")),
            s("+", "guichet", Some("amina")),
            s("=", " des services", None),
            s("+", " publics", Some("yassine")),
        ]
    );
    let f = &d.fields[0];
    assert_eq!(
        (f.section.as_str(), f.lang.as_deref()),
        ("summary", Some("fr"))
    );
}

#[test]
fn concurrent_edits_and_deletions_are_attributed_by_operation() {
    let mut sc = Script::new();
    sc.type_text("salma", &["problem", "ar"], "alpha beta gamma");
    let start = sc.heads();
    let mut other = sc.fork();
    // Concurrently: Amina deletes "beta ", Yassine adds "delta" at the end.
    sc.replace("amina", &["problem", "ar"], 6, 5, "");
    other.replace("yassine", &["problem", "ar"], 16, 0, " delta");
    sc.merge(&mut other);
    assert_eq!(sc.text(&["problem", "ar"]), "alpha gamma delta");
    let d = diff(sc.doc(), &start, &sc.heads(), &sc.who()).unwrap();
    assert_eq!(d.changes, 2);
    assert_eq!(
        segs(&d, "problem/ar"),
        vec![
            s("=", "alpha ", None),
            s("-", "beta ", Some("amina")),
            s("=", "gamma", None),
            s("+", " delta", Some("yassine")),
        ]
    );
}

#[test]
fn only_the_fields_touched_between_the_two_points_are_listed() {
    let mut sc = Script::new();
    sc.type_text("salma", &["summary", "fr"], "Résumé");
    sc.type_text("salma", &["problem", "fr"], "Problème");
    let mid = sc.heads();
    sc.put("amina", "start", "2026-03-01");
    sc.type_text("yassine", &["solution", "ar"], "حل");
    let d = diff(sc.doc(), &mid, &sc.heads(), &sc.who()).unwrap();
    let names: Vec<&str> = d.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, vec!["start", "solution/ar"]);
    assert_eq!(segs(&d, "start"), vec![s("+", "2026-03-01", Some("amina"))]);
    // From the very beginning: everything typed, by its author.
    let all = diff(sc.doc(), &[], &sc.heads(), &sc.who()).unwrap();
    assert_eq!(
        segs(&all, "problem/fr"),
        vec![s("+", "Problème", Some("salma"))]
    );
    // Between a point and itself: nothing.
    assert!(
        diff(sc.doc(), &mid, &mid, &sc.who())
            .unwrap()
            .fields
            .is_empty()
    );
}

#[test]
fn a_restore_shows_as_the_restorers_change() {
    let mut sc = Script::new();
    sc.type_text("salma", &["results", "fr"], "Des résultats mesurables");
    let version = sc.heads();
    sc.type_text("amina", &["results", "fr"], "Des effets");
    let before_restore = sc.heads();
    crate::review::restore::restore(
        sc.doc_mut(),
        &version,
        &crate::review::restore::Scope::Field("results/fr".into()),
        &crate::edit::Commit::at(9_000_000),
    )
    .unwrap();
    let h = sc.doc().get_heads()[0];
    sc.authors.insert(h, "yassine".into());
    assert_eq!(sc.text(&["results", "fr"]), "Des résultats mesurables");
    let d = diff(sc.doc(), &before_restore, &sc.heads(), &sc.who()).unwrap();
    let kinds: Vec<(String, Option<String>)> = segs(&d, "results/fr")
        .into_iter()
        .filter(|x| x.0 != "=")
        .map(|x| (x.0, x.2))
        .collect();
    assert!(!kinds.is_empty());
    assert!(
        kinds.iter().all(|(_, by)| by.as_deref() == Some("yassine")),
        "{kinds:?}"
    );
    // Nothing is erased: the version between is still readable.
    let back = diff(sc.doc(), &version, &before_restore, &sc.who()).unwrap();
    assert!(
        segs(&back, "results/fr")
            .iter()
            .any(|x| x.0 == "+" && x.2.as_deref() == Some("amina"))
    );
}

#[test]
fn unknown_heads_are_an_error() {
    let sc = Script::new();
    let bogus = ChangeHash([7; 32]);
    assert!(matches!(
        diff(sc.doc(), &[bogus], &sc.heads(), &sc.who()),
        Err(DiffError::UnknownHeads(_))
    ));
}
