//! Frames that arrived together — the shell hands over one animation
//! frame's worth — taken as one batch per document: with the session in
//! batched mode, all of a document's remote keystrokes then cost one walk
//! of the text they touch (Automerge applies a batch in one pass) and one
//! set of patches, instead of one each.

use super::*;

impl Client {
    /// Every frame of `frames`, in order, except that the sync messages of
    /// one document between two other messages are handled as one batch.
    pub fn receive_all(&mut self, frames: &[Vec<u8>], now_ms: u64) -> Output {
        self.now_ms = now_ms;
        let mut out = Output::default();
        let mut batch: Vec<Message> = Vec::new();
        for bytes in frames {
            match decode(bytes) {
                Ok(m @ (Message::Sync(_) | Message::Request(_))) => batch.push(m),
                _ => {
                    self.sync_batch(&mut batch, &mut out);
                    let more = self.receive(bytes, now_ms);
                    out.frames.extend(more.frames);
                    out.events.extend(more.events);
                }
            }
        }
        self.sync_batch(&mut batch, &mut out);
        out
    }

    /// Hands each document its sync messages of `batch` as one batch.
    fn sync_batch(&mut self, batch: &mut Vec<Message>, out: &mut Output) {
        let mut by_doc: Vec<(DocumentId, Vec<Event>)> = Vec::new();
        for m in batch.drain(..) {
            let (Message::Sync(d) | Message::Request(d)) = &m else {
                continue;
            };
            let id = d.document_id;
            match by_doc.iter_mut().find(|(i, _)| *i == id) {
                Some((_, events)) => events.push(Event::Received(m)),
                None => by_doc.push((id, vec![Event::Received(m)])),
            }
        }
        for (id, events) in by_doc {
            if let Some(doc) = self.docs.get_mut(&id) {
                let before = doc.session.doc().get_heads();
                let fx = doc.session.handle(events);
                self.after(id, fx, &before, out);
            }
        }
    }
}
