//! Open documents: a registry and one actor task per document.
//!
//! The actor owns the document's [`DocSession`]. It takes every command
//! waiting in its queue as one batch, feeds the batch to the session, starts
//! the write of the resulting change, and sends the sync messages the session
//! produced **only once that write is durable**. So no peer ever hears of
//! heads that are not on disk. While a write is under way the actor goes on
//! with the next batches (a few at most); their messages wait for their own
//! writes, which the store completes in order. Under load, batches grow and
//! writes stay few.
//!
//! A document with no peers for `idle_unload` removes itself from the
//! registry and ends, which bounds memory. A storage failure closes every
//! peer of the document with an `error` and ends the actor; the clients
//! still hold their changes and re-send them when they reconnect.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use codraft_protocol::{DocumentId, Message, PeerId};
use codraft_sync::{DocSession, Effects, Event, Mode};
use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;
use tokio::sync::mpsc;
use tracing::Instrument;

use crate::app::AppState;
use crate::connection::PeerHandle;
use crate::store::{Remote, StoreError};

/// Commands queued per document before senders wait (backpressure on the
/// reading side of the connections).
const DOC_QUEUE: usize = 1024;

/// Most commands taken as one batch.
const MAX_BATCH: usize = 256;

/// Batches whose write may be under way at once. Their messages go out in
/// order, each only after its own write (and so every earlier one) is done.
const MAX_IN_FLIGHT: usize = 4;

type WriteFuture = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send>>;

/// Accepted changes of a batch and who delivered each: (hash, user, time).
type Audit = Vec<(String, String, i64)>;

/// A batch applied to the session, its messages waiting for its write.
struct Batch {
    fx: Effects,
    /// Connections named in the batch (see `DocActor::apply`).
    senders: HashMap<PeerId, PeerHandle>,
    audit: Audit,
    /// When its oldest sync message arrived, for `codraft_fanout_seconds`.
    since: Option<Instant>,
}

impl Batch {
    fn remote(fx: Effects) -> Self {
        Batch {
            fx,
            senders: HashMap::new(),
            audit: Audit::new(),
            since: None,
        }
    }
}

/// Batches applied to the session whose messages wait for their write.
#[derive(Default)]
struct Pipeline {
    writes: FuturesOrdered<WriteFuture>,
    waiting: VecDeque<Batch>,
}

impl Pipeline {
    fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    fn has_room(&self) -> bool {
        self.waiting.len() < MAX_IN_FLIGHT
    }

    /// Starts the batch's write (if it has one) right away; its messages wait.
    fn push(&mut self, state: &Arc<AppState>, doc: DocumentId, mut batch: Batch) {
        let write: WriteFuture = match batch.fx.persist.take() {
            Some(op) => {
                let state = state.clone();
                Box::pin(async move {
                    let started = Instant::now();
                    let r = state.store.write(doc, op).await;
                    state
                        .metrics
                        .persist_seconds
                        .observe(started.elapsed().as_secs_f64());
                    r
                })
            }
            None => Box::pin(std::future::ready(Ok(()))),
        };
        self.writes.push_back(write);
        self.waiting.push_back(batch);
    }

    /// The oldest batch, once its write is done.
    async fn next_done(&mut self) -> (Result<(), StoreError>, Batch) {
        let result = self.writes.next().await.unwrap_or(Ok(()));
        let batch = self
            .waiting
            .pop_front()
            .expect("one waiting batch per write");
        (result, batch)
    }
}

#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "nearly every command is a Message; boxing it would add an allocation per frame and save nothing"
)]
pub enum DocCommand {
    /// A document message from a connection.
    Message {
        from: PeerHandle,
        message: Message,
        /// May this connection create the document if it does not exist?
        may_create: bool,
        /// When the connection read it.
        received: Instant,
    },
    /// The connection ended.
    PeerLeft { peer: PeerId, conn_id: u64 },
}

/// Registry of running document actors.
#[derive(Debug, Default)]
pub struct Documents {
    /// Each actor's queue, with a generation number so that an exiting actor
    /// removes only its own entry.
    map: Mutex<HashMap<DocumentId, (u64, mpsc::Sender<DocCommand>)>>,
    next_generation: Mutex<u64>,
}

impl Documents {
    /// Delivers a command, starting the document's actor if none runs.
    pub async fn send(&self, state: &Arc<AppState>, doc: DocumentId, mut cmd: DocCommand) {
        loop {
            if state.shutdown.is_cancelled() {
                return;
            }
            let tx = self.get_or_start(state, doc);
            match tx.send(cmd).await {
                Ok(()) => return,
                // The actor ended between lookup and send: start a new one.
                Err(mpsc::error::SendError(c)) => cmd = c,
            }
        }
    }

