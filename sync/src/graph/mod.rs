//! The change graph: what a relay needs of a document to accept, store and
//! forward changes, without the document itself.
//!
//! Automerge (≥ 0.7) applies a remote change by walking every operation of
//! the object it touches, so one keystroke into a long text costs time
//! proportional to the text. A server relaying keystrokes does not need the
//! materialised document to do so: it needs each change's hash, its
//! dependencies, its actor and sequence number and its bytes. This graph
//! holds exactly that, and answers the questions of the sync protocol
//! (which changes lie beyond a set of heads, which are missing) by vector
//! clocks, in time proportional to the changes asked about.
//!
//! On arrival a change is parsed (Automerge checks its structure and
//! checksum), its sequence number must follow its actor's previous one in
//! its own history, and every operation it names (object, list element,
//! predecessor) must exist in that history: what a well-formed change from
//! a real peer always satisfies, and what a forged one that could break
//! the document for everyone usually does not. The materialiser
//! (`DocSession`'s relay mode) applies accepted changes to the document
//! later, in batches, and sets aside one that still fails.
//!
//! [`sync`] speaks Automerge's sync protocol over the graph.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use automerge::{ActorId, Change, ChangeHash};

mod check;
pub mod chunks;
pub mod sync;

#[cfg(test)]
mod tests;

/// How many changes keep their vector clock at hand: the recent ones, which
/// the sync protocol asks about (peers' shared heads are recent). Older
/// clocks are recomputed by walking back to a recent one.
const CLOCK_WINDOW: usize = 4096;

/// Most changes kept waiting for their dependencies.
const MAX_QUEUED: usize = 10_000;

/// Per actor (by index), the highest sequence number covered.
type Clock = Vec<u64>;

#[derive(Debug, Clone)]
struct Node {
    deps: Vec<ChangeHash>,
    actor: u32,
    seq: u64,
    /// Insertion order: dependencies always come first.
    index: u64,
    /// The change's bytes, as it arrived. `None` for a change loaded from
    /// storage: the materialised document has it.
    bytes: Option<Arc<[u8]>>,
}

/// Why a change was not accepted into the graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("a change does not parse: {0}")]
    Unparsable(String),
    #[error("change {hash}: sequence number {seq} does not follow its author's previous change")]
    OutOfSequence { hash: ChangeHash, seq: u64 },
    #[error("change {hash} names an operation outside its own history")]
    UnknownOperation { hash: ChangeHash },
    #[error("too many changes wait for dependencies that never arrived")]
    QueueFull,
    /// The caller's own check (see [`ChangeGraph::insert_with`]) refused it.
    #[error("change {hash}: {why}")]
    Refused { hash: ChangeHash, why: String },
}

/// A check the caller adds to the graph's own, run on each change just
/// before it becomes part of the graph (its dependencies all present).
pub type Vet<'a> = dyn FnMut(&Change) -> Result<(), String> + 'a;

/// Changes of each actor: (start op, max op) by sequence number - 1.
#[derive(Debug, Default, Clone)]
struct OpRanges(Vec<(u64, u64)>);

/// The hashes, dependencies and bytes of a document's changes.
#[derive(Debug, Default, Clone)]
pub struct ChangeGraph {
    nodes: HashMap<ChangeHash, Node>,
    actors: HashMap<ActorId, u32>,
    ranges: Vec<OpRanges>,
    heads: BTreeSet<ChangeHash>,
    next_index: u64,
    clocks: HashMap<ChangeHash, Arc<Clock>>,
    /// Changes whose clock is cached, oldest first (for eviction).
    cached: VecDeque<ChangeHash>,
    /// Changes waiting for dependencies, by hash.
    queue: HashMap<ChangeHash, Change>,
}

/// What a change is, read off its metadata.
#[derive(Debug)]
pub struct Meta<'a> {
    pub hash: ChangeHash,
    pub deps: &'a [ChangeHash],
    pub actor: &'a ActorId,
    pub seq: u64,
    pub start_op: u64,
    pub max_op: u64,
}

impl ChangeGraph {
    pub fn new() -> Self {
        Self::default()
    }

