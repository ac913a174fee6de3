//! Undo of one's own changes, at the level of Automerge operations.
//!
//! [`invert`] takes changes a person made (a group of keystrokes, a row
//! added, a choice set) and commits one new change that takes back exactly
//! what *those* operations did in today's document, leaving everything
//! others wrote since in place:
//! - a character or row the group inserted is deleted, by its element id
//!   (wherever concurrent edits have moved it), unless someone deleted it
//!   already;
//! - a character or row the group deleted is written again where it stood
//!   (just before the next element that was visible then), in the order
//!   the elements had; a row comes back with what it held;
//! - a map value the group set (a choice, a checkbox, a row's order key) is
//!   set back to what it was before the group, unless someone has set it
//!   since: then the later value stands.
//!
//! Elements inserted and deleted within the same group cancel out. Redo is
//! the inverse of the undo's change, so it is the same function.

use std::collections::HashSet;

use automerge::legacy::{ElementId, Key as OpKey, ObjectId, OpId, OpType};
use automerge::transaction::{Transactable, Transaction};
use automerge::{
    Automerge, AutomergeError, ChangeHash, Cursor, ObjId, ObjType, Prop, ROOT, ReadDoc, Value,
};

use super::{Commit, change_with};

/// A step on a sequence, planned against the committed document.
struct SeqStep<'a> {
    obj: ObjId,
    /// The visible index it applies at, before any step.
    at: usize,
    /// At one index, restores go before the take of the element there.
    order: u8,
    /// Restores at one index go in the order their elements stood.
    seq: usize,
    what: SeqWhat<'a>,
}

enum SeqWhat<'a> {
    /// Delete the element at `at` (one the group inserted).
    Take,
    /// Write back the element that stood at `was` in `before`.
    Restore {
        was: usize,
        before: &'a [ChangeHash],
    },
}
use SeqWhat::{Restore, Take};

/// One operation of the group, with its id.
struct Op {
    id: OpId,
    op: automerge::legacy::Op,
    /// The object it works on, in this document.
    obj: ObjId,
    /// The heads just before the change that made it.
    before: Vec<ChangeHash>,
}

/// Commits the inverse of `hashes` (changes present in `doc`, oldest
/// first) as one change; `None` when nothing is left to take back (others
/// have already undone or overwritten all of it). Changes not in `doc` are
/// skipped.
pub fn invert(
    doc: &mut Automerge,
    hashes: &[ChangeHash],
    commit: &Commit,
) -> Result<Option<ChangeHash>, AutomergeError> {
    let mut ops = Vec::new();
    for h in hashes {
        let Some(change) = doc.get_change_by_hash(h) else {
            continue;
        };
        let before = change.deps().to_vec();
        let expanded = change.decode();
        let start = expanded.start_op.get();
        for (i, op) in expanded.operations.into_iter().enumerate() {
            let obj = match &op.obj {
                ObjectId::Root => ROOT,
                ObjectId::Id(id) => doc.import(&id.to_string())?.0,
            };
            ops.push(Op {
                id: OpId(start + i as u64, expanded.actor_id.clone()),
                op,
                obj,
                before: before.clone(),
            });
        }
    }
    let ours: HashSet<OpId> = ops.iter().map(|o| o.id.clone()).collect();
    // Objects made by the group go away with the element or key holding
    // them; what was done inside them needs no undoing of its own.
    let made: HashSet<OpId> = ops
        .iter()
        .filter(|o| matches!(o.op.action, OpType::Make(_)))
        .map(|o| o.id.clone())
        .collect();
    let inside_made = |o: &Op| matches!(&o.op.obj, ObjectId::Id(id) if made.contains(id));
    let inserted: HashSet<OpId> = ops
        .iter()
        .filter(|o| o.op.insert)
        .map(|o| o.id.clone())
        .collect();

    let group_start = ops.first().map(|o| o.before.clone()).unwrap_or_default();
    let now = doc.get_heads();
    // Sequence steps are planned against the committed document (automerge
    // 0.12 resolves a deleted element's cursor inside an open transaction
    // differently on its fast and slow paths: a debug assertion), then
    // applied in place order with a running offset.
    let mut steps: Vec<SeqStep> = Vec::new();
    for o in ops.iter().filter(|o| o.op.insert && !inside_made(o)) {
        let c = cursor_of(&o.id)?;
        if let Some(at) = visible_at(doc, &o.obj, &c, &now)? {
            steps.push(SeqStep {
                obj: o.obj.clone(),
                at,
                order: 1,
                seq: 0,
                what: Take,
            });
        }
    }
    for o in &ops {
        let (OpType::Delete, OpKey::Seq(ElementId::Id(target))) = (&o.op.action, &o.op.key) else {
            continue;
        };
        if inserted.contains(target) || inside_made(o) {
            continue;
        }
        let c = cursor_of(target)?;
        let was = doc.get_cursor_position(&o.obj, &c, Some(&o.before))?;
        // Just before the next element visible now: restoring in the order
        // the elements stood keeps that order.
        let at = doc.get_cursor_position(&o.obj, &c, Some(&now))?;
        // Where it stood when the group began (an element a peer wrote
        // during the group did not exist then: its later place serves).
        let seq = doc
            .get_cursor_position(&o.obj, &c, Some(&group_start))
            .unwrap_or(was);
        steps.push(SeqStep {
            obj: o.obj.clone(),
            at,
            order: 0,
            seq,
            what: Restore {
                was,
                before: &o.before,
            },
        });
    }
    steps.sort_by(|a, b| {
        (a.obj.to_string(), a.at, a.order, a.seq).cmp(&(b.obj.to_string(), b.at, b.order, b.seq))
    });

    let before_heads = doc.get_heads();
    change_with(doc, commit, |tx| -> Result<(), AutomergeError> {
        let mut offset: isize = 0;
        let mut last_obj: Option<&ObjId> = None;
        for s in &steps {
            if last_obj != Some(&s.obj) {
                offset = 0;
                last_obj = Some(&s.obj);
            }
            let at = (s.at as isize + offset) as usize;
            let text = tx.object_type(&s.obj)? == ObjType::Text;
            match &s.what {
                Take => {
                    if text {
                        tx.splice_text(&s.obj, at, 1, "")?;
                    } else {
                        tx.delete(&s.obj, at)?;
                    }
                    offset -= 1;
                }
                Restore { was, before } => {
                    if text {
                        let old = tx.text_at(&s.obj, before)?;
                        let Some(ch) = old.chars().nth(*was) else {
                            continue;
                        };
                        tx.splice_text(&s.obj, at, 0, &ch.to_string())?;
                    } else {
                        let Some((v, id)) = owned(tx.get_at(&s.obj, *was, before)?) else {
                            continue;
                        };
                        copy_into(tx, &s.obj, Prop::Seq(at), true, v, &id, before)?;
                    }
                    offset += 1;
                }
            }
        }
        // 3. Set back map values the group set or deleted, when the value
        //    now is still the group's.
        let mut done = HashSet::new();
        for o in &ops {
            let OpKey::Map(key) = &o.op.key else { continue };
            if inside_made(o) || !done.insert((o.op.obj.clone(), key.to_string())) {
                continue;
            }
            if matches!(o.op.action, OpType::Increment(_)) {
                continue;
            }
            let obj = &o.obj;
            let now = tx.get(obj, key.as_str())?.map(|(_, id)| id);
            let still_ours = match &now {
                None => matches!(o.op.action, OpType::Delete),
                Some(id) => ours.iter().any(|i| i.to_string() == id.to_string()),
            };
            if !still_ours {
                continue;
            }
            // The value before the group's first operation on this key.
            match owned(tx.get_at(obj, key.as_str(), &o.before)?) {
                Some((v, id)) => copy_into(
                    tx,
                    obj,
                    Prop::Map(key.to_string()),
                    false,
                    v,
                    &id,
                    &o.before,
                )?,
                None => {
                    if now.is_some() {
                        tx.delete(obj, key.as_str())?;
                    }
                }
            }
        }
        Ok(())
    })?;
    let heads = doc.get_heads();
    Ok((heads != before_heads)
        .then(|| doc.get_last_local_change().map(|c| c.hash()))
        .flatten())
}

