//! Two server instances share a store: changes one made durable reach the
//! other's session as `Event::Stored`, go out to its peers, and are not
//! stored a second time.

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use codraft_protocol::{DocumentId, Message, PeerId};
use codraft_sync::{DocSession, Event, Mode, Persist};

#[test]
fn a_change_stored_by_another_instance_reaches_peers_without_a_second_write() {
    let id = DocumentId::random();
    let mut base = Automerge::new();
    base.transact(|tx| tx.put(ROOT, "title", "MO0056")).unwrap();
    let chunk = codraft_sync::StoredChunk {
        kind: codraft_sync::ChunkKind::Snapshot,
        bytes: base.save(),
    };
    let mut server =
        DocSession::load(id, PeerId::from("server-b"), Mode::Server, &[chunk]).unwrap();

    // A client of this instance, in sync.
    let client_peer = PeerId::from("client");
    let mut client = DocSession::load(
        id,
        client_peer.clone(),
        Mode::Client,
        &[codraft_sync::StoredChunk {
            kind: codraft_sync::ChunkKind::Snapshot,
            bytes: base.save(),
        }],
    )
    .unwrap();
    let mut to_server: Vec<Message> = client
        .handle([Event::PeerJoined(PeerId::from("server-b"))])
        .messages;
    for _ in 0..10 {
        let fx = server.handle(to_server.drain(..).map(Event::Received));
        assert!(fx.persist.is_none(), "nothing new to store");
        let back = client.handle(fx.messages.into_iter().map(Event::Received));
        to_server = back.messages;
        if to_server.is_empty() {
            break;
        }
    }

    // Instance A stored a change; B hears of it.
    let mut other = base.fork();
    other
        .transact(|tx| tx.put(ROOT, "lead", "وزارة العدل"))
        .unwrap();
    let change = other.save_after(&base.get_heads());
    let fx = server.handle([Event::Stored(change)]);
    assert!(fx.persist.is_none(), "already durable in the shared store");
    assert!(!fx.messages.is_empty(), "the peer hears of it");
    // Sync may take more than one exchange (a Bloom filter's false
    // positive asks for another round): exchange until quiet. (It failed
    // about once in a hundred runs when one hop was assumed.)
    let mut to_client = fx.messages;
    for _ in 0..10 {
        let back = client.handle(to_client.drain(..).map(Event::Received));
        if back.messages.is_empty() {
            break;
        }
        let fx = server.handle(back.messages.into_iter().map(Event::Received));
        assert!(fx.persist.is_none(), "nothing new to store");
        to_client = fx.messages;
    }
    assert_eq!(client.doc().get_heads(), other.get_heads());

    // A local change after that is stored as usual.
    server
        .doc_mut()
        .transact(|tx| tx.put(ROOT, "number", "MO0063"))
        .unwrap();
    let fx = server.handle([]);
    assert!(matches!(
        fx.persist,
        Some(Persist::Append(_)) | Some(Persist::Compact(_))
    ));
}
