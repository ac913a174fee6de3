//! The revision process's log through [`Accounts`]: read, and append
//! checked against concurrent appends; seeded with the six phases.

use super::*;
use crate::process::{Process, ProcessEvent, log_id, seeded_phases};

impl Accounts {
    pub async fn process(&self) -> Result<Process, DirectoryError> {
        let events = self.dir.review_events(log_id()).await?;
        Ok(Process::fold(events.iter().map(String::as_str)))
    }

    /// Appends `event` if the log is still as `state` saw it.
    pub async fn append_process(
        &self,
        state: &Process,
        event: &ProcessEvent,
    ) -> Result<bool, DirectoryError> {
        self.append_json(log_id(), state.len, event).await
    }

    /// The timeline's six phases, if the log has none yet.
    pub async fn seed_process(&self, now_ms: i64) -> Result<(), DirectoryError> {
        let mut state = self.process().await?;
        if !state.phases.is_empty() {
            return Ok(());
        }
        for (index, phase) in seeded_phases().into_iter().enumerate() {
            let ev = ProcessEvent::Phase {
                index,
                phase,
                by: "seed".into(),
                at_ms: now_ms,
            };
            if !self.append_process(&state, &ev).await? {
                return Ok(());
            }
            state.len += 1;
            state.apply(ev);
        }
        Ok(())
    }
}
