//! What follows from the session's effects (frames out, events, save states)
//! and the presence side of the client (sent, received, ticked).

use super::*;

impl Client {
    /// Sets one presence channel for a document.
    pub fn set_presence(
        &mut self,
        id: DocumentId,
        channel: &str,
        value: Value,
        now_ms: u64,
    ) -> Result<Output, ClientError> {
        self.now_ms = now_ms;
        let doc = self.docs.get_mut(&id).ok_or(ClientError::NotOpen(id))?;
        let msgs = doc.presence.set(channel, value, now_ms);
        let mut out = Output::default();
        self.send_presence(id, msgs, &mut out);
        Ok(out)
    }

    /// Call every ~50 ms: throttled presence, heartbeats, expiry.
    pub fn tick(&mut self, now_ms: u64) -> Output {
        self.now_ms = now_ms;
        let mut out = Output::default();
        let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
        for id in ids {
            let Some(doc) = self.docs.get_mut(&id) else {
                continue;
            };
            let (msgs, expired) = doc.presence.tick(now_ms);
            for peer in expired {
                out.events
                    .push(ClientEvent::PresenceChanged { doc: id, peer });
            }
            self.send_presence(id, msgs, &mut out);
        }
        self.dedup.prune(now_ms.saturating_sub(120_000));
        out
    }

    /// Sends the session's messages and reports what changed.
    pub(super) fn after(
        &mut self,
        id: DocumentId,
        fx: Effects,
        before: &[ChangeHash],
        out: &mut Output,
    ) {
        let online = self.is_online();
        let Some(doc) = self.docs.get_mut(&id) else {
            return;
        };
        if online {
            out.frames.extend(fx.messages.iter().map(encode));
        }
        // Remote changes to a document the UI already shows: as patches.
        // (A document that arrives whole is announced by `Ready`.)
        if !before.is_empty() {
            let after = doc.session.doc().get_heads();
            if after != before {
                let patches = doc.session.patches_since(before);
                if !patches.is_empty() {
                    out.events.push(ClientEvent::Changed { doc: id, patches });
                }
            }
        }
        self.update_save_state(id, out);
    }

    pub(super) fn update_save_state(&mut self, id: DocumentId, out: &mut Output) {
        let server = match &self.conn {
            Conn::Joined { server } => Some(server.clone()),
            _ => None,
        };
        let Some(doc) = self.docs.get_mut(&id) else {
            return;
        };
        let heads = doc.session.doc().get_heads();
        if let Some(server) = &server
            && doc.session.in_sync_with(server)
        {
            doc.acknowledged = heads.clone();
            if !doc.settled && !heads.is_empty() {
                doc.settled = true;
                out.events.push(ClientEvent::Ready(id));
            }
        }
        let state = if doc.acknowledged == heads {
            SaveState::Saved
        } else if server.is_some() {
            SaveState::Saving
        } else {
            SaveState::Offline
        };
        if state != doc.save {
            doc.save = state;
            out.events.push(ClientEvent::SaveState { doc: id, state });
        }
    }

    pub(super) fn send_presence(
        &mut self,
        id: DocumentId,
        msgs: Vec<PresenceMessage>,
        out: &mut Output,
    ) {
        let Conn::Joined { server } = &self.conn else {
            return;
        };
        for m in msgs {
            self.ephemeral_count += 1;
            out.frames
                .push(encode(&Message::Ephemeral(EphemeralMessage {
                    sender_id: self.peer_id.clone(),
                    target_id: server.clone(),
                    document_id: id,
                    session_id: self.session_id.clone(),
                    count: self.ephemeral_count,
                    data: m.encode(),
                })));
        }
    }

    pub(super) fn receive_ephemeral(&mut self, e: EphemeralMessage, now_ms: u64, out: &mut Output) {
        if e.sender_id == self.peer_id
            || !self
                .dedup
                .accept(&e.sender_id, &e.session_id, e.count, now_ms)
        {
            return;
        }
        let id = e.document_id;
        let Some(doc) = self.docs.get_mut(&id) else {
            return;
        };
        let Ok(Some(msg)) = PresenceMessage::decode(&e.data) else {
            return;
        };
        // The server's stamp of who is really behind this peer (accounts).
        let verified = codraft_protocol::presence::decode_value(&e.data)
            .ok()
            .and_then(|v| v.get(USER_STAMP).cloned());
        let (reply, mut changed) = doc.presence.receive(&e.sender_id, msg, now_ms);
        if let Some(v) = verified {
            changed |= doc.presence.verify(&e.sender_id, v);
        }
        if changed {
            out.events.push(ClientEvent::PresenceChanged {
                doc: id,
                peer: e.sender_id,
            });
        }
        self.send_presence(id, reply, out);
    }
}
