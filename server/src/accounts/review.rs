//! The review log through [`Accounts`]: reading a card's review state,
//! appending to it (checked against concurrent appends), and the view of
//! which cards are locked past validation, which the sync path reads for
//! every message.

use super::*;
use crate::review::{ReviewEvent, ReviewState, Stage, Stamp};

/// The stage the stored review log of `doc` puts it in.
pub(super) async fn stage(dir: &dyn Directory, doc: DocumentId) -> Result<Stage, DirectoryError> {
    let events = dir.review_events(doc).await?;
    if events
        .first()
        .is_some_and(|e| crate::meetings::MeetingState::is_meeting_log(e))
    {
        let s = crate::meetings::MeetingState::fold(events.iter().map(String::as_str));
        return Ok(super::meetings::minutes_stage(&s));
    }
    Ok(ReviewState::fold(events.iter().map(String::as_str)).stage)
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
        if !self.append_json(doc, state.len, event).await? {
            return Ok(false);
        }
        let mut after = state.clone();
        after.apply(event.clone());
        self.set_stage(doc, after.stage);
        self.dir.notify(DirEvent::Review {
            doc: doc.to_string(),
        });
        use crate::hooks::HookEvent;
        match event {
            ReviewEvent::Transition {
                from,
                to,
                stamp,
                reason,
            } => {
                self.tell_transition(doc, *from, *to, stamp, reason.as_deref())
                    .await;
                let data = serde_json::json!({"from": from, "to": to, "by": stamp.by, "by_name": stamp.by_name, "reason": reason, "heads": stamp.heads});
                self.fire(&doc, HookEvent::StageChanged, data).await;
            }
            ReviewEvent::Approved { stamp } => {
                let data = serde_json::json!({"by": stamp.by, "by_name": stamp.by_name, "sector": stamp.sector, "heads": stamp.heads});
                self.fire(&doc, HookEvent::Approved, data).await;
            }
            _ => {}
        }
        Ok(true)
    }

    /// Tells the group what a move of its card asks of them: a review
    /// asked (co-coordinators), a card validated (everyone who writes it),
    /// a card sent back (its writers; after validation, the approvers).
    async fn tell_transition(
        &self,
        doc: DocumentId,
        from: Stage,
        to: Stage,
        stamp: &Stamp,
        reason: Option<&str>,
    ) {
        use crate::inbox::{Note, NoteKind};
        let Some(group) = self.group_of(&doc) else {
            return;
        };
        let (kind, coordinators_only) = match (from, to) {
            (Stage::Draft, Stage::GroupReview) => (NoteKind::ReviewRequested, true),
            (_, Stage::Validated) => (NoteKind::Approved, false),
            (Stage::Validated, Stage::GroupReview) => (NoteKind::Returned, true),
            (_, Stage::Draft) => (NoteKind::Returned, false),
            _ => return,
        };
        let Ok(members) = self.members(&group).await else {
            return;
        };
        let to_tell = members
            .into_iter()
            .filter(|m| {
                if coordinators_only {
                    m.role == Role::CoCoordinator
                } else {
                    m.role.writes()
                }
            })
            .map(|m| m.user.id);
        let note = Note {
            kind,
            doc: Some(doc.to_url()),
            card: None,
            thread: None,
            group: Some(group),
            by: stamp.by.clone(),
            by_name: stamp.by_name.clone(),
            excerpt: reason.unwrap_or_default().chars().take(140).collect(),
            time_ms: stamp.at_ms,
        };
        self.tell(to_tell, &note).await;
    }

    pub fn stage_of(&self, doc: &DocumentId) -> Stage {
        self.view
            .read()
            .unwrap()
            .stages
            .get(doc)
            .copied()
            .unwrap_or_default()
    }

    pub fn is_locked(&self, doc: &DocumentId) -> bool {
        self.stage_of(doc).locks_content()
    }

    pub(super) fn set_stage(&self, doc: DocumentId, stage: Stage) {
        self.view.write().unwrap().stages.insert(doc, stage);
    }

    /// Someone changed a validated card (the audit log just recorded
    /// `change` by `user`): its approvals no longer hold, and it goes back
    /// to group review, recorded as that person's doing.
    pub(super) async fn after_validated_edit(&self, doc: DocumentId, user: &str, change: &str) {
        let who = match self.dir.user(user).await {
            Ok(Some(u)) => u,
            _ => return,
        };
        for _ in 0..5 {
            let Ok(state) = self.review_state(doc).await else {
                return;
            };
            if state.stage != Stage::Validated {
                return;
            }
            let event = ReviewEvent::Transition {
                from: Stage::Validated,
                to: Stage::GroupReview,
                stamp: Stamp {
                    by: who.id.clone(),
                    by_name: who.name.clone(),
                    sector: who.sector,
                    at_ms: crate::clock::now_ms(),
                    heads: vec![change.to_owned()],
                },
                reason: Some("edited after validation".into()),
            };
            match self.append_review(doc, &state, &event).await {
                Ok(true) => return,
                Ok(false) => continue,
                Err(e) => {
                    tracing::error!(error = %e, "recording an edit after validation");
                    return;
                }
            }
        }
    }

    /// Another instance appended to the log of `doc`.
    pub(super) async fn refresh_lock(&self, doc: DocumentId) {
        match stage(self.dir.as_ref(), doc).await {
            Ok(s) => self.set_stage(doc, s),
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
