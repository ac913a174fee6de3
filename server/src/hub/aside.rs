//! Acknowledgements set aside for the document's next batch.
//!
//! Most messages of a fan-out are a peer saying "I now have your heads":
//! each change delivered to fifty peers comes back as fifty of them. When
//! the session has settled with a peer (it last sent it exactly the
//! document's heads, and has answered it before), such a message with no
//! changes, asking for nothing, changes that peer's sync state and is
//! answered with nothing (`graph::sync::generate` returns early). Waking
//! the document's actor for each is most of what a fan-out costs. So the
//! connection's reader leaves it in the actor's [`Aside`] instead, and the
//! actor takes what is there at the start of its next batch, before the
//! batch's own messages: the same messages, handled as if they had arrived
//! a little later.
//!
//! Order per connection holds. A reader sets a message aside only when
//! every earlier message of its connection for the document has been
//! handled ([`Lane`]'s count of queued ones is zero). The actor takes the
//! set-aside ones after it took its batch from the queue, so one set aside
//! before a queued one is in the same batch or an earlier one, and first.
//!
//! Generic over what is set aside, so that this module is a leaf: the hub
//! sets aside its `DocCommand`s.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use automerge::ChangeHash;

/// Most messages one document holds aside; beyond, they go through its
/// queue (and its backpressure) like any other.
pub const MAX_ASIDE: usize = 1024;

/// What one document's actor has not taken yet.
#[derive(Debug)]
pub struct Aside<T>(Mutex<Vec<T>>);

impl<T> Default for Aside<T> {
    fn default() -> Self {
        Aside(Mutex::new(Vec::new()))
    }
}

impl<T> Aside<T> {
    /// Everything set aside so far, oldest first.
    pub fn take(&self) -> Vec<T> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }

    fn push(&self, item: T) -> Result<(), T> {
        let mut held = self.0.lock().unwrap();
        if held.len() >= MAX_ASIDE {
            return Err(item);
        }
        held.push(item);
        Ok(())
    }
}

/// One connection's way into one document, shared by its reader and the
/// document's actor.
#[derive(Debug)]
pub struct Lane<T> {
    /// Messages sent through the actor's queue and not yet handled.
    queued: AtomicUsize,
    /// Set by the actor while its session is settled with this peer.
    settled: Mutex<Option<Settled<T>>>,
}

/// The heads the peer was last sent (the document's, sorted), and where its
/// acknowledgement of them may wait.
#[derive(Debug)]
pub struct Settled<T> {
    pub heads: Arc<[ChangeHash]>,
    pub aside: Arc<Aside<T>>,
}

impl<T> Default for Lane<T> {
    fn default() -> Self {
        Lane {
            queued: AtomicUsize::new(0),
            settled: Mutex::new(None),
        }
    }
}

impl<T> Lane<T> {
    /// The reader, before it sends a message through the actor's queue.
    pub fn queue(&self) {
        self.queued.fetch_add(1, Ordering::AcqRel);
    }

    /// The actor, once a queued message is handled (after [`Lane::settle`]).
    pub fn handled(&self) {
        self.queued.fetch_sub(1, Ordering::AcqRel);
    }

    /// The actor: whether, and at which heads, its session is settled with
    /// this peer (`None`: every message goes through the queue).
    pub fn settle(&self, settled: Option<Settled<T>>) {
        *self.settled.lock().unwrap() = settled;
    }

