//! The hub below the whole server: a connection driven through in-memory
//! channels (no socket, no HTTP), on the in-memory store, with test
//! doubles for the access seam and the audit sink.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use automerge::ReadDoc;
use automerge::transaction::Transactable;
use axum::extract::ws::Message as Frame;
use codraft_protocol::{DocMessage, DocumentId, Message, PeerId, decode, encode};
use codraft_sync::{ChunkKind, Persist};
use futures_util::{Sink, Stream};
use tokio::sync::mpsc;

use super::{AuditRow, AuditSink, Hub, SyncSettings};
use crate::auth::{Access, Authorizer, Identity};
use crate::directory::{Credential, CredentialKind, Sector, User};
use crate::store::{MemoryStore, Store};

/// Grants everyone the same access.
#[derive(Debug)]
struct Grant(Access);

impl Authorizer for Grant {
    fn access(&self, _: &Identity, _: &DocumentId) -> Access {
        self.0
    }
    fn may_create(&self, _: &Identity, _: &DocumentId) -> bool {
        false
    }
}

/// Keeps audit rows, after a delay (a slow database).
#[derive(Debug, Default)]
struct SlowAudit(Arc<Mutex<Vec<AuditRow>>>);

impl AuditSink for SlowAudit {
    fn append(
        &self,
        _doc: DocumentId,
        rows: Vec<AuditRow>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'static>>
    {
        let kept = self.0.clone();
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            kept.lock().unwrap().extend(rows);
            Ok(())
        })
    }
}

fn user() -> Identity {
    Identity::User(Credential {
        user: User {
            id: "u1".into(),
            email: "u1@x.org".into(),
            name: "Salma".into(),
            organisation: "Université".into(),
            sector: Sector::Academia,
            admin: false,
        },
        kind: CredentialKind::ApiToken,
        id: "t1".into(),
        expires_ms: None,
    })
}

fn hub(access: Access, audit: Option<Arc<dyn AuditSink>>) -> (Arc<Hub>, MemoryStore) {
    let store = MemoryStore::default();
    let config = crate::Config::for_tests("/nonexistent".into());
    let hub = Hub::new(
        SyncSettings::from(&config),
        Arc::new(store.clone()),
        Arc::new(Grant(access)),
        audit,
    );
    (Arc::new(hub), store)
}

/// A document with a `lead` text, stored.
async fn stored_doc(store: &MemoryStore) -> (DocumentId, automerge::Automerge) {
    let mut doc = automerge::Automerge::new();
    doc.transact(|tx| {
        let t = tx.put_object(automerge::ROOT, "lead", automerge::ObjType::Text)?;
        tx.splice_text(&t, 0, 0, "Ministère")
    })
    .unwrap();
    let id = DocumentId::random();
    store.write(id, Persist::Compact(doc.save())).await.unwrap();
    assert_eq!(store.chunks(&id)[0].kind, ChunkKind::Snapshot);
    (id, doc)
}

/// One connection over channels: what the test sends, what the server sends.
struct Wire {
    to_server: mpsc::UnboundedSender<Result<Frame, String>>,
    from_server: mpsc::UnboundedReceiver<Frame>,
    task: tokio::task::JoinHandle<()>,
}

fn connect(hub: &Arc<Hub>, identity: Identity) -> Wire {
    let (to_server, rx) = mpsc::unbounded_channel::<Result<Frame, String>>();
    let (tx, from_server) = mpsc::unbounded_channel::<Frame>();
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|f| (f, rx)) });
    let sink = futures_util::sink::unfold(tx, |tx, f: Frame| async move {
        tx.send(f).map_err(|_| "closed")?;
        Ok::<_, &'static str>(tx)
    });
    let task = tokio::spawn(serve_boxed(hub.clone(), identity, sink, stream));
    Wire {
        to_server,
        from_server,
        task,
    }
}

async fn serve_boxed<S, R>(hub: Arc<Hub>, identity: Identity, sink: S, stream: R)
where
    S: Sink<Frame> + Send + 'static,
    R: Stream<Item = Result<Frame, String>> + Send + 'static,
{
    super::serve(hub, identity, Box::pin(sink), Box::pin(stream)).await
}

