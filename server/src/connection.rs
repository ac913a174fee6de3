//! One WebSocket connection: a reader task and a writer task.
//!
//! Generic over any `Sink`/`Stream` of axum WebSocket messages, so tests can
//! drive it with channels and the server drives it with a real socket.
//!
//! - The first frame must be `join`; the answer is `peer` (or `error` for an
//!   unsupported protocol version, then close).
//! - Document messages go to the document's actor, after an access check.
//! - Outbound messages go through a bounded queue. A client that lets it
//!   fill is disconnected (it resyncs when it reconnects); messages are never
//!   silently dropped.
//! - A malformed frame, a text frame or an oversized message gets an `error`
//!   and the connection closes; nothing else is affected.
//! - Keepalive: a ping every `ping_interval`; a peer that sent nothing (not
//!   even a pong) since the previous ping is dropped.

use std::collections::HashSet;
use std::fmt::Display;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::ws::{CloseFrame, Message as Frame};
use bytes::Bytes;
use codraft_protocol::presence::{Value, decode_value, encode_value};
use codraft_protocol::{
    DocumentId, EphemeralMessage, Message, PROTOCOL_V1, PeerId, PeerMetadata, decode, encode,
};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::app::AppState;
use crate::auth::{Access, Identity};
use crate::documents::DocCommand;
use crate::metrics::Metrics;

/// WebSocket close codes used here.
const CLOSE_NORMAL: u16 = 1000;
const CLOSE_GOING_AWAY: u16 = 1001;
const CLOSE_PROTOCOL: u16 = 1002;
const CLOSE_TOO_BIG: u16 = 1009;
const CLOSE_POLICY: u16 = 1008;

/// How long a closing connection may spend on its last frames.
const CLOSE_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

static NEXT_CONN_ID: AtomicU64 = AtomicU64::new(1);

/// What the writer task is asked to do.
#[derive(Debug)]
enum Outbound {
    Frame(Bytes),
    /// Send this frame (an `error` message), then close with this code.
    FrameThenClose(Bytes, u16, String),
}

/// How a document actor reaches a connection.
#[derive(Debug, Clone)]
pub struct PeerHandle {
    pub conn_id: u64,
    pub peer: PeerId,
    /// The signed-in user behind the connection, for the audit log.
    pub user: Option<String>,
    outbox: mpsc::Sender<Outbound>,
    /// Cancelled to end the connection (both tasks).
    closing: CancellationToken,
    server_peer: PeerId,
    metrics: Arc<Metrics>,
}

