//! Relay mode (the server): the change graph is current and answers the
//! sync protocol; the document is materialised from it in batches, when
//! something needs it (a read, an edit, a compaction, a peer that has
//! nothing) or when the shell decides it is time ([`DocSession::materialise`]).
//! Accepting, storing and forwarding a change then costs time
//! proportional to the change, not to the text it edits.

use automerge::{Automerge, Change, ChangeHash, ReadDoc};

use super::*;
use crate::graph::ChangeGraph;
use crate::graph::chunks::{Chunk, split};
use crate::graph::sync::Source;

use super::materialise::materialise;
use super::vet::{Pending, record, vet};

/// A peer that has something is sent the whole document rather than the
/// changes it lacks only when it lacks more than this many (and more than
/// a third of all): see `graph::sync::generate`.
const WHOLE_OVER: usize = 256;

/// The graph and what the document has not caught up with.
#[derive(Debug, Default)]
pub(super) struct Relay {
    pub graph: ChangeGraph,
    /// Changes in the graph the document does not hold yet, in order.
    pub unapplied: Vec<ChangeHash>,
    /// Changes in the graph not yet handed out to persist, in order.
    pub unpersisted: Vec<ChangeHash>,
    /// Changes the document refused when they were applied.
    pub quarantined: Vec<ChangeHash>,
    /// What the unapplied changes create, for [`vet`].
    pub pending: Pending,
    /// Batched mode: patches of the last batch's materialisation, and the
    /// document's heads before it (see [`DocSession::patches_since`]).
    pub log: Option<(Vec<ChangeHash>, automerge::PatchLog)>,
}

/// What the graph asks of the document: bytes of loaded changes, the whole
/// document (made current first).
struct Doc<'a> {
    doc: &'a mut Automerge,
    graph: &'a ChangeGraph,
    unapplied: &'a mut Vec<ChangeHash>,
    quarantined: &'a mut Vec<ChangeHash>,
    pending: &'a mut Pending,
}

impl Source for Doc<'_> {
    fn change_bytes(&mut self, hash: &ChangeHash) -> Option<Vec<u8>> {
        self.doc
            .get_change_by_hash(hash)
            .map(|c| c.raw_bytes().to_vec())
    }

    fn document(&mut self) -> Vec<u8> {
        materialise(
            self.doc,
            self.graph,
            self.unapplied,
            self.quarantined,
            self.pending,
            false,
        );
        self.doc.save()
    }
}

impl DocSession {
    /// Switches relay mode on (see the module's text). The server's choice;
    /// the client keeps its document current, since it shows it.
    pub fn set_relay(&mut self, on: bool) {
        self.relay = on.then(|| Relay {
            graph: ChangeGraph::of_document(&self.doc),
            quarantined: self.loaded_set_aside.clone(),
            ..Relay::default()
        });
    }

    /// Batched mode (the browser client): relay mode, with the document
    /// brought up to date at the end of every [`DocSession::handle`], so
    /// that all the changes of one batch (one animation frame's messages)
    /// cost one walk of the text they touch instead of one each, and their
    /// patches are recorded on the way ([`DocSession::patches_since`]).
    pub fn set_batched(&mut self, on: bool) {
        self.set_relay(on);
        self.batched = on;
    }

    /// Replaces the document (a client going back to what the server
    /// acknowledged). In relay mode the graph is rebuilt from it and the
    /// next write is a snapshot.
    pub fn replace_doc(&mut self, doc: Automerge) {
        self.doc = doc;
        self.exists = true;
        if self.relay.is_some() {
            self.set_relay(true);
            self.stored = StoredSizes::default();
        }
    }

    /// The patches that bring a view of the document at `before` to now:
    /// the ones recorded while the last batch was applied if it started
    /// from `before`, else Automerge's diff.
    pub fn patches_since(&mut self, before: &[ChangeHash]) -> Vec<automerge::Patch> {
        let logged = self.relay.as_mut().and_then(|r| r.log.take());
        if let Some((start, mut log)) = logged
            && start == before
        {
            return self.doc.make_patches(&mut log);
        }
        let after = self.doc.get_heads();
        self.doc.diff(before, &after)
    }

    /// End of a batch in batched mode: the document made current, its
    /// patches kept.
    pub(super) fn batch_done(&mut self) {
        if self.batched {
            self.catch_up_in_batch();
        }
    }

    /// The document made current within a batch; in batched mode with the
    /// patches recorded and kept for the batch (a catch-up that did not
    /// record them — a compaction's, before the batch's end — left the
    /// batch to Automerge's diff, which walks every text it touches).
    fn catch_up_in_batch(&mut self) {
        let start = self.doc.get_heads();
        let batched = self.batched;
        let Some(r) = self.relay.as_mut() else { return };
        if !batched {
            r.catch_up_doc(&mut self.doc);
            return;
        }
        let (applied, log) = r.catch_up_logged(&mut self.doc, true);
        if !applied.is_empty() {
            r.log = log.map(|l| (start, l));
        }
    }

