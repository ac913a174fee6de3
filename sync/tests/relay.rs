//! A server session in relay mode (`DocSession::set_relay`): changes are
//! accepted, stored and forwarded from the change graph, as they came; the
//! document catches up when asked; a forged change is refused on arrival.

use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, Change, ObjType, ROOT, ReadDoc};
use codraft_protocol::{DocMessage, DocumentId, Message, PeerId};
use codraft_sync::{Access, ChunkKind, DocSession, Event, Mode, Persist, StoredChunk};

/// A relaying server on `base`, stored as a snapshot.
fn relaying(base: &Automerge) -> DocSession {
    let chunk = StoredChunk {
        kind: ChunkKind::Snapshot,
        bytes: base.save(),
    };
    let mut server = DocSession::load(
        DocumentId::random(),
        "server".into(),
        Mode::Server,
        &[chunk],
    )
    .unwrap();
    server.set_relay(true);
    server
}

/// A relaying server on a stored card with one text, and the card.
fn setup() -> (DocSession, Automerge) {
    let mut base = Automerge::new();
    base.transact::<_, _, AutomergeError>(|tx| {
        let t = tx.put_object(ROOT, "summary", ObjType::Text)?;
        tx.splice_text(&t, 0, 0, "الشفافية")
    })
    .unwrap();
    let mut server = relaying(&base);
    server.set_report_accepted(true);
    (server, base)
}

fn typed(doc: &mut Automerge, at: usize, text: &str) -> Change {
    let t = doc.get(ROOT, "summary").unwrap().unwrap().1;
    doc.transact::<_, _, AutomergeError>(|tx| tx.splice_text(&t, at, 0, text))
        .unwrap();
    doc.get_last_local_change().unwrap()
}

fn push(server: &DocSession, from: &str, heads: Vec<automerge::ChangeHash>, c: &Change) -> Event {
    Event::FromPeer {
        message: Message::Sync(DocMessage {
            sender_id: PeerId::from(from),
            target_id: "server".into(),
            document_id: server.document_id(),
            data: codraft_sync::access::push_changes(heads, vec![c.raw_bytes().to_vec()]),
        }),
        access: Access::ReadWrite,
    }
}

#[test]
fn a_change_is_stored_as_it_came_and_the_document_catches_up_when_asked() {
    let (mut server, base) = setup();
    let mut client = base.fork();
    let c = typed(&mut client, 0, "ⵜ");
    let fx = server.handle([push(&server, "client", client.get_heads(), &c)]);
    assert!(fx.refused.is_empty(), "{:?}", fx.refused);
    assert_eq!(fx.accepted[0].changes, vec![c.hash()]);
    assert_eq!(fx.persist, Some(Persist::Append(c.raw_bytes().to_vec())));
    assert_eq!(server.heads(), client.get_heads());
    // The document lags until something needs it.
    assert_eq!(server.unapplied(), 1);
    assert!(server.doc().get_change_by_hash(&c.hash()).is_none());
    assert_eq!(server.materialise(), vec![c.hash()]);
    assert_eq!(server.unapplied(), 0);
    let t = server.doc().get(ROOT, "summary").unwrap().unwrap().1;
    assert_eq!(server.doc().text(&t).unwrap(), "ⵜالشفافية");
    // A local edit (the server's own, on someone's behalf) goes into the
    // graph and out to storage like any change.
    let t2 = t.clone();
    server
        .doc_mut()
        .transact::<_, _, AutomergeError>(|tx| tx.splice_text(&t2, 0, 0, "« "))
        .unwrap();
    let fx = server.handle([]);
    assert!(matches!(fx.persist, Some(Persist::Append(_))));
    assert_eq!(server.heads(), server.doc().get_heads());
}

