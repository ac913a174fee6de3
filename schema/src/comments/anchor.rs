//! Where a thread points in the card, and where that is now.
//!
//! A passage is held by two cursors the server makes (at its first
//! character and at the character after it), so it follows everyone's
//! edits; when all its characters are deleted both cursors meet and the
//! thread is orphaned (shown with its quote). A row is held by its object
//! id, so moving other rows does not lose it.

use automerge::transaction::Transactable;
use automerge::{Automerge, CursorPosition, ObjId, ObjType, ReadDoc, Value};
use serde::Serialize;

use super::{Anchor, AnchorKind, MAX_QUOTE};
use crate::edit::{self, Commit, Key, chars_to_utf16, utf16_to_chars};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnchorError {
    #[error("the card has no field {0}")]
    NoSuchField(String),
    #[error("{0} is not a text")]
    NotText(String),
    #[error("{0} is not a row of a table")]
    NotRow(String),
    #[error("the passage {0}..{1} is not inside the text")]
    OutOfRange(usize, usize),
    #[error("a passage is at least one character and at most {MAX_QUOTE}")]
    PassageSize,
    #[error("the passage was deleted")]
    Orphaned,
    #[error("the passage changed since the suggestion was made")]
    Stale,
}

/// Where a thread's anchor is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Placement {
    /// The field's name now (a row moved: its new index).
    pub field: String,
    /// The passage now, in UTF-16 units (text anchors).
    pub start: usize,
    pub end: usize,
    /// What the passage reads now.
    pub text: String,
    /// Its text, field or row is gone.
    pub orphaned: bool,
    /// It no longer reads as quoted.
    pub stale: bool,
}

use crate::edit::keys_of as keys;

/// The object of a field name; a language of a multilingual text names
/// its `text`.
fn object(doc: &Automerge, name: &str) -> Result<ObjId, AnchorError> {
    let path = keys(name);
    if path.is_empty() {
        return Err(AnchorError::NoSuchField(name.into()));
    }
    let obj = edit::resolve(doc, &path).map_err(|_| AnchorError::NoSuchField(name.into()))?;
    if doc.object_type(&obj) == Ok(ObjType::Map)
        && let Ok(Some((Value::Object(ObjType::Text), t))) = doc.get(&obj, "text")
    {
        return Ok(t);
    }
    Ok(obj)
}

/// A passage `start..end` (UTF-16 units, as a textarea counts) of the text
/// `field`.
pub fn text(doc: &Automerge, field: &str, start: usize, end: usize) -> Result<Anchor, AnchorError> {
    let obj = object(doc, field)?;
    if doc.object_type(&obj) != Ok(ObjType::Text) {
        return Err(AnchorError::NotText(field.into()));
    }
    let whole = doc.text(&obj).unwrap_or_default();
    let (Ok(from), Ok(to)) = (utf16_to_chars(&whole, start), utf16_to_chars(&whole, end)) else {
        return Err(AnchorError::OutOfRange(start, end));
    };
    if to <= from || to - from > MAX_QUOTE {
        return Err(AnchorError::PassageSize);
    }
    let at = |i: usize| {
        let pos = if i >= whole.chars().count() {
            CursorPosition::End
        } else {
            CursorPosition::Index(i)
        };
        doc.get_cursor(&obj, pos, None)
            .map(|c| format!("{obj}|{c}"))
            .map_err(|_| AnchorError::OutOfRange(start, end))
    };
    Ok(Anchor {
        kind: AnchorKind::Text,
        field: field.into(),
        start: at(from)?,
        end: at(to)?,
        row: String::new(),
        quote: whole.chars().skip(from).take(to - from).collect(),
    })
}

/// A whole field (any kind).
pub fn field(doc: &Automerge, field: &str) -> Result<Anchor, AnchorError> {
    let path = keys(field);
    let quote = match edit::read(doc, &path) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(m)) => match m.get("text") {
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => String::new(),
        },
        Ok(_) => String::new(),
        Err(_) => return Err(AnchorError::NoSuchField(field.into())),
    };
    Ok(Anchor {
        kind: AnchorKind::Field,
        field: field.into(),
        quote: quote.chars().take(200).collect(),
        ..Anchor::default()
    })
}

/// One row (`activities/2`) of a table.
pub fn row(doc: &Automerge, row: &str) -> Result<Anchor, AnchorError> {
    let path = keys(row);
    let (Some(Key::Seq(_)), true) = (path.last(), path.len() >= 2) else {
        return Err(AnchorError::NotRow(row.into()));
    };
    let obj = edit::resolve(doc, &path).map_err(|_| AnchorError::NoSuchField(row.into()))?;
    if doc.object_type(&obj) != Ok(ObjType::Map) {
        return Err(AnchorError::NotRow(row.into()));
    }
    let label = ["title", "label", "organisation"]
        .iter()
        .find_map(|k| match doc.get(&obj, *k) {
            Ok(Some((Value::Object(ObjType::Text), t))) => doc.text(&t).ok(),
            _ => None,
        })
        .unwrap_or_default();
    Ok(Anchor {
        kind: AnchorKind::Row,
        field: row.into(),
        row: obj.to_string(),
        quote: label.chars().take(200).collect(),
        ..Anchor::default()
    })
}

