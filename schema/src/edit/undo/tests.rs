//! Undo takes back one's own operations and nothing of anyone else's.

use super::*;
use crate::edit::{self, Key, from_json, read};
use automerge::ActorId;
use proptest::prelude::*;
use serde_json::json;

fn at(t: i64) -> Commit {
    Commit::at(t)
}

fn k(path: &[&str]) -> Vec<Key> {
    path.iter()
        .map(|s| s.parse().map(Key::Seq).unwrap_or(Key::Map(s.to_string())))
        .collect()
}

/// Two people on one card: `a` and `b`, in sync.
fn pair(doc: serde_json::Value) -> (Automerge, Automerge) {
    let base = from_json(&doc, 0).unwrap();
    let a = base.fork().with_actor(ActorId::from(b"amina".to_vec()));
    let b = base.fork().with_actor(ActorId::from(b"yassine".to_vec()));
    (a, b)
}

fn sync(a: &mut Automerge, b: &mut Automerge) {
    a.merge(b).unwrap();
    b.merge(a).unwrap();
}

fn text(doc: &Automerge, path: &[&str]) -> String {
    read(doc, &k(path)).unwrap().as_str().unwrap().to_string()
}

/// Runs `f` on `doc` and gives the hash of the change it made.
fn mine(doc: &mut Automerge, f: impl FnOnce(&mut Automerge)) -> ChangeHash {
    f(doc);
    doc.get_last_local_change().unwrap().hash()
}

fn splice(doc: &mut Automerge, path: &[&str], at: usize, del: usize, ins: &str) -> ChangeHash {
    mine(doc, |d| {
        edit::splice(d, &k(path), at, del, ins, &Commit::at(1)).unwrap()
    })
}

#[test]
fn undoing_ones_typing_keeps_a_peers_concurrent_words() {
    let (mut a, mut b) = pair(json!({ "goal": "ⵜⴰⵎⴰⵡⵜ الشفافية" }));
    let mine: Vec<_> = "ⴰⵣⵓⵍ "
        .chars()
        .enumerate()
        .map(|(i, ch)| splice(&mut a, &["goal"], i, 0, &ch.to_string()))
        .collect();
    // Yassine types at the end at the same time.
    splice(&mut b, &["goal"], 15, 0, " 2026");
    sync(&mut a, &mut b);
    assert_eq!(text(&a, &["goal"]), "ⴰⵣⵓⵍ ⵜⴰⵎⴰⵡⵜ الشفافية 2026");
    let undo = invert(&mut a, &mine, &at(2))
        .unwrap()
        .expect("something undone");
    assert_eq!(text(&a, &["goal"]), "ⵜⴰⵎⴰⵡⵜ الشفافية 2026");
    sync(&mut a, &mut b);
    assert_eq!(text(&b, &["goal"]), "ⵜⴰⵎⴰⵡⵜ الشفافية 2026");
    // Redo is the undo's inverse.
    invert(&mut a, &[undo], &at(3)).unwrap().expect("redone");
    assert_eq!(text(&a, &["goal"]), "ⴰⵣⵓⵍ ⵜⴰⵎⴰⵡⵜ الشفافية 2026");
}

#[test]
fn deleted_letters_come_back_in_their_order_whichever_way_they_went() {
    for backwards in [true, false] {
        let (mut a, mut b) = pair(json!({ "goal": "Hello world" }));
        let mine: Vec<_> = (0..5)
            .map(|i| {
                let at = if backwards { 10 - i } else { 6 };
                splice(&mut a, &["goal"], at, 1, "")
            })
            .collect();
        assert_eq!(text(&a, &["goal"]), "Hello ");
        splice(&mut b, &["goal"], 0, 0, ">");
        splice(&mut b, &["goal"], 9, 0, "|");
        sync(&mut a, &mut b);
        invert(&mut a, &mine, &at(2)).unwrap().unwrap();
        assert_eq!(
            text(&a, &["goal"]),
            ">Hello wo|rld",
            "backwards: {backwards}"
        );
    }
}

#[test]
fn letters_typed_and_erased_in_one_group_cancel_out() {
    let (mut a, _) = pair(json!({ "goal": "ab" }));
    let mut mine = vec![splice(&mut a, &["goal"], 1, 0, "xyz")];
    mine.push(splice(&mut a, &["goal"], 3, 1, ""));
    mine.push(splice(&mut a, &["goal"], 0, 1, ""));
    assert_eq!(text(&a, &["goal"]), "xyb");
    invert(&mut a, &mine, &at(2)).unwrap().unwrap();
    assert_eq!(text(&a, &["goal"]), "ab");
}

