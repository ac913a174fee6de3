//! The difference between two points of a card's history, per field and
//! language, word by word, each insertion and deletion with the change
//! (and so the person) that made it.
//!
//! Attribution is by operation: the changes between the two points are
//! decoded (their deletions say which characters they removed); each
//! character inserted since is traced to its change with
//! [`super::attribution::Attributor`]. Only the objects those changes
//! touched are read, so the cost follows the size of the difference, not
//! the length of the history.

use std::collections::{HashMap, HashSet};

use automerge::legacy::{Key as LegacyKey, ObjectId, OpType};
use automerge::{Automerge, Change, ChangeHash, ObjId, ObjType, ReadDoc, ValueRef};
use serde::Serialize;

use super::attribution::{Attributor, char_of};
use super::index::TextIndex;
use super::{OpKey, exid, field_name, key_of, key_of_legacy, lang_of, section_of};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiffError {
    #[error("the document has no change {0}")]
    UnknownHeads(String),
}

/// A piece of a field's difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Segment {
    Same { text: String },
    Inserted { text: String, by: Option<String> },
    Deleted { text: String, by: Option<String> },
}

/// How one field differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldDiff {
    /// `summary/fr`, `activities/1/title`, `start`.
    pub field: String,
    pub section: String,
    pub lang: Option<String>,
    pub segments: Vec<Segment>,
}

/// The difference between two points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Changes between the two points.
    pub changes: usize,
    pub fields: Vec<FieldDiff>,
}

/// The changes in the history of `to` that are not in the history of `from`.
pub fn changes_between(
    doc: &Automerge,
    from: &[ChangeHash],
    to: &[ChangeHash],
) -> Result<Vec<Change>, DiffError> {
    for h in from.iter().chain(to) {
        if doc.get_change_meta_by_hash(h).is_none() {
            return Err(DiffError::UnknownHeads(h.to_string()));
        }
    }
    let mut after_from: HashMap<ChangeHash, Change> = doc
        .get_changes(from)
        .into_iter()
        .map(|c| (c.hash(), c))
        .collect();
    let mut out = Vec::new();
    let mut stack = to.to_vec();
    while let Some(h) = stack.pop() {
        if let Some(c) = after_from.remove(&h) {
            stack.extend(c.deps().iter().copied());
            out.push(c);
        }
    }
    Ok(out)
}

/// What the changes between two points did, gathered from their operations.
#[derive(Default)]
struct Touched {
    /// Objects whose contents changed.
    objects: HashSet<OpKey>,
    /// Map keys set to a plain value, and by which change.
    keys: HashMap<(Option<OpKey>, String), ChangeHash>,
    /// Element → the change that deleted it.
    deleted_by: HashMap<OpKey, ChangeHash>,
}

fn touched(changes: &[Change]) -> Touched {
    let mut t = Touched::default();
    for c in changes {
        let hash = c.hash();
        for op in c.decode().operations {
            let obj = match &op.obj {
                ObjectId::Root => None,
                ObjectId::Id(id) => Some(key_of_legacy(id)),
            };
            if let Some(o) = &obj {
                t.objects.insert(o.clone());
            }
            if let OpType::Delete = op.action {
                for p in op.pred.iter() {
                    t.deleted_by.insert(key_of_legacy(p), hash);
                }
            }
            if let (LegacyKey::Map(k), OpType::Put(_)) = (&op.key, &op.action) {
                t.keys.insert((obj.clone(), k.to_string()), hash);
            }
        }
    }
    t
}

/// The difference from `from` to `to`; `who` names a change's author.
pub fn diff(
    doc: &Automerge,
    from: &[ChangeHash],
    to: &[ChangeHash],
    who: &dyn Fn(&ChangeHash) -> Option<String>,
) -> Result<Diff, DiffError> {
    diff_with(doc, None, from, to, who)
}

