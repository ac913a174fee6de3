//! The accept loop: HTTP/1.1 connections with a time limit on request
//! headers (which also ends idle keep-alive connections), a cap on
//! connections at once, and a smaller cap on those that have not become a
//! signed-in WebSocket — so idle, slow or unauthenticated clients cannot
//! use up the process's file descriptors. Past a cap a connection gets a
//! `503` and is closed at once.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

/// File descriptors kept for everything but client connections (the
/// database, Redis, logs, the blocking pool).
const FD_RESERVE: usize = 64;

/// A connection's place among those not yet signed in, given up when it
/// becomes an authenticated WebSocket (see [`Slot::authenticated`]).
#[derive(Debug, Clone, Default)]
pub struct Slot(Arc<Mutex<Option<OwnedSemaphorePermit>>>);

impl Slot {
    /// The connection is now a signed-in socket: it no longer counts among
    /// the unauthenticated ones.
    pub fn authenticated(&self) {
        self.0.lock().unwrap().take();
    }
}

/// The limits of the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub max_unauthenticated: usize,
    pub header_timeout: Duration,
}

impl Limits {
    /// Keeps both caps below the process's open-file limit.
    pub fn fitted(self) -> Self {
        let Some(fds) = open_file_limit() else {
            return self;
        };
        let room = fds.saturating_sub(FD_RESERVE).max(1);
        if self.max_connections > room {
            tracing::warn!(
                limit = fds,
                "the open-file limit is below --max-connections: serving at most {room} connections"
            );
        }
        Limits {
            max_connections: self.max_connections.min(room),
            max_unauthenticated: self.max_unauthenticated.min(room),
            ..self
        }
    }
}

/// The soft `Max open files` of this process (Linux), if it can be read.
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Serves `app` on `listener` until `shutdown`, then lets every connection
/// finish its request (tracked by `tracker`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: CancellationToken,
    tracker: TaskTracker,
) -> std::io::Result<()> {
    let limits = limits.fitted();
    let all = Arc::new(Semaphore::new(limits.max_connections));
    let unauthenticated = Arc::new(Semaphore::new(limits.max_unauthenticated));
    loop {
        let (tcp, remote) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // Out of descriptors or the like: wait, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = shutdown.cancelled() => break,
        };
        let (Ok(place), Ok(unauth)) = (
            all.clone().try_acquire_owned(),
            unauthenticated.clone().try_acquire_owned(),
        ) else {
            tracker.spawn(refuse(tcp));
            continue;
        };
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
        let slot = Slot(Arc::new(Mutex::new(Some(unauth))));
        let app = app.clone();
        let shutdown = shutdown.clone();
        tracker.spawn(async move {
            let _place = place;
            let service =
                hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo(remote));
                    req.extensions_mut().insert(slot.clone());
                    app.clone().oneshot(req.map(axum::body::Body::new))
                });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            let conn = builder
                .serve_connection(TokioIo::new(tcp), service)
                .with_upgrades();
            tokio::pin!(conn);
            tokio::select! {
                r = conn.as_mut() => log_end(r, remote),
                _ = shutdown.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    log_end(conn.await, remote);
                }
            }
        });
    }
    Ok(())
}

fn log_end(r: Result<(), hyper::Error>, remote: SocketAddr) {
    if let Err(e) = r {
        tracing::debug!(%remote, error = %e, "connection ended with an error");
    }
}

/// Over a cap: a plain `503` and close, without reading the request.
async fn refuse(mut tcp: TcpStream) {
    const BODY: &str = "too many connections: try again shortly";
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = tcp.write_all(response.as_bytes()).await;
        let _ = tcp.shutdown().await;
    })
    .await;
}
