//! A connection's writer task: writes what the outbox queued (most frames
//! go onto the socket directly, in their sender's task: `hub/outbox.rs`),
//! flushes what the socket could not take at once, pings for keepalive,
//! and closes (an `error` already queued goes out first).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message as Frame};
use futures_util::SinkExt;
use tokio_util::sync::CancellationToken;

use crate::hub::outbox::{FrameSink, LastWords, Outbound, Outbox};
use crate::hub::peer::{CLOSE_GOING_AWAY, CLOSE_NORMAL};
use crate::hub::shared::Hub;

/// How long a closing connection may spend on its last frames.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

pub(super) async fn run(
    hub: Arc<Hub>,
    outbox: Outbox,
    closing: CancellationToken,
    alive: Arc<AtomicBool>,
) {
    let mut ping = tokio::time::interval(hub.settings.ping_interval);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ping.tick().await; // the first tick is immediate
    // An error for the peer, sent before the close frame.
    let mut last_words: Option<LastWords> = None;
    loop {
        tokio::select! {
            biased;
            _ = closing.cancelled() => break,
            _ = outbox.work() => {}
            _ = ping.tick() => {
                if !alive.swap(false, Ordering::Relaxed) {
                    tracing::info!("no answer to the previous ping: dropping the peer");
                    break;
                }
                if outbox.try_send(Outbound::Ping).is_err() {
                    break;
                }
            }
        }
        // A socket stuck on a peer that does not read must not keep the
        // connection alive once it is told to close.
        tokio::select! {
            r = outbox.drain() => match r {
                Ok(None) => {}
                Ok(Some(words)) => {
                    last_words = Some(words);
                    break;
                }
                Err(()) => break,
            },
            _ = closing.cancelled() => break,
        }
    }
    let (sink, queued) = outbox.close();
    closing.cancel();
    let Some(mut sink) = sink else { return };
    // An error already queued for the peer still goes out first; other
    // queued frames do not (slow, replaced, shutting down).
    let words = last_words.or_else(|| {
        queued.into_iter().find_map(|out| match out {
            Outbound::FrameThenClose(b, code, reason) => Some((b, code, reason)),
            _ => None,
        })
    });
    let _ = tokio::time::timeout(CLOSE_GRACE, async {
        match words {
            Some((b, code, reason)) => {
                sink.send(Frame::Binary(b)).await.ok();
                sink.send(close_frame(code, &reason)).await.ok();
            }
            None => {
                let code = if hub.shutdown.is_cancelled() {
                    CLOSE_GOING_AWAY
                } else {
                    CLOSE_NORMAL
                };
                sink.send(close_frame(code, "closing")).await.ok();
            }
        }
    })
    .await;
    let _ = tokio::time::timeout(CLOSE_GRACE, close(&mut sink)).await;
}

async fn close(sink: &mut FrameSink) {
    let _ = sink.close().await;
}

fn close_frame(code: u16, reason: &str) -> Frame {
    Frame::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}