/// [`diff`], reading the texts as they were from `index` (up to date with
/// `doc`) when `to` is now: then no text is read as it was, and the cost
/// follows the difference, not the history.
pub fn diff_with(
    doc: &Automerge,
    index: Option<&TextIndex>,
    from: &[ChangeHash],
    to: &[ChangeHash],
    who: &dyn Fn(&ChangeHash) -> Option<String>,
) -> Result<Diff, DiffError> {
    let changes = changes_between(doc, from, to)?;
    let t = touched(&changes);
    let mut at = Attributor::new(doc);
    let mut fields = Vec::new();
    let now = same(&doc.get_heads(), to);
    let index = index.filter(|ix| now && same(ix.heads(), to));
    let set: HashSet<ChangeHash> = match index {
        Some(_) => changes.iter().map(|c| c.hash()).collect(),
        None => HashSet::new(),
    };
    for key in &t.objects {
        let Some(obj) = exid(doc, key) else { continue };
        match doc.object_type(&obj) {
            Ok(ObjType::Text) => {
                let indexed =
                    index.and_then(|ix| indexed_text_diff(doc, ix, &obj, key, from, to, &set, who));
                let f = match indexed {
                    Some(f) => f,
                    None => text_diff(doc, &obj, from, to, &t, &mut at, who),
                };
                fields.extend(f);
            }
            Ok(ObjType::List) => fields.extend(removed_rows(doc, &obj, from, to, &t, who)),
            _ => {}
        }
    }
    for ((obj, k), hash) in &t.keys {
        let obj = match obj {
            None => ObjId::Root,
            Some(o) => match exid(doc, o) {
                Some(o) => o,
                None => continue,
            },
        };
        if let Some(f) = value_diff(doc, &obj, k, from, to, who(hash)) {
            fields.push(f);
        }
    }
    fields.sort_by_key(|f| (section_rank(&f.section), f.field.clone()));
    Ok(Diff {
        changes: changes.len(),
        fields,
    })
}

fn same(a: &[ChangeHash], b: &[ChangeHash]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort();
    b.sort();
    a == b
}

/// A text's difference from the index: the present read once, the
/// characters the set deleted placed by the index's order.
/// `Some(None)`: no difference; `None`: the index cannot say.
#[allow(clippy::too_many_arguments)]
fn indexed_text_diff(
    doc: &Automerge,
    ix: &TextIndex,
    obj: &ObjId,
    key: &OpKey,
    from: &[ChangeHash],
    to: &[ChangeHash],
    set: &HashSet<ChangeHash>,
    who: &dyn Fn(&ChangeHash) -> Option<String>,
) -> Option<Option<FieldDiff>> {
    if !ix.has_text(key) {
        return None;
    }
    let present: Vec<OpKey> = doc
        .list_range(obj, ..)
        .filter_map(|i| key_of(&i.id()))
        .collect();
    let m = ix.merged(key, &present, set)?;
    let merged: Vec<Ch> = m
        .chars
        .into_iter()
        .map(|c| match (c.before, c.after) {
            (true, true) => Ch {
                text: c.ch,
                kind: 0,
                by: None,
            },
            (false, _) => Ch {
                text: c.ch,
                kind: 1,
                by: who(&c.inserted_by),
            },
            (true, false) => Ch {
                text: c.ch,
                kind: 2,
                by: c.deleted_by.as_ref().and_then(who),
            },
        })
        .collect();
    if merged.iter().all(|c| c.kind == 0) {
        return Some(None);
    }
    // `to` is now: the field's name from the document's present index.
    let _ = to;
    let name = field_name(doc, obj, None).or_else(|| field_name(doc, obj, Some(from)))?;
    Some(Some(field(name, words(&merged))))
}

/// Card order of a section (unknown ones last).
fn section_rank(section: &str) -> usize {
    crate::fields::CARD
        .iter()
        .position(|f| f.path.split('/').next() == Some(section))
        .unwrap_or(usize::MAX)
}

