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

#[test]
fn peers_in_the_same_state_get_the_same_message_and_converge() {
    let id = DocumentId::random();
    let server_peer = PeerId::from("server");
    let mut base = Automerge::new();
    base.transact(|tx| tx.put(ROOT, "title", "MO0056")).unwrap();
    let mut server =
        DocSession::load(id, server_peer.clone(), Mode::Server, &[snapshot(&base)]).unwrap();
    let mut clients: HashMap<PeerId, DocSession> = HashMap::new();
    let mut hello = Vec::new();
    for name in ["amina", "yassine", "salma", "karim"] {
        let peer = PeerId::from(name);
        let mut c = DocSession::load(id, peer.clone(), Mode::Client, &[snapshot(&base)]).unwrap();
        hello.extend(c.handle([Event::PeerJoined(server_peer.clone())]).messages);
        clients.insert(peer, c);
    }
    settle(&mut server, &mut clients, hello);

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
    let heads = server.doc().get_heads();
    for (peer, c) in &clients {
        assert_eq!(c.doc().get_heads(), heads, "{peer} converged");
        assert!(c.in_sync_with(&server_peer), "{peer} knows it is in sync");
    }
}
