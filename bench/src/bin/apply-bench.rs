//! # One remote keystroke into a long text: automerge's apply, both walks
//!
//! The cost that decides how fast a remote keystroke is shown: applying one
//! change of one character (and a batch of 20, one per typist) to a
//! document holding one text of N characters, with the patch log on as the
//! client has it. Run twice on the same changes: with upstream automerge
//! 0.12.0's walk of the whole text (`set_apply_walks_whole_objects(true)`)
//! and with the vendored change that walks from the first element the batch
//! names (vendor/README.md). Native, release build; the same code runs in
//! the browser as WASM, about twice slower (BENCHMARKS.md).

use std::time::Instant;

use automerge::transaction::Transactable;
use automerge::{
    ActorId, AutoCommit, Automerge, Change, ObjType, PatchLog, ROOT, ReadDoc,
    set_apply_walks_whole_objects,
};

const SIZES: [usize; 4] = [1_000, 10_000, 50_000, 200_000];

/// A saved document with a text of `n` characters, and `typists` changes
/// made on it concurrently, each one character at a place of its own.
fn setup(n: usize, typists: usize) -> (Vec<u8>, Vec<Change>) {
    let mut doc = AutoCommit::new();
    let text = doc.put_object(ROOT, "text", ObjType::Text).unwrap();
    let body: String = "ⴰⵣ بت é".chars().cycle().take(n).collect();
    doc.splice_text(&text, 0, 0, &body).unwrap();
    doc.commit();
    let saved = doc.save();
    let heads = doc.get_heads();
    let mut changes = Vec::new();
    for t in 0..typists {
        let mut fork = doc
            .fork()
            .with_actor(ActorId::from(format!("t{t}").as_bytes()));
        let at = n * (2 * t + 1) / (2 * typists);
        fork.splice_text(&text, at, 0, "x").unwrap();
        fork.commit();
        changes.extend(fork.get_changes(&heads));
    }
    (saved, changes)
}

/// The median of `rounds` applies of `changes` as one batch, in µs.
fn time_apply(n: usize, saved: &[u8], changes: &[Change], whole: bool, rounds: usize) -> f64 {
    set_apply_walks_whole_objects(whole);
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let original = Automerge::load(saved).unwrap();
        let mut log = PatchLog::active();
        let start = Instant::now();
        // as the sync core applies a batch: on a copy, kept if it worked
        let mut doc = original.clone();
        doc.apply_changes_log_patches(changes.to_vec(), &mut log)
            .unwrap();
        let patches = doc.make_patches(&mut log);
        times.push(start.elapsed().as_secs_f64() * 1e6);
        // every keystroke arrived, and was told to the page
        let text = doc.get(ROOT, "text").unwrap().unwrap().1;
        assert_eq!(doc.length(&text), n + changes.len());
        assert!(!patches.is_empty());
    }
    set_apply_walks_whole_objects(false);
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    println!(
        "| N characters | 1 change, whole walk | 1 change, from its element | 20 changes, whole walk | 20 changes, from their elements |"
    );
    println!("|---|---|---|---|---|");
    for n in SIZES {
        let rounds = if n >= 200_000 { 9 } else { 31 };
        let (saved, one) = setup(n, 1);
        let (saved20, twenty) = setup(n, 20);
        let cells = [
            time_apply(n, &saved, &one, true, rounds),
            time_apply(n, &saved, &one, false, rounds),
            time_apply(n, &saved20, &twenty, true, rounds),
            time_apply(n, &saved20, &twenty, false, rounds),
        ];
        let cells: Vec<String> = cells.iter().map(|us| format!("{us:.1} µs")).collect();
        println!("| {n} | {} |", cells.join(" | "));
    }
}