/// An object id the server wrote, if it is still part of the card, and
/// its field name now. Found by walking the card's live objects (a card
/// holds a few hundred): asking Automerge for the parents of a deleted
/// list element trips an assertion of its own in debug builds.
fn live(doc: &Automerge, id: &str) -> Option<(ObjId, String)> {
    let target = doc.import_obj(id).ok()?;
    let mut path = Vec::new();
    find(doc, &automerge::ROOT, &target, &mut path).then(|| {
        if path.last().is_some_and(|k| k == "text") && path.len() >= 2 {
            path.pop();
        }
        (target, path.join("/"))
    })
}

fn find(doc: &Automerge, obj: &ObjId, target: &ObjId, path: &mut Vec<String>) -> bool {
    let children: Vec<(String, ObjId)> = match doc.object_type(obj) {
        Ok(ObjType::Map) | Ok(ObjType::Table) => doc
            .map_range(obj, ..)
            .filter_map(|i| match i.value {
                automerge::ValueRef::Object(_) => Some((i.key.to_string(), i.id())),
                _ => None,
            })
            .collect(),
        Ok(ObjType::List) => doc
            .list_range(obj, ..)
            .filter_map(|i| match i.value {
                automerge::ValueRef::Object(_) => Some((i.index.to_string(), i.id())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        path.push(key);
        if child == *target || find(doc, &child, target, path) {
            return true;
        }
        path.pop();
    }
    false
}

fn gone(field: &str) -> Placement {
    Placement {
        field: field.into(),
        start: 0,
        end: 0,
        text: String::new(),
        orphaned: true,
        stale: true,
    }
}

/// Where `a` is in `doc` now.
pub fn place(doc: &Automerge, a: &Anchor) -> Placement {
    match a.kind {
        AnchorKind::Field => match field(doc, &a.field) {
            Ok(now) => Placement {
                field: a.field.clone(),
                start: 0,
                end: 0,
                stale: now.quote != a.quote,
                text: now.quote,
                orphaned: false,
            },
            Err(_) => gone(&a.field),
        },
        AnchorKind::Row => match live(doc, &a.row) {
            Some((_, name)) => {
                let now = row(doc, &name).map(|r| r.quote).unwrap_or_default();
                Placement {
                    field: name,
                    start: 0,
                    end: 0,
                    stale: now != a.quote,
                    text: now,
                    orphaned: false,
                }
            }
            None => gone(&a.field),
        },
        AnchorKind::Text => place_text(doc, a).unwrap_or_else(|| gone(&a.field)),
    }
}

fn place_text(doc: &Automerge, a: &Anchor) -> Option<Placement> {
    let (owner, start) = a.start.split_once('|')?;
    let (owner2, end) = a.end.split_once('|')?;
    if owner != owner2 {
        return None;
    }
    let (obj, name) = live(doc, owner)?;
    if doc.object_type(&obj) != Ok(ObjType::Text) {
        return None;
    }
    let whole = doc.text(&obj).ok()?;
    let pos = |c: &str| {
        let c = automerge::Cursor::try_from(c).ok()?;
        doc.get_cursor_position(&obj, &c, None).ok()
    };
    let (from, to) = (pos(start)?, pos(end)?);
    let to = to.max(from);
    let now: String = whole.chars().skip(from).take(to - from).collect();
    Some(Placement {
        field: name,
        start: chars_to_utf16(&whole, from),
        end: chars_to_utf16(&whole, to),
        orphaned: to == from,
        stale: now != a.quote,
        text: now,
    })
}

/// Replaces the anchored passage by `replacement`, if it still reads as
/// quoted.
pub fn apply(
    doc: &mut Automerge,
    a: &Anchor,
    replacement: &str,
    commit: &Commit,
) -> Result<(), AnchorError> {
    if a.kind != AnchorKind::Text {
        return Err(AnchorError::NotText(a.field.clone()));
    }
    // A passage rewritten or deleted no longer reads as quoted: stale
    // either way (the thread also shows it orphaned when nothing is left).
    let p = place(doc, a);
    if p.stale {
        return Err(AnchorError::Stale);
    }
    if p.orphaned {
        return Err(AnchorError::Orphaned);
    }
    let (owner, _) = a.start.split_once('|').ok_or(AnchorError::Orphaned)?;
    let (obj, _) = doc.import(owner).map_err(|_| AnchorError::Orphaned)?;
    let whole = doc.text(&obj).map_err(|_| AnchorError::Orphaned)?;
    let from = utf16_to_chars(&whole, p.start).map_err(|_| AnchorError::Orphaned)?;
    let to = utf16_to_chars(&whole, p.end).map_err(|_| AnchorError::Orphaned)?;
    edit::change_with(doc, commit, |tx| {
        tx.splice_text(&obj, from, (to - from) as isize, replacement)
            .map_err(|_| AnchorError::Orphaned)
    })
}
