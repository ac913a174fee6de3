//! What the session accepts from a peer whose rights the shell set
//! (`Event::FromPeer`): a read-only peer's changes are refused whatever
//! the message type, oversized changes and documents are refused, and what
//! is accepted is reported with its sender.

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};
use codraft_protocol::{DocMessage, DocumentId, Message, PeerId};
use codraft_sync::{Access, ChunkKind, DocSession, Event, Limits, Mode, StoredChunk};

/// A server session on a stored document, and sync data carrying one new
/// change of `size` bytes of text on top of it.
fn setup(size: usize) -> (DocSession, Vec<u8>, automerge::ChangeHash) {
    let id = DocumentId::random();
    let mut base = Automerge::new();
    base.transact(|tx| tx.put(ROOT, "title", "MO0056")).unwrap();
    let chunk = StoredChunk {
        kind: ChunkKind::Snapshot,
        bytes: base.save(),
    };
    let server = DocSession::load(id, "server".into(), Mode::Server, &[chunk]).unwrap();
    let mut fork = base.fork();
    let text: String = (0..size as u32)
        .map(|i| char::from(b'a' + ((i.wrapping_mul(2_654_435_761) >> 9) % 26) as u8))
        .collect();
    fork.transact(|tx| tx.put(ROOT, "lead", text.as_str()))
        .unwrap();
    let change = fork.get_last_local_change().unwrap().clone();
    let data =
        codraft_sync::access::push_changes(fork.get_heads(), vec![change.raw_bytes().to_vec()]);
    (server, data, change.hash())
}

fn body(server: &DocSession, data: Vec<u8>) -> DocMessage {
    DocMessage {
        sender_id: PeerId::from("client"),
        target_id: "server".into(),
        document_id: server.document_id(),
        data,
    }
}

#[test]
fn a_read_only_peers_changes_are_refused_in_sync_and_request_alike() {
    for request in [false, true] {
        let (mut server, data, hash) = setup(10);
        let m = body(&server, data);
        let m = if request {
            Message::Request(m)
        } else {
            Message::Sync(m)
        };
        let fx = server.handle([Event::FromPeer {
            message: m,
            access: Access::ReadOnly,
        }]);
        assert_eq!(fx.refused.len(), 1, "request={request}");
        assert!(fx.refused[0].1.starts_with("read-only"), "{:?}", fx.refused);
        assert!(fx.persist.is_none() && fx.accepted.is_empty());
        assert!(server.doc().get_change_by_hash(&hash).is_none());
    }
}

#[test]
fn accepted_changes_are_reported_with_their_sender() {
    let (mut server, data, hash) = setup(10);
    server.set_report_accepted(true);
    let m = Message::Request(body(&server, data));
    let fx = server.handle([Event::FromPeer {
        message: m,
        access: Access::ReadWrite,
    }]);
    assert!(fx.refused.is_empty(), "{:?}", fx.refused);
    assert_eq!(fx.accepted.len(), 1);
    assert_eq!(fx.accepted[0].peer.as_str(), "client");
    assert_eq!(fx.accepted[0].changes, vec![hash]);
    assert!(fx.persist.is_some());
}

#[test]
fn changes_over_the_limits_are_refused_and_nothing_applied() {
    let (mut server, data, hash) = setup(5_000);
    server.set_limits(Limits {
        max_change_bytes: 1_000,
        max_document_bytes: usize::MAX,
    });
    let fx = server.handle([Event::FromPeer {
        message: Message::Sync(body(&server, data.clone())),
        access: Access::ReadWrite,
    }]);
    assert!(
        fx.refused[0].1.starts_with("change-too-large"),
        "{:?}",
        fx.refused
    );
    assert!(server.doc().get_change_by_hash(&hash).is_none());

    let (mut server, data, hash) = setup(5_000);
    let stored = server.size_bytes();
    server.set_limits(Limits {
        max_change_bytes: usize::MAX,
        max_document_bytes: stored + 1_000,
    });
    let fx = server.handle([Event::FromPeer {
        message: Message::Sync(body(&server, data)),
        access: Access::ReadWrite,
    }]);
    assert!(
        fx.refused[0].1.starts_with("document-full"),
        "{:?}",
        fx.refused
    );
    assert!(server.doc().get_change_by_hash(&hash).is_none());
    assert!(fx.persist.is_none());
}

#[test]
fn nothing_is_reported_unless_asked() {
    let (mut server, data, _) = setup(10);
    let fx = server.handle([Event::FromPeer {
        message: Message::Sync(body(&server, data)),
        access: Access::ReadWrite,
    }]);
    assert!(fx.refused.is_empty() && fx.accepted.is_empty());
    assert!(fx.persist.is_some(), "applied all the same");
}