impl PeerHandle {
    /// Queues a message. If the queue is full the client is too slow: the
    /// connection is closed and `false` returned.
    pub fn send(&self, msg: &Message) -> bool {
        let bytes = encode(msg);
        let len = bytes.len() as u64;
        match self.outbox.try_send(Outbound::Frame(bytes.into())) {
            Ok(()) => {
                self.metrics.messages_out.inc();
                self.metrics.bytes_out.inc_by(len);
                true
            }
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.metrics.slow_client_disconnects.inc();
                tracing::warn!(peer = %self.peer, "outbound queue full: disconnecting slow client");
                self.closing.cancel();
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Sends `error` with this text and closes the connection.
    pub fn fail(&self, why: &str) {
        let err = Message::Error {
            sender_id: self.server_peer.clone(),
            target_id: Some(self.peer.clone()),
            message: why.to_owned(),
        };
        let frame = Outbound::FrameThenClose(encode(&err).into(), CLOSE_POLICY, short(why));
        if self.outbox.try_send(frame).is_err() {
            self.closing.cancel();
        }
    }

    /// Closes without an error (replaced by a newer connection, shutdown).
    pub fn close(&self) {
        self.closing.cancel();
    }
}

/// Close reasons are limited to 123 bytes.
fn short(s: &str) -> String {
    let mut end = s.len().min(120);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

/// Serves one WebSocket until it closes.
pub async fn serve<S, R, E>(state: Arc<AppState>, identity: Identity, sink: S, stream: R)
where
    S: Sink<Frame> + Send + Unpin + 'static,
    R: Stream<Item = Result<Frame, E>> + Send + Unpin + 'static,
    E: Display,
{
    let conn_id = NEXT_CONN_ID.fetch_add(1, Ordering::Relaxed);
    let span = tracing::info_span!("connection", conn = conn_id, peer = tracing::field::Empty);
    state.metrics.connections.inc();
    let (outbox, rx) = mpsc::channel(state.config.outbound_queue);
    let closing = state.shutdown.child_token();
    let alive = Arc::new(AtomicBool::new(true));
    let writer = tokio::spawn(
        write_loop(state.clone(), sink, rx, closing.clone(), alive.clone())
            .instrument(span.clone()),
    );
    // A signed-in user's socket closes when their access is revoked, and
    // when their session expires.
    let user = match &identity {
        Identity::User(c) => Some((c.user.id.clone(), c.id.clone(), c.kind, c.expires_ms)),
        Identity::Anonymous { .. } => None,
    };
    let reader_closing = closing.clone();
    if let (Some((user, credential, kind, expires_ms)), Some(accounts)) = (&user, &state.accounts) {
        let (outbox, closing, server_peer) =
            (outbox.clone(), closing.clone(), state.server_peer.clone());
        let close = std::sync::Arc::new(move |why: &str| {
            let err = Message::Error {
                sender_id: server_peer.clone(),
                target_id: None,
                message: why.to_owned(),
            };
            let frame = Outbound::FrameThenClose(encode(&err).into(), CLOSE_POLICY, short(why));
            if outbox.try_send(frame).is_err() {
                closing.cancel();
            }
            // Whatever the writer is doing, the socket is gone within the grace.
            let closing = closing.clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                closing.cancel();
            });
        });
        if let Some(expires_ms) = *expires_ms {
            let (close, closing) = (close.clone(), reader_closing.clone());
            let left = (expires_ms - crate::directory::sqlite::now_ms()).max(0) as u64;
            tokio::spawn(async move {
                tokio::select! {
                    _ = closing.cancelled() => {}
                    _ = tokio::time::sleep(std::time::Duration::from_millis(left)) => {
                        close("session-expired: your sign-in has expired: sign in again");
                    }
                }
            });
        }
        accounts.attach(
            user,
            credential,
            *kind,
            conn_id,
            Box::new(move |why| close(why)),
        );
    }
    let mut reader = Reader {
        state: state.clone(),
        identity,
        conn_id,
        outbox,
        closing: closing.clone(),
        alive,
        handle: None,
        docs: HashSet::new(),
    };
    reader.run(stream).instrument(span).await;
    closing.cancel();
    let _ = writer.await;
    reader.leave().await;
    if let (Some((user, ..)), Some(accounts)) = (&user, &state.accounts) {
        accounts.detach(user, conn_id);
    }
    state.metrics.connections.dec();
}

struct Reader {
    state: Arc<AppState>,
    identity: Identity,
    conn_id: u64,
    outbox: mpsc::Sender<Outbound>,
    closing: CancellationToken,
    /// Set by any inbound frame; the writer's keepalive checks and clears it.
    alive: Arc<AtomicBool>,
    /// Set by `join`.
    handle: Option<PeerHandle>,
    /// Documents this connection sent messages for, to tell them when it ends.
    docs: HashSet<DocumentId>,
}

impl Reader {
    async fn run<R, E>(&mut self, mut stream: R)
    where
        R: Stream<Item = Result<Frame, E>> + Unpin,
        E: Display,
    {
        let handshake = self.state.config.handshake_timeout;
        let deadline = tokio::time::sleep(handshake);
        tokio::pin!(deadline);
        loop {
            let frame = tokio::select! {
                f = stream.next() => f,
                _ = self.closing.cancelled() => return,
                _ = &mut deadline, if self.handle.is_none() => {
                    self.refuse("no join message within the handshake timeout", CLOSE_POLICY).await;
                    return;
                }
            };
            self.alive.store(true, Ordering::Relaxed);
            let bytes = match frame {
                None => return,
                Some(Err(e)) => {
                    // Oversized messages and broken framing end up here.
                    let text = format!("invalid WebSocket message: {e}");
                    let code = if text.contains("too long") || text.contains("Space limit") {
                        CLOSE_TOO_BIG
                    } else {
                        CLOSE_PROTOCOL
                    };
                    self.refuse(&text, code).await;
                    return;
                }
                Some(Ok(Frame::Binary(b))) => b,
                Some(Ok(Frame::Text(_))) => {
                    self.refuse(
                        "text frames are not part of the protocol: send binary CBOR",
                        CLOSE_PROTOCOL,
                    )
                    .await;
                    return;
                }
                Some(Ok(Frame::Close(_))) => return,
                Some(Ok(_)) => continue, // ping / pong
            };
            self.state.metrics.messages_in.inc();
            self.state.metrics.bytes_in.inc_by(bytes.len() as u64);
            let message = match decode(&bytes) {
                Ok(m) => m,
                Err(e) => {
                    self.refuse(&format!("malformed message: {e}"), CLOSE_PROTOCOL)
                        .await;
                    return;
                }
            };
            if !self.handle_message(message).await {
                return;
            }
        }
    }

