//! What a relaying session checks of a change before it takes it, besides
//! the graph's checks of history: that every object the change writes into
//! is an object, of the kind its keys need, and that every list element it
//! names belongs to the object it names it in. Automerge 0.12 panics
//! applying a change that breaks these (found by forging changes:
//! `tests/relay.rs`), so a relay that stores and forwards before applying
//! must refuse such a change on arrival, or one member's forged change
//! would break the document for everyone.
//!
//! The document may lag behind the graph: what the changes not yet applied
//! create (objects, list elements) is remembered here until it is.

use std::collections::HashMap;

use automerge::legacy::{ElementId, Key, ObjectId, OpId, OpType};
use automerge::{Automerge, Change, ObjType, ReadDoc};

/// An operation's id: counter and actor (hex).
type Id = (u64, automerge::ActorId);

/// Objects and list elements made by changes the document does not hold yet.
#[derive(Debug, Default)]
pub(super) struct Pending {
    objects: HashMap<Id, ObjType>,
    /// Inserted element → the list or text it was inserted into.
    elements: HashMap<Id, Id>,
}

impl Pending {
    /// The document holds them all now.
    pub fn clear(&mut self) {
        self.objects.clear();
        self.elements.clear();
    }
}

fn id(op: &OpId) -> Id {
    (op.counter(), op.actor().clone())
}

fn text(i: &Id) -> String {
    format!("{}@{}", i.0, i.1)
}

/// Whether `obj` is an object, and of what kind.
fn kind(doc: &Automerge, pending: &Pending, obj: &Id) -> Option<ObjType> {
    if let Some(k) = pending.objects.get(obj) {
        return Some(*k);
    }
    doc.import(&text(obj)).ok().map(|(_, k)| k)
}

/// Whether `elem` is an element of the list or text `obj`.
fn element_of(doc: &Automerge, pending: &Pending, elem: &Id, obj: &Id) -> bool {
    if let Some(o) = pending.elements.get(elem) {
        return o == obj;
    }
    let Ok((exid, _)) = doc.import(&text(obj)) else {
        return false;
    };
    let Ok(cursor) = automerge::Cursor::try_from(text(elem).as_str()) else {
        return false;
    };
    // Automerge asserts (in release builds too) that the element lies in
    // the object: a forged change would make it panic here.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        doc.get_cursor_position(&exid, &cursor, None).is_ok()
    }))
    .unwrap_or(false)
}

/// Remembers what `change` creates, without checking it (a change another
/// instance already checked and stored).
pub(super) fn record(pending: &mut Pending, change: &Change) {
    let decoded = change.decode();
    let actor = change.actor_id().clone();
    let start = change.start_op().get();
    for (i, op) in decoded.operations.iter().enumerate() {
        let this: Id = (start + i as u64, actor.clone());
        if let (true, ObjectId::Id(o)) = (op.insert, &op.obj) {
            pending.elements.insert(this.clone(), id(o));
        }
        if let OpType::Make(k) = &op.action {
            pending.objects.insert(this, *k);
        }
    }
}

/// Checks `change` against the (lagging) document and what is pending, and
/// remembers what it creates. Nothing is remembered if it is refused.
pub(super) fn vet(doc: &Automerge, pending: &mut Pending, change: &Change) -> Result<(), String> {
    let decoded = change.decode();
    let actor = change.actor_id().clone();
    let start = change.start_op().get();
    // What this change itself creates (a change may build a whole card).
    let mut objects: HashMap<Id, ObjType> = HashMap::new();
    let mut elements: HashMap<Id, Id> = HashMap::new();
    for (i, op) in decoded.operations.iter().enumerate() {
        let this: Id = (start + i as u64, actor.clone());
        let obj = match &op.obj {
            ObjectId::Root => None,
            ObjectId::Id(o) => Some(id(o)),
        };
        let obj_kind = match &obj {
            None => ObjType::Map,
            Some(o) => match objects.get(o).copied().or_else(|| kind(doc, pending, o)) {
                Some(k) => k,
                None => {
                    return Err(format!(
                        "operation {} writes into {} which is not an object",
                        text(&this),
                        text(o)
                    ));
                }
            },
        };
        let sequence = matches!(obj_kind, ObjType::List | ObjType::Text);
        match (&op.key, sequence) {
            (Key::Map(_), false) => {}
            (Key::Seq(ElementId::Head), true) => {}
            (Key::Seq(ElementId::Id(e)), true) => {
                let e = id(e);
                let o = obj.clone().expect("a sequence is not the root");
                let here = elements.get(&e) == Some(&o);
                if !here && !element_of(doc, pending, &e, &o) {
                    return Err(format!(
                        "operation {} names element {} which is not in {}",
                        text(&this),
                        text(&e),
                        text(&o)
                    ));
                }
            }
            _ => {
                return Err(format!(
                    "operation {} uses a key of the wrong kind for its object",
                    text(&this)
                ));
            }
        }
        if op.insert {
            if !sequence {
                return Err(format!("operation {} inserts into a map", text(&this)));
            }
            elements.insert(
                this.clone(),
                obj.clone().expect("a sequence is not the root"),
            );
        }
        if let OpType::Make(k) = &op.action {
            objects.insert(this, *k);
        }
    }
    pending.objects.extend(objects);
    pending.elements.extend(elements);
    Ok(())
}