impl Wire {
    fn send(&self, m: &Message) {
        self.to_server
            .send(Ok(Frame::Binary(encode(m).into())))
            .unwrap();
    }

    /// The next protocol message (skipping pings); `None` at a close frame.
    async fn next(&mut self) -> Option<Message> {
        loop {
            let f = tokio::time::timeout(Duration::from_secs(5), self.from_server.recv())
                .await
                .expect("the server said nothing")?;
            match f {
                Frame::Binary(b) => return Some(decode(&b).unwrap()),
                Frame::Close(_) => return None,
                _ => continue,
            }
        }
    }

    async fn join(&mut self, peer: &str) -> PeerId {
        let c = codraft_protocol::handshake::Client::new(peer.into(), Default::default());
        self.send(&c.join());
        let answer = self.next().await.unwrap();
        c.receive(&answer).unwrap()
    }
}

fn change_on(
    doc: &automerge::Automerge,
    server: &PeerId,
    id: DocumentId,
) -> (Message, automerge::ChangeHash) {
    let mut fork = doc.fork();
    fork.transact(|tx| {
        let (_, t) = tx.get(automerge::ROOT, "lead")?.unwrap();
        tx.splice_text(&t, 0, 0, "la ")
    })
    .unwrap();
    let change = fork.get_last_local_change().unwrap().clone();
    let data =
        codraft_sync::access::push_changes(fork.get_heads(), vec![change.raw_bytes().to_vec()]);
    let m = Message::Request(DocMessage {
        sender_id: "me".into(),
        target_id: server.clone(),
        document_id: id,
        data,
    });
    (m, change.hash())
}

#[tokio::test]
async fn a_join_is_answered_and_a_malformed_frame_closes_with_an_error() {
    let (hub, _) = hub(Access::ReadWrite, None);
    let mut w = connect(&hub, user());
    let server = w.join("me").await;
    assert_eq!(&server, hub.server_peer());
    w.to_server
        .send(Ok(Frame::Binary(vec![0xff, 0x00].into())))
        .unwrap();
    let Some(Message::Error { message, .. }) = w.next().await else {
        panic!("no error for a malformed frame")
    };
    assert!(message.starts_with("malformed message"), "{message}");
    assert!(w.next().await.is_none(), "closed after the error");
    w.task.await.unwrap();
}

#[tokio::test]
async fn the_first_message_must_be_a_join() {
    let (hub, _) = hub(Access::ReadWrite, None);
    let mut w = connect(&hub, user());
    w.send(&Message::Leave {
        sender_id: "me".into(),
    });
    let Some(Message::Error { message, .. }) = w.next().await else {
        panic!("no error")
    };
    assert_eq!(message, "expected a join message first, got `leave`");
    w.task.await.unwrap();
}

#[tokio::test]
async fn an_observers_change_is_refused_and_never_stored() {
    let (hub, store) = hub(Access::ReadOnly, None);
    let (id, doc) = stored_doc(&store).await;
    let mut w = connect(&hub, user());
    let server = w.join("me").await;
    let (m, _) = change_on(&doc, &server, id);
    w.send(&m);
    let mut refused = None;
    while let Some(m) = w.next().await {
        if let Message::Error { message, .. } = m {
            refused = Some(message);
        }
    }
    assert!(refused.unwrap().starts_with("read-only"));
    assert_eq!(store.chunks(&id).len(), 1, "nothing stored");
}

#[tokio::test]
async fn an_audit_row_written_slowly_survives_an_immediate_shutdown() {
    let rows = Arc::new(Mutex::new(Vec::new()));
    let sink: Arc<dyn AuditSink> = Arc::new(SlowAudit(rows.clone()));
    let (hub, store) = hub(Access::ReadWrite, Some(sink));
    let (id, doc) = stored_doc(&store).await;
    let mut w = connect(&hub, user());
    let server = w.join("me").await;
    let (m, hash) = change_on(&doc, &server, id);
    w.send(&m);
    // The change is acknowledged (durable)...
    let Some(Message::Sync(_)) = w.next().await else {
        panic!("no acknowledgement")
    };
    assert_eq!(store.chunks(&id).len(), 2);
    // ... and the server stops at once: the slow audit write is awaited.
    hub.shutdown.cancel();
    hub.tracker.close();
    hub.tracker.wait().await;
    let rows = rows.lock().unwrap();
    assert_eq!(rows.len(), 1, "the audit row was lost at shutdown");
    assert_eq!(
        (rows[0].change.as_str(), rows[0].user.as_str()),
        (hash.to_string().as_str(), "u1")
    );
    drop(w);
}

