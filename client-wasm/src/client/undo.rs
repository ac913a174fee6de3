//! Undo and redo of this tab's own edits to a document.
//!
//! Each local edit is one Automerge change. Edits to the same object
//! (one text, one row) less than [`PAUSE_MS`] apart form one step, as
//! typing a word does. Undo commits the inverse of a step's changes
//! (`codraft_schema::edit::undo::invert`): only this person's operations
//! are taken back, never a peer's. Redo inverts the undo. A new edit
//! clears what could be redone.

use automerge::{Automerge, Change, ChangeHash};
use codraft_protocol::DocumentId;
use codraft_schema::edit::Commit;
use codraft_schema::edit::undo::invert;

use super::{Client, ClientError, Output};

/// Edits further apart than this are separate steps.
pub const PAUSE_MS: i64 = 1_500;
/// At most this many changes in one step (a long run of typing splits).
const STEP_CHANGES: usize = 200;
/// Steps kept.
const KEPT: usize = 200;

#[derive(Debug)]
struct Step {
    changes: Vec<ChangeHash>,
    /// The object the step's first operation touched (`ctr@actor`).
    object: String,
    last_ms: i64,
}

#[derive(Debug, Default)]
pub(crate) struct History {
    undo: Vec<Step>,
    redo: Vec<Vec<ChangeHash>>,
}

/// Which way [`History::take`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Undo,
    Redo,
}

impl History {
    /// A local edit was committed as `change`.
    pub(crate) fn record(&mut self, change: &Change, at_ms: i64) {
        let hash = change.hash();
        let object = change
            .decode()
            .operations
            .first()
            .map(|o| o.obj.to_string())
            .unwrap_or_default();
        self.redo.clear();
        match self.undo.last_mut() {
            Some(s)
                if s.object == object
                    && at_ms - s.last_ms < PAUSE_MS
                    && s.changes.len() < STEP_CHANGES =>
            {
                s.changes.push(hash);
                s.last_ms = at_ms;
            }
            _ => {
                self.undo.push(Step {
                    changes: vec![hash],
                    object,
                    last_ms: at_ms,
                });
                if self.undo.len() > KEPT {
                    self.undo.remove(0);
                }
            }
        }
    }

    /// Undoes or redoes the latest step that still changes something;
    /// whether one did.
    pub(crate) fn take(
        &mut self,
        doc: &mut Automerge,
        way: Direction,
        commit: &Commit,
    ) -> Result<bool, automerge::AutomergeError> {
        loop {
            let changes = match way {
                Direction::Undo => match self.undo.pop() {
                    Some(s) => s.changes,
                    None => return Ok(false),
                },
                Direction::Redo => match self.redo.pop() {
                    Some(c) => c,
                    None => return Ok(false),
                },
            };
            let Some(inverse) = invert(doc, &changes, commit)? else {
                continue;
            };
            match way {
                Direction::Undo => self.redo.push(vec![inverse]),
                Direction::Redo => self.undo.push(Step {
                    changes: vec![inverse],
                    object: String::new(),
                    // Never merged with the next edit.
                    last_ms: i64::MIN / 2,
                }),
            }
            return Ok(true);
        }
    }

    pub(crate) fn can(&self, way: Direction) -> bool {
        match way {
            Direction::Undo => !self.undo.is_empty(),
            Direction::Redo => !self.redo.is_empty(),
        }
    }

    /// The document went back to what the server has: nothing recorded
    /// exists any more.
    pub(crate) fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}

impl Client {
    /// A person's edit (`f` commits one change): like [`Client::change`],
    /// and recorded for [`Client::undo`], grouped with the edits before it
    /// into one step when it touches the same object within
    /// [`PAUSE_MS`] of the last (`at_ms`: the caller's clock).
    pub fn edit(
        &mut self,
        id: DocumentId,
        at_ms: i64,
        f: impl FnOnce(&mut Automerge),
    ) -> Result<Output, ClientError> {
        let doc = self.docs.get(&id).ok_or(ClientError::NotOpen(id))?;
        let before = doc.session.doc().get_heads();
        let out = self.change(id, f)?;
        if let Some(doc) = self.docs.get_mut(&id) {
            let d = doc.session.doc();
            if d.get_heads() != before
                && let Some(c) = d.get_last_local_change()
            {
                doc.history.record(&c, at_ms);
            }
        }
        Ok(out)
    }

    /// Takes back (or, `Direction::Redo`, puts back) this tab's latest
    /// step of edits, as a new change that syncs like any other and leaves
    /// what peers wrote in place. The UI hears the result as patches.
    /// `false`: nothing to undo (or redo).
    pub fn undo(
        &mut self,
        id: DocumentId,
        way: Direction,
        commit: &Commit,
    ) -> Result<(Output, bool), ClientError> {
        let doc = self.docs.get_mut(&id).ok_or(ClientError::NotOpen(id))?;
        let before = doc.session.doc().get_heads();
        let mut history = std::mem::take(&mut doc.history);
        let done = history.take(doc.session.doc_mut(), way, commit);
        doc.history = history;
        let done = done.map_err(|e| ClientError::BadChanges(e.to_string()))?;
        let fx = doc.session.handle([]);
        let mut out = Output::default();
        self.after(id, fx, &before, &mut out);
        Ok((out, done))
    }

    /// Whether [`Client::undo`] has something to take in that direction.
    pub fn can_undo(&self, id: DocumentId, way: Direction) -> bool {
        self.docs.get(&id).is_some_and(|d| d.history.can(way))
    }
}
