//! A server session in relay mode (`DocSession::set_relay`): changes are
//! accepted, stored and forwarded from the change graph, as they came; the
//! document catches up when asked; a forged change is refused on arrival.

use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, Change, ObjType, ROOT, ReadDoc};
use codraft_protocol::{DocMessage, DocumentId, Message, PeerId};
use codraft_sync::{Access, ChunkKind, DocSession, Event, Mode, Persist, StoredChunk};

/// A relaying server on a stored card with one text, and the card.
fn setup() -> (DocSession, Automerge) {
    let mut base = Automerge::new();
    base.transact::<_, _, AutomergeError>(|tx| {
        let t = tx.put_object(ROOT, "summary", ObjType::Text)?;
        tx.splice_text(&t, 0, 0, "الشفافية")
    })
    .unwrap();
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
