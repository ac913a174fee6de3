//! Batches applied to a document's session whose messages wait for their
//! write: each batch's sync messages go out only once its write (and so
//! every earlier one) is durable.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use codraft_protocol::{DocumentId, PeerId};
use codraft_sync::Effects;
use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;

use super::peer::PeerHandle;
use super::shared::Hub;
use crate::store::StoreError;

/// Batches whose write may be under way at once. Their messages go out in
/// order, each only after its own write (and so every earlier one) is done.
const MAX_IN_FLIGHT: usize = 4;

type WriteFuture = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send>>;

/// Accepted changes of a batch and who delivered each.
pub(super) type Audit = Vec<super::shared::AuditRow>;

/// A batch applied to the session, its messages waiting for its write.
pub(super) struct Batch {
    pub fx: Effects,
    /// Connections named in the batch (see `DocActor::apply`).
    pub senders: HashMap<PeerId, PeerHandle>,
    pub audit: Audit,
    /// When its oldest sync message arrived, for `codraft_fanout_seconds`.
    pub since: Option<Instant>,
    /// Told once the write is durable: a server-made edit (see
    /// `actor::jobs`) waits for it.
    pub done: Option<super::peer::Done>,
}

/// Batches applied to the session whose messages wait for their write.
#[derive(Default)]
pub(super) struct Pipeline {
    writes: FuturesOrdered<WriteFuture>,
    waiting: VecDeque<Batch>,
}

impl Pipeline {
    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    pub fn has_room(&self) -> bool {
        self.waiting.len() < MAX_IN_FLIGHT
    }

    /// Starts the batch's write (if it has one) right away; its messages wait.
    pub fn push(&mut self, hub: &Arc<Hub>, doc: DocumentId, mut batch: Batch) {
        let write: WriteFuture = match batch.fx.persist.take() {
            Some(op) => {
                let hub = hub.clone();
                Box::pin(async move {
                    let started = Instant::now();
                    let r = hub.store.write(doc, op).await;
                    hub.metrics
                        .persist_seconds
                        .observe(started.elapsed().as_secs_f64());
                    r
                })
            }
            None => Box::pin(std::future::ready(Ok(()))),
        };
        self.writes.push_back(write);
        self.waiting.push_back(batch);
    }

    /// The oldest batch, once its write is done.
    pub async fn next_done(&mut self) -> (Result<(), StoreError>, Batch) {
        let result = self.writes.next().await.unwrap_or(Ok(()));
        let batch = self
            .waiting
            .pop_front()
            .expect("one waiting batch per write");
        (result, batch)
    }
}
