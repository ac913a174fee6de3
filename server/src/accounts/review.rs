//! The review log through [`Accounts`]: reading a card's review state,
//! appending to it (checked against concurrent appends), and the view of
//! which cards are locked past validation, which the sync path reads for
//! every message.

use super::*;
use crate::review::{ReviewEvent, ReviewState};

/// Does the stored review log of `doc` lock its text?
pub(super) async fn locks(dir: &dyn Directory, doc: DocumentId) -> Result<bool, DirectoryError> {
    let events = dir.review_events(doc).await?;
    Ok(ReviewState::fold(events.iter().map(String::as_str))
        .stage
        .locks_content())
}

impl Accounts {
    pub async fn review_state(&self, doc: DocumentId) -> Result<ReviewState, DirectoryError> {
        let events = self.dir.review_events(doc).await?;
        Ok(ReviewState::fold(events.iter().map(String::as_str)))
    }

    /// Appends `event` if the log is still as `state` saw it; `false` if
    /// another request appended first (read the state again and decide
    /// again). Then the lock view and the other instances follow.
    pub async fn append_review(
        &self,
        doc: DocumentId,
        state: &ReviewState,
        event: &ReviewEvent,
    ) -> Result<bool, DirectoryError> {
        let json =
            serde_json::to_string(event).map_err(|e| DirectoryError::Backend(e.to_string()))?;
        if !self.dir.review_append(doc, state.len, json).await? {
            return Ok(false);
        }
        let mut after = state.clone();
        after.apply(event.clone());
        self.set_locked(doc, after.stage.locks_content());
        self.dir.notify(DirEvent::Review {
            doc: doc.to_string(),
        });
        Ok(true)
    }

    pub fn is_locked(&self, doc: &DocumentId) -> bool {
        self.view.read().unwrap().locked.contains(doc)
    }

    fn set_locked(&self, doc: DocumentId, locked: bool) {
        let mut v = self.view.write().unwrap();
        if locked {
            v.locked.insert(doc);
        } else {
            v.locked.remove(&doc);
        }
    }

    /// Another instance appended to the log of `doc`.
    pub(super) async fn refresh_lock(&self, doc: DocumentId) {
        match locks(self.dir.as_ref(), doc).await {
            Ok(l) => self.set_locked(doc, l),
            Err(e) => tracing::error!(error = %e, "reading a review log"),
        }
    }

    /// Is `user` a writer of the steering committee's secretariat?
    pub fn is_secretariat(&self, user: &str) -> bool {
        self.role(codraft_schema::workspace::SECRETARIAT, user)
            .is_some_and(Role::writes)
    }

    /// A page of the audit log, newest first.
    pub async fn audit_page(
        &self,
        doc: DocumentId,
        before: Option<String>,
        limit: usize,
    ) -> Result<Vec<crate::directory::AuditEntry>, DirectoryError> {
        self.dir.audit_page(doc, before, limit).await
    }
}
