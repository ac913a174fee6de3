//! One document's actor: owns its [`DocSession`], takes queued commands in
//! batches (a busy document's within its fan-out window, `window.rs`),
//! hands the session's work to the blocking pool, starts each batch's write
//! and sends its messages once the write is durable.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use codraft_protocol::{DocumentId, Message, PeerId};
use codraft_sync::{DocSession, Effects, Event, Mode};
use tokio::sync::mpsc;

use tracing::Instrument;

use super::peer::{Aside, DocCommand, Lane, PeerHandle};
use super::pipeline::{Audit, Batch, Pipeline};
use super::registry::DOC_QUEUE;
use super::shared::Hub;
use crate::directory::ChangeSummary;
use crate::store::{Remote, StoreError};

mod batches;
mod inline;
mod jobs;
mod lanes;
mod window;
use super::peer::JobError;
use inline::work;
pub use jobs::{edit, edit_accepted, read};

/// Delivers a command to the document's actor, starting one if none runs
/// (nothing once the server is shutting down).
pub async fn deliver(hub: &Arc<Hub>, doc: DocumentId, cmd: DocCommand) {
    if hub.shutdown.is_cancelled() {
        return;
    }
    let start = |doc: DocumentId, generation: u64, rx: mpsc::Receiver<DocCommand>| {
        let actor = DocActor::new(hub.clone(), doc, generation, rx);
        let span = tracing::info_span!("document", doc = %doc);
        hub.tracker.spawn(actor.run().instrument(span));
    };
    hub.documents.send(doc, cmd, &start).await;
}

/// The session back from the blocking pool, its effects, and a summary of
/// each change it accepted (for the audit rows).
type Worked = (Session, Effects, Summaries);

/// The session as the actor holds it: boxed, since it is moved into every
/// batch's work and back (several kilobytes copied each time otherwise, for
/// each acknowledgement of a fan-out).
pub(super) type Session = Box<DocSession>;
pub(super) type Summaries = HashMap<automerge::ChangeHash, ChangeSummary>;

/// What each accepted change did (fields, characters): computed here, with
/// the document at hand, so a history page never reads the document. The
/// relaying session's document may lag: a change is summarised against it
/// when it holds every object the change touched (typing into an existing
/// field), and the document is materialised first when it does not.
fn summarize(session: &mut DocSession, fx: &Effects) -> Summaries {
    let mut out = Summaries::new();
    for h in fx.accepted.iter().flat_map(|a| a.changes.iter()) {
        let Some(change) = session.change(h) else {
            continue;
        };
        let (mut summary, resolved) =
            codraft_schema::review::summary::summarize_change(session.doc(), &change);
        if !resolved && session.unapplied() > 0 {
            session.materialise();
            summary = codraft_schema::review::summary::summarize(session.doc(), h);
        }
        out.insert(*h, summary);
    }
    out
}

/// Accepted changes the document may lag behind before a batch brings it
/// up to date anyway (besides a quiet document, a read, an edit, a
/// compaction): bounds memory and the catching-up work of a busy document
/// whose history nobody opens.
const MAX_UNAPPLIED: usize = 2_000;

/// How long a document with changes not yet materialised must be quiet
/// before the actor materialises it.
const MATERIALISE_WHEN_QUIET: std::time::Duration = std::time::Duration::from_secs(2);

/// Most commands taken as one batch.
const MAX_BATCH: usize = 256;

struct DocActor {
    hub: Arc<Hub>,
    doc: DocumentId,
    generation: u64,
    rx: mpsc::Receiver<DocCommand>,
    /// The connection of each peer the session syncs with.
    peers: HashMap<PeerId, PeerHandle>,
    /// Their connections' lanes into this document (`lanes.rs`).
    lanes: HashMap<PeerId, Arc<Lane>>,
    /// Acknowledgements their readers set aside for the next batch.
    aside: Arc<Aside>,
    /// The heads the lanes were last all told about.
    settled_at: Vec<automerge::ChangeHash>,
}

/// A batch's events, and who sent them, before the session has run.
struct Pending {
    events: Vec<Event>,
    /// Connections named in the batch: to answer peers the session does not
    /// keep (a `request` for a missing document), and to know the user
    /// behind each sender for the audit log.
    senders: HashMap<PeerId, PeerHandle>,
    /// When its oldest sync message arrived, for `codraft_fanout_seconds`.
    since: Option<Instant>,
    /// The lanes of the queued messages, told once the batch is handled.
    handled: Vec<Arc<Lane>>,
}

impl Pending {
    /// The batch is handled: its connections may set acknowledgements
    /// aside again (after `settle`).
    fn handled(self) {
        for lane in self.handled {
            lane.handled();
        }
    }
}

fn now_ms() -> u64 {
    crate::clock::now().as_u64()
}

