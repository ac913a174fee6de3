//! Open documents: a registry and one actor task per document.
//!
//! The actor owns the document's [`DocSession`]. It takes every command
//! waiting in its queue as one batch, feeds the batch to the session, starts
//! the write of the resulting change, and sends the sync messages the session
//! produced **only once that write is durable**. So no peer ever hears of
//! heads that are not on disk. While a write is under way the actor goes on
//! with the next batches (a few at most); their messages wait for their own
//! writes, which the store completes in order. Under load, batches grow and
//! writes stay few.
//!
//! A document with no peers for `idle_unload` removes itself from the
//! registry and ends, which bounds memory. A storage failure closes every
//! peer of the document with an `error` and ends the actor; the clients
//! still hold their changes and re-send them when they reconnect.
//!
//! The session's own work (applying changes, generating sync messages,
//! serialising for storage) runs on the blocking pool, not on the async
//! workers: a large change, or a keystroke into a long text, costs
//! milliseconds to seconds in Automerge, and must hold up neither the
//! runtime nor any other document.
//!
//! - `mod.rs`: [`DocCommand`] and the [`Documents`] registry;
//! - [`actor`]: the document actor;
//! - [`pipeline`]: batches waiting for their write.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use codraft_protocol::{DocumentId, Message, PeerId};
use codraft_sync::Access;
use tokio::sync::mpsc;
use tracing::Instrument;

use crate::app::AppState;
use crate::connection::PeerHandle;

mod actor;
mod pipeline;

/// Commands queued per document before senders wait (backpressure on the
/// reading side of the connections).
const DOC_QUEUE: usize = 1024;

#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "nearly every command is a Message; boxing it would add an allocation per frame and save nothing"
)]
pub enum DocCommand {
    /// A document message from a connection.
    Message {
        from: PeerHandle,
        message: Message,
        /// What the sender may do with the document (its session enforces it).
        access: Access,
        /// May this connection create the document if it does not exist?
        may_create: bool,
        /// When the connection read it.
        received: Instant,
    },
    /// The connection ended.
    PeerLeft { peer: PeerId, conn_id: u64 },
}

/// Registry of running document actors.
#[derive(Debug, Default)]
pub struct Documents {
    /// Each actor's queue, with a generation number so that an exiting actor
    /// removes only its own entry.
    map: Mutex<HashMap<DocumentId, (u64, mpsc::Sender<DocCommand>)>>,
    next_generation: Mutex<u64>,
}

impl Documents {
    /// Delivers a command, starting the document's actor if none runs.
    pub async fn send(&self, state: &Arc<AppState>, doc: DocumentId, mut cmd: DocCommand) {
        loop {
            if state.shutdown.is_cancelled() {
                return;
            }
            let tx = self.get_or_start(state, doc);
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

    fn get_or_start(&self, state: &Arc<AppState>, doc: DocumentId) -> mpsc::Sender<DocCommand> {
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
        let actor = actor::DocActor::new(state.clone(), doc, generation, rx);
        let span = tracing::info_span!("document", doc = %doc);
        state.tracker.spawn(actor.run().instrument(span));
        tx
    }

    /// Removes the actor's entry if it is still this generation's and nothing
    /// is queued; closes the queue so late senders retry with a new actor.
    pub(crate) fn try_retire(
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

    pub(crate) fn remove(&self, doc: DocumentId, generation: u64) {
        let mut map = self.map.lock().unwrap();
        if matches!(map.get(&doc), Some((g, _)) if *g == generation) {
            map.remove(&doc);
        }
    }
}
