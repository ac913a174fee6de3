//! The actor's side of `hub/aside.rs`: it tells each connection's lane
//! whether its session is settled with that peer, so that the reader knows
//! which acknowledgements may wait for the next batch.

use automerge::ChangeHash;

use super::*;
use crate::hub::aside::Settled;
use crate::hub::peer::Lane;

impl DocActor {
    /// A peer the actor now serves, and its connection's lane.
    pub(super) fn join(&mut self, peer: &PeerId, from: &PeerHandle, lane: Arc<Lane>) {
        self.peers.insert(peer.clone(), from.clone());
        if let Some(old) = self.lanes.insert(peer.clone(), lane) {
            old.settle(None);
        }
    }

    /// A peer the actor no longer serves: its connection's acknowledgements
    /// go through the queue again.
    pub(super) fn forget(&mut self, peer: &PeerId) -> Option<PeerHandle> {
        if let Some(lane) = self.lanes.remove(peer) {
            lane.settle(None);
        }
        self.peers.remove(peer)
    }

    /// What the readers set aside since the last batch, oldest first.
    pub(super) fn take_aside(&self) -> Vec<DocCommand> {
        let taken = self.aside.take();
        self.hub.metrics.acks_waiting.dec_by(taken.len() as i64);
        taken
    }

    /// After the session handled a batch: tells the lanes that may have
    /// changed (every one when the heads moved, else the batch's senders
    /// and the peers it answered) whether their peer is settled.
    pub(super) fn settle<'a>(
        &mut self,
        session: &DocSession,
        touched: impl Iterator<Item = &'a PeerId>,
    ) {
        let heads = session.heads();
        let shared: Arc<[ChangeHash]> = heads.as_slice().into();
        let settled = |peer: &PeerId| {
            session.settled_with(peer, &heads).then(|| Settled {
                heads: shared.clone(),
                aside: self.aside.clone(),
            })
        };
        if heads != self.settled_at {
            for (peer, lane) in &self.lanes {
                lane.settle(settled(peer));
            }
            self.settled_at = heads.clone();
        } else {
            for peer in touched {
                if let Some(lane) = self.lanes.get(peer) {
                    lane.settle(settled(peer));
                }
            }
        }
    }
}

impl Drop for DocActor {
    /// Nothing is set aside for an actor that is gone: what was is
    /// dropped with its session, whose sync states it would have updated
    /// (their connections, if still open, were failed or closed with it).
    fn drop(&mut self) {
        for lane in self.lanes.values() {
            lane.settle(None);
        }
        self.take_aside();
    }
}
