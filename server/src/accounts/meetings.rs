//! Meetings' logs through [`Accounts`]: reading a meeting's state,
//! appending to it (checked against concurrent appends), and the lock of
//! published minutes, which the sync path reads for every message.

use super::*;
use crate::meetings::{MeetingEvent, MeetingState};
use crate::review::Stage;

impl Accounts {
    pub async fn meeting_state(&self, doc: DocumentId) -> Result<MeetingState, DirectoryError> {
        let events = self.dir.review_events(doc).await?;
        Ok(MeetingState::fold(events.iter().map(String::as_str)))
    }

    /// Appends `event` if the log is still as `state` saw it; `false` if
    /// another request appended first. Published minutes are locked on
    /// the sync path (as an adopted card is), on every instance.
    pub async fn append_meeting(
        &self,
        doc: DocumentId,
        state: &MeetingState,
        event: &MeetingEvent,
    ) -> Result<bool, DirectoryError> {
        if !self.append_json(doc, state.len, event).await? {
            return Ok(false);
        }
        let mut after = state.clone();
        after.apply(event.clone());
        self.set_stage(doc, minutes_stage(&after));
        self.dir.notify(DirEvent::Review {
            doc: doc.to_string(),
        });
        Ok(true)
    }

    /// Every meeting's minutes document, with its body.
    pub async fn meetings(&self) -> Result<Vec<DocInfo>, DirectoryError> {
        Ok(self
            .documents()
            .await?
            .into_iter()
            .filter(|d| d.kind == crate::meetings::minutes::KIND)
            .collect())
    }
}

/// Published minutes read like an adopted card: nobody writes them.
pub(super) fn minutes_stage(s: &MeetingState) -> Stage {
    if s.locked() {
        Stage::Published
    } else {
        Stage::Draft
    }
}
