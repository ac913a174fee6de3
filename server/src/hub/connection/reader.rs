//! A connection's reader: frames in, the handshake, and each document
//! message routed to its document's actor with the sender's access.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use axum::extract::ws::Message as Frame;
use codraft_protocol::presence::{USER_KEY, Value, decode_value, encode_value};
use codraft_protocol::{DocumentId, EphemeralMessage, Message, PeerId, decode};
use futures_util::{Stream, StreamExt};

use crate::auth::{Access, Identity};
use crate::hub::peer::{
    CLOSE_POLICY, CLOSE_PROTOCOL, CLOSE_TOO_BIG, Closer, DocCommand, Lane, PeerConnection,
    PeerHandle,
};
use crate::hub::shared::Hub;

pub(super) struct Reader {
    hub: Arc<Hub>,
    identity: Identity,
    conn_id: u64,
    closer: Closer,
    /// Set by any inbound frame; the writer's keepalive checks and clears it.
    alive: Arc<AtomicBool>,
    /// Set by `join`.
    handle: Option<PeerHandle>,
    /// Documents this connection sent messages for (to tell them when it
    /// ends), and its way into each.
    lanes: HashMap<DocumentId, Arc<Lane>>,
}

impl Reader {
    pub(super) fn new(
        hub: Arc<Hub>,
        identity: Identity,
        conn_id: u64,
        closer: Closer,
        alive: Arc<AtomicBool>,
    ) -> Self {
        Reader {
            hub,
            identity,
            conn_id,
            closer,
            alive,
            handle: None,
            lanes: HashMap::new(),
        }
    }

    pub(super) async fn run<R, E>(&mut self, mut stream: R)
    where
        R: Stream<Item = Result<Frame, E>> + Unpin,
        E: Display,
    {
        let deadline = tokio::time::sleep(self.hub.settings.handshake_timeout);
        tokio::pin!(deadline);
        loop {
            let frame = tokio::select! {
                f = stream.next() => f,
                _ = self.closer.closing.cancelled() => return,
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
                    let why = "text frames are not part of the protocol: send binary CBOR";
                    self.refuse(why, CLOSE_PROTOCOL).await;
                    return;
                }
                Some(Ok(Frame::Close(_))) => return,
                Some(Ok(_)) => continue, // ping / pong
            };
            self.hub.metrics.messages_in.inc();
            self.hub.metrics.bytes_in.inc_by(bytes.len() as u64);
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
            return self.join(&message).await;
        };
        // The connection, not the message, says who is syncing.
        let message = with_sender(message, &handle.peer);
        match message {
            Message::Join { .. } => {
                // A repeated join on the same socket: answer again.
                handle.send(&self.hub.handshake.reply_to(&handle.peer));
                true
            }
            Message::Sync(_) | Message::Request(_) => {
                self.hub.metrics.sync_messages_in.inc();
                self.document_message(handle, message).await
            }
            Message::Ephemeral(_) => self.document_message(handle, message).await,
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

    /// `sync`, `request` and `ephemeral`: to the document's actor, with what
    /// the sender may do (its session decides what may be applied).
    async fn document_message(&mut self, handle: PeerHandle, message: Message) -> bool {
        let doc = message.document_id().expect("document message");
        let access = match self.hub.authorizer.access(&self.identity, &doc) {
            Access::None => {
                handle.send(&Message::DocUnavailable {
                    sender_id: self.hub.server_peer().clone(),
                    target_id: handle.peer.clone(),
                    document_id: doc,
                });
                return true;
            }
            Access::ReadOnly => codraft_sync::Access::ReadOnly,
            Access::ReadWrite => codraft_sync::Access::ReadWrite,
        };
        let message = match message {
            // Presence speaks only for the connection's own peer: another
            // sender id is a client relaying what it heard (the server
            // already sent it to everyone) or a forgery.
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
        let may_create = self.hub.authorizer.may_create(&self.identity, &doc);
        let lane = self.lanes.entry(doc).or_default().clone();
        let cmd = DocCommand::Message {
            from: handle,
            message,
            access,
            may_create,
            received: Instant::now(),
            lane: lane.clone(),
        };
        // An acknowledgement that needs no answer waits for the document's
        // next batch instead of waking its actor (`hub/aside.rs`).
        let Err(cmd) = lane.set_aside(cmd, DocCommand::sync_data) else {
            self.hub.metrics.acks_set_aside.inc();
            self.hub.metrics.acks_waiting.inc();
            return true;
        };
        lane.queue();
        crate::hub::actor::deliver(&self.hub, doc, cmd).await;
        true
    }

    /// The first message: `join`, answered with `peer`.
    async fn join(&mut self, first: &Message) -> bool {
        let joined = match self.hub.handshake.receive(first) {
            Ok(j) => j,
            Err(e) => {
                self.refuse(&e.to_string(), CLOSE_PROTOCOL).await;
                return false;
            }
        };
        let peer = joined.peer;
        tracing::Span::current().record("peer", tracing::field::display(&peer));
        let handle = PeerHandle::new(PeerConnection {
            conn_id: self.conn_id,
            peer: peer.clone(),
            user: match &self.identity {
                Identity::User(c) => Some(c.user.id.clone()),
                Identity::Anonymous { .. } => None,
            },
            closer: self.closer.clone(),
            metrics: self.hub.metrics.clone(),
        });
        let replaced = {
            let mut peers = self.hub.peers.lock().unwrap();
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
        handle.send(&joined.reply);
        self.handle = Some(handle);
        true
    }

    /// Sends `error` and closes.
    async fn refuse(&self, why: &str, code: u16) {
        self.hub.metrics.protocol_errors.inc();
        tracing::info!(%why, "closing connection");
        let target = self.handle.as_ref().map(|h| &h.peer);
        self.closer.fail_waiting(target, why, code).await;
    }

    /// Tells the documents this peer used that it is gone.
    pub(super) async fn leave(&mut self) {
        let Some(h) = self.handle.take() else { return };
        {
            let mut peers = self.hub.peers.lock().unwrap();
            if peers
                .get(&h.peer)
                .is_some_and(|p| p.conn_id == self.conn_id)
            {
                peers.remove(&h.peer);
            }
        }
        for (doc, _) in self.lanes.drain() {
            let cmd = DocCommand::PeerLeft {
                peer: h.peer.clone(),
                conn_id: self.conn_id,
            };
            self.hub.documents.send_if_open(doc, cmd).await;
        }
    }

    /// Presence from a signed-in user carries the verified identity, put
    /// there by the server (`__user`: id, name, sector, role), whatever the
    /// client claimed; other peers show that, so no one can appear as
    /// someone else. Every map payload is stamped (presence or not); a
    /// payload the server cannot read, and so cannot stamp, is refused.
    fn stamp(&self, mut e: EphemeralMessage, doc: &DocumentId) -> Result<EphemeralMessage, String> {
        let Some(stamp) = self.hub.authorizer.stamp(&self.identity, doc) else {
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
        let stamp = Value::Map(vec![
            ("id".into(), Value::Text(stamp.id)),
            ("name".into(), Value::Text(stamp.name)),
            ("sector".into(), Value::Text(stamp.sector)),
            ("role".into(), Value::Text(stamp.role)),
        ]);
        entries.retain(|(k, _)| k != USER_KEY);
        entries.push((USER_KEY.into(), stamp));
        e.data = encode_value(&Value::Map(entries));
        Ok(e)
    }
}

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
        // An ephemeral message keeps its original sender, which must be
        // this connection's own peer (checked where it is routed).
        other => other,
    }
}