fn name_at(doc: &Automerge, obj: &ObjId, from: &[ChangeHash], to: &[ChangeHash]) -> Option<String> {
    field_name(doc, obj, Some(to)).or_else(|| field_name(doc, obj, Some(from)))
}

fn field(name: String, segments: Vec<Segment>) -> FieldDiff {
    FieldDiff {
        section: section_of(&name).to_owned(),
        lang: lang_of(&name).map(str::to_owned),
        field: name,
        segments,
    }
}

/// One character of the merged sequence.
struct Ch {
    text: String,
    kind: u8, // 0 same, 1 inserted, 2 deleted
    by: Option<String>,
}

fn text_diff(
    doc: &Automerge,
    obj: &ObjId,
    from: &[ChangeHash],
    to: &[ChangeHash],
    t: &Touched,
    at: &mut Attributor<'_>,
    who: &dyn Fn(&ChangeHash) -> Option<String>,
) -> Option<FieldDiff> {
    let name = name_at(doc, obj, from, to)?;
    let read = |heads: &[ChangeHash]| -> Vec<(ObjId, String)> {
        if heads.is_empty() {
            return Vec::new();
        }
        doc.list_range_at(obj, .., heads)
            .map(|i| (i.id(), char_of(&i.value)))
            .collect()
    };
    let (before, after) = (read(from), read(to));
    let keys = |v: &[(ObjId, String)]| -> HashSet<OpKey> {
        v.iter().filter_map(|(id, _)| key_of(id)).collect()
    };
    let (in_before, in_after) = (keys(&before), keys(&after));
    let mut merged: Vec<Ch> = Vec::with_capacity(before.len().max(after.len()));
    let (mut i, mut j) = (0, 0);
    while i < before.len() || j < after.len() {
        if i < before.len() && !key_of(&before[i].0).is_some_and(|k| in_after.contains(&k)) {
            let by = key_of(&before[i].0)
                .and_then(|k| t.deleted_by.get(&k))
                .and_then(who);
            merged.push(Ch {
                text: before[i].1.clone(),
                kind: 2,
                by,
            });
            i += 1;
        } else if j < after.len() && !key_of(&after[j].0).is_some_and(|k| in_before.contains(&k)) {
            let by = at.change_of(&after[j].0).and_then(|h| who(&h));
            merged.push(Ch {
                text: after[j].1.clone(),
                kind: 1,
                by,
            });
            j += 1;
        } else {
            merged.push(Ch {
                text: after[j].1.clone(),
                kind: 0,
                by: None,
            });
            i += 1;
            j += 1;
        }
    }
    if merged.iter().all(|c| c.kind == 0) {
        return None;
    }
    Some(field(name, words(&merged)))
}

fn is_word(s: &str) -> bool {
    s.chars().all(char::is_alphanumeric)
}

/// Groups the merged characters by word: a word with any change shows as
/// its old form struck through and its new form inserted.
fn words(merged: &[Ch]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut start = 0;
    while start < merged.len() {
        let mut end = start + 1;
        if is_word(&merged[start].text) {
            while end < merged.len() && is_word(&merged[end].text) {
                end += 1;
            }
        }
        let token = &merged[start..end];
        if token.iter().all(|c| c.kind == 0) {
            push(
                &mut out,
                Segment::Same {
                    text: cat(token, &[0]),
                },
            );
        } else {
            let old = cat(token, &[0, 2]);
            let new = cat(token, &[0, 1]);
            let by = |k: u8| {
                token
                    .iter()
                    .find(|c| c.kind == k)
                    .and_then(|c| c.by.clone())
            };
            if !old.is_empty() {
                push(
                    &mut out,
                    Segment::Deleted {
                        text: old,
                        by: by(2),
                    },
                );
            }
            if !new.is_empty() {
                push(
                    &mut out,
                    Segment::Inserted {
                        text: new,
                        by: by(1),
                    },
                );
            }
        }
        start = end;
    }
    out
}