#[test]
fn a_forged_change_is_refused_and_an_honest_one_after_it_goes_in() {
    let (mut server, base) = setup();
    let mut a = base.fork();
    let mut b = base.fork();
    let from_a = typed(&mut a, 0, "أ");
    let fx = server.handle([push(&server, "a", a.get_heads(), &from_a)]);
    assert!(fx.refused.is_empty());
    // b deletes a's character, then claims not to have seen it.
    b.apply_changes([from_a.clone()]).unwrap();
    let t = b.get(ROOT, "summary").unwrap().unwrap().1;
    b.transact::<_, _, AutomergeError>(|tx| tx.splice_text(&t, 0, 1, ""))
        .unwrap();
    let honest = b.get_last_local_change().unwrap();
    let mut forged = honest.decode();
    forged.deps = base.get_heads();
    let forged: Change = forged.into();
    let fx = server.handle([push(&server, "b", forged.deps().to_vec(), &forged)]);
    assert_eq!(fx.refused.len(), 1);
    assert!(
        fx.refused[0].1.starts_with("invalid-sync"),
        "{:?}",
        fx.refused
    );
    assert!(fx.persist.is_none(), "nothing stored");
    let fx = server.handle([push(&server, "b", b.get_heads(), &honest)]);
    assert!(fx.refused.is_empty(), "{:?}", fx.refused);
    server.materialise();
    assert!(server.quarantined().is_empty());
    assert_eq!(server.doc().get_heads(), b.get_heads());
}

/// A card with two texts and a scalar, its first change, and a forgery of
/// a change typing into `summary` (see [`forge`]).
fn forgery(variant: usize) -> (Automerge, Change, Change) {
    use automerge::legacy::{ElementId, Key, ObjectId, OpId};
    let mut base = Automerge::new();
    base.transact::<_, _, AutomergeError>(|tx| {
        let t = tx.put_object(ROOT, "summary", ObjType::Text)?;
        tx.splice_text(&t, 0, 0, "abc")?;
        let u = tx.put_object(ROOT, "problem", ObjType::Text)?;
        tx.splice_text(&u, 0, 0, "xyz")?;
        tx.put(ROOT, "lead", "DGRN")
    })
    .unwrap();
    let first = base.get_last_local_change().unwrap();
    let (actor, start) = (first.actor_id().clone(), first.start_op().get());
    // The first change's operations: 0 makes summary, 1–3 type abc, 4 makes
    // problem, 5–7 type xyz, 8 puts lead.
    let op = |n: u64| OpId::new(start + n, &actor);
    let mut a = base.fork();
    let t = a.get(ROOT, "summary").unwrap().unwrap().1;
    a.transact::<_, _, AutomergeError>(|tx| tx.splice_text(&t, 1, 1, "Q"))
        .unwrap();
    let honest = a.get_last_local_change().unwrap();
    let mut bad = honest.decode();
    for o in &mut bad.operations {
        match variant {
            // Writes into the scalar as if it were a text.
            0 => o.obj = ObjectId::Id(op(8)),
            // Names an element of the other text.
            1 => {
                if let Key::Seq(_) = o.key {
                    o.key = Key::Seq(ElementId::Id(op(6)))
                }
            }
            // Moves the edit into the other text, keeping its elements.
            _ => o.obj = ObjectId::Id(op(4)),
        }
    }
    (base, honest, bad.into())
}

/// Regression, found by forging changes: Automerge 0.12 panics applying
/// each of these, and a relay stores and forwards before applying.
#[test]
fn forged_changes_that_would_break_the_document_are_refused_on_arrival() {
    for variant in 0..3 {
        let (base, honest, bad) = forgery(variant);
        let mut copy = base.clone();
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            copy.apply_changes([bad.clone()]).is_ok()
        }));
        assert!(
            !matches!(applied, Ok(true)),
            "variant {variant}: Automerge applies it, the test shows nothing"
        );
        let mut server = relaying(&base);
        let fx = server.handle([push(&server, "b", bad.deps().to_vec(), &bad)]);
        assert_eq!(fx.refused.len(), 1, "variant {variant}");
        assert!(
            fx.refused[0].1.starts_with("invalid-sync"),
            "{:?}",
            fx.refused
        );
        assert!(fx.persist.is_none(), "variant {variant}: nothing stored");
        let fx = server.handle([push(&server, "a", vec![honest.hash()], &honest)]);
        assert!(fx.refused.is_empty(), "variant {variant}: {:?}", fx.refused);
        server.materialise();
        let t = server.doc().get(ROOT, "summary").unwrap().unwrap().1;
        assert_eq!(server.doc().text(&t).unwrap(), "aQc", "variant {variant}");
    }
}

