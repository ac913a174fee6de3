//! "Saved" is the server saying it holds the client's heads. A busy server
//! takes a client's messages in batches; a message with nothing but the
//! client's heads, arriving in the same batch as the change that made
//! those heads, must not let the server skip telling the client it has
//! them (Automerge's receive takes such a message as "they know our
//! heads", which holds when every message is answered before the next is
//! read, not when two are read before one answer). The page stayed on
//! "saving" for good when that happened (a browser test under load).

use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ObjType, ROOT};
use codraft_protocol::{DocumentId, Message, PeerId};
use codraft_sync::{ChunkKind, DocSession, Effects, Event, Mode, StoredChunk};

fn base() -> Vec<StoredChunk> {
    let mut doc = Automerge::new();
    doc.transact::<_, _, AutomergeError>(|tx| {
        let t = tx.put_object(ROOT, "summary", ObjType::Text)?;
        tx.splice_text(&t, 0, 0, "الشفافية")
    })
    .unwrap();
    vec![StoredChunk {
        kind: ChunkKind::Snapshot,
        bytes: doc.save(),
    }]
}

fn type_at_start(client: &mut DocSession, text: &str) -> Effects {
    let doc = client.doc_mut();
    let t = automerge::ReadDoc::get(doc, ROOT, "summary")
        .unwrap()
        .unwrap()
        .1;
    doc.transact::<_, _, AutomergeError>(|tx| tx.splice_text(&t, 0, 0, text))
        .unwrap();
    client.handle([])
}

fn received(fx: Effects) -> Vec<Event> {
    fx.messages.into_iter().map(Event::Received).collect()
}

fn syncs(fx: &Effects) -> Vec<Message> {
    fx.messages
        .iter()
        .filter(|m| matches!(m, Message::Sync(_) | Message::Request(_)))
        .cloned()
        .collect()
}

fn heads_only_message_batched_after_its_change(relay: bool) {
    let id = DocumentId::random();
    let server_id = PeerId::from("server");
    let stored = base();
    let mut server = DocSession::load(id, server_id.clone(), Mode::Server, &stored).unwrap();
    server.set_relay(relay);
    let mut client = DocSession::load(id, "yassine".into(), Mode::Client, &stored).unwrap();
    client.set_batched(relay);

    // Connected and in step.
    let hello = client.handle([Event::PeerJoined(server_id.clone())]);
    let answer = server.handle(received(hello));
    let fx = client.handle(received(answer));
    let _ = server.handle(received(fx));
    assert!(client.in_sync_with(&server_id), "in step after joining");

    // A first keystroke reaches the server alone; its answer is on its way
    // back when the second keystroke goes out.
    let first = type_at_start(&mut client, "Y");
    let answer_to_first = server.handle(received(first));
    let second = type_at_start(&mut client, "a");
    assert_eq!(syncs(&second).len(), 1, "the second keystroke goes out");
    // The answer to the first says the server has the first: the client
    // tells it, with a message of heads only, that it has more.
    let heads_only = client.handle(received(answer_to_first));
    assert_eq!(syncs(&heads_only).len(), 1, "the client says its heads");

    // The server, busy, reads both in one batch.
    let mut batch = received(second);
    batch.extend(received(heads_only));
    let answer = server.handle(batch);
    assert_eq!(
        server.heads(),
        client.doc().get_heads(),
        "the server has both"
    );
    let _ = client.handle(received(answer));
    assert!(
        client.in_sync_with(&server_id),
        "the client hears that the server has its heads: saved"
    );
}

#[test]
fn a_heads_only_message_batched_after_its_change_still_gets_the_servers_heads() {
    heads_only_message_batched_after_its_change(false);
}

#[test]
fn a_heads_only_message_batched_after_its_change_still_gets_the_servers_heads_relaying() {
    heads_only_message_batched_after_its_change(true);
}