    /// The document's heads (in relay mode, the graph's: the document may lag).
    pub fn heads(&self) -> Vec<ChangeHash> {
        match &self.relay {
            Some(r) => r.graph.heads(),
            None => self.doc.get_heads(),
        }
    }

    /// A change the session holds (from the graph, or the document).
    pub fn change(&self, hash: &ChangeHash) -> Option<Change> {
        match self.relay.as_ref().and_then(|r| r.graph.bytes(hash)) {
            Some(b) => Change::from_bytes(b.to_vec()).ok(),
            None => self.doc.get_change_by_hash(hash),
        }
    }

    /// A change made elsewhere than on this session's document (a load
    /// client typing on a copy of its own), taken in as a local change:
    /// stored and synced like one. Relay mode only.
    pub fn push_local(&mut self, change: Change) -> Result<(), crate::graph::GraphError> {
        let r = self.relay.as_mut().expect("relay mode");
        let (doc, pending) = (&self.doc, &mut r.pending);
        let added = r.graph.insert_with(change, &mut |c| vet(doc, pending, c))?;
        r.unapplied.extend(&added);
        r.unpersisted.extend(&added);
        self.exists = true;
        Ok(())
    }

    /// The changes beyond `heads`, in order (from the graph in relay mode).
    pub fn changes_since(&self, heads: &[ChangeHash]) -> Vec<Change> {
        match &self.relay {
            Some(_) => self
                .relay
                .as_ref()
                .map(|r| r.graph.beyond(heads))
                .unwrap_or_default()
                .iter()
                .filter_map(|h| self.change(h))
                .collect(),
            None => self.doc.get_changes(heads),
        }
    }

    /// Changes accepted that the document does not hold yet.
    pub fn unapplied(&self) -> usize {
        self.relay.as_ref().map_or(0, |r| r.unapplied.len())
    }

    /// Changes the document refused when they were applied or loaded.
    pub fn quarantined(&self) -> &[ChangeHash] {
        self.relay
            .as_ref()
            .map_or(&self.loaded_set_aside, |r| &r.quarantined)
    }

    /// Brings the document up to every accepted change; the hashes applied,
    /// in order. A no-op outside relay mode.
    pub fn materialise(&mut self) -> Vec<ChangeHash> {
        match &mut self.relay {
            Some(r) => r.catch_up_doc(&mut self.doc),
            None => Vec::new(),
        }
    }

    /// Local edits made through `doc_mut` since the last batch: into the graph.
    pub(super) fn relay_catch_up(&mut self) {
        let Some(r) = &mut self.relay else { return };
        if r.unapplied.is_empty() && self.doc.get_heads() != r.graph.heads() {
            let added = r.graph.catch_up(&self.doc);
            r.unpersisted.extend(added);
        }
    }

    /// A peer's sync message in relay mode: `Ok` with the changes added.
    pub(super) fn relay_receive(
        &mut self,
        peer: &PeerId,
        msg: sync::Message,
    ) -> Result<Vec<ChangeHash>, Refusal> {
        let r = self.relay.as_mut().expect("relay mode");
        let state = &mut self.peers.get_mut(peer).expect("peer entry").state;
        let (doc, pending) = (&self.doc, &mut r.pending);
        let got =
            crate::graph::sync::receive(&mut r.graph, state, &msg, &mut |c| vet(doc, pending, c))
                .map_err(|e| Refusal::Invalid(e.to_string()))?;
        r.unapplied.extend(&got.added);
        r.unpersisted.extend(&got.added);
        if let Some(why) = got.refused {
            return Err(Refusal::Invalid(why.to_string()));
        }
        if got.document.is_none() {
            return Ok(got.added);
        }
        // A whole document (a peer creating one): only the document takes it.
        r.catch_up_doc(&mut self.doc);
        crate::receive::receive_sync_message(
            &mut self.doc,
            state,
            msg,
            &mut automerge::PatchLog::inactive(),
        )
        .map_err(|e| Refusal::Invalid(format!("sync message could not be applied: {e}")))?;
        let added = r.graph.catch_up(&self.doc);
        r.unpersisted.extend(&added);
        Ok(added)
    }

    /// Changes another instance stored, in relay mode.
    pub(super) fn relay_stored(&mut self, bytes: &[u8]) -> Result<(), String> {
        let r = self.relay.as_mut().expect("relay mode");
        let chunks = split(bytes).ok_or("not a sequence of chunks")?;
        if chunks.contains(&Chunk::Document) {
            r.catch_up_doc(&mut self.doc);
            self.doc
                .load_incremental(bytes)
                .map_err(|e| e.to_string())?;
            r.graph.catch_up(&self.doc);
            return Ok(());
        }
        for c in chunks {
            let Chunk::Change(b) = c else { continue };
            let change = Change::from_bytes(b.to_vec()).map_err(|e| e.to_string())?;
            let pending = &mut r.pending;
            let added = r
                .graph
                .insert_with(change, &mut |c| {
                    record(pending, c);
                    Ok(())
                })
                .map_err(|e| e.to_string())?;
            r.unapplied.extend(added);
        }
        Ok(())
    }

