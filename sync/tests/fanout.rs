//! One change, many peers: the server generates one sync message per
//! distinct peer state, and every peer still converges.

use std::collections::HashMap;

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use codraft_protocol::{DocumentId, Message, PeerId};
use codraft_sync::{ChunkKind, DocSession, Event, Mode, StoredChunk};

fn snapshot(doc: &Automerge) -> StoredChunk {
    StoredChunk {
        kind: ChunkKind::Snapshot,
        bytes: doc.save(),
    }
}

fn data(m: &Message) -> &[u8] {
    match m {
        Message::Sync(d) | Message::Request(d) => &d.data,
        other => panic!("expected a sync message, got {}", other.type_name()),
    }
}

fn target(m: &Message) -> PeerId {
    match m {
        Message::Sync(d) | Message::Request(d) => d.target_id.clone(),
        other => panic!("expected a sync message, got {}", other.type_name()),
    }
}

/// Delivers messages both ways until nobody has anything to say.
fn settle(
    server: &mut DocSession,
    clients: &mut HashMap<PeerId, DocSession>,
    mut to_server: Vec<Message>,
) {
    for _ in 0..20 {
        let fx = server.handle(to_server.drain(..).map(Event::Received));
        for m in fx.messages {
            let c = clients.get_mut(&target(&m)).expect("a known client");
            to_server.extend(c.handle([Event::Received(m)]).messages);
        }
        if to_server.is_empty() {
            return;
        }
    }
    panic!("sync did not settle");
}

const NAMES: [&str; 4] = ["amina", "yassine", "salma", "karim"];

/// A server (relaying or not) on a small card, and the card.
fn card_server(relay: bool) -> (DocSession, Automerge) {
    let mut base = Automerge::new();
    base.transact(|tx| tx.put(ROOT, "title", "MO0056")).unwrap();
    let mut server = DocSession::load(
        DocumentId::random(),
        PeerId::from("server"),
        Mode::Server,
        &[snapshot(&base)],
    )
    .unwrap();
    server.set_relay(relay);
    (server, base)
}

/// [`card_server`] and four clients that each loaded the card, in step
/// with it.
fn four_in_step(relay: bool) -> (DocSession, HashMap<PeerId, DocSession>) {
    let (mut server, base) = card_server(relay);
    let (id, server_peer) = (server.document_id(), PeerId::from("server"));
    let mut clients: HashMap<PeerId, DocSession> = HashMap::new();
    let mut hello = Vec::new();
    for name in NAMES {
        let peer = PeerId::from(name);
        let mut c = DocSession::load(id, peer.clone(), Mode::Client, &[snapshot(&base)]).unwrap();
        hello.extend(c.handle([Event::PeerJoined(server_peer.clone())]).messages);
        clients.insert(peer, c);
    }
    settle(&mut server, &mut clients, hello);
    (server, clients)
}

/// Every client holds the server's heads and knows it.
fn all_converged(server: &DocSession, clients: &HashMap<PeerId, DocSession>) {
    let heads = server.heads();
    for (peer, c) in clients {
        assert_eq!(c.doc().get_heads(), heads, "{peer} converged");
        assert!(
            c.in_sync_with(&PeerId::from("server")),
            "{peer} knows it is in sync"
        );
    }
}