    /// Delivers a command only to a running actor.
    pub async fn send_if_open(&self, doc: DocumentId, cmd: DocCommand) {
        let tx = self.map.lock().unwrap().get(&doc).map(|(_, tx)| tx.clone());
        if let Some(tx) = tx {
            let _ = tx.send(cmd).await;
        }
    }

    pub fn open_count(&self) -> usize {
        self.map.lock().unwrap().len()
    }

    fn get_or_start(&self, state: &Arc<AppState>, doc: DocumentId) -> mpsc::Sender<DocCommand> {
        let mut map = self.map.lock().unwrap();
        if let Some((_, tx)) = map.get(&doc)
            && !tx.is_closed()
        {
            return tx.clone();
        }
        let generation = {
            let mut g = self.next_generation.lock().unwrap();
            *g += 1;
            *g
        };
        let (tx, rx) = mpsc::channel(DOC_QUEUE);
        map.insert(doc, (generation, tx.clone()));
        let actor = DocActor {
            state: state.clone(),
            doc,
            generation,
            rx,
            peers: HashMap::new(),
        };
        let span = tracing::info_span!("document", doc = %doc);
        state.tracker.spawn(actor.run().instrument(span));
        tx
    }

    /// Removes the actor's entry if it is still this generation's and nothing
    /// is queued; closes the queue so late senders retry with a new actor.
    fn try_retire(
        &self,
        doc: DocumentId,
        generation: u64,
        rx: &mut mpsc::Receiver<DocCommand>,
    ) -> bool {
        let mut map = self.map.lock().unwrap();
        if !rx.is_empty() {
            return false;
        }
        if matches!(map.get(&doc), Some((g, _)) if *g == generation) {
            map.remove(&doc);
        }
        rx.close();
        true
    }

    fn remove(&self, doc: DocumentId, generation: u64) {
        let mut map = self.map.lock().unwrap();
        if matches!(map.get(&doc), Some((g, _)) if *g == generation) {
            map.remove(&doc);
        }
    }
}

