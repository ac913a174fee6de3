//! The vendored automerge's one change (`vendor/README.md`): applying a
//! batch walks a sequence from the first element the batch names instead of
//! from its start. Held here to upstream's whole walk, which the same crate
//! still has behind `set_apply_walks_whole_objects`: the same changes,
//! applied in the same batches both ways, give the same document byte for
//! byte and the same patches, batch after batch.
//!
//! The edits are what drafting does and what can go wrong at a window's
//! edge: concurrent typing and erasing at random places of a text (Arabic,
//! Tifinagh, emoji), at its very start (an insert after HEAD) and at its
//! end, erasing what another writer typed in the same batch, list elements
//! inserted, overwritten concurrently (conflicts), incremented and deleted,
//! and, now and then, a mark (which makes the patch fall back to the whole
//! walk, and must still agree).

use automerge::marks::{ExpandMark, Mark};
use automerge::transaction::Transactable;
use automerge::{
    ActorId, AutoCommit, Automerge, Change, ObjType, PatchLog, ROOT, ReadDoc, ScalarValue,
    set_apply_walks_whole_objects,
};
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const ALPHABET: &[&str] = &["a", "é", "ب", "ت", "ⵣ", "ⴰ", " ", "😀", "\n"];

fn word(rng: &mut SmallRng) -> String {
    let n = rng.random_range(1..5);
    (0..n)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
        .collect()
}

fn base(rng: &mut SmallRng) -> AutoCommit {
    let mut doc = AutoCommit::new().with_actor(ActorId::from(b"base".as_slice()));
    let text = doc.put_object(ROOT, "text", ObjType::Text).unwrap();
    let initial: String = (0..rng.random_range(0..300))
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
        .collect();
    doc.splice_text(&text, 0, 0, &initial).unwrap();
    let list = doc.put_object(ROOT, "list", ObjType::List).unwrap();
    for i in 0..rng.random_range(0..40) {
        if i % 5 == 0 {
            doc.insert(&list, i, ScalarValue::counter(i as i64))
                .unwrap();
        } else {
            doc.insert(&list, i, i as i64).unwrap();
        }
    }
    doc.commit();
    doc
}

/// One writer's edit, committed as its own change.
fn edit(doc: &mut AutoCommit, rng: &mut SmallRng) {
    let text = doc.get(ROOT, "text").unwrap().unwrap().1;
    let list = doc.get(ROOT, "list").unwrap().unwrap().1;
    for _ in 0..rng.random_range(1..4) {
        let len = doc.length(&text);
        let llen = doc.length(&list);
        match rng.random_range(0..100) {
            0..40 => {
                let at = match rng.random_range(0..6) {
                    0 => 0,
                    1 => len,
                    _ => rng.random_range(0..=len),
                };
                let _ = doc.splice_text(&text, at, 0, &word(rng));
            }
            40..60 if len > 0 => {
                let at = rng.random_range(0..len);
                let del = rng.random_range(1..=(len - at).min(6)) as isize;
                let _ = doc.splice_text(&text, at, del, "");
            }
            60..65 if len > 0 => {
                let at = rng.random_range(0..len);
                let del = rng.random_range(0..=(len - at).min(3)) as isize;
                let _ = doc.splice_text(&text, at, del, &word(rng));
            }
            65..75 => {
                let at = rng.random_range(0..=llen);
                doc.insert(&list, at, rng.random_range(0..1000i64)).unwrap();
            }
            75..83 if llen > 0 => {
                let at = rng.random_range(0..llen);
                doc.put(&list, at, rng.random_range(0..1000i64)).unwrap();
            }
            83..88 if llen > 0 => {
                let at = rng.random_range(0..llen);
                // a counter takes the increment; anything else refuses it
                let _ = doc.increment(&list, at, 2);
            }
            88..96 if llen > 0 => {
                let at = rng.random_range(0..llen);
                doc.delete(&list, at).unwrap();
            }
            96..99 if len > 1 => {
                let start = rng.random_range(0..len - 1);
                let end = rng.random_range(start + 1..=len);
                let mark = Mark::new("bold".into(), true, start, end);
                doc.mark(&text, mark, ExpandMark::After).unwrap();
            }
            _ => {
                let _ = doc.splice_text(&text, len, 0, &word(rng));
            }
        }
    }
    doc.commit();
}

