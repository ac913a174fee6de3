//! automerge-repo 2.5 `Presence` for one document, sans-IO.
//!
//! Local state is a set of channels (e.g. `user`, `field`, `caret`), each a
//! [`Value`]. Changes go out as `update` messages, throttled per channel to
//! one every [`THROTTLE_MS`] (the latest value wins); a `heartbeat` goes out
//! when nothing was sent for [`HEARTBEAT_MS`]; peers not heard from for
//! [`PEER_TTL_MS`] are forgotten; a `goodbye` goes out on close. A peer
//! heard from for the first time gets our full `snapshot`, as the JS
//! implementation does, so newcomers learn who is already here.

use std::collections::{BTreeMap, HashMap};

use codraft_protocol::PeerId;
use codraft_protocol::presence::{PresenceMessage, Value};

pub const HEARTBEAT_MS: u64 = 15_000;
pub const PEER_TTL_MS: u64 = 45_000;
/// At most 20 updates a second per channel (carets move fast).
pub const THROTTLE_MS: u64 = 50;

/// What one peer has told us.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerPresence {
    pub state: BTreeMap<String, Value>,
    pub last_seen_ms: u64,
    /// Who the server says this peer is (`__user`), when it says.
    pub verified: Option<Value>,
}

#[derive(Debug, Default)]
pub struct Presence {
    local: BTreeMap<String, Value>,
    peers: HashMap<PeerId, PeerPresence>,
    /// When each channel last went out.
    sent_at: HashMap<String, u64>,
    /// Channels changed within their throttle window, to send at a tick.
    pending: BTreeMap<String, Value>,
    last_sent_ms: u64,
}

impl Presence {
    pub fn local(&self) -> &BTreeMap<String, Value> {
        &self.local
    }

    pub fn peers(&self) -> &HashMap<PeerId, PeerPresence> {
        &self.peers
    }

    /// Messages to send when we (re)join the document's peers.
    pub fn announce(&mut self, now_ms: u64) -> Vec<PresenceMessage> {
        self.last_sent_ms = now_ms;
        vec![self.snapshot()]
    }

    fn snapshot(&self) -> PresenceMessage {
        PresenceMessage::Snapshot {
            state: Value::Map(
                self.local
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
        }
    }

    /// Sets a channel; returns what to send now (nothing while throttled).
    pub fn set(&mut self, channel: &str, value: Value, now_ms: u64) -> Vec<PresenceMessage> {
        self.local.insert(channel.to_owned(), value.clone());
        let recent = self
            .sent_at
            .get(channel)
            .is_some_and(|&t| now_ms.saturating_sub(t) < THROTTLE_MS);
        if recent {
            self.pending.insert(channel.to_owned(), value);
            return vec![];
        }
        self.pending.remove(channel);
        self.sent_at.insert(channel.to_owned(), now_ms);
        self.last_sent_ms = now_ms;
        vec![PresenceMessage::Update {
            channel: channel.to_owned(),
            value,
        }]
    }

    /// Handles a peer's message. Returns what to send back (our snapshot,
    /// for a peer new to us) and whether the peers' states changed.
    pub fn receive(
        &mut self,
        from: &PeerId,
        msg: PresenceMessage,
        now_ms: u64,
    ) -> (Vec<PresenceMessage>, bool) {
        let is_new = !self.peers.contains_key(from);
        let reply = if is_new && !matches!(msg, PresenceMessage::Goodbye) {
            self.last_sent_ms = now_ms;
            vec![self.snapshot()]
        } else {
            vec![]
        };
        let changed = match msg {
            PresenceMessage::Goodbye => self.peers.remove(from).is_some(),
            PresenceMessage::Heartbeat => {
                self.entry(from, now_ms);
                is_new
            }
            PresenceMessage::Update { channel, value } => {
                self.entry(from, now_ms).state.insert(channel, value);
                true
            }
            PresenceMessage::Snapshot { state } => {
                let entry = self.entry(from, now_ms);
                entry.state = match state {
                    Value::Map(entries) => entries.into_iter().collect(),
                    _ => BTreeMap::new(),
                };
                true
            }
        };
        (reply, changed)
    }

    fn entry(&mut self, peer: &PeerId, now_ms: u64) -> &mut PeerPresence {
        let e = self
            .peers
            .entry(peer.clone())
            .or_insert_with(|| PeerPresence {
                state: BTreeMap::new(),
                last_seen_ms: now_ms,
                verified: None,
            });
        e.last_seen_ms = now_ms;
        e
    }

    /// Time passes: throttled updates, heartbeats, expiry. Returns what to
    /// send and the peers forgotten.
    /// Records the server's identity stamp for a peer already present;
    /// returns whether it changed.
    pub fn verify(&mut self, from: &PeerId, who: Value) -> bool {
        match self.peers.get_mut(from) {
            Some(p) if p.verified.as_ref() != Some(&who) => {
                p.verified = Some(who);
                true
            }
            _ => false,
        }
    }

    pub fn tick(&mut self, now_ms: u64) -> (Vec<PresenceMessage>, Vec<PeerId>) {
        let mut out = Vec::new();
        let due: Vec<String> = self
            .pending
            .keys()
            .filter(|c| {
                self.sent_at
                    .get(*c)
                    .is_none_or(|&t| now_ms.saturating_sub(t) >= THROTTLE_MS)
            })
            .cloned()
            .collect();
        for channel in due {
            if let Some(value) = self.pending.remove(&channel) {
                self.sent_at.insert(channel.clone(), now_ms);
                out.push(PresenceMessage::Update { channel, value });
            }
        }
        if !out.is_empty() {
            self.last_sent_ms = now_ms;
        } else if now_ms.saturating_sub(self.last_sent_ms) >= HEARTBEAT_MS {
            self.last_sent_ms = now_ms;
            out.push(PresenceMessage::Heartbeat);
        }
        let expired: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|(_, p)| now_ms.saturating_sub(p.last_seen_ms) >= PEER_TTL_MS)
            .map(|(k, _)| k.clone())
            .collect();
        for p in &expired {
            self.peers.remove(p);
        }
        (out, expired)
    }

