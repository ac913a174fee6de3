//! # Reviewing edits: what changed, who wrote it, going back
//!
//! Everything here reads the document's own history; who a change is by
//! comes from the caller (the server's audit log of which verified user
//! delivered which change), never from the Automerge actor id a client
//! chooses: functions take a `who: Fn(&ChangeHash) -> Option<A>`.
//!
//! - [`summary`]: one change in a line: the fields it touched, characters
//!   added and removed (computed when a change is accepted, kept with its
//!   audit row, so a history page reads no document).
//! - [`diff`]: the difference between two points of the history, per field
//!   and language, word by word, each insertion and deletion with the
//!   change that made it. Its cost follows the difference: only the
//!   changes between the two points are decoded, and only the fields they
//!   touched are read.
//! - [`attribution`]: who wrote each character of the text as it is now
//!   (character → the change that inserted it → its author), and the
//!   share of each sector per section.
//! - [`restore`]: a field, a row or the whole card back to how it was, as a
//!   new change (nothing is erased).

use automerge::{ActorId, Automerge, ChangeHash, ObjId, Prop, ReadDoc};

pub mod attribution;
pub mod diff;
pub mod index;
pub mod restore;
pub mod summary;

/// An operation's identity, comparable between the decoded changes
/// (`counter@actor`) and the document's ids.
pub(crate) type OpKey = (u64, ActorId);

pub(crate) fn key_of(id: &ObjId) -> Option<OpKey> {
    match id {
        ObjId::Root => None,
        ObjId::Id(counter, actor, _) => Some((*counter, actor.clone())),
    }
}

pub(crate) fn key_of_legacy(id: &automerge::legacy::OpId) -> OpKey {
    (id.counter(), id.actor().clone())
}

/// The document's id for an operation of a decoded change.
pub(crate) fn exid(doc: &Automerge, key: &OpKey) -> Option<ObjId> {
    doc.import_obj(&format!("{}@{}", key.0, key.1)).ok()
}

/// The path of an object as `a/b/0/c`, with a text's trailing `text` key
/// dropped (`summary/fr/text` → `summary/fr`): the name of a field.
/// `None` if the object is not reachable (deleted).
pub fn field_name(doc: &Automerge, obj: &ObjId, heads: Option<&[ChangeHash]>) -> Option<String> {
    if *obj == ObjId::Root {
        return Some(String::new());
    }
    let parents = match heads {
        Some(h) => doc.parents_at(obj, h).ok()?,
        None => doc.parents(obj).ok()?,
    };
    let mut path: Vec<String> = parents
        .visible_path()?
        .into_iter()
        .map(|(_, p)| match p {
            Prop::Map(k) => k,
            Prop::Seq(i) => i.to_string(),
        })
        .collect();
    if path.last().is_some_and(|k| k == "text") && path.len() >= 2 {
        path.pop();
    }
    Some(path.join("/"))
}

/// The section of a field name (its first key).
pub fn section_of(field: &str) -> &str {
    field.split('/').next().unwrap_or(field)
}

/// The language of a field name, if it is one language of a text.
pub fn lang_of(field: &str) -> Option<&str> {
    field.split('/').find(|k| matches!(*k, "ar" | "fr" | "zgh"))
}

#[cfg(test)]
pub(crate) mod testing;
