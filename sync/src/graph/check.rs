//! What the graph checks of a change before it takes it: its sequence
//! number follows its author's previous change in its own history, and
//! every operation it names (object, list element, predecessor) lies in
//! that history or in the change itself.

use automerge::Change;

use super::{ChangeGraph, GraphError, at};

impl ChangeGraph {
    pub(super) fn check(&self, change: &Change) -> Result<(), GraphError> {
        let hash = change.hash();
        let clock = self.clock_of(change.deps());
        let actor = self.actors.get(change.actor_id()).copied();
        let before = actor.map_or(0, |a| at(&clock, a));
        let last = actor.map_or(0, |a| self.ranges[a as usize].0.len() as u64);
        if change.seq() != before + 1 || last >= change.seq() {
            return Err(GraphError::OutOfSequence {
                hash,
                seq: change.seq(),
            });
        }
        // Every operation the change names lies in its own history (or in
        // the change itself).
        let start = change.start_op().get();
        let own = change.actor_id();
        let known = |id: &automerge::legacy::OpId| -> bool {
            let (counter, actor) = (id.counter(), id.actor());
            if actor == own && counter >= start {
                return counter < start + change.len() as u64;
            }
            let Some(&a) = self.actors.get(actor) else {
                return false;
            };
            let seq = at(&clock, a);
            let ranges = &self.ranges[a as usize].0[..seq as usize];
            // The change of that actor whose range holds the counter.
            let i = ranges.partition_point(|&(_, max)| max < counter);
            ranges.get(i).is_some_and(|&(s, _)| s <= counter)
        };
        let decoded = change.decode();
        let names_unknown = decoded.operations.iter().any(|op| {
            let obj = match &op.obj {
                automerge::legacy::ObjectId::Root => true,
                automerge::legacy::ObjectId::Id(id) => known(id),
            };
            let key = match &op.key {
                automerge::legacy::Key::Seq(automerge::legacy::ElementId::Id(id)) => known(id),
                _ => true,
            };
            !obj || !key || !op.pred.iter().all(&known)
        });
        if names_unknown {
            return Err(GraphError::UnknownOperation { hash });
        }
        Ok(())
    }
}