fn cat(token: &[Ch], kinds: &[u8]) -> String {
    token
        .iter()
        .filter(|c| kinds.contains(&c.kind))
        .map(|c| c.text.as_str())
        .collect()
}

/// Appends, joining a segment to the previous one of the same kind and author.
fn push(out: &mut Vec<Segment>, s: Segment) {
    match (out.last_mut(), s) {
        (Some(Segment::Same { text }), Segment::Same { text: t }) => text.push_str(&t),
        (Some(Segment::Inserted { text, by }), Segment::Inserted { text: t, by: b })
            if *by == b =>
        {
            text.push_str(&t)
        }
        (Some(Segment::Deleted { text, by }), Segment::Deleted { text: t, by: b }) if *by == b => {
            text.push_str(&t)
        }
        (_, s) => out.push(s),
    }
}

/// Rows of a list that were there at `from` and are gone at `to`.
fn removed_rows(
    doc: &Automerge,
    list: &ObjId,
    from: &[ChangeHash],
    to: &[ChangeHash],
    t: &Touched,
    who: &dyn Fn(&ChangeHash) -> Option<String>,
) -> Vec<FieldDiff> {
    if from.is_empty() {
        return Vec::new();
    }
    let Some(list_name) = name_at(doc, list, from, to) else {
        return Vec::new();
    };
    let now: HashSet<OpKey> = doc
        .list_range_at(list, .., to)
        .filter_map(|i| key_of(&i.id()))
        .collect();
    let mut out = Vec::new();
    for item in doc.list_range_at(list, .., from) {
        let id = item.id();
        let Some(k) = key_of(&id) else { continue };
        if now.contains(&k) {
            continue;
        }
        let by = t.deleted_by.get(&k).and_then(who);
        let text = row_text(doc, &id, from);
        out.push(field(
            format!("{list_name}/{}", item.index),
            vec![Segment::Deleted { text, by }],
        ));
    }
    out
}

/// A row's texts at `heads`, joined.
fn row_text(doc: &Automerge, row: &ObjId, heads: &[ChangeHash]) -> String {
    let mut parts = Vec::new();
    for item in doc.map_range_at(row, .., heads) {
        if let ValueRef::Object(ObjType::Text) = item.value
            && let Ok(s) = doc.text_at(item.id(), heads)
            && !s.trim().is_empty()
        {
            parts.push(s);
        } else if let ValueRef::Object(ObjType::Map) = item.value {
            let inner = row_text(doc, &item.id(), heads);
            if !inner.is_empty() {
                parts.push(inner);
            }
        }
    }
    parts.join(" · ")
}

fn scalar_at(doc: &Automerge, obj: &ObjId, key: &str, heads: &[ChangeHash]) -> Option<String> {
    if heads.is_empty() {
        return None;
    }
    match doc.get_at(obj, key, heads).ok()?? {
        (automerge::Value::Scalar(s), _) => Some(match s.as_ref() {
            automerge::ScalarValue::Str(s) => s.to_string(),
            other => other.to_string(),
        }),
        _ => None,
    }
}

fn value_diff(
    doc: &Automerge,
    obj: &ObjId,
    key: &str,
    from: &[ChangeHash],
    to: &[ChangeHash],
    by: Option<String>,
) -> Option<FieldDiff> {
    let (old, new) = (scalar_at(doc, obj, key, from), scalar_at(doc, obj, key, to));
    if old == new {
        return None;
    }
    let parent = name_at(doc, obj, from, to)?;
    let name = if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}/{key}")
    };
    let mut segs = Vec::new();
    if let Some(o) = old.filter(|o| !o.is_empty()) {
        segs.push(Segment::Deleted {
            text: o,
            by: by.clone(),
        });
    }
    if let Some(n) = new.filter(|n| !n.is_empty()) {
        segs.push(Segment::Inserted { text: n, by });
    }
    Some(field(name, segs))
}

#[cfg(test)]
mod tests;