#[test]
fn a_value_set_back_unless_someone_set_it_since() {
    let (mut a, mut b) = pair(json!({ "stage": "draft", "level": "low" }));
    let stage = mine(&mut a, |d| {
        edit::put(d, &[], &Key::Map("stage".into()), &json!("review"), &at(1)).unwrap()
    });
    let level = mine(&mut a, |d| {
        edit::put(d, &[], &Key::Map("level".into()), &json!("high"), &at(1)).unwrap()
    });
    sync(&mut a, &mut b);
    edit::put(
        &mut b,
        &[],
        &Key::Map("level".into()),
        &json!("medium"),
        &at(1),
    )
    .unwrap();
    sync(&mut a, &mut b);
    invert(&mut a, &[stage, level], &at(2)).unwrap().unwrap();
    let doc = read(&a, &[]).unwrap();
    assert_eq!(doc["stage"], "draft");
    assert_eq!(doc["level"], "medium", "Yassine's later choice stands");
    // Nothing left to undo: no change at all.
    let (mut c, _) = pair(json!({ "x": 1 }));
    let x = mine(&mut c, |d| {
        edit::put(d, &[], &Key::Map("x".into()), &json!(2), &at(1)).unwrap()
    });
    edit::put(&mut c, &[], &Key::Map("x".into()), &json!(3), &at(1)).unwrap();
    // `c`'s second put is also Amina's, but not in the group.
    assert_eq!(invert(&mut c, &[x], &at(2)).unwrap(), None);
    assert_eq!(read(&c, &[]).unwrap()["x"], 3);
}

#[test]
fn a_removed_row_comes_back_with_its_words_where_it_stood() {
    let rows = json!({ "activities": [
        { "title": "Atelier", "order": 1024.0 },
        { "title": "Guide", "order": 2048.0 },
        { "title": "Bilan", "order": 3072.0 },
    ] });
    let (mut a, mut b) = pair(rows);
    let gone = mine(&mut a, |d| {
        edit::delete(d, &k(&["activities"]), &Key::Seq(1), &at(1)).unwrap()
    });
    splice(&mut b, &["activities", "2", "title"], 5, 0, " final");
    let added = mine(&mut b, |d| {
        edit::insert(
            d,
            &k(&["activities"]),
            0,
            &json!({ "title": "Lancement" }),
            &at(1),
        )
        .unwrap()
    });
    sync(&mut a, &mut b);
    invert(&mut a, &[gone], &at(2)).unwrap().unwrap();
    let titles: Vec<String> = read(&a, &k(&["activities"]))
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["Lancement", "Atelier", "Guide", "Bilan final"]);
    assert_eq!(read(&a, &k(&["activities", "2", "order"])).unwrap(), 2048.0);
    // A row one added is taken away again; others' rows stay.
    sync(&mut a, &mut b);
    invert(&mut b, &[added], &at(3)).unwrap().unwrap();
    assert_eq!(
        read(&b, &k(&["activities"]))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[derive(Debug, Clone)]
enum Step {
    /// Amina types an `a` at this place (modulo the length).
    AType(usize),
    /// Amina erases the letter at this place.
    AErase(usize),
    /// Yassine types a `b`.
    BType(usize),
    /// The two sync.
    Sync,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..64usize).prop_map(Step::AType),
        3 => (0..64usize).prop_map(Step::AErase),
        2 => (0..64usize).prop_map(Step::BType),
        1 => Just(Step::Sync),
    ]
}

proptest! {
    /// Whatever Amina typed and erased, interleaved in any way with
    /// Yassine's typing and syncs, undoing all of hers gives back the
    /// original letters in their order with every one of Yassine's.
    #[test]
    fn undo_of_all_ones_edits_leaves_exactly_the_others(steps in proptest::collection::vec(step(), 1..40)) {
        let original = "0123456789";
        let (mut a, mut b) = pair(json!({ "t": original }));
        let mut group = Vec::new();
        let mut typed_b = 0;
        for s in steps {
            let len = |d: &Automerge| text(d, &["t"]).encode_utf16().count();
            match s {
                Step::AType(i) => { let n = len(&a); group.push(splice(&mut a, &["t"], i % (n + 1), 0, "a")); }
                Step::AErase(i) => { let n = len(&a); if n > 0 { group.push(splice(&mut a, &["t"], i % n, 1, "")); } }
                Step::BType(i) => { let n = len(&b); splice(&mut b, &["t"], i % (n + 1), 0, "b"); typed_b += 1; }
                Step::Sync => sync(&mut a, &mut b),
            }
        }
        sync(&mut a, &mut b);
        if !group.is_empty() {
            invert(&mut a, &group, &at(9)).unwrap();
        }
        let t = text(&a, &["t"]);
        prop_assert_eq!(t.matches('b').count(), typed_b);
        prop_assert_eq!(t.replace('b', ""), original);
    }
}
