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
    /// Acknowledgements set aside since the last batch (`hub/aside.rs`)
    /// come first: each came before any queued message of its connection
    /// that this batch holds.
    pub(super) fn events_of(&mut self, session: &DocSession, batch: Vec<DocCommand>) -> Pending {
        let mut since: Option<Instant> = None;
        let mut events = vec![Event::Tick { now_ms: now_ms() }];
        let mut senders: HashMap<PeerId, PeerHandle> = HashMap::new();
        let mut handled = Vec::new();
        let aside = self.take_aside();
        let queued = aside.len();
        for (i, cmd) in aside.into_iter().chain(batch).enumerate() {
            match cmd {
                DocCommand::Message {
                    from,
                    message,
                    access,
                    may_create,
                    received,
                    lane,
                } => {
                    if i >= queued {
                        handled.push(lane.clone());
                    }
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
                        // From a connection the peer has since replaced (a
                        // reconnect; connection ids only grow): a message it
                        // still had on its way is not taken, and does not
                        // take the peer back from the newer connection. The
                        // client syncs afresh over the newer one, so nothing
                        // it carried is lost.
                        Some(h) if h.conn_id > from.conn_id => {
                            tracing::debug!(peer = %peer, "message from a replaced connection dropped");
                            continue;
                        }
                        Some(h) if h.conn_id != from.conn_id => {
                            // Same peer id on a new connection: start its sync afresh.
                            events.push(Event::PeerLeft(peer.clone()));
                            self.forget(&peer);
                            self.join(&peer, &from, lane);
                        }
                        Some(_) => {}
                        None => self.join(&peer, &from, lane),
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
                        self.forget(&peer);
                        events.push(Event::PeerLeft(peer));
                    }
                }
            }
        }
        Pending {
            events,
            senders,
            since,
            handled,
        }
    }

    /// The session's effects as a batch, with the audit rows of the changes
    /// it accepted: each recorded against the user behind the connection
    /// that delivered it. The lanes hear where the session now stands
    /// first, then that their messages are handled.
    pub(super) fn batch_of(
        &mut self,
        fx: Effects,
        mut pending: Pending,
        session: &DocSession,
        summaries: &Summaries,
    ) -> Batch {
        self.hub.metrics.sync_decodes.inc_by(fx.decoded as u64);
        let targets = fx.messages.iter().filter_map(Message::target_id);
        self.settle(session, pending.senders.keys().chain(targets));
        let time = now_ms() as i64;
        let mut audit = Audit::new();
        for a in &fx.accepted {
            let Some(user) = pending.senders.get(&a.peer).and_then(|h| h.user.as_ref()) else {
                continue;
            };
            audit.extend(a.changes.iter().map(|hash| AuditRow {
                change: hash.to_string(),
                user: user.clone(),
                time_ms: time,
                summary: summaries.get(hash).cloned().unwrap_or_default(),
            }));
        }
        let since = pending.since;
        let senders = std::mem::take(&mut pending.senders);
        pending.handled();
        Batch {
            fx,
            senders,
            audit,
            since,
            done: None,
        }
    }
}