#[test]
fn peers_in_the_same_state_get_the_same_message_and_converge() {
    let (mut server, mut clients) = four_in_step(false);

    // Amina types; the server tells the three others.
    let amina = PeerId::from("amina");
    let a = clients.get_mut(&amina).unwrap();
    a.doc_mut()
        .transact(|tx| tx.put(ROOT, "lead", "وزارة العدل"))
        .unwrap();
    let out = a.handle([]).messages;
    let fx = server.handle(out.into_iter().map(Event::Received));
    let others: Vec<&Message> = fx.messages.iter().filter(|m| target(m) != amina).collect();
    assert_eq!(others.len(), 3, "each other peer hears of the change");
    assert!(
        others.iter().all(|m| data(m) == data(others[0])),
        "peers in one state get one message"
    );

    // Everyone converges, and a second change goes round as well.
    let mut to_server = Vec::new();
    for m in fx.messages {
        let c = clients.get_mut(&target(&m)).unwrap();
        to_server.extend(c.handle([Event::Received(m)]).messages);
    }
    settle(&mut server, &mut clients, to_server);
    let salma = PeerId::from("salma");
    let s = clients.get_mut(&salma).unwrap();
    s.doc_mut()
        .transact(|tx| tx.put(ROOT, "year", 2026))
        .unwrap();
    let out = s.handle([]).messages;
    settle(&mut server, &mut clients, out);
    all_converged(&server, &clients);
}

/// The server's reason to set acknowledgements aside (`hub/aside.rs`):
/// once it is settled with a peer, that peer's acknowledgement of the
/// document's heads is answered with nothing, whether handled at once or
/// in a later batch after someone else's change; and everyone converges.
#[test]
fn a_settled_peers_acknowledgement_is_answered_with_nothing_now_or_later() {
    let (mut server, mut clients) = four_in_step(true);
    let (mut answered_alone, mut held) = (0, Vec::new());
    for (turn, value) in ["وزارة العدل", "ⵜⴰⵎⵙⵙⵓⴷⵓⵜ", "Transparence", "2026"]
        .into_iter()
        .enumerate()
    {
        let typist = PeerId::from(NAMES[turn]);
        let c = clients.get_mut(&typist).unwrap();
        c.doc_mut()
            .transact(|tx| tx.put(ROOT, "lead", value))
            .unwrap();
        let out = c.handle([]).messages;
        // What was held back arrives in the same batch as the change.
        let fx = server.handle(held.drain(..).chain(out).map(Event::Received));
        let mut acks = Vec::new();
        for m in fx.messages {
            let c = clients.get_mut(&target(&m)).unwrap();
            acks.extend(c.handle([Event::Received(m)]).messages);
        }
        let heads = server.heads();
        for ack in acks {
            let sender = match &ack {
                Message::Sync(d) => d.sender_id.clone(),
                other => panic!("expected sync, got {}", other.type_name()),
            };
            if !(server.settled_with(&sender, &heads)
                && codraft_sync::acknowledges(data(&ack), &heads))
            {
                settle(&mut server, &mut clients, vec![ack]);
                continue;
            }
            // Every other one waits for the next change.
            if answered_alone % 2 == 0 {
                let fx = server.handle([Event::Received(ack)]);
                assert!(
                    fx.messages.is_empty(),
                    "a settled acknowledgement was answered"
                );
            } else {
                held.push(ack);
            }
            answered_alone += 1;
        }
    }
    assert!(
        answered_alone >= 8,
        "settled acknowledgements: {answered_alone}"
    );
    settle(&mut server, &mut clients, held);
    all_converged(&server, &clients);
}

/// Settled: the peer is known, was answered, and was last sent exactly the
/// heads asked about.
#[test]
fn settled_means_answered_at_exactly_these_heads() {
    let (mut server, base) = card_server(true);
    let (id, server_peer) = (server.document_id(), PeerId::from("server"));
    let amina = PeerId::from("amina");
    let heads = server.heads();
    assert!(!server.settled_with(&amina, &heads), "an unknown peer");
    let mut c = DocSession::new(id, amina.clone(), Mode::Client);
    let hello = c.handle([Event::PeerJoined(server_peer.clone())]).messages;
    let mut clients = HashMap::from([(amina.clone(), c)]);
    settle(&mut server, &mut clients, hello);
    assert!(server.settled_with(&amina, &heads));
    assert!(!server.settled_with(&amina, &[]), "no heads");
    // Another document's heads, or ours after a change not yet sent.
    let mut other = base.fork();
    other.transact(|tx| tx.put(ROOT, "year", 2026)).unwrap();
    assert!(!server.settled_with(&amina, &other.get_heads()));
}