fn owned(v: Option<(Value<'_>, ObjId)>) -> Option<(Value<'static>, ObjId)> {
    v.map(|(v, id)| (v.into_owned(), id))
}

fn cursor_of(id: &OpId) -> Result<Cursor, AutomergeError> {
    Cursor::try_from(id.to_string().as_str()).map_err(|_| AutomergeError::InvalidOp(ObjType::Text))
}

/// The element's index if it is visible now.
fn visible_at(
    doc: &Automerge,
    obj: &ObjId,
    c: &Cursor,
    heads: &[ChangeHash],
) -> Result<Option<usize>, AutomergeError> {
    let at = doc.get_cursor_position(obj, c, Some(heads))?;
    if at >= doc.length_at(obj, heads) {
        return Ok(None);
    }
    let here = doc.get_cursor(obj, at, Some(heads))?;
    Ok((same_element(&here, c)).then_some(at))
}

fn same_element(a: &Cursor, b: &Cursor) -> bool {
    // A cursor prints as `ctr@actor` (`-` in front when it moves before).
    a.to_string().trim_start_matches('-') == b.to_string().trim_start_matches('-')
}

/// Writes `value` (with object id `id`, read at `heads`) at `prop` of
/// `obj`: a scalar as it is, an object copied as it stood at `heads`.
fn copy_into(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    prop: Prop,
    insert: bool,
    value: Value<'static>,
    id: &ObjId,
    heads: &[ChangeHash],
) -> Result<(), AutomergeError> {
    let made = match value {
        Value::Scalar(s) => {
            let s = s.into_owned();
            match (insert, prop) {
                (true, Prop::Seq(i)) => tx.insert(obj, i, s)?,
                (_, p) => tx.put(obj, p, s)?,
            }
            return Ok(());
        }
        Value::Object(t) => match (insert, prop) {
            (true, Prop::Seq(i)) => tx.insert_object(obj, i, t)?,
            (_, p) => tx.put_object(obj, p, t)?,
        },
    };
    match tx.object_type(&made)? {
        ObjType::Text => {
            let t = tx.text_at(id, heads)?;
            tx.splice_text(&made, 0, 0, &t)?;
        }
        ObjType::Map | ObjType::Table => {
            let keys: Vec<String> = tx.keys_at(id, heads).collect();
            for k in keys {
                if let Some((v, vid)) = owned(tx.get_at(id, k.as_str(), heads)?) {
                    copy_into(tx, &made, Prop::Map(k), false, v, &vid, heads)?;
                }
            }
        }
        ObjType::List => {
            for i in 0..tx.length_at(id, heads) {
                if let Some((v, vid)) = owned(tx.get_at(id, i, heads)?) {
                    copy_into(tx, &made, Prop::Seq(i), true, v, &vid, heads)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
