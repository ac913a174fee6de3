//! What a session does with an incoming message: sync data applied (or
//! refused, for a peer without the right or over the limits), ephemeral
//! messages relayed once.

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
        // Automerge's receive takes a message of nothing but heads equal to
        // ours as "they know we have these" and marks our heads as sent.
        // That holds when each message is answered before the next is read;
        // a session answers once per batch, so a client's heads-only message
        // read in the batch that brought its change would leave it never
        // told that the server holds it (its page "saving" for good). What
        // we last said stays what we last said: the batch's answer says it.
        let heads_only = msg.changes.is_empty() && !msg.heads.is_empty();
        let said = heads_only.then(|| self.peer_entry(&m.sender_id).state.last_sent_heads.clone());
        let sender = m.sender_id.clone();
        let applied = self.apply_checked(m, msg, guard, incoming);
        if let (Ok(_), Some(said), Some(p)) = (&applied, said, self.peers.get_mut(&sender)) {
            p.state.last_sent_heads = said;
        }
        applied
    }

    /// [`DocSession::apply_sync`] once the message is decoded and allowed.
    fn apply_checked(
        &mut self,
        m: DocMessage,
        msg: sync::Message,
        guard: Option<Access>,
        incoming: usize,
    ) -> Result<Vec<ChangeHash>, Refusal> {
        if self.relay.is_some() {
            self.peer_entry(&m.sender_id).heard_from = true;
            let added = self.relay_receive(&m.sender_id, msg)?;
            self.exists = true;
            if guard.is_some() {
                self.unpersisted_bytes += incoming;
            }
            let report = guard.is_some() && self.report_accepted;
            return Ok(if report { added } else { Vec::new() });
        }
        // What this message adds, for the audit (only when the shell asked):
        // the hashes of its change chunks not yet in the document, read
        // from the chunks themselves (proportional to what arrived, not to
        // the history). A whole-document chunk names none: then the
        // document is asked afterwards what lies beyond the heads before.
        let report = guard.is_some() && self.report_accepted && !msg.changes.is_empty();
        let candidates = report.then(|| self.new_changes_in(&msg)).flatten();
        let before = (report && candidates.is_none()).then(|| self.doc.get_heads());
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
        if guard.is_some() {
            self.unpersisted_bytes += incoming;
        }
        Ok(match (candidates, before) {
            (Some(hashes), _) => hashes
                .into_iter()
                .filter(|h| self.doc.get_change_meta_by_hash(h).is_some())
                .collect(),
            (None, Some(before)) if self.doc.get_heads() != before => self
                .doc
                .get_changes_meta(&before)
                .into_iter()
                .map(|c| c.hash)
                .collect(),
            _ => Vec::new(),
        })
    }

    /// The hashes of the message's change chunks that the document does not
    /// hold yet; `None` if a chunk is not a change (a compressed document).
    fn new_changes_in(&self, msg: &sync::Message) -> Option<Vec<ChangeHash>> {
        let mut hashes = Vec::new();
        for chunk in msg.changes.iter() {
            let hash = automerge::Change::from_bytes(chunk.to_vec()).ok()?.hash();
            if self.doc.get_change_meta_by_hash(&hash).is_none() {
                hashes.push(hash);
            }
        }
        Some(hashes)
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
