//! The graph held to Automerge: a relay on the graph and a relay on a
//! document get the same messages from the same peers, and must answer
//! with the same messages (heads, needs, bloom filters, changes).

use std::collections::{BTreeSet, VecDeque};

use automerge::sync::{Message, State, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, Change, ChangeHash, ObjType, ROOT, ReadDoc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::chunks::{Chunk, split};
use super::sync::{Source, generate, receive};
use super::*;

/// The graph's relay: its graph, and the document beside it (kept current
/// here; the session keeps it lazily).
struct GraphRelay {
    graph: ChangeGraph,
    doc: Automerge,
}

impl Source for Automerge {
    fn change_bytes(&mut self, hash: &ChangeHash) -> Option<Vec<u8>> {
        self.get_change_by_hash(hash)
            .map(|c| c.raw_bytes().to_vec())
    }
    fn document(&mut self) -> Vec<u8> {
        self.save()
    }
}

impl GraphRelay {
    fn receive(&mut self, state: &mut State, m: Message) {
        let r = receive(&mut self.graph, state, &m, &mut |_| Ok(())).unwrap();
        assert!(r.refused.is_none(), "{:?}", r.refused);
        if let Some(doc) = r.document {
            let before = self.graph.heads();
            self.doc.load_incremental(&doc).unwrap();
            self.graph.catch_up(&self.doc);
            super::sync::finish(&self.graph, state, &m, &before);
        } else {
            let changes: Vec<Change> = r
                .added
                .iter()
                .map(|h| Change::from_bytes(self.graph.bytes(h).unwrap().to_vec()).unwrap())
                .collect();
            self.doc.apply_changes(changes).unwrap();
        }
        assert_eq!(self.graph.heads(), self.doc.get_heads());
    }
}

/// The change hashes a message carries.
fn carried(m: &Message) -> BTreeSet<ChangeHash> {
    let joined: Vec<u8> = m.changes.iter().flatten().copied().collect();
    let mut out = BTreeSet::new();
    for c in split(&joined).unwrap() {
        match c {
            Chunk::Change(b) => {
                out.insert(Change::from_bytes(b.to_vec()).unwrap().hash());
            }
            Chunk::Document => {
                let d = Automerge::load(&joined).unwrap();
                out.extend(d.get_changes_meta(&[]).into_iter().map(|m| m.hash));
            }
        }
    }
    out
}

fn same(a: &Option<Message>, b: &Option<Message>, context: &str) {
    match (a, b) {
        (None, None) => {}
        (Some(a), Some(b)) => {
            assert_eq!(a.heads, b.heads, "heads {context}");
            assert_eq!(a.need, b.need, "need {context}");
            assert_eq!(a.have.len(), b.have.len(), "have {context}");
            for (x, y) in a.have.iter().zip(&b.have) {
                assert_eq!(x.last_sync, y.last_sync, "last_sync {context}");
                assert_eq!(x.bloom.to_bytes(), y.bloom.to_bytes(), "bloom {context}");
            }
            assert_eq!(carried(a), carried(b), "changes {context}");
            assert_eq!(a.version, b.version, "version {context}");
            assert_eq!(a.flags, b.flags, "flags {context}");
        }
        _ => panic!("one relay answered and the other did not {context}: {a:?} / {b:?}"),
    }
}

/// `n` peers edit one text at random and sync through a relay; the relay
/// is Automerge's (a document) and the graph's side by side, fed the same
/// messages. Messages are delivered in order per direction but at random
/// moments; peers sometimes drop their sync state (a reconnect).
fn differential(seed: u64) {
    let mut rng = SmallRng::seed_from_u64(seed);
    let n = 3;
    let mut peers: Vec<(Automerge, State)> =
        (0..n).map(|_| (Automerge::new(), State::new())).collect();
    let mut reference = Automerge::new();
    let mut relay = GraphRelay {
        graph: ChangeGraph::new(),
        doc: Automerge::new(),
    };
    let mut ref_states = vec![State::new(); n];
    let mut graph_states = vec![State::new(); n];
    // The first peer creates the text; the others get it by sync.
    peers[0]
        .0
        .transact::<_, _, AutomergeError>(|tx| {
            tx.put_object(ROOT, "text", ObjType::Text)?;
            Ok(())
        })
        .unwrap();
    let mut up: Vec<VecDeque<Message>> = vec![VecDeque::new(); n];
    let mut down: Vec<VecDeque<Message>> = vec![VecDeque::new(); n];
    for step in 0..300 {
        let i = rng.random_range(0..n);
        match rng.random_range(0..12) {
            0..=3 => {
                let doc = &mut peers[i].0;
                if let Some((_, text)) = doc.get(ROOT, "text").unwrap() {
                    let len = doc.length(&text);
                    let pos = rng.random_range(0..=len);
                    let del = if len > pos && rng.random_bool(0.3) {
                        1
                    } else {
                        0
                    };
                    doc.transact::<_, _, AutomergeError>(|tx| {
                        tx.splice_text(&text, pos, del, &format!("{step}"))?;
                        Ok(())
                    })
                    .unwrap();
                }
            }
            4..=6 => {
                let (doc, state) = &mut peers[i];
                if let Some(m) = doc.generate_sync_message(state) {
                    up[i].push_back(m);
                }
            }
            7..=8 => {
                // The relays take a message from peer i and answer it.
                if let Some(m) = up[i].pop_front() {
                    reference
                        .receive_sync_message(&mut ref_states[i], m.clone())
                        .unwrap();
                    relay.receive(&mut graph_states[i], m);
                    assert_eq!(reference.get_heads(), relay.graph.heads());
                }
                for j in 0..n {
                    let (r, g) = (&ref_states[j], &graph_states[j]);
                    let ctx = format!("seed {seed} step {step} peer {j}");
                    assert_eq!(r.shared_heads, g.shared_heads, "shared {ctx}");
                    assert_eq!(r.sent_hashes, g.sent_hashes, "sent {ctx}");
                    assert_eq!(r.their_heads, g.their_heads, "their heads {ctx}");
                    assert_eq!(r.their_need, g.their_need, "their need {ctx}");
                    assert_eq!(r.last_sent_heads, g.last_sent_heads, "last sent {ctx}");
                    let a = reference.generate_sync_message(&mut ref_states[j]);
                    let b = generate(&relay.graph, &mut graph_states[j], &mut relay.doc, 0);
                    same(&a, &b, &format!("seed {seed} step {step} peer {j}"));
                    if let Some(a) = a {
                        down[j].push_back(a);
                    }
                }
            }
            9..=10 => {
                if let Some(m) = down[i].pop_front() {
                    let (doc, state) = &mut peers[i];
                    doc.receive_sync_message(state, m).unwrap();
                }
            }
            _ => {
                // Peer i reconnects: fresh states on both ends, nothing in flight.
                peers[i].1 = State::new();
                ref_states[i] = State::new();
                graph_states[i] = State::new();
                up[i].clear();
                down[i].clear();
            }
        }
    }
}

#[test]
fn the_graph_relays_as_automerge_does() {
    for seed in 0..40 {
        differential(seed);
    }
}

/// Types `text` at the end of the document's text (made by the first
/// call, in the same change).
fn typed(doc: &mut Automerge, text: &str) -> Change {
    doc.transact::<_, _, AutomergeError>(|tx| {
        let obj = match tx.get(ROOT, "text")? {
            Some((_, o)) => o,
            None => tx.put_object(ROOT, "text", ObjType::Text)?,
        };
        let len = tx.length(&obj);
        tx.splice_text(&obj, len, 0, text)
    })
    .unwrap();
    doc.get_last_local_change().unwrap()
}

#[test]
fn a_change_waits_for_its_dependencies_and_is_told_missing() {
    let mut doc = Automerge::new();
    let first = typed(&mut doc, "a");
    let second = typed(&mut doc, "b");
    let third = typed(&mut doc, "c");
    let mut g = ChangeGraph::new();
    g.insert(first.clone()).unwrap();
    assert_eq!(g.insert(third.clone()).unwrap(), Vec::<ChangeHash>::new());
    assert_eq!(
        g.missing_from([third.hash()].into_iter()),
        vec![second.hash()]
    );
    assert_eq!(g.heads(), vec![first.hash()]);
    let added = g.insert(second.clone()).unwrap();
    assert_eq!(added, vec![second.hash(), third.hash()]);
    assert_eq!(g.heads(), vec![third.hash()]);
    assert_eq!(g.beyond(&[first.hash()]), vec![second.hash(), third.hash()]);
    assert!(g.insert(third).unwrap().is_empty(), "known: nothing new");
}

#[test]
fn a_change_naming_an_operation_outside_its_history_is_refused() {
    // Two peers type concurrently; a forged change from the second claims
    // to depend only on the start yet deletes a character the first typed.
    let mut a = Automerge::new();
    let base = typed(&mut a, "x");
    let mut b = a.fork();
    let from_a = typed(&mut a, "y");
    let mut g = ChangeGraph::new();
    g.insert(base.clone()).unwrap();
    g.insert(from_a.clone()).unwrap();
    // b deletes a's "y" after seeing it, but the change is then stripped of
    // the dependency on a's change: rebuilt as b's own, depending on base.
    b.apply_changes([from_a.clone()]).unwrap();
    let text = b.get(ROOT, "text").unwrap().unwrap().1;
    b.transact::<_, _, AutomergeError>(|tx| tx.splice_text(&text, 1, 1, ""))
        .unwrap();
    let deleting = b.get_last_local_change().unwrap();
    let mut forged = deleting.decode();
    forged.deps = vec![base.hash()];
    let forged: Change = forged.into();
    assert_eq!(
        g.insert(forged.clone()),
        Err(GraphError::UnknownOperation {
            hash: forged.hash()
        })
    );
    // The honest one goes in.
    assert_eq!(g.insert(deleting.clone()).unwrap(), vec![deleting.hash()]);
}

#[test]
fn a_change_out_of_its_authors_sequence_is_refused() {
    let mut doc = Automerge::new();
    let first = typed(&mut doc, "a");
    let mut g = ChangeGraph::new();
    g.insert(first.clone()).unwrap();
    let mut replay = first.decode();
    replay.hash = None;
    replay.start_op = std::num::NonZeroU64::new(10).unwrap();
    replay.time += 1;
    let replay: Change = replay.into();
    assert!(matches!(
        g.insert(replay),
        Err(GraphError::OutOfSequence { seq: 1, .. })
    ));
}

#[test]
fn a_loaded_graph_answers_like_a_built_one() {
    let mut doc = Automerge::new();
    let mut built = ChangeGraph::new();
    let mut hashes = Vec::new();
    for i in 0..50 {
        let c = typed(&mut doc, &i.to_string());
        hashes.push(c.hash());
        built.insert(c).unwrap();
    }
    let loaded = ChangeGraph::of_document(&Automerge::load(&doc.save()).unwrap());
    assert_eq!(loaded.heads(), built.heads());
    for at in [0, 10, 49] {
        assert_eq!(loaded.beyond(&[hashes[at]]), built.beyond(&[hashes[at]]));
        assert_eq!(
            loaded.beyond(&[hashes[at]]),
            doc.get_changes_meta(&[hashes[at]])
                .into_iter()
                .map(|m| m.hash)
                .collect::<Vec<_>>()
        );
    }
    assert!(
        loaded.bytes(&hashes[0]).is_none(),
        "loaded: the document has the bytes"
    );
}

#[test]
fn a_peer_a_few_keystrokes_behind_gets_them_not_the_whole_text() {
    // A long text of few changes: Automerge would send the whole document
    // to a peer lacking more than a third of them.
    let mut doc = Automerge::new();
    let mut g = ChangeGraph::new();
    g.insert(typed(&mut doc, &"ⵜ".repeat(10_000))).unwrap();
    let mut peer = doc.fork();
    let mut state = State::new();
    let mut peer_state = State::new();
    for k in ["a", "b", "c"] {
        g.insert(typed(&mut doc, k)).unwrap();
    }
    // The peer says what it has.
    let hello = peer.generate_sync_message(&mut peer_state).unwrap();
    super::sync::receive(&mut g, &mut state, &hello, &mut |_| Ok(())).unwrap();
    let whole = generate(&g, &mut state.clone(), &mut doc, 0).unwrap();
    assert!(
        split(&whole.changes.iter().flatten().copied().collect::<Vec<u8>>())
            .unwrap()
            .contains(&Chunk::Document)
    );
    let m = generate(&g, &mut state, &mut doc, 256).unwrap();
    let chunks: Vec<u8> = m.changes.iter().flatten().copied().collect();
    let chunks = split(&chunks).unwrap();
    assert_eq!(chunks.len(), 3, "the three keystrokes");
    assert!(!chunks.contains(&Chunk::Document));
    peer.receive_sync_message(&mut peer_state, m).unwrap();
    assert_eq!(peer.get_heads(), g.heads());
}

/// `catch_up` after local edits: the graph ends as the document is,
/// with every change's bytes, whichever way it took them in.
fn caught_up(g: &mut ChangeGraph, doc: &Automerge, expected: &[ChangeHash]) {
    assert_eq!(g.catch_up(doc), expected);
    assert_eq!(g.heads(), doc.get_heads());
    for h in expected {
        assert_eq!(
            g.bytes(h).unwrap().as_ref(),
            doc.get_change_by_hash(h).unwrap().raw_bytes()
        );
    }
    assert!(g.catch_up(doc).is_empty(), "nothing new the second time");
}

#[test]
fn catching_up_takes_one_keystroke_two_and_a_merge_alike() {
    let mut doc = Automerge::new();
    let mut g = ChangeGraph::new();
    // One change on top of the graph (a keystroke).
    let a = typed(&mut doc, "a");
    caught_up(&mut g, &doc, &[a.hash()]);
    // Two since the last time.
    let b = typed(&mut doc, "b");
    let c = typed(&mut doc, "c");
    caught_up(&mut g, &doc, &[b.hash(), c.hash()]);
    // A peer's change merged, then a keystroke on top of both: the
    // keystroke alone does not cover what the graph lacks.
    let mut peer = doc.fork();
    let p = typed(&mut peer, "p");
    doc.apply_changes([p.clone()]).unwrap();
    let d = typed(&mut doc, "d");
    caught_up(&mut g, &doc, &[p.hash(), d.hash()]);
    // Two heads in the graph, one keystroke that merges them.
    let q = typed(&mut peer, "q");
    let e0 = typed(&mut doc, "e");
    caught_up(&mut g, &doc, &[e0.hash()]);
    doc.apply_changes([q.clone()]).unwrap();
    caught_up(&mut g, &doc, &[q.hash()]);
    assert_eq!(g.heads().len(), 2);
    let f = typed(&mut doc, "f");
    caught_up(&mut g, &doc, &[f.hash()]);
}
