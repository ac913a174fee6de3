//! What a session does with an incoming message: sync data applied (or refused, for a peer without the right or over the limits), ephemeral messages relayed once.

use super::*;

impl DocSession {
    /// `guard`: the sender's access, for a peer whose changes are checked
    /// and reported; `None` for a trusted peer.
    pub(super) fn receive(
        &mut self,
        message: Message,
        guard: Option<Access>,
        fx: &mut Effects,
        to_sync: &mut BTreeSet<PeerId>,
    ) {
        match message {
            Message::Request(m) if self.mode == Mode::Server && !self.exists => {
                // We don't have it and won't ask anyone: say so, keep nothing.
                fx.messages.push(Message::DocUnavailable {
                    sender_id: self.local_peer.clone(),
                    target_id: m.sender_id,
                    document_id: self.document_id,
                });
            }
            Message::Request(m) | Message::Sync(m) => {
                let sender = m.sender_id.clone();
                fx.decoded += 1;
                match self.apply_sync(m, guard) {
                    Ok(changes) => {
                        if guard.is_some() && !changes.is_empty() {
                            fx.accepted.push(Accepted {
                                peer: sender.clone(),
                                changes,
                            });
                        }
                        to_sync.insert(sender);
                    }
                    Err(why) => {
                        self.peers.remove(&sender);
                        to_sync.remove(&sender);
                        fx.refused.push((sender, why.to_string()));
                    }
                }
            }
            Message::Ephemeral(e) => self.relay(e, fx),
            Message::DocUnavailable { sender_id, .. } => {
                if let Some(p) = self.peers.get_mut(&sender_id) {
                    p.heard_from = true;
                }
                fx.unavailable_from.push(sender_id);
            }
            other => {
                tracing::debug!(
                    message_type = other.type_name(),
                    "not a document message; ignored"
                );
            }
        }
    }

    /// Decodes and applies one sync message. With a `guard`, refuses it
    /// (nothing applied) if it carries changes the sender may not make or
    /// that break the limits, and returns the hashes of the changes it
    /// added; a trusted message returns none.
    pub(super) fn apply_sync(
        &mut self,
        m: DocMessage,
        guard: Option<Access>,
    ) -> Result<Vec<ChangeHash>, Refusal> {
        let msg = sync::Message::decode(&m.data)
            .map_err(|e| Refusal::Invalid(format!("invalid automerge sync message: {e}")))?;
        let incoming: usize = msg.changes.iter().map(<[u8]>::len).sum();
        if let (Some(access), false) = (guard, msg.changes.is_empty()) {
            if access == Access::ReadOnly {
                return Err(Refusal::ReadOnly(self.document_id.to_string()));
            }
            let limit = self.limits.max_change_bytes;
            if let Some(size) = msg.changes.iter().map(<[u8]>::len).find(|&n| n > limit) {
                return Err(Refusal::ChangeTooLarge { size, limit });
            }
            let size = self.size_bytes().saturating_add(incoming);
            let limit = self.limits.max_document_bytes;
            if size > limit {
                return Err(Refusal::DocumentFull { size, limit });
            }
        }
        let before = guard.is_some().then(|| self.doc.get_heads());
        let peer = self
            .peers
            .entry(m.sender_id.clone())
            .or_insert_with(|| PeerSync {
                state: sync::State::new(),
                heard_from: false,
            });
        peer.heard_from = true;
        crate::receive::receive_sync_message(
            &mut self.doc,
            &mut peer.state,
            msg,
            &mut automerge::PatchLog::inactive(),
        )
        .map_err(|e| Refusal::Invalid(format!("sync message could not be applied: {e}")))?;
        self.exists = true;
        let Some(before) = before else {
            return Ok(Vec::new());
        };
        if self.doc.get_heads() == before {
            return Ok(Vec::new());
        }
        self.unpersisted_bytes += incoming;
        // Metadata only: what this message added beyond the heads before it.
        Ok(self
            .doc
            .get_changes_meta(&before)
            .into_iter()
            .map(|c| c.hash)
            .collect())
    }

    pub(super) fn relay(&mut self, e: EphemeralMessage, fx: &mut Effects) {
        if !self
            .dedup
            .accept(&e.sender_id, &e.session_id, e.count, self.now_ms)
        {
            return;
        }
        for peer in self.peers.keys() {
            if *peer != e.sender_id {
                fx.messages.push(Message::Ephemeral(EphemeralMessage {
                    target_id: peer.clone(),
                    ..e.clone()
                }));
            }
        }
    }
}