    /// When the document closes.
    pub fn goodbye(&mut self) -> PresenceMessage {
        self.peers.clear();
        PresenceMessage::Goodbye
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn the_servers_identity_stamp_is_kept_per_peer() {
        let mut p = Presence::default();
        let peer = PeerId::from("b");
        let who = Value::Map(vec![("name".into(), text("Amina"))]);
        assert!(!p.verify(&peer, who.clone()), "no such peer yet");
        p.receive(
            &peer,
            PresenceMessage::Update {
                channel: "user".into(),
                value: text("forged"),
            },
            1000,
        );
        assert!(p.verify(&peer, who.clone()));
        assert!(!p.verify(&peer, who.clone()), "unchanged");
        assert_eq!(p.peers()[&peer].verified, Some(who));
    }

    #[test]
    fn updates_are_throttled_per_channel_latest_wins() {
        let mut p = Presence::default();
        assert_eq!(p.set("caret", Value::Int(1), 1000).len(), 1);
        assert!(p.set("caret", Value::Int(2), 1010).is_empty());
        assert!(p.set("caret", Value::Int(3), 1020).is_empty());
        assert_eq!(
            p.set("field", text("title"), 1020).len(),
            1,
            "other channels are not held back"
        );
        assert!(p.tick(1030).0.is_empty(), "still inside the window");
        let (out, _) = p.tick(1050);
        assert_eq!(
            out,
            vec![PresenceMessage::Update {
                channel: "caret".into(),
                value: Value::Int(3)
            }]
        );
    }

    #[test]
    fn new_peers_get_a_snapshot_and_expire_after_the_ttl() {
        let mut p = Presence::default();
        p.set("user", text("Amina"), 0);
        let b = PeerId::from("b");
        let (reply, changed) = p.receive(
            &b,
            PresenceMessage::Update {
                channel: "user".into(),
                value: text("Youssef"),
            },
            100,
        );
        assert!(changed);
        assert!(
            matches!(&reply[..], [PresenceMessage::Snapshot { state }] if state.get("user") == Some(&text("Amina")))
        );
        let (reply, _) = p.receive(&b, PresenceMessage::Heartbeat, 200);
        assert!(reply.is_empty(), "only the first message is answered");
        assert_eq!(p.peers()[&b].state["user"], text("Youssef"));
        let (_, gone) = p.tick(200 + PEER_TTL_MS - 1);
        assert!(gone.is_empty());
        let (_, gone) = p.tick(200 + PEER_TTL_MS);
        assert_eq!(gone, vec![b]);
    }

    #[test]
    fn heartbeat_when_quiet_and_goodbye_forgets() {
        let mut p = Presence::default();
        p.set("user", text("Amina"), 0);
        assert!(p.tick(HEARTBEAT_MS - 1).0.is_empty());
        assert_eq!(p.tick(HEARTBEAT_MS).0, vec![PresenceMessage::Heartbeat]);
        let b = PeerId::from("b");
        p.receive(&b, PresenceMessage::Heartbeat, 1);
        let (_, changed) = p.receive(&b, PresenceMessage::Goodbye, 2);
        assert!(changed && p.peers().is_empty());
    }
}