/// Runs the session's work on the blocking pool: Automerge applies a change
/// by walking the object it touches, which for a large change or a long
/// text takes long enough to stall the async workers (and with them every
/// other document and connection). `None` if that work panicked: the
/// session is gone, and nothing it did was stored or advertised.
async fn off_the_runtime(session: Session, events: Vec<Event>) -> Option<Worked> {
    tokio::task::spawn_blocking(move || {
        let mut session = session;
        let fx = session.handle(events);
        let summaries = summarize(&mut session, &fx);
        if session.unapplied() >= MAX_UNAPPLIED {
            session.materialise();
        }
        (session, fx, summaries)
    })
    .await
    .inspect_err(|e| tracing::error!(error = %e, "document work failed"))
    .ok()
}

impl DocActor {
    fn new(
        hub: Arc<Hub>,
        doc: DocumentId,
        generation: u64,
        rx: mpsc::Receiver<DocCommand>,
    ) -> Self {
        DocActor {
            hub,
            doc,
            generation,
            rx,
            peers: HashMap::new(),
            lanes: HashMap::new(),
            aside: Arc::default(),
            settled_at: Vec::new(),
        }
    }

    async fn run(mut self) {
        let metrics = self.hub.metrics.clone();
        metrics.open_documents.inc();
        match self.load().await {
            Ok(session) => self.serve(session).await,
            Err(why) => {
                metrics.storage_errors.inc();
                tracing::error!(%why, "document not loaded");
                self.fail_queued(&why).await;
            }
        }
        metrics.open_documents.dec();
    }

    /// Ends the actor: whatever is queued gets `why`.
    async fn fail_queued(&mut self, why: &str) {
        self.hub.documents.remove(self.doc, self.generation);
        self.rx.close();
        for (_, h) in self.peers.drain() {
            h.fail(why);
        }
        while let Some(cmd) = self.rx.recv().await {
            if let DocCommand::Message { from, .. } = cmd {
                from.fail(why);
            }
        }
    }

    async fn load(&self) -> Result<Session, String> {
        let chunks = self
            .hub
            .store
            .load(self.doc)
            .await
            .map_err(|e| format!("{e}: document {} could not be loaded", self.doc))?;
        let (doc, peer) = (self.doc, self.hub.server_peer().clone());
        let limits = self.hub.settings.limits;
        let audited = self.hub.audit.is_some();
        tokio::task::spawn_blocking(move || {
            DocSession::load(doc, peer, Mode::Server, &chunks).map(|mut s| {
                s.set_relay(true);
                s.set_limits(limits);
                s.set_report_accepted(audited);
                Box::new(s)
            })
        })
        .await
        .map_err(|e| format!("storage failure: {e}"))?
        .map_err(|e| format!("storage failure: {e}"))
    }

