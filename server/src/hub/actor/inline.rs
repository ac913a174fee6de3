//! Where a batch's session work runs: acknowledgements on the runtime's
//! own thread, everything else on the blocking pool.

use codraft_protocol::Message;
use codraft_sync::{DocSession, Event};

use super::{Session, Summaries, Worked, off_the_runtime};

/// True for a batch that asks no document work: acknowledgements (sync
/// messages without changes whose heads are the document's own), presence,
/// peers leaving, the clock. Most of a fan-out's messages are these: each
/// change delivered to fifty peers comes back as fifty acknowledgements.
/// Answering them means comparing heads, which costs less than the two
/// thread switches of a trip to the blocking pool.
pub(super) fn only_acknowledgements(session: &DocSession, events: &[Event]) -> bool {
    let mut ours: Option<Vec<automerge::ChangeHash>> = None;
    events.iter().all(|e| match e {
        Event::Tick { .. } | Event::PeerLeft(_) => true,
        Event::Received(Message::Ephemeral(_))
        | Event::FromPeer {
            message: Message::Ephemeral(_),
            ..
        } => true,
        Event::Received(Message::Sync(m))
        | Event::FromPeer {
            message: Message::Sync(m),
            ..
        } => {
            let Ok(msg) = automerge::sync::Message::decode(&m.data) else {
                return false;
            };
            let ours = ours.get_or_insert_with(|| {
                let mut h = session.heads();
                h.sort();
                h
            });
            let mut theirs = msg.heads;
            theirs.sort();
            msg.changes.is_empty() && !theirs.is_empty() && theirs == *ours
        }
        _ => false,
    })
}

/// The session's work on a batch: on the runtime's thread for a batch of
/// acknowledgements, on the blocking pool otherwise. `None` if it panicked.
pub(super) async fn work(session: Session, events: Vec<Event>) -> Option<Worked> {
    if !only_acknowledgements(&session, &events) {
        return off_the_runtime(session, events).await;
    }
    let mut session = session;
    let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let fx = session.handle(events);
        (session, fx)
    }));
    match handled {
        Ok((session, fx)) => Some((session, fx, Summaries::new())),
        Err(_) => {
            tracing::error!("document work failed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{Automerge, AutomergeError, ObjType, ROOT};
    use codraft_protocol::{DocMessage, DocumentId, PeerId};
    use codraft_sync::{Access, ChunkKind, Mode, StoredChunk};

    fn card() -> (DocSession, Automerge) {
        let mut doc = Automerge::new();
        doc.transact::<_, _, AutomergeError>(|tx| {
            let t = tx.put_object(ROOT, "summary", ObjType::Text)?;
            tx.splice_text(&t, 0, 0, "الشفافية")
        })
        .unwrap();
        let chunk = StoredChunk {
            kind: ChunkKind::Snapshot,
            bytes: doc.save(),
        };
        let mut s = DocSession::load(
            DocumentId::random(),
            "server".into(),
            Mode::Server,
            &[chunk],
        )
        .unwrap();
        s.set_relay(true);
        (s, doc)
    }

    fn sync(s: &DocSession, heads: Vec<automerge::ChangeHash>, changes: Vec<Vec<u8>>) -> Event {
        Event::FromPeer {
            message: Message::Sync(DocMessage {
                sender_id: PeerId::from("yassine"),
                target_id: "server".into(),
                document_id: s.document_id(),
                data: codraft_sync::access::push_changes(heads, changes),
            }),
            access: Access::ReadWrite,
        }
    }

    #[test]
    fn only_acknowledgements_of_the_current_heads_stay_on_the_runtime() {
        let (s, doc) = card();
        let tick = Event::Tick { now_ms: 1 };
        let ack = sync(&s, s.heads(), vec![]);
        assert!(only_acknowledgements(&s, &[tick.clone(), ack.clone()]));
        assert!(only_acknowledgements(
            &s,
            &[ack.clone(), Event::PeerLeft("amina".into())]
        ));
        // A change is document work.
        let mut typed = doc.fork();
        let t = automerge::ReadDoc::get(&typed, ROOT, "summary")
            .unwrap()
            .unwrap()
            .1;
        typed
            .transact::<_, _, AutomergeError>(|tx| tx.splice_text(&t, 0, 0, "ⵜ"))
            .unwrap();
        let change = typed.get_last_local_change().unwrap().raw_bytes().to_vec();
        let push = sync(&s, typed.get_heads(), vec![change]);
        assert!(!only_acknowledgements(&s, &[ack.clone(), push]));
        // A peer behind, or with nothing, may need changes or the whole
        // document: the blocking pool.
        let behind = sync(&s, vec![], vec![]);
        assert!(!only_acknowledgements(&s, &[behind]));
        let unknown = sync(&s, typed.get_heads(), vec![]);
        assert!(!only_acknowledgements(&s, &[unknown]));
        // A peer joining is sent what it lacks; garbage is refused there.
        assert!(!only_acknowledgements(
            &s,
            &[Event::PeerJoined("amina".into())]
        ));
        let garbage = Event::FromPeer {
            message: Message::Sync(DocMessage {
                sender_id: PeerId::from("yassine"),
                target_id: "server".into(),
                document_id: s.document_id(),
                data: vec![0x42, 0x00],
            }),
            access: Access::ReadWrite,
        };
        assert!(!only_acknowledgements(&s, &[garbage]));
    }

    #[tokio::test]
    async fn an_acknowledgement_is_answered_on_the_runtime_like_on_the_pool() {
        let (s, _) = card();
        let heads = s.heads();
        let events = vec![
            Event::PeerJoined("yassine".into()),
            sync(&s, heads.clone(), vec![]),
        ];
        let (s, fx, sums) = off_the_runtime(Box::new(s), events).await.unwrap();
        assert!(sums.is_empty());
        assert!(fx.refused.is_empty());
        // Now an acknowledgement, taken on the runtime: nothing stored,
        // nothing refused, the session goes on.
        let ack = sync(&s, heads.clone(), vec![]);
        assert!(only_acknowledgements(&s, std::slice::from_ref(&ack)));
        let (s, fx, _) = work(s, vec![ack]).await.unwrap();
        assert!(fx.refused.is_empty() && fx.persist.is_none());
        assert_eq!(s.heads(), heads);
    }
}
