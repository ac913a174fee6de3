//! Turning commands into the session's events, and its effects into a batch with
//! its audit rows.

use super::*;
use crate::directory::AuditRow;

impl DocActor {
    /// What other instances stored or relayed, as the session's events:
    /// their changes go to this instance's peers (not stored again), their
    /// ephemeral messages too. Also the stream position reached.
    pub(super) fn remote_events(batch: Vec<Remote>) -> (Vec<Event>, Option<String>) {
        let mut events = vec![Event::Tick { now_ms: now_ms() }];
        let mut last = None;
        for r in batch {
            match r {
                Remote::Changes { position, bytes } => {
                    if let Some(b) = bytes {
                        events.push(Event::Stored(b));
                    }
                    last = Some(position);
                }
                Remote::Ephemeral(bytes) => match codraft_protocol::decode(&bytes) {
                    Ok(m @ Message::Ephemeral(_)) => events.push(Event::Received(m)),
                    _ => tracing::debug!("undecodable ephemeral message from another instance"),
                },
            }
        }
        (events, last)
    }

    /// Turns a batch of commands into the session's events, each message
    /// with its sender's access (the session refuses what it may not do).
    pub(super) fn events_of(&mut self, session: &DocSession, batch: Vec<DocCommand>) -> Pending {
        let mut since: Option<Instant> = None;
        let mut events = vec![Event::Tick { now_ms: now_ms() }];
        let mut senders: HashMap<PeerId, PeerHandle> = HashMap::new();
        for cmd in batch {
            match cmd {
                DocCommand::Message {
                    from,
                    message,
                    access,
                    may_create,
                    received,
                } => {
                    let carries_sync = matches!(message, Message::Sync(_) | Message::Request(_));
                    if carries_sync {
                        since = Some(since.map_or(received, |s| s.min(received)));
                    }
                    let peer = from.peer.clone();
                    if !session.exists() && matches!(message, Message::Sync(_)) && !may_create {
                        from.send(&Message::DocUnavailable {
                            sender_id: self.hub.server_peer().clone(),
                            target_id: peer,
                            document_id: self.doc,
                        });
                        continue;
                    }
                    match self.peers.get(&peer) {
                        Some(h) if h.conn_id != from.conn_id => {
                            // Same peer id on a new connection: start its sync afresh.
                            events.push(Event::PeerLeft(peer.clone()));
                            self.peers.insert(peer.clone(), from.clone());
                        }
                        Some(_) => {}
                        None => {
                            self.peers.insert(peer.clone(), from.clone());
                        }
                    }
                    if matches!(message, Message::Ephemeral(_)) {
                        // For the document's peers on the other instances.
                        self.hub.store.publish_ephemeral(self.doc, &message);
                    }
                    senders.insert(peer, from);
                    events.push(Event::FromPeer { message, access });
                }
                // Taken out of the batch before (see `jobs::split`).
                DocCommand::Job(_) => {}
                DocCommand::PeerLeft { peer, conn_id } => {
                    if self.peers.get(&peer).is_some_and(|h| h.conn_id == conn_id) {
                        self.peers.remove(&peer);
                        events.push(Event::PeerLeft(peer));
                    }
                }
            }
        }
        Pending {
            events,
            senders,
            since,
        }
    }

    /// The session's effects as a batch, with the audit rows of the changes
    /// it accepted: each recorded against the user behind the connection
    /// that delivered it.
    pub(super) fn batch_of(
        &self,
        fx: Effects,
        senders: HashMap<PeerId, PeerHandle>,
        since: Option<Instant>,
        summaries: &Summaries,
    ) -> Batch {
        self.hub.metrics.sync_decodes.inc_by(fx.decoded as u64);
        let time = now_ms() as i64;
        let mut audit = Audit::new();
        for a in &fx.accepted {
            let Some(user) = senders.get(&a.peer).and_then(|h| h.user.as_ref()) else {
                continue;
            };
            audit.extend(a.changes.iter().map(|hash| AuditRow {
                change: hash.to_string(),
                user: user.clone(),
                time_ms: time,
                summary: summaries.get(hash).cloned().unwrap_or_default(),
            }));
        }
        Batch {
            fx,
            senders,
            audit,
            since,
            done: None,
        }
    }
}