    async fn serve(mut self, session: Session) {
        let idle = self.hub.settings.idle_unload;
        let shutdown = self.hub.shutdown.clone();
        let mut pipeline = Pipeline::default();
        let mut session = session;
        // What other instances do to this document (a shared store only).
        let (remote_tx, mut remote) = mpsc::channel::<Remote>(DOC_QUEUE);
        self.hub.store.follow(self.doc, remote_tx);
        let mut remote_open = true;
        let mut window = window::Window::new(self.hub.settings.fanout_window);
        loop {
            let idle_now = self.peers.is_empty() && pipeline.is_empty();
            let gathering = window.gathering();
            tokio::select! {
                biased;
                // A write finished: what depended on it may go out now.
                done = pipeline.next_done(), if !pipeline.is_empty() => {
                    let (result, batch) = done;
                    if !self.after_write(result, &mut session, batch) {
                        return;
                    }
                }
                // The fan-out window closed: what gathered is taken next.
                _ = window.closed(), if gathering => {}
                cmd = self.rx.recv(), if pipeline.has_room() && !gathering => {
                    let Some(first) = cmd else { break };
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match self.rx.try_recv() {
                            Ok(c) => batch.push(c),
                            Err(_) => break,
                        }
                    }
                    // A full batch leaves a backlog: it is taken at once.
                    if batch.len() < MAX_BATCH {
                        window.open();
                    }
                    let (batch, jobs) = jobs::split(batch);
                    let mut pending = self.events_of(&session, batch);
                    let events = std::mem::take(&mut pending.events);
                    let Some((s, fx, sums)) = work(session, events).await else {
                        return self.fail_queued("internal-error: the document failed: reconnect").await;
                    };
                    session = s;
                    let batch = self.batch_of(fx, pending, &session, &sums);
                    pipeline.push(&self.hub, self.doc, batch);
                    for job in jobs {
                        let Some(s) = self.run_job(session, job, &mut pipeline).await else {
                            return self.fail_queued("internal-error: the document failed: reconnect").await;
                        };
                        session = s;
                    }
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
                    // What was set aside comes first, as in any batch.
                    let mut pending = self.events_of(&session, Vec::new());
                    let (events, last) = Self::remote_events(batch);
                    pending.events.extend(events);
                    let events = std::mem::take(&mut pending.events);
                    let Some((s, fx, sums)) = off_the_runtime(session, events).await else {
                        return self.fail_queued("internal-error: the document failed: reconnect").await;
                    };
                    session = s;
                    if let Some(p) = last {
                        self.hub.store.applied(self.doc, &p);
                    }
                    let batch = self.batch_of(fx, pending, &session, &sums);
                    pipeline.push(&self.hub, self.doc, batch);
                }
                _ = tokio::time::sleep(MATERIALISE_WHEN_QUIET), if session.unapplied() > 0 => {
                    let Ok(s) = tokio::task::spawn_blocking(move || {
                        let mut session = session;
                        session.materialise();
                        session
                    }).await else {
                        return self.fail_queued("internal-error: the document failed: reconnect").await;
                    };
                    session = s;
                    let set_aside = session.quarantined().len();
                    if set_aside > 0 {
                        tracing::error!(set_aside, "changes the document refused are set aside");
                    }
                }
                _ = tokio::time::sleep(idle), if idle_now => {
                    if self.hub.documents.try_retire(self.doc, self.generation, &mut self.rx) {
                        tracing::debug!("idle: unloaded");
                        break;
                    }
                }
                _ = shutdown.cancelled() => {
                    self.hub.documents.remove(self.doc, self.generation);
                    self.rx.close();
                    break;
                }
            }
        }
        self.hub.store.unfollow(self.doc);
        // Closed (idle or shutdown): serve what is still queued and let every
        // write finish before the task ends.
        let mut rest = Vec::new();
        while let Some(c) = self.rx.recv().await {
            rest.push(c);
        }
        if !rest.is_empty() {
            let (rest, jobs) = jobs::split(rest);
            let mut pending = self.events_of(&session, rest);
            let events = std::mem::take(&mut pending.events);
            let Some((s, fx, sums)) = off_the_runtime(session, events).await else {
                return;
            };
            session = s;
            let batch = self.batch_of(fx, pending, &session, &sums);
            pipeline.push(&self.hub, self.doc, batch);
            for job in jobs {
                let Some(s) = self.run_job(session, job, &mut pipeline).await else {
                    return;
                };
                session = s;
            }
        }
        while !pipeline.is_empty() {
            let (result, batch) = pipeline.next_done().await;
            if !self.after_write(result, &mut session, batch) {
                return;
            }
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
            done,
        } = batch;
        let senders = &senders;
        match result {
            Ok(()) => {
                let fans_out = fx.messages.iter().any(|m| matches!(m, Message::Sync(_)));
                self.deliver(session, fx, senders);
                if let (true, Some(since)) = (fans_out, since) {
                    self.hub
                        .metrics
                        .fanout_seconds
                        .observe(since.elapsed().as_secs_f64());
                }
                if let Some(done) = done {
                    let _ = done.send(Ok(audit.iter().map(|r| r.change.clone()).collect()));
                }
                if let (false, Some(sink)) = (audit.is_empty(), &self.hub.audit) {
                    // Recorded once the changes are durable; tracked, so a
                    // shutdown waits for the row.
                    let write = sink.append(self.doc, audit);
                    self.hub.tracker.spawn(async move {
                        if let Err(e) = write.await {
                            tracing::error!(error = %e, "audit log write failed");
                        }
                    });
                }
                true
            }
            Err(e) => {
                self.hub.metrics.storage_errors.inc();
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
                if let Some(done) = done {
                    let _ = done.send(Err(JobError::Storage(why)));
                }
                self.hub.documents.remove(self.doc, self.generation);
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
            if let Some(h) = self.forget(peer).or_else(|| senders.get(peer).cloned()) {
                self.hub.metrics.protocol_errors.inc();
                h.fail(why);
            }
        }
        for m in fx.messages {
            let Some(target) = m.target_id() else {
                continue;
            };
            let handle = self.peers.get(target).or_else(|| senders.get(target));
            if let Some(h) = handle
                && !h.send(&m)
            {
                gone.push(target.clone());
            }
        }
        // Peers the session does not keep (answered `doc-unavailable`,
        // refused, left) or whose connection is gone. Only a batch's own
        // senders can have been dropped by it: asking about them, not about
        // every peer of the document, keeps an acknowledgement's cost from
        // growing with the number of peers.
        for p in senders.keys().chain(&gone) {
            if gone.contains(p) || !session.has_peer(p) {
                self.forget(p);
            }
        }
        if !gone.is_empty() {
            let _ = session.handle(gone.into_iter().map(Event::PeerLeft));
        }
    }
}