    /// The next write in relay mode: the new changes' bytes as they came,
    /// or (for the first write, or once increments outgrow the snapshot) a
    /// snapshot of the materialised document.
    pub(super) fn relay_persist(&mut self) -> Persist {
        let r = self.relay.as_mut().expect("relay mode");
        let hashes = std::mem::take(&mut r.unpersisted);
        let incremental: Vec<u8> = hashes
            .iter()
            .filter_map(|h| r.graph.bytes(h))
            .flat_map(|b| b.iter().copied())
            .collect();
        if self.stored == StoredSizes::default() || self.stored.should_compact(incremental.len()) {
            self.catch_up_in_batch();
            let snapshot = self.doc.save();
            self.stored = StoredSizes {
                snapshot: snapshot.len(),
                incremental: 0,
            };
            return Persist::Compact(snapshot);
        }
        self.stored.incremental += incremental.len();
        Persist::Append(incremental)
    }

    /// The next sync message for a peer, in relay mode.
    pub(super) fn relay_generate(&mut self, peer: &PeerId) -> Option<Vec<u8>> {
        let r = self.relay.as_mut()?;
        let p = self.peers.get_mut(peer)?;
        let mut source = Doc {
            doc: &mut self.doc,
            graph: &r.graph,
            unapplied: &mut r.unapplied,
            quarantined: &mut r.quarantined,
            pending: &mut r.pending,
        };
        crate::graph::sync::generate(&r.graph, &mut p.state, &mut source, WHOLE_OVER)
            .map(|m| m.encode())
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{AutomergeError, ObjType, ROOT, ReadDoc};
    use codraft_protocol::{DocumentId, PeerId};

    use crate::{ChunkKind, DocSession, Effects, Event, Mode, StoredChunk};

    fn received(fx: Effects) -> Vec<Event> {
        fx.messages.into_iter().map(Event::Received).collect()
    }

    /// A client in batched mode, in step with a server, then given a batch
    /// of the server's keystrokes: whether its patches for it were
    /// recorded as the batch went in (else the page's patches come from a
    /// diff, a walk of the whole text), and how many changes it still
    /// holds to hand out for persisting.
    fn batch_after_joining(storage: bool) -> (bool, usize) {
        let mut doc = automerge::Automerge::new();
        doc.transact::<_, _, AutomergeError>(|tx| {
            let t = tx.put_object(ROOT, "minutes", ObjType::Text)?;
            tx.splice_text(&t, 0, 0, &"الشفافية ".repeat(100))
        })
        .unwrap();
        let stored = vec![StoredChunk {
            kind: ChunkKind::Snapshot,
            bytes: doc.save(),
        }];
        let id = DocumentId::random();
        let server_id = PeerId::from("server");
        let mut server = DocSession::load(id, server_id.clone(), Mode::Server, &stored).unwrap();
        server.set_relay(true);
        let mut client = DocSession::load(id, "amina".into(), Mode::Client, &stored).unwrap();
        client.set_batched(true);
        client.set_storage(storage);
        let hello = client.handle([Event::PeerJoined(server_id.clone())]);
        let answer = server.handle(received(hello));
        let fx = client.handle(received(answer));
        let _ = server.handle(received(fx));
        assert!(client.in_sync_with(&server_id));

        // 60 changes of 80 characters: more than the compaction floor
        // (16 KiB), so that the client's write after them is a compaction.
        for k in 0..60 {
            let d = server.doc_mut();
            let t = d.get(ROOT, "minutes").unwrap().unwrap().1;
            let word = "ⵜⴰⵎⴰⵣⵉⵖⵜ ".repeat(8);
            d.transact::<_, _, AutomergeError>(|tx| tx.splice_text(&t, 10 * k, 0, &word))
                .unwrap();
        }
        let keystrokes = server.handle([]);
        let fx = client.handle(received(keystrokes));
        assert_eq!(fx.persist.is_some(), storage);
        if storage {
            assert!(
                matches!(fx.persist, Some(crate::Persist::Compact(_))),
                "the batch's write is a compaction"
            );
        }
        let r = client.relay.as_ref().unwrap();
        (r.log.is_some(), r.unpersisted.len())
    }

    #[test]
    fn a_batch_that_is_also_compacted_keeps_its_patches_recorded() {
        // The first write after loading is a compaction: it brought the
        // document up to date before the batch's end, without the patches.
        let (logged, _) = batch_after_joining(true);
        assert!(logged, "the batch's patches were recorded");
    }

    #[test]
    fn a_session_without_storage_keeps_nothing_to_persist() {
        let (logged, unpersisted) = batch_after_joining(false);
        assert!(logged);
        assert_eq!(
            unpersisted, 0,
            "no change waits for a persist that never comes"
        );
    }
}
