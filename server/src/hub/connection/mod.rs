//! One WebSocket connection: a reader task, and a writer task for what its
//! senders could not write directly.
//!
//! Generic over any `Sink`/`Stream` of axum WebSocket frames, so the unit
//! tests below drive it with in-memory channels and the server drives it
//! with a real socket.
//!
//! - The first frame must be `join` ([`codraft_protocol::handshake`]); the
//!   answer is `peer` (or `error`, then close).
//! - Document messages go to the document's actor with the sender's access
//!   (`reader`); the actor's session decides what may be applied.
//! - Outbound messages go onto the socket directly when it takes them at
//!   once, else through a bounded queue to the writer task (`outbox.rs`,
//!   `writer`). A client that lets the queue fill is disconnected (it
//!   resyncs when it reconnects); messages are never silently dropped.
//! - A malformed frame, a text frame or an oversized message gets an
//!   `error` and the connection closes; nothing else is affected.
//! - Keepalive: a ping every `ping_interval`; a peer that sent nothing (not
//!   even a pong) since the previous ping is dropped.
//! - A signed-in user's socket closes when their access is revoked and when
//!   their session expires.

mod reader;
mod writer;

use std::fmt::Display;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::ws::Message as Frame;
use futures_util::{Sink, Stream};
use tracing::Instrument;

use super::outbox::Outbox;
use super::peer::{CLOSE_POLICY, Closer};
use super::shared::Hub;
use crate::auth::Identity;

static NEXT_CONN_ID: AtomicU64 = AtomicU64::new(1);

/// After a revocation's `error`, the socket is gone within this long
/// whatever the writer is doing.
const REVOKED_GRACE: Duration = Duration::from_millis(500);

/// Serves one WebSocket until it closes.
pub async fn serve<S, R, E>(hub: Arc<Hub>, identity: Identity, sink: S, stream: R)
where
    S: Sink<Frame> + Send + Unpin + 'static,
    R: Stream<Item = Result<Frame, E>> + Send + Unpin + 'static,
    E: Display,
{
    let conn_id = NEXT_CONN_ID.fetch_add(1, Ordering::Relaxed);
    let span = tracing::info_span!("connection", conn = conn_id, peer = tracing::field::Empty);
    hub.metrics.connections.inc();
    let outbox = Outbox::new(sink, hub.settings.outbound_queue);
    let closer = Closer {
        outbox: outbox.clone(),
        closing: hub.shutdown.child_token(),
        server_peer: hub.server_peer().clone(),
    };
    let alive = Arc::new(AtomicBool::new(true));
    let writer = tokio::spawn(
        writer::run(hub.clone(), outbox, closer.closing.clone(), alive.clone())
            .instrument(span.clone()),
    );
    watch(&hub, &identity, conn_id, &closer);
    let mut reader = reader::Reader::new(
        hub.clone(),
        identity.clone(),
        conn_id,
        closer.clone(),
        alive,
    );
    reader.run(stream).instrument(span).await;
    closer.closing.cancel();
    let _ = writer.await;
    reader.leave().await;
    hub.authorizer.unwatch(&identity, conn_id);
    hub.metrics.connections.dec();
}

/// A signed-in socket closes when its access is revoked (the authorizer
/// calls back) and when its session expires (a timer).
fn watch(hub: &Hub, identity: &Identity, conn_id: u64, closer: &Closer) {
    let Identity::User(c) = identity else {
        return;
    };
    let close = {
        let closer = closer.clone();
        Arc::new(move |why: &str| {
            closer.fail(None, why, CLOSE_POLICY);
            let closing = closer.closing.clone();
            tokio::spawn(async move {
                tokio::time::sleep(REVOKED_GRACE).await;
                closing.cancel();
            });
        })
    };
    if let Some(expires_ms) = c.expires_ms {
        let (close, closing) = (close.clone(), closer.closing.clone());
        let left = crate::clock::now().until(codraft_protocol::Millis::from_signed(expires_ms));
        tokio::spawn(async move {
            tokio::select! {
                _ = closing.cancelled() => {}
                _ = tokio::time::sleep(left) => {
                    close("session-expired: your sign-in has expired: sign in again");
                }
            }
        });
    }
    hub.authorizer
        .watch(identity, conn_id, Box::new(move |why| close(why)));
}
