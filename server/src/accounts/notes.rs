//! Telling people: a note in each one's inbox and, with an SMTP server,
//! an e-mail as they chose (see [`crate::inbox`], [`crate::mail`]).

use super::*;
use crate::inbox::{Entry, Note, PAGE};

impl Accounts {
    /// Puts `note` in each of `users`' inboxes but the author's own. A
    /// failure is logged, not returned: what caused the note is already
    /// done and stays done.
    pub async fn tell(&self, users: impl IntoIterator<Item = String>, note: &Note) {
        let Ok(json) = serde_json::to_string(note) else {
            return;
        };
        let mut seen = std::collections::HashSet::new();
        for u in users {
            if u == note.by || !seen.insert(u.clone()) {
                continue;
            }
            if let Err(e) = self.directory().inbox_add(&u, json.clone()).await {
                tracing::warn!(error = %e, user = %u, "a notification was not stored");
            }
            if let Some(m) = self.mailer()
                && let Err(e) = m.notify(&u, note).await
            {
                tracing::warn!(error = %e, user = %u, "a notification's e-mail was not queued");
            }
        }
    }

    /// The newest notes of `user`.
    pub async fn inbox(&self, user: &str) -> Result<Vec<Entry>, DirectoryError> {
        Ok(self
            .directory()
            .inbox(user, PAGE)
            .await?
            .into_iter()
            .filter_map(|(id, json, read)| {
                let note = serde_json::from_str(&json).ok()?;
                Some(Entry { id, read, note })
            })
            .collect())
    }
}
