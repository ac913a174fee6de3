//! The registry of open documents: each running actor's queue, by document.
//!
//! It knows nothing of what an actor does: [`Registry::send`] is given the
//! function that starts one when none runs. Each entry carries a
//! generation, so that an actor that ends removes only its own entry, and
//! a command that races an actor's retirement goes to a new actor instead
//! of being lost.

use std::collections::HashMap;
use std::sync::Mutex;

use codraft_protocol::DocumentId;
use tokio::sync::mpsc;

use super::peer::DocCommand;

/// Commands queued per document before senders wait (backpressure on the
/// reading side of the connections).
pub const DOC_QUEUE: usize = 1024;

/// Starts an actor for a document: `(document, generation, its queue)`.
pub type Start<'a> = &'a (dyn Fn(DocumentId, u64, mpsc::Receiver<DocCommand>) + Sync);

#[derive(Debug, Default)]
pub struct Registry {
    map: Mutex<HashMap<DocumentId, (u64, mpsc::Sender<DocCommand>)>>,
    next_generation: Mutex<u64>,
}

impl Registry {
    /// Delivers a command, starting the document's actor with `start` if
    /// none runs.
    pub async fn send(&self, doc: DocumentId, mut cmd: DocCommand, start: Start<'_>) {
        loop {
            let tx = self.get_or_start(doc, start);
            match tx.send(cmd).await {
                Ok(()) => return,
                // The actor ended between lookup and send: start a new one.
                Err(mpsc::error::SendError(c)) => cmd = c,
            }
        }
    }

    /// Delivers a command only to a running actor.
    pub async fn send_if_open(&self, doc: DocumentId, cmd: DocCommand) {
        let tx = self.map.lock().unwrap().get(&doc).map(|(_, tx)| tx.clone());
        if let Some(tx) = tx {
            let _ = tx.send(cmd).await;
        }
    }

    pub fn open_count(&self) -> usize {
        self.map.lock().unwrap().len()
    }

    fn get_or_start(&self, doc: DocumentId, start: Start<'_>) -> mpsc::Sender<DocCommand> {
        let mut map = self.map.lock().unwrap();
        if let Some((_, tx)) = map.get(&doc)
            && !tx.is_closed()
        {
            return tx.clone();
        }
        let generation = {
            let mut g = self.next_generation.lock().unwrap();
            *g += 1;
            *g
        };
        let (tx, rx) = mpsc::channel(DOC_QUEUE);
        map.insert(doc, (generation, tx.clone()));
        start(doc, generation, rx);
        tx
    }

    /// Removes the actor's entry if it is still this generation's and nothing
    /// is queued; closes the queue so late senders retry with a new actor.
    pub fn try_retire(
        &self,
        doc: DocumentId,
        generation: u64,
        rx: &mut mpsc::Receiver<DocCommand>,
    ) -> bool {
        let mut map = self.map.lock().unwrap();
        if !rx.is_empty() {
            return false;
        }
        if matches!(map.get(&doc), Some((g, _)) if *g == generation) {
            map.remove(&doc);
        }
        rx.close();
        true
    }

    /// Removes the actor's entry if it is still this generation's.
    pub fn remove(&self, doc: DocumentId, generation: u64) {
        let mut map = self.map.lock().unwrap();
        if matches!(map.get(&doc), Some((g, _)) if *g == generation) {
            map.remove(&doc);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn left(conn_id: u64) -> DocCommand {
        DocCommand::PeerLeft {
            peer: "p".into(),
            conn_id,
        }
    }

    #[tokio::test]
    async fn one_actor_per_document_until_it_retires_then_a_new_generation() {
        let reg = Registry::default();
        let doc = DocumentId::random();
        let started = Arc::new(Mutex::new(Vec::new()));
        let s = started.clone();
        let start = move |d: DocumentId, g: u64, rx: mpsc::Receiver<DocCommand>| {
            s.lock().unwrap().push((d, g, rx));
        };
        reg.send(doc, left(1), &start).await;
        reg.send(doc, left(2), &start).await;
        assert_eq!(started.lock().unwrap().len(), 1, "one actor for both");
        assert_eq!(reg.open_count(), 1);
        let (d, g, mut rx) = started.lock().unwrap().remove(0);
        assert_eq!(d, doc);
        // Something is queued: it may not retire yet.
        assert!(!reg.try_retire(doc, g, &mut rx));
        while rx.try_recv().is_ok() {}
        assert!(reg.try_retire(doc, g, &mut rx));
        assert_eq!(reg.open_count(), 0);
        // A later command starts a new generation, never the retired one.
        reg.send(doc, left(3), &start).await;
        let (_, g2, mut rx2) = started.lock().unwrap().remove(0);
        assert!(g2 > g);
        assert!(matches!(
            rx2.try_recv(),
            Ok(DocCommand::PeerLeft { conn_id: 3, .. })
        ));
    }

    #[tokio::test]
    async fn an_old_generation_does_not_remove_a_newer_entry() {
        let reg = Registry::default();
        let doc = DocumentId::random();
        reg.send_if_open(doc, left(0)).await; // nobody running: not started
        assert_eq!(reg.open_count(), 0);
        let kept = Arc::new(Mutex::new(None));
        let k = kept.clone();
        let start = move |_: DocumentId, g: u64, rx: mpsc::Receiver<DocCommand>| {
            *k.lock().unwrap() = Some((g, rx));
        };
        reg.send(doc, left(1), &start).await;
        let generation = kept.lock().unwrap().as_ref().unwrap().0;
        reg.remove(doc, generation - 1);
        assert_eq!(reg.open_count(), 1, "an older generation removed the entry");
        reg.remove(doc, generation);
        assert_eq!(reg.open_count(), 0);
    }
}