struct DocActor {
    state: Arc<AppState>,
    doc: DocumentId,
    generation: u64,
    rx: mpsc::Receiver<DocCommand>,
    /// The connection of each peer the session syncs with.
    peers: HashMap<PeerId, PeerHandle>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl DocActor {
    async fn run(mut self) {
        let metrics = self.state.metrics.clone();
        metrics.open_documents.inc();
        match self.load().await {
            Ok(session) => self.serve(session).await,
            Err(why) => {
                metrics.storage_errors.inc();
                tracing::error!(%why, "document not loaded");
                self.state.documents.remove(self.doc, self.generation);
                self.rx.close();
                while let Some(cmd) = self.rx.recv().await {
                    if let DocCommand::Message { from, .. } = cmd {
                        from.fail(&why);
                    }
                }
            }
        }
        metrics.open_documents.dec();
    }

    async fn load(&self) -> Result<DocSession, String> {
        let chunks = self
            .state
            .store
            .load(self.doc)
            .await
            .map_err(|e| format!("{e}: document {} could not be loaded", self.doc))?;
        DocSession::load(
            self.doc,
            self.state.server_peer.clone(),
            Mode::Server,
            &chunks,
        )
        .map_err(|e| format!("storage failure: {e}"))
    }

    async fn serve(mut self, mut session: DocSession) {
        let idle = self.state.config.idle_unload;
        let shutdown = self.state.shutdown.clone();
        let mut pipeline = Pipeline::default();
        // What other instances do to this document (a shared store only).
        let (remote_tx, mut remote) = mpsc::channel::<Remote>(DOC_QUEUE);
        self.state.store.follow(self.doc, remote_tx);
        let mut remote_open = true;
        loop {
            let idle_now = self.peers.is_empty() && pipeline.is_empty();
            tokio::select! {
                biased;
                // A write finished: what depended on it may go out now.
                done = pipeline.next_done(), if !pipeline.is_empty() => {
                    let (result, batch) = done;
                    if !self.after_write(result, &mut session, batch) {
                        return;
                    }
                }
                cmd = self.rx.recv(), if pipeline.has_room() => {
                    let Some(first) = cmd else { break };
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match self.rx.try_recv() {
                            Ok(c) => batch.push(c),
                            Err(_) => break,
                        }
                    }
                    let batch = self.apply(&mut session, batch);
                    pipeline.push(&self.state, self.doc, batch);
                }
                r = remote.recv(), if remote_open && pipeline.has_room() => {
                    let Some(first) = r else {
                        remote_open = false;
                        continue;
                    };
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match remote.try_recv() {
                            Ok(r) => batch.push(r),
                            Err(_) => break,
                        }
                    }
                    let fx = self.apply_remote(&mut session, batch);
                    pipeline.push(&self.state, self.doc, Batch::remote(fx));
                }
                _ = tokio::time::sleep(idle), if idle_now => {
                    if self.state.documents.try_retire(self.doc, self.generation, &mut self.rx) {
                        tracing::debug!("idle: unloaded");
                        break;
                    }
                }
                _ = shutdown.cancelled() => {
                    self.state.documents.remove(self.doc, self.generation);
                    self.rx.close();
                    break;
                }
            }
        }
        self.state.store.unfollow(self.doc);
        // Closed (idle or shutdown): serve what is still queued and let every
        // write finish before the task ends.
        let mut rest = Vec::new();
        while let Some(c) = self.rx.recv().await {
            rest.push(c);
        }
        if !rest.is_empty() {
            let batch = self.apply(&mut session, rest);
            pipeline.push(&self.state, self.doc, batch);
        }
        while !pipeline.is_empty() {
            let (result, batch) = pipeline.next_done().await;
            if !self.after_write(result, &mut session, batch) {
                return;
            }
        }
    }

    /// Feeds what other instances stored or relayed to the session: their
    /// changes go to this instance's peers (not stored again), their
    /// ephemeral messages too.
    fn apply_remote(&mut self, session: &mut DocSession, batch: Vec<Remote>) -> Effects {
        let mut events = vec![Event::Tick { now_ms: now_ms() }];
        let mut last = None;
        for r in batch {
            match r {
                Remote::Changes { position, bytes } => {
                    if let Some(b) = bytes {
                        events.push(Event::Stored(b));
                    }
                    last = Some(position);
                }
                Remote::Ephemeral(bytes) => match codraft_protocol::decode(&bytes) {
                    Ok(m @ Message::Ephemeral(_)) => events.push(Event::Received(m)),
                    _ => tracing::debug!("undecodable ephemeral message from another instance"),
                },
            }
        }
        let fx = session.handle(events);
        if let Some(p) = last {
            self.state.store.applied(self.doc, &p);
        }
        fx
    }

    /// Feeds one batch to the session.
    fn apply(&mut self, session: &mut DocSession, batch: Vec<DocCommand>) -> Batch {
        let mut since: Option<Instant> = None;
        let mut events = vec![Event::Tick { now_ms: now_ms() }];
        // Which signed-in user delivered which change, for the audit log.
        let mut delivered: HashMap<automerge::ChangeHash, String> = HashMap::new();
        let mut writers: Vec<String> = Vec::new();
        // Connections named in this batch, to answer peers the session does
        // not keep (a `request` for a missing document).
        let mut senders: HashMap<PeerId, PeerHandle> = HashMap::new();
        for cmd in batch {
            match cmd {
                DocCommand::Message {
                    from,
                    message,
                    may_create,
                    received,
                } => {
                    if matches!(message, Message::Sync(_)) {
                        since = Some(since.map_or(received, |s| s.min(received)));
                    }
                    let peer = from.peer.clone();
                    if !session.exists() && matches!(message, Message::Sync(_)) && !may_create {
                        from.send(&Message::DocUnavailable {
                            sender_id: self.state.server_peer.clone(),
                            target_id: peer,
                            document_id: self.doc,
                        });
                        continue;
                    }
                    match self.peers.get(&peer) {
                        Some(h) if h.conn_id != from.conn_id => {
                            // Same peer id on a new connection: start its sync afresh.
                            events.push(Event::PeerLeft(peer.clone()));
                            self.peers.insert(peer.clone(), from.clone());
                        }
                        Some(_) => {}
                        None => {
                            self.peers.insert(peer.clone(), from.clone());
                        }
                    }
                    if let (Some(user), Message::Sync(d)) = (&from.user, &message) {
                        note_changes(&d.data, user, &mut delivered);
                        if !writers.contains(user) {
                            writers.push(user.clone());
                        }
                    }
                    if matches!(message, Message::Ephemeral(_)) {
                        // For the document's peers on the other instances.
                        self.state.store.publish_ephemeral(self.doc, &message);
                    }
                    senders.insert(peer, from);
                    events.push(Event::Received(message));
                }
                DocCommand::PeerLeft { peer, conn_id } => {
                    if self.peers.get(&peer).is_some_and(|h| h.conn_id == conn_id) {
                        self.peers.remove(&peer);
                        events.push(Event::PeerLeft(peer));
                    }
                }
            }
        }
        let before = (!writers.is_empty()).then(|| session.doc().get_heads());
        let fx = session.handle(events);
        let mut audit = Audit::new();
        if let Some(before) = before {
            let time = now_ms() as i64;
            // Metadata only: rebuilding whole changes costs far more.
            for c in session.doc().get_changes_meta(&before) {
                let hash = c.hash;
                // A change inside a compressed chunk is not named in the
                // message: it came from the batch's only writer, if one.
                let user = delivered
                    .get(&hash)
                    .cloned()
                    .or_else(|| (writers.len() == 1).then(|| writers[0].clone()));
                if let Some(user) = user {
                    audit.push((hash.to_string(), user, time));
                }
            }
        }
        Batch {
            fx,
            senders,
            audit,
            since,
        }
    }

    /// A batch's write is done (or it had none): send its messages, or on
    /// failure close every peer. Returns false if the actor must end.
    fn after_write(
        &mut self,
        result: Result<(), StoreError>,
        session: &mut DocSession,
        batch: Batch,
    ) -> bool {
        let Batch {
            fx,
            senders,
            audit,
            since,
        } = batch;
        let senders = &senders;
        match result {
            Ok(()) => {
                let fans_out = fx.messages.iter().any(|m| matches!(m, Message::Sync(_)));
                self.deliver(session, fx, senders);
                if let (true, Some(since)) = (fans_out, since) {
                    self.state
                        .metrics
                        .fanout_seconds
                        .observe(since.elapsed().as_secs_f64());
                }
                if let (false, Some(accounts)) = (audit.is_empty(), &self.state.accounts) {
                    // Recorded once the changes are durable.
                    let (dir, doc) = (accounts.dir.clone(), self.doc);
                    tokio::spawn(async move {
                        if let Err(e) = dir.audit_append(doc, audit).await {
                            tracing::error!(error = %e, "audit log write failed");
                        }
                    });
                }
                true
            }
            Err(e) => {
                self.state.metrics.storage_errors.inc();
                tracing::error!(error = %e, "write failed; closing the document's peers");
                let why = format!(
                    "{e}: your latest changes were not saved; reconnect to send them again"
                );
                for (_, h) in self.peers.drain() {
                    h.fail(&why);
                }
                for h in senders.values() {
                    h.fail(&why);
                }
                self.state.documents.remove(self.doc, self.generation);
                false
            }
        }
    }

    fn deliver(
        &mut self,
        session: &mut DocSession,
        fx: Effects,
        senders: &HashMap<PeerId, PeerHandle>,
    ) {
        let mut gone = Vec::new();
        for (peer, why) in &fx.refused {
            if let Some(h) = self
                .peers
                .remove(peer)
                .or_else(|| senders.get(peer).cloned())
            {
                self.state.metrics.protocol_errors.inc();
                h.fail(why);
            }
        }
        for m in fx.messages {
            let Some(target) = target_of(&m) else {
                continue;
            };
            let handle = self.peers.get(target).or_else(|| senders.get(target));
            if let Some(h) = handle
                && !h.send(&m)
            {
                gone.push(target.clone());
            }
        }
        // Peers the session does not keep (answered `doc-unavailable`) or
        // whose connection is gone.
        self.peers
            .retain(|p, _| session.has_peer(p) && !gone.contains(p));
        if !gone.is_empty() {
            let _ = session.handle(gone.into_iter().map(Event::PeerLeft));
        }
    }
}

/// The hashes of the changes a sync message carries (change chunks; a
/// compressed document chunk names none).
fn note_changes(data: &[u8], user: &str, into: &mut HashMap<automerge::ChangeHash, String>) {
    let Ok(m) = automerge::sync::Message::decode(data) else {
        return;
    };
    for chunk in m.changes.iter() {
        if let Ok(c) = automerge::Change::from_bytes(chunk.to_vec()) {
            into.insert(c.hash(), user.to_owned());
        }
    }
}

fn target_of(m: &Message) -> Option<&PeerId> {
    match m {
        Message::Sync(d) | Message::Request(d) => Some(&d.target_id),
        Message::Ephemeral(e) => Some(&e.target_id),
        Message::DocUnavailable { target_id, .. } => Some(target_id),
        _ => None,
    }
}