    /// The reader: sets `item` aside if it is an acknowledgement (`data_of`
    /// gives its sync message's data) of exactly the settled heads with
    /// nothing queued before it; gives it back otherwise.
    pub fn set_aside(&self, item: T, data_of: impl Fn(&T) -> Option<&[u8]>) -> Result<(), T> {
        if self.queued.load(Ordering::Acquire) != 0 {
            return Err(item);
        }
        let Some(data) = data_of(&item) else {
            return Err(item);
        };
        // Pushed under the lane's lock: once the actor has unsettled a
        // lane, nothing more arrives through it.
        let settled = self.settled.lock().unwrap();
        let Some(s) = settled.as_ref() else {
            return Err(item);
        };
        if !codraft_sync::acknowledges(data, &s.heads) {
            return Err(item);
        }
        s.aside.push(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::sync::SyncDoc;
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ROOT};

    /// A document, and a peer's acknowledgement of its heads (the peer has
    /// everything).
    fn synced() -> (Automerge, Vec<u8>) {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put(ROOT, "title", "ⵜⴰⴼⵔⴰⵔⵜ").unwrap();
        tx.commit();
        let mut peer = doc.fork();
        let (mut ours, mut theirs) = (automerge::sync::State::new(), automerge::sync::State::new());
        // Sync until quiet, keeping the peer's last message.
        let mut last = None;
        for _ in 0..10 {
            let a = doc.generate_sync_message(&mut ours);
            if let Some(m) = a.clone() {
                peer.receive_sync_message(&mut theirs, m).unwrap();
            }
            let b = peer.generate_sync_message(&mut theirs);
            if let Some(m) = b.clone() {
                last = Some(m.clone().encode());
                doc.receive_sync_message(&mut ours, m).unwrap();
            }
            if a.is_none() && b.is_none() {
                break;
            }
        }
        (doc, last.expect("the peer spoke"))
    }

    type Item = (u32, Vec<u8>);

    /// Sets `n` aside, an acknowledgement with these bytes: `n` back if not.
    fn put(lane: &Lane<Item>, data: &[u8], n: u32) -> Result<(), u32> {
        lane.set_aside((n, data.to_vec()), |i| Some(&i.1))
            .map_err(|i| i.0)
    }

    fn numbers(aside: &Aside<Item>) -> Vec<u32> {
        aside.take().into_iter().map(|i| i.0).collect()
    }

    fn settled(lane: &Lane<Item>, heads: Vec<ChangeHash>) -> Arc<Aside<Item>> {
        let aside = Arc::new(Aside::default());
        lane.settle(Some(Settled {
            heads: heads.into(),
            aside: aside.clone(),
        }));
        aside
    }

    #[test]
    fn an_acknowledgement_of_the_settled_heads_is_set_aside_in_order() {
        let (doc, ack) = synced();
        let lane = Lane::default();
        assert_eq!(put(&lane, &ack, 1), Err(1), "not settled: queued");
        let aside = settled(&lane, doc.get_heads());
        assert_eq!(put(&lane, &ack, 1), Ok(()));
        assert_eq!(put(&lane, &ack, 2), Ok(()));
        assert_eq!(numbers(&aside), vec![1, 2]);
        assert!(aside.take().is_empty());
    }

    #[test]
    fn nothing_is_set_aside_behind_a_queued_message() {
        let (doc, ack) = synced();
        let lane = Lane::default();
        let aside = settled(&lane, doc.get_heads());
        lane.queue();
        assert_eq!(put(&lane, &ack, 1), Err(1));
        lane.handled();
        assert_eq!(put(&lane, &ack, 2), Ok(()));
        assert_eq!(numbers(&aside), vec![2]);
    }

    #[test]
    fn other_heads_changes_needs_and_garbage_go_through_the_queue() {
        let (mut doc, ack) = synced();
        let lane = Lane::default();
        let before = doc.get_heads();
        let mut tx = doc.transaction();
        tx.put(ROOT, "title", "Transparence").unwrap();
        tx.commit();
        // Settled at the new heads: the old acknowledgement is not of them.
        settled(&lane, doc.get_heads());
        assert_eq!(put(&lane, &ack, 1), Err(1));
        settled(&lane, before.clone());
        assert_eq!(put(&lane, &[0x42, 0x00], 2), Err(2), "garbage");
        // A message that carries a change.
        let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
        let mut m = automerge::sync::Message::decode(&ack).unwrap();
        m.changes = vec![change].into();
        assert_eq!(put(&lane, &m.clone().encode(), 3), Err(3));
        // A message that needs something.
        let mut m = automerge::sync::Message::decode(&ack).unwrap();
        m.need = doc.get_heads();
        assert_eq!(put(&lane, &m.encode(), 4), Err(4));
        lane.settle(None);
        assert_eq!(put(&lane, &ack, 5), Err(5), "unsettled");
    }

    #[test]
    fn a_full_aside_sends_the_rest_through_the_queue() {
        let (doc, ack) = synced();
        let lane = Lane::default();
        let aside = settled(&lane, doc.get_heads());
        for i in 0..MAX_ASIDE as u32 {
            assert_eq!(put(&lane, &ack, i), Ok(()));
        }
        assert_eq!(put(&lane, &ack, 7), Err(7));
        assert_eq!(aside.take().len(), MAX_ASIDE);
    }
}