    /// Returns false when the connection must end.
    async fn handle_message(&mut self, message: Message) -> bool {
        let Some(handle) = self.handle.clone() else {
            return match message {
                Message::Join {
                    sender_id,
                    supported_protocol_versions,
                    ..
                } => self.join(sender_id, supported_protocol_versions).await,
                other => {
                    let text =
                        format!("expected a join message first, got `{}`", other.type_name());
                    self.refuse(&text, CLOSE_PROTOCOL).await;
                    false
                }
            };
        };
        // The connection, not the message, says who is syncing.
        let message = with_sender(message, &handle.peer);
        match &message {
            Message::Join { .. } => {
                // A repeated join on the same socket: answer again.
                self.send_peer(&handle.peer);
                true
            }
            Message::Sync(_) | Message::Request(_) | Message::Ephemeral(_) => {
                let doc = message.document_id().expect("document message");
                let access = match self.state.authorizer.access(&self.identity, &doc) {
                    Access::None => {
                        handle.send(&Message::DocUnavailable {
                            sender_id: self.state.server_peer.clone(),
                            target_id: handle.peer.clone(),
                            document_id: doc,
                        });
                        return true;
                    }
                    Access::ReadOnly => codraft_sync::Access::ReadOnly,
                    Access::ReadWrite => codraft_sync::Access::ReadWrite,
                };
                let message = match message {
                    // Presence speaks only for the connection's own peer:
                    // another sender id is a client relaying what it heard
                    // (the server already sent it to everyone) or a forgery.
                    Message::Ephemeral(e) if e.sender_id != handle.peer => {
                        tracing::debug!(sender = %e.sender_id, "ephemeral message for another peer dropped");
                        return true;
                    }
                    Message::Ephemeral(e) => match self.stamp(e, &doc) {
                        Ok(e) => Message::Ephemeral(e),
                        Err(why) => {
                            handle.fail(&why);
                            return false;
                        }
                    },
                    other => other,
                };
                // Whether the sender may change the document is decided
                // where the message is decoded and applied: the document's
                // session, for `sync` and `request` alike.
                let may_create = self.state.authorizer.may_create(&self.identity, &doc);
                self.docs.insert(doc);
                let cmd = DocCommand::Message {
                    from: handle,
                    message,
                    access,
                    may_create,
                    received: Instant::now(),
                };
                self.state.documents.send(&self.state, doc, cmd).await;
                true
            }
            Message::Leave { .. } => true,
            Message::Error { message: text, .. } => {
                tracing::info!(%text, "peer reported an error");
                true
            }
            Message::DocUnavailable { .. }
            | Message::RemoteSubscriptionChange { .. }
            | Message::RemoteHeadsChanged { .. }
            | Message::Peer { .. } => true,
            Message::Unknown { message_type, .. } => {
                tracing::info!(%message_type, "unknown message type ignored");
                true
            }
        }
    }

    async fn join(&mut self, peer: PeerId, versions: Option<Vec<String>>) -> bool {
        tracing::Span::current().record("peer", tracing::field::display(&peer));
        let supported = versions.is_none_or(|v| v.iter().any(|s| s == PROTOCOL_V1));
        let handle = PeerHandle {
            conn_id: self.conn_id,
            peer: peer.clone(),
            user: match &self.identity {
                Identity::User(c) => Some(c.user.id.clone()),
                Identity::Anonymous { .. } => None,
            },
            outbox: self.outbox.clone(),
            closing: self.closing.clone(),
            server_peer: self.state.server_peer.clone(),
            metrics: self.state.metrics.clone(),
        };
        if !supported {
            handle.fail("unsupported protocol version");
            return false;
        }
        let replaced = {
            let mut peers = self.state.peers.lock().unwrap();
            // A peer id belongs to the user who holds it: the same user's
            // newer connection replaces the older one (a reconnect), anybody
            // else is refused (peer ids are visible in presence).
            if peers.get(&peer).is_some_and(|old| old.user != handle.user) {
                drop(peers);
                handle.fail(
                    "peer-id-in-use: this peer id is in use by another account: choose another",
                );
                return false;
            }
            peers.insert(peer.clone(), handle.clone())
        };
        if let Some(old) = replaced {
            tracing::info!("a newer connection joined as the same peer: closing the older one");
            old.close();
        }
        self.handle = Some(handle);
        self.send_peer(&peer);
        true
    }