/// A peer that syncs a copy of a document over a [`Wire`] as a client
/// does: it answers every message of the server's with its own.
struct Syncing {
    doc: automerge::Automerge,
    state: automerge::sync::State,
    me: PeerId,
    server: PeerId,
    id: DocumentId,
}

impl Syncing {
    fn message(&mut self, request: bool) -> Option<Message> {
        use automerge::sync::SyncDoc;
        let m = self.doc.generate_sync_message(&mut self.state)?;
        let d = DocMessage {
            sender_id: self.me.clone(),
            target_id: self.server.clone(),
            document_id: self.id,
            data: m.encode(),
        };
        Some(if request {
            Message::Request(d)
        } else {
            Message::Sync(d)
        })
    }

    /// Takes the server's messages and answers them until `done` holds.
    async fn until(&mut self, w: &mut Wire, done: impl Fn(&automerge::Automerge) -> bool) {
        use automerge::sync::SyncDoc;
        while !done(&self.doc) {
            let d = match w.next().await {
                Some(Message::Sync(d)) => d,
                Some(_) => continue,
                None => panic!("the server closed the connection"),
            };
            let m = automerge::sync::Message::decode(&d.data).unwrap();
            self.doc.receive_sync_message(&mut self.state, m).unwrap();
            if let Some(answer) = self.message(false) {
                w.send(&answer);
            }
        }
    }
}

/// Regression (a replaced connection's late message): a peer reconnects,
/// and a message its older connection still had on its way reaches the
/// document after the newer connection's. It used to take the peer back
/// for the older, closed connection, so the newer one heard nothing of
/// other people's changes until it sent something itself.
#[tokio::test]
async fn a_replaced_connections_late_message_does_not_take_its_peer_back() {
    let (hub, store) = hub(Access::ReadWrite, None);
    let (id, doc) = stored_doc(&store).await;
    let mut old = connect(&hub, user());
    let server = old.join("me").await;
    let me = PeerId::from("me");
    let old_handle = hub.peers.lock().unwrap().get(&me).cloned().unwrap();
    // The peer reconnects: the newer connection replaces the older one and
    // syncs the document, in step with the server.
    let mut new = connect(&hub, user());
    new.join("me").await;
    let mut peer = Syncing {
        doc: doc.fork(),
        state: automerge::sync::State::new(),
        me: me.clone(),
        server: server.clone(),
        id,
    };
    peer.doc
        .transact(|tx| {
            let (_, t) = tx.get(automerge::ROOT, "lead")?.unwrap();
            tx.splice_text(&t, 0, 0, "Le ")
        })
        .unwrap();
    let mine = peer.doc.get_heads()[0];
    let first = peer.message(true).unwrap();
    new.send(&first);
    let stored = store.clone();
    peer.until(&mut new, |_| stored.chunks(&id).len() >= 2)
        .await;
    // The older connection's last message reaches the document only now.
    let (m, _) = change_on(&doc, &server, id);
    let lane: Arc<super::peer::Lane> = Arc::default();
    lane.queue();
    super::actor::deliver(
        &hub,
        id,
        super::DocCommand::Message {
            from: old_handle,
            message: m,
            access: codraft_sync::Access::ReadWrite,
            may_create: false,
            received: std::time::Instant::now(),
            lane,
        },
    )
    .await;
    // Someone else types: the newer connection hears of it.
    let mut them = connect(&hub, user());
    them.join("them").await;
    let (Message::Request(mut d), theirs) = change_on(&doc, &server, id) else {
        unreachable!()
    };
    d.sender_id = "them".into();
    them.send(&Message::Request(d));
    tokio::time::timeout(
        Duration::from_secs(10),
        peer.until(&mut new, |d| d.get_change_by_hash(&theirs).is_some()),
    )
    .await
    .expect("the newer connection heard nothing of the other person's change");
    assert!(peer.doc.get_change_by_hash(&mine).is_some());
}
