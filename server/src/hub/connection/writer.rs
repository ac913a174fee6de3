//! A connection's writer task: sends what the outbound queue holds, pings
//! for keepalive, and closes (an `error` already queued goes out first).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message as Frame};
use bytes::Bytes;
use futures_util::{Sink, SinkExt};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::hub::peer::{CLOSE_GOING_AWAY, CLOSE_NORMAL, Outbound};
use crate::hub::shared::Hub;

/// How long a closing connection may spend on its last frames.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

pub(super) async fn run<S>(
    hub: Arc<Hub>,
    mut sink: S,
    mut rx: mpsc::Receiver<Outbound>,
    closing: CancellationToken,
    alive: Arc<AtomicBool>,
) where
    S: Sink<Frame> + Unpin,
{
    let mut ping = tokio::time::interval(hub.settings.ping_interval);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ping.tick().await; // the first tick is immediate
    loop {
        let (frame, then_close) = tokio::select! {
            biased;
            _ = closing.cancelled() => {
                // An error already queued for the peer still goes out first;
                // other queued frames do not (slow, replaced, shutting down).
                while let Ok(out) = rx.try_recv() {
                    if let Outbound::FrameThenClose(b, code, reason) = out {
                        let _ = tokio::time::timeout(CLOSE_GRACE, async {
                            sink.send(Frame::Binary(b)).await.ok();
                            sink.send(close_frame(code, &reason)).await.ok();
                        })
                        .await;
                        return;
                    }
                }
                let code = if hub.shutdown.is_cancelled() { CLOSE_GOING_AWAY } else { CLOSE_NORMAL };
                let _ = tokio::time::timeout(CLOSE_GRACE, sink.send(close_frame(code, "closing"))).await;
                break;
            }
            out = rx.recv() => match out {
                Some(Outbound::Frame(b)) => (Frame::Binary(b), None),
                Some(Outbound::FrameThenClose(b, code, reason)) => (Frame::Binary(b), Some((code, reason))),
                None => break,
            },
            _ = ping.tick() => {
                if !alive.swap(false, Ordering::Relaxed) {
                    tracing::info!("no answer to the previous ping: dropping the peer");
                    break;
                }
                (Frame::Ping(Bytes::new()), None)
            }
        };
        if let Some((code, reason)) = then_close {
            // An error for the peer: worth a short wait, then close.
            let _ = tokio::time::timeout(CLOSE_GRACE, async {
                sink.send(frame).await.ok();
                sink.send(close_frame(code, &reason)).await.ok();
            })
            .await;
            break;
        }
        // A socket stuck on a peer that does not read must not keep the
        // connection alive once it is told to close.
        tokio::select! {
            r = sink.send(frame) => if r.is_err() { break },
            _ = closing.cancelled() => break,
        }
    }
    closing.cancel();
    let _ = tokio::time::timeout(CLOSE_GRACE, sink.close()).await;
}

fn close_frame(code: u16, reason: &str) -> Frame {
    Frame::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}