    fn send_peer(&self, peer: &PeerId) {
        if let Some(h) = &self.handle {
            h.send(&Message::Peer {
                sender_id: self.state.server_peer.clone(),
                target_id: peer.clone(),
                peer_metadata: Some(PeerMetadata {
                    storage_id: Some(self.state.storage_id.clone()),
                    is_ephemeral: false,
                }),
                selected_protocol_version: PROTOCOL_V1.to_owned(),
            });
        }
    }

    /// Sends `error` and closes.
    async fn refuse(&self, why: &str, code: u16) {
        self.state.metrics.protocol_errors.inc();
        tracing::info!(%why, "closing connection");
        let err = Message::Error {
            sender_id: self.state.server_peer.clone(),
            target_id: self.handle.as_ref().map(|h| h.peer.clone()),
            message: why.to_owned(),
        };
        let _ = self
            .outbox
            .send(Outbound::FrameThenClose(
                encode(&err).into(),
                code,
                short(why),
            ))
            .await;
    }

    /// Tells the documents this peer used that it is gone.
    async fn leave(&mut self) {
        let Some(h) = self.handle.take() else { return };
        {
            let mut peers = self.state.peers.lock().unwrap();
            if peers
                .get(&h.peer)
                .is_some_and(|p| p.conn_id == self.conn_id)
            {
                peers.remove(&h.peer);
            }
        }
        for doc in self.docs.drain() {
            let cmd = DocCommand::PeerLeft {
                peer: h.peer.clone(),
                conn_id: self.conn_id,
            };
            self.state.documents.send_if_open(doc, cmd).await;
        }
    }
}

impl Reader {
    /// Presence from a signed-in user carries the verified identity, put
    /// there by the server (`__user`: id, name, sector, role), whatever the
    /// client claimed; other peers show that, so no one can appear as
    /// someone else. Every map payload is stamped (presence or not); a
    /// payload the server cannot read, and so cannot stamp, is refused.
    fn stamp(&self, mut e: EphemeralMessage, doc: &DocumentId) -> Result<EphemeralMessage, String> {
        let Identity::User(c) = &self.identity else {
            return Ok(e);
        };
        let mut entries = match decode_value(&e.data) {
            Ok(Value::Map(entries)) => entries,
            // A plain value names nobody.
            Ok(_) => return Ok(e),
            Err(err) => {
                return Err(format!(
                    "unreadable-ephemeral: an ephemeral payload the server cannot read is not relayed: {err}"
                ));
            }
        };
        let role = self
            .state
            .accounts
            .as_ref()
            .and_then(|a| a.group_of(doc).and_then(|g| a.role(&g, &c.user.id)))
            .map(|r| r.as_str())
            .unwrap_or(if c.user.admin { "admin" } else { "" });
        let stamp = Value::Map(vec![
            ("id".into(), Value::Text(c.user.id.clone())),
            ("name".into(), Value::Text(c.user.name.clone())),
            ("sector".into(), Value::Text(c.user.sector.as_str().into())),
            ("role".into(), Value::Text(role.into())),
        ]);
        entries.retain(|(k, _)| k != USER_KEY);
        entries.push((USER_KEY.into(), stamp));
        e.data = encode_value(&Value::Map(entries));
        Ok(e)
    }
}

/// The key of the server's identity stamp in a presence payload.
pub const USER_KEY: &str = "__user";

fn with_sender(message: Message, peer: &PeerId) -> Message {
    match message {
        Message::Sync(mut m) => {
            m.sender_id = peer.clone();
            Message::Sync(m)
        }
        Message::Request(mut m) => {
            m.sender_id = peer.clone();
            Message::Request(m)
        }
        // An ephemeral message keeps its original sender: JS clients relay
        // what they receive back into the mesh, and (senderId, sessionId,
        // count) is how the echo is recognised and dropped.
        other => other,
    }
}

async fn write_loop<S>(
    state: Arc<AppState>,
    mut sink: S,
    mut rx: mpsc::Receiver<Outbound>,
    closing: CancellationToken,
    alive: Arc<AtomicBool>,
) where
    S: Sink<Frame> + Unpin,
{
    let mut ping = tokio::time::interval(state.config.ping_interval);
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
                let code = if state.shutdown.is_cancelled() { CLOSE_GOING_AWAY } else { CLOSE_NORMAL };
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