/// What a receiver gets, in the order and batches it gets it.
fn scenario(seed: u64) -> (Vec<u8>, Vec<Vec<Change>>) {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut base = base(&mut rng);
    let saved = base.save();
    let base_heads = base.get_heads();
    let mut writers: Vec<AutoCommit> = (0..rng.random_range(2..5))
        .map(|i| {
            base.fork()
                .with_actor(ActorId::from(format!("writer{i}").as_bytes()))
        })
        .collect();
    for _ in 0..rng.random_range(5..40) {
        let w = rng.random_range(0..writers.len());
        edit(&mut writers[w], &mut rng);
        if rng.random_bool(0.2) {
            // two writers see each other's work: later edits build on it
            let (a, b) = (rng.random_range(0..writers.len()), w);
            if a != b {
                let (x, y) = if a < b { (a, b) } else { (b, a) };
                let (left, right) = writers.split_at_mut(y);
                left[x].merge(&mut right[0]).unwrap();
            }
        }
    }
    let mut changes: Vec<Change> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for w in &mut writers {
        for c in w.get_changes(&base_heads) {
            if seen.insert(c.hash()) {
                changes.push(c);
            }
        }
    }
    if rng.random_bool(0.5) {
        // out of order: what arrives before its dependencies waits for them
        changes.shuffle(&mut rng);
    }
    let mut batches = Vec::new();
    while !changes.is_empty() {
        let n = rng.random_range(1..=changes.len().min(8));
        batches.push(changes.drain(..n).collect());
    }
    (saved, batches)
}

fn apply(saved: &[u8], batches: &[Vec<Change>], whole: bool) -> (Automerge, Vec<String>) {
    set_apply_walks_whole_objects(whole);
    let mut doc = Automerge::load(saved).unwrap();
    let mut patches = Vec::new();
    for batch in batches {
        let mut log = PatchLog::active();
        doc.apply_changes_log_patches(batch.clone(), &mut log)
            .unwrap();
        patches.push(format!("{:?}", doc.make_patches(&mut log)));
    }
    set_apply_walks_whole_objects(false);
    (doc, patches)
}

#[test]
fn a_batch_applied_from_its_first_element_equals_the_whole_walk() {
    for seed in 0..400 {
        let (saved, batches) = scenario(seed);
        let (whole, whole_patches) = apply(&saved, &batches, true);
        let (window, window_patches) = apply(&saved, &batches, false);
        for (i, (w, p)) in whole_patches.iter().zip(&window_patches).enumerate() {
            assert_eq!(w, p, "seed {seed}: the patches of batch {i} differ");
        }
        let text = whole.get(ROOT, "text").unwrap().unwrap().1;
        assert_eq!(
            whole.text(&text).unwrap(),
            window.text(&text).unwrap(),
            "seed {seed}: the texts differ"
        );
        assert_eq!(
            whole.save(),
            window.save(),
            "seed {seed}: the documents differ"
        );
        assert_eq!(whole.get_heads(), window.get_heads(), "seed {seed}");
    }
}

#[test]
fn a_keystroke_into_a_long_text_is_applied_where_it_lands() {
    // One writer types into the middle of a long text, another erases near
    // its end: the receiver's text and patches are what the writers see.
    let mut doc = AutoCommit::new();
    let text = doc.put_object(ROOT, "text", ObjType::Text).unwrap();
    let long = "ⴰⵣ ب".repeat(5_000);
    doc.splice_text(&text, 0, 0, &long).unwrap();
    doc.commit();
    let saved = doc.save();
    let heads = doc.get_heads();
    let mut a = doc.fork();
    let mut b = doc.fork();
    a.splice_text(&text, 10_000, 0, "x").unwrap();
    a.commit();
    b.splice_text(&text, 19_990, 2, "").unwrap();
    b.commit();
    let mut receiver = Automerge::load(&saved).unwrap();
    let mut log = PatchLog::active();
    let mut batch = a.get_changes(&heads);
    batch.extend(b.get_changes(&heads));
    receiver.apply_changes_log_patches(batch, &mut log).unwrap();
    let patches = format!("{:?}", receiver.make_patches(&mut log));
    assert!(
        patches.contains("index: 10000") && patches.contains("index: 19991"),
        "{patches}"
    );
    a.merge(&mut b).unwrap();
    assert_eq!(receiver.text(&text).unwrap(), a.text(&text).unwrap());
}
