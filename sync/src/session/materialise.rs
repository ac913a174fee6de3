//! The materialiser of a relaying session: the changes the document
//! lacks applied in one batch (one walk of each text they touch), on a
//! copy and under `catch_unwind`, since Automerge 0.12 panics on some
//! changes; what still fails is set aside. Also the loading of a stored
//! chunk that does not load whole.

use automerge::{Automerge, Change, ChangeHash};

use super::relay::Relay;
use super::vet::Pending;
use crate::graph::ChangeGraph;
use crate::graph::chunks::{Chunk, split};

impl Relay {
    /// Brings `doc` up to every change of the graph (see [`materialise`]).
    pub(super) fn catch_up_doc(&mut self, doc: &mut Automerge) -> Vec<ChangeHash> {
        self.catch_up_logged(doc, false).0
    }

    /// [`Relay::catch_up_doc`], with the patches recorded on the way if
    /// `logged` (`None` if the batch had to go change by change: the caller
    /// then diffs).
    pub(super) fn catch_up_logged(
        &mut self,
        doc: &mut Automerge,
        logged: bool,
    ) -> (Vec<ChangeHash>, Option<automerge::PatchLog>) {
        materialise(
            doc,
            &self.graph,
            &mut self.unapplied,
            &mut self.quarantined,
            &mut self.pending,
            logged,
        )
    }
}

/// Applies the changes the document lacks, in one batch (Automerge walks
/// each touched object once per batch, not once per change), recording
/// their patches if `logged`. Automerge may panic on a change it cannot
/// apply: the batch runs on a copy (cheap: Automerge's columns are shared
/// until written), and if it fails or panics, the document is applied
/// change by change, each on a copy (no patches then); a change that still
/// fails is set aside (logged, reported, never applied) and the rest go in.
pub(super) fn materialise(
    doc: &mut Automerge,
    graph: &ChangeGraph,
    unapplied: &mut Vec<ChangeHash>,
    quarantined: &mut Vec<ChangeHash>,
    pending: &mut Pending,
    logged: bool,
) -> (Vec<ChangeHash>, Option<automerge::PatchLog>) {
    if unapplied.is_empty() {
        return (Vec::new(), None);
    }
    // Everything pending is in the document after this.
    pending.clear();
    let hashes = std::mem::take(unapplied);
    let changes: Vec<Change> = hashes
        .iter()
        .filter_map(|h| graph.bytes(h))
        .filter_map(|b| Change::from_bytes(b.to_vec()).ok())
        .collect();
    let mut log = logged.then(automerge::PatchLog::active);
    if apply_guarded(doc, changes.clone(), log.as_mut()).is_ok() {
        return (hashes, log);
    }
    for c in changes {
        let hash = c.hash();
        if doc.get_change_meta_by_hash(&hash).is_some() {
            continue;
        }
        if let Err(e) = apply_guarded(doc, vec![c], None) {
            tracing::error!(change = %hash, error = %e, "a change did not apply: set aside");
            quarantined.push(hash);
        }
    }
    (hashes, None)
}

/// `apply_changes` on a copy, kept only if it worked (no error, no panic);
/// the patches into `log` if given.
///
/// Where a panic aborts (the browser's build: `panic = "abort"`), a copy
/// saves nothing from a panic, and Automerge's batch apply returns its
/// errors (a duplicate sequence number or author) before it changes the
/// document; so there the changes go in in place. The copy is not free:
/// cloning a document copies its columns (about half of one remote
/// keystroke's apply into 50,000 characters, once the apply no longer
/// walks the text).
#[cfg(panic = "abort")]
fn apply_guarded(
    doc: &mut Automerge,
    changes: Vec<Change>,
    log: Option<&mut automerge::PatchLog>,
) -> Result<(), String> {
    let mut inactive = automerge::PatchLog::inactive();
    let log = log.unwrap_or(&mut inactive);
    doc.apply_changes_log_patches(changes, log)
        .map_err(|e| e.to_string())
}

/// `apply_changes` on a copy, kept only if it worked (no error, no panic);
/// the patches into `log` if given.
#[cfg(not(panic = "abort"))]
fn apply_guarded(
    doc: &mut Automerge,
    changes: Vec<Change>,
    log: Option<&mut automerge::PatchLog>,
) -> Result<(), String> {
    let mut copy = doc.clone();
    let worked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let mut inactive = automerge::PatchLog::inactive();
        let log = log.unwrap_or(&mut inactive);
        copy.apply_changes_log_patches(changes, log).map(|()| copy)
    }));
    match worked {
        Ok(Ok(copy)) => {
            *doc = copy;
            Ok(())
        }
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("automerge panicked applying it".into()),
    }
}

/// Loads one stored chunk into `doc`. Should it fail (or make Automerge
/// panic), an increment is loaded change by change and a change that does
/// not apply is set aside in `set_aside`; a snapshot that does not load,
/// or bytes that are not changes, are an error (never an empty document).
pub(super) fn load_chunk(
    doc: &mut Automerge,
    bytes: &[u8],
    set_aside: &mut Vec<ChangeHash>,
) -> Result<(), automerge::AutomergeError> {
    let mut copy = doc.clone();
    let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        copy.load_incremental(bytes).map(|_| copy)
    }));
    let error = match loaded {
        Ok(Ok(copy)) => {
            *doc = copy;
            return Ok(());
        }
        Ok(Err(e)) => e,
        Err(_) => automerge::AutomergeError::Fail,
    };
    let Some(parts) = split(bytes).filter(|p| !p.contains(&Chunk::Document)) else {
        return Err(error);
    };
    let mut changes = Vec::with_capacity(parts.len());
    for p in parts {
        let Chunk::Change(b) = p else { continue };
        match Change::from_bytes(b.to_vec()) {
            Ok(c) => changes.push(c),
            Err(_) => return Err(error),
        }
    }
    for c in changes {
        let hash = c.hash();
        if let Err(e) = apply_guarded(doc, vec![c], None) {
            tracing::error!(change = %hash, error = %e, "a stored change did not apply: set aside");
            set_aside.push(hash);
        }
    }
    Ok(())
}
