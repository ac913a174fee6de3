//! Duplicate suppression for `ephemeral` messages.

use std::collections::HashMap;

use codraft_protocol::{PeerId, SessionId};

/// Remembers the highest `count` seen per (senderId, sessionId) and drops
/// anything at or below it, as automerge-repo's network subsystem does.
#[derive(Debug, Default)]
pub struct EphemeralDedup {
    /// Highest count seen, and the tick at which it was last seen (for pruning).
    seen: HashMap<(PeerId, SessionId), (u64, u64)>,
}

impl EphemeralDedup {
    /// True if the message is new (and records it).
    pub fn accept(
        &mut self,
        sender: &PeerId,
        session: &SessionId,
        count: u64,
        now_ms: u64,
    ) -> bool {
        let key = (sender.clone(), session.clone());
        match self.seen.get_mut(&key) {
            Some((last, at)) if count <= *last => {
                *at = now_ms;
                false
            }
            Some(entry) => {
                *entry = (count, now_ms);
                true
            }
            None => {
                self.seen.insert(key, (count, now_ms));
                true
            }
        }
    }

    /// Forgets every session of this sender (it left).
    pub fn forget(&mut self, sender: &PeerId) {
        self.seen.retain(|(p, _), _| p != sender);
    }

    /// Forgets sessions not heard from since `before_ms`.
    pub fn prune(&mut self, before_ms: u64) {
        self.seen.retain(|_, (_, at)| *at >= before_ms);
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_repeats_and_old_counts_per_session() {
        let mut d = EphemeralDedup::default();
        let (p, s1, s2) = (
            PeerId::from("p"),
            SessionId::from("a"),
            SessionId::from("b"),
        );
        assert!(d.accept(&p, &s1, 1, 0));
        assert!(!d.accept(&p, &s1, 1, 0));
        assert!(d.accept(&p, &s1, 2, 0));
        assert!(!d.accept(&p, &s1, 1, 0));
        assert!(d.accept(&p, &s2, 1, 0), "another session counts on its own");
        d.prune(10);
        assert!(d.is_empty());
        assert!(d.accept(&p, &s1, 1, 20), "forgotten after pruning");
    }
}
