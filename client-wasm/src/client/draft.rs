//! Edits made before the document was here. On a slow network the page
//! draws a card from the server's copy (`GET /api/documents/{doc}/snapshot`,
//! which says the heads it is at) while this client downloads, and lets
//! the person type. Once the document is open, what they typed is made as
//! changes on those heads and merged: what others wrote since stays where
//! they wrote it, and the person's words go where they typed them.

use automerge::{Automerge, ChangeHash};
use codraft_protocol::DocumentId;

use super::{Client, ClientError, Output};

impl Client {
    /// `f` edits the document as it was at `heads` (and commits); its
    /// changes are merged into the document as it is now, reported to the
    /// page as patches, kept for undo as one step and synced. Fails,
    /// changing nothing, if this document does not hold `heads`.
    pub fn change_at(
        &mut self,
        id: DocumentId,
        heads: &[ChangeHash],
        at_ms: i64,
        f: impl FnOnce(&mut Automerge),
    ) -> Result<Output, ClientError> {
        let doc = self.docs.get_mut(&id).ok_or(ClientError::NotOpen(id))?;
        let before = doc.session.doc_mut().get_heads();
        let mut fork = doc
            .session
            .doc()
            .fork_at(heads)
            .map_err(|e| ClientError::UnknownHeads(e.to_string()))?;
        f(&mut fork);
        let made = fork.get_changes(heads);
        doc.session
            .doc_mut()
            .merge(&mut fork)
            .map_err(|e| ClientError::BadChanges(e.to_string()))?;
        for change in &made {
            doc.history.record(change, at_ms);
        }
        let fx = doc.session.handle([]);
        let mut out = Output::default();
        self.after(id, fx, &before, &mut out);
        Ok(out)
    }
}