#[test]
fn a_change_the_document_cannot_apply_is_set_aside_and_the_rest_goes_in() {
    // Another instance's stored changes are not checked again: should one
    // still be one Automerge cannot apply, the materialiser sets it aside.
    let (base, _, bad) = forgery(0);
    let mut server = relaying(&base);
    // Someone else's honest edit beside it.
    let mut other = base.fork();
    let t = other.get(ROOT, "summary").unwrap().unwrap().1;
    other
        .transact::<_, _, AutomergeError>(|tx| tx.splice_text(&t, 1, 1, "Q"))
        .unwrap();
    let honest = other.get_last_local_change().unwrap();
    let mut bytes = bad.raw_bytes().to_vec();
    bytes.extend_from_slice(honest.raw_bytes());
    let _ = server.handle([Event::Stored(bytes)]);
    assert_eq!(server.unapplied(), 2);
    server.materialise();
    assert_eq!(server.quarantined(), &[bad.hash()]);
    let t = server.doc().get(ROOT, "summary").unwrap().unwrap().1;
    assert_eq!(
        server.doc().text(&t).unwrap(),
        "aQc",
        "the honest change went in"
    );
}

#[test]
fn a_stored_change_that_cannot_apply_does_not_stop_the_document_loading() {
    // Regression: an increment holding a change Automerge panics on made
    // the document impossible to load for everyone.
    let (base, _, bad) = forgery(0);
    let mut other = base.fork();
    let t = other.get(ROOT, "summary").unwrap().unwrap().1;
    other
        .transact::<_, _, AutomergeError>(|tx| tx.splice_text(&t, 3, 0, "!"))
        .unwrap();
    let honest = other.get_last_local_change().unwrap();
    let mut increment = bad.raw_bytes().to_vec();
    increment.extend_from_slice(honest.raw_bytes());
    let chunks = [
        StoredChunk {
            kind: ChunkKind::Snapshot,
            bytes: base.save(),
        },
        StoredChunk {
            kind: ChunkKind::Incremental,
            bytes: increment,
        },
    ];
    let mut server =
        DocSession::load(DocumentId::random(), "server".into(), Mode::Server, &chunks).unwrap();
    assert_eq!(server.quarantined(), &[bad.hash()]);
    let t = server.doc().get(ROOT, "summary").unwrap().unwrap().1;
    assert_eq!(server.doc().text(&t).unwrap(), "abc!");
    server.set_relay(true);
    assert_eq!(server.quarantined(), &[bad.hash()]);
    // The next write is a snapshot without it.
    let mut client = server.doc().fork();
    let c = typed(&mut client, 0, "« ");
    let fx = server.handle([push(&server, "client", client.get_heads(), &c)]);
    let Some(Persist::Compact(snapshot)) = fx.persist else {
        panic!(
            "expected a compaction, got {:?}",
            fx.persist.map(|p| p.len())
        );
    };
    let reloaded = Automerge::load(&snapshot).unwrap();
    assert!(reloaded.get_change_by_hash(&bad.hash()).is_none());
}

/// Regression (the Redis scale-out test): a keystroke stored by another
/// instance and not yet applied here, then the next keystroke, which names
/// the character the first typed, was refused as naming an element of
/// nothing.
#[test]
fn a_keystroke_after_one_stored_elsewhere_is_taken() {
    let (mut server, base) = setup();
    let mut client = base.fork();
    let first = typed(&mut client, 8, "ⵜ");
    let _ = server.handle([Event::Stored(first.raw_bytes().to_vec())]);
    assert_eq!(server.unapplied(), 1, "not applied yet");
    let second = typed(&mut client, 9, "ⴰ");
    let fx = server.handle([push(&server, "client", client.get_heads(), &second)]);
    assert!(fx.refused.is_empty(), "{:?}", fx.refused);
    server.materialise();
    let t = server.doc().get(ROOT, "summary").unwrap().unwrap().1;
    assert_eq!(server.doc().text(&t).unwrap(), "الشفافيةⵜⴰ");
}