    /// The graph of a loaded document (its changes' metadata, dependencies
    /// first; no bytes: the document has them).
    pub fn of_document(doc: &automerge::Automerge) -> Self {
        let mut g = ChangeGraph::new();
        for m in doc.get_changes_meta(&[]) {
            g.add(
                Meta {
                    hash: m.hash,
                    deps: &m.deps,
                    actor: &m.actor,
                    seq: m.seq,
                    start_op: m.start_op,
                    max_op: m.max_op,
                },
                None,
                false,
            );
        }
        let heads = g.heads();
        let clock = Arc::new(g.clock_of(&heads));
        for h in heads {
            g.cache(h, clock.clone());
        }
        g
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn has(&self, hash: &ChangeHash) -> bool {
        self.nodes.contains_key(hash)
    }

    /// The heads, sorted (as Automerge gives them).
    pub fn heads(&self) -> Vec<ChangeHash> {
        self.heads.iter().copied().collect()
    }

    /// A change's bytes, if it arrived as a change (not loaded from storage).
    pub fn bytes(&self, hash: &ChangeHash) -> Option<&Arc<[u8]>> {
        self.nodes.get(hash)?.bytes.as_ref()
    }

    /// Changes waiting for their dependencies.
    pub fn queued(&self) -> impl Iterator<Item = &Change> {
        self.queue.values()
    }

    /// Accepts a change: the hashes it made part of the graph, in order (it
    /// and any queued changes it completed; none if it is already known or
    /// waits for a dependency).
    pub fn insert(&mut self, change: Change) -> Result<Vec<ChangeHash>, GraphError> {
        self.insert_with(change, &mut |_| Ok(()))
    }

    /// [`ChangeGraph::insert`] with the caller's check `vet` as well.
    pub fn insert_with(
        &mut self,
        change: Change,
        vet: &mut Vet<'_>,
    ) -> Result<Vec<ChangeHash>, GraphError> {
        let hash = change.hash();
        if self.nodes.contains_key(&hash) || self.queue.contains_key(&hash) {
            return Ok(Vec::new());
        }
        if !change.deps().iter().all(|d| self.nodes.contains_key(d)) {
            if self.queue.len() >= MAX_QUEUED {
                return Err(GraphError::QueueFull);
            }
            self.queue.insert(hash, change);
            return Ok(Vec::new());
        }
        self.check(&change)?;
        vet(&change).map_err(|why| GraphError::Refused { hash, why })?;
        let mut added = vec![self.add_change(change)];
        // Queued changes this one completed (and those they complete).
        loop {
            let ready: Vec<ChangeHash> = self
                .queue
                .iter()
                .filter(|(_, c)| c.deps().iter().all(|d| self.nodes.contains_key(d)))
                .map(|(h, _)| *h)
                .collect();
            if ready.is_empty() {
                break;
            }
            for h in ready {
                let c = self.queue.remove(&h).expect("queued");
                // A queued change that fails the checks is dropped, as it
                // would have been refused had it come in order.
                if self.check(&c).is_ok() && vet(&c).is_ok() {
                    added.push(self.add_change(c));
                }
            }
        }
        Ok(added)
    }

    /// Takes in the changes of `doc` (current, and holding everything the
    /// graph holds) that the graph lacks: after a whole document came in,
    /// or edits made on the document itself. Returns them, in order.
    pub fn catch_up(&mut self, doc: &automerge::Automerge) -> Vec<ChangeHash> {
        let now = doc.get_heads();
        if now == self.heads() {
            return Vec::new();
        }
        // A keystroke: one local change on top of what the graph holds.
        // Taken alone, it costs one change rebuilt from the document, not a
        // search of the history (`get_changes` computes clocks: 0.12 ms
        // against 0.05 ms per keystroke in the browser, at 5,000 changes).
        if let [head] = now[..]
            && !self.nodes.contains_key(&head)
            && let Some(c) = doc.get_last_local_change()
            && c.hash() == head
            && c.deps().iter().all(|d| self.heads.contains(d))
            && self.heads.len() == c.deps().len()
        {
            return vec![self.add_change(c)];
        }
        let heads = self.heads();
        let mut added = Vec::new();
        for c in doc.get_changes(&heads) {
            self.queue.remove(&c.hash());
            if !self.nodes.contains_key(&c.hash()) {
                added.push(self.add_change(c));
            }
        }
        added
    }

    /// Hashes that `start` names which neither the graph nor the queue
    /// holds, following queued changes to their missing dependencies
    /// (Automerge's `missing_deps_from`).
    pub fn missing_from(&self, start: impl Iterator<Item = ChangeHash>) -> Vec<ChangeHash> {
        let mut missing = BTreeSet::new();
        let mut seen = HashSet::new();
        let mut stack: Vec<ChangeHash> = start.collect();
        while let Some(h) = stack.pop() {
            if self.nodes.contains_key(&h) || !seen.insert(h) {
                continue;
            }
            match self.queue.get(&h) {
                Some(c) => stack.extend(c.deps().iter().copied()),
                None => {
                    missing.insert(h);
                }
            }
        }
        missing.into_iter().collect()
    }

    /// Every change that `have` does not cover (is not among them or their
    /// ancestors), dependencies first. Proportional to those changes.
    pub fn beyond(&self, have: &[ChangeHash]) -> Vec<ChangeHash> {
        let clock = self.clock_of(have);
        let mut out: Vec<(u64, ChangeHash)> = Vec::new();
        let mut seen = HashSet::new();
        let mut stack: Vec<ChangeHash> = self.heads.iter().copied().collect();
        while let Some(h) = stack.pop() {
            if !seen.insert(h) {
                continue;
            }
            let Some(n) = self.nodes.get(&h) else {
                continue;
            };
            if covers(&clock, n) {
                continue;
            }
            out.push((n.index, h));
            stack.extend(n.deps.iter().copied());
        }
        out.sort_unstable();
        out.into_iter().map(|(_, h)| h).collect()
    }

    /// Removes from `set` every change that `heads` cover (Automerge's
    /// `remove_ancestors`).
    pub fn remove_covered(&self, set: &mut BTreeSet<ChangeHash>, heads: &[ChangeHash]) {
        if set.is_empty() || heads.is_empty() {
            return;
        }
        let clock = self.clock_of(heads);
        set.retain(|h| self.nodes.get(h).is_none_or(|n| !covers(&clock, n)));
    }

    /// Dependencies of a change in the graph.
    pub fn deps(&self, hash: &ChangeHash) -> &[ChangeHash] {
        self.nodes.get(hash).map_or(&[], |n| &n.deps)
    }

    /// The vector clock of a set of changes: walks back from them until it
    /// reaches changes whose clock is at hand.
    fn clock_of(&self, hashes: &[ChangeHash]) -> Clock {
        let mut closed: Clock = Vec::new();
        let mut partial: Clock = Vec::new();
        let mut seen = HashSet::new();
        let mut stack: Vec<ChangeHash> = hashes.to_vec();
        // Cached clocks first, so that the walk stops as early as it can.
        stack.sort_by_key(|h| self.clocks.contains_key(h));
        while let Some(h) = stack.pop() {
            if !seen.insert(h) {
                continue;
            }
            if let Some(c) = self.clocks.get(&h) {
                merge(&mut closed, c);
                continue;
            }
            let Some(n) = self.nodes.get(&h) else {
                continue;
            };
            if covers(&closed, n) {
                continue;
            }
            bump(&mut partial, n.actor, n.seq);
            stack.extend(n.deps.iter().copied());
        }
        merge(&mut closed, &partial);
        closed
    }

    fn add_change(&mut self, change: Change) -> ChangeHash {
        let bytes: Arc<[u8]> = Arc::from(change.raw_bytes());
        self.add(
            Meta {
                hash: change.hash(),
                deps: change.deps(),
                actor: change.actor_id(),
                seq: change.seq(),
                start_op: change.start_op().get(),
                max_op: change.max_op(),
            },
            Some(bytes),
            true,
        );
        change.hash()
    }

    /// Adds a change whose dependencies are all present.
    fn add(&mut self, m: Meta<'_>, bytes: Option<Arc<[u8]>>, clock: bool) {
        let next = self.actors.len() as u32;
        let actor = *self.actors.entry(m.actor.clone()).or_insert(next);
        if actor == next {
            self.ranges.push(OpRanges::default());
        }
        let ranges = &mut self.ranges[actor as usize].0;
        if ranges.len() as u64 + 1 == m.seq {
            ranges.push((m.start_op, m.max_op));
        }
        for d in m.deps {
            self.heads.remove(d);
        }
        self.heads.insert(m.hash);
        if clock {
            let mut c = self.clock_of(m.deps);
            bump(&mut c, actor, m.seq);
            self.cache(m.hash, Arc::new(c));
        }
        self.nodes.insert(
            m.hash,
            Node {
                deps: m.deps.to_vec(),
                actor,
                seq: m.seq,
                index: self.next_index,
                bytes,
            },
        );
        self.next_index += 1;
    }

    fn cache(&mut self, hash: ChangeHash, clock: Arc<Clock>) {
        if self.clocks.insert(hash, clock).is_none() {
            self.cached.push_back(hash);
        }
        while self.cached.len() > CLOCK_WINDOW {
            let Some(old) = self.cached.pop_front() else {
                break;
            };
            if self.heads.contains(&old) {
                // Heads keep theirs: the next changes start from them.
                self.cached.push_back(old);
                if self.cached.len() <= CLOCK_WINDOW + self.heads.len() {
                    break;
                }
            } else {
                self.clocks.remove(&old);
            }
        }
    }
}

fn at(clock: &Clock, actor: u32) -> u64 {
    clock.get(actor as usize).copied().unwrap_or(0)
}

fn covers(clock: &Clock, n: &Node) -> bool {
    at(clock, n.actor) >= n.seq
}

fn bump(clock: &mut Clock, actor: u32, seq: u64) {
    let a = actor as usize;
    if clock.len() <= a {
        clock.resize(a + 1, 0);
    }
    clock[a] = clock[a].max(seq);
}

fn merge(into: &mut Clock, other: &Clock) {
    if into.len() < other.len() {
        into.resize(other.len(), 0);
    }
    for (a, b) in into.iter_mut().zip(other) {
        *a = (*a).max(*b);
    }
}
