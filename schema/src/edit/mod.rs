//! Editing a document by JSON paths, as the web app sees it.
//!
//! Paths are lists of map keys and list indexes. Strings put through this
//! module become Automerge text objects (collaborative, like automerge 3 JS
//! does by default); reading a text gives a string back. Text positions are
//! counted in UTF-16 code units, as JavaScript strings and a textarea's
//! selection count them, and converted at this boundary to the Unicode code
//! points Automerge counts.

use automerge::transaction::Transactable;
use automerge::{
    Automerge, AutomergeError, ObjId, ObjType, Patch, PatchAction, Prop, ROOT, ReadDoc,
    ScalarValue, Value,
};
use serde_json::{Map, Number, Value as Json, json};

mod text;
pub mod undo;
pub use text::*;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Map(String),
    Seq(usize),
}

impl Key {
    /// A JSON path element: a string is a map key, a number a list index.
    pub fn from_json(v: &Json) -> Result<Self, EditError> {
        match v {
            Json::String(s) => Ok(Key::Map(s.clone())),
            Json::Number(n) => n
                .as_u64()
                .map(|i| Key::Seq(i as usize))
                .ok_or(EditError::BadPath),
            _ => Err(EditError::BadPath),
        }
    }

    fn prop(&self) -> Prop {
        match self {
            Key::Map(k) => Prop::Map(k.clone()),
            Key::Seq(i) => Prop::Seq(*i),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum EditError {
    #[error("a path is a list of strings (map keys) and whole numbers (list indexes)")]
    BadPath,
    #[error("nothing at {0}")]
    NotFound(String),
    #[error("{0} is not {1}")]
    WrongKind(String, &'static str),
    #[error("position {0} is outside the text")]
    OutOfRange(usize),
    #[error("invalid cursor")]
    BadCursor,
    #[error("the text is {here} characters long, not {expected}: positions from another version")]
    Stale { here: usize, expected: usize },
    #[error("{0}")]
    Automerge(String),
}

impl From<AutomergeError> for EditError {
    fn from(e: AutomergeError) -> Self {
        EditError::Automerge(e.to_string())
    }
}

fn show(path: &[Key]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|k| match k {
            Key::Map(s) => s.clone(),
            Key::Seq(i) => i.to_string(),
        })
        .collect();
    format!("/{}", parts.join("/"))
}

/// The path of a field name (`summary/fr`, `activities/2/title`): its
/// keys, numbers as list indexes.
pub fn keys_of(name: &str) -> Vec<Key> {
    name.split('/')
        .filter(|k| !k.is_empty())
        .map(|k| match k.parse::<usize>() {
            Ok(i) => Key::Seq(i),
            Err(_) => Key::Map(k.to_owned()),
        })
        .collect()
}

/// The object at `path`.
pub fn resolve<R: ReadDoc>(doc: &R, path: &[Key]) -> Result<ObjId, EditError> {
    let mut obj = ROOT;
    for (i, k) in path.iter().enumerate() {
        match doc.get(&obj, k.prop())? {
            Some((Value::Object(_), id)) => obj = id,
            Some(_) => return Err(EditError::WrongKind(show(&path[..=i]), "an object")),
            None => return Err(EditError::NotFound(show(&path[..=i]))),
        }
    }
    Ok(obj)
}

/// The whole document, or the value at a path, as JSON.
pub fn read(doc: &Automerge, path: &[Key]) -> Result<Json, EditError> {
    if path.is_empty() {
        return Ok(obj_to_json(doc, &ROOT));
    }
    let (parent, last) = path.split_at(path.len() - 1);
    let obj = resolve(doc, parent)?;
    match doc.get(&obj, last[0].prop())? {
        Some((v, id)) => Ok(value_to_json(doc, v, &id)),
        None => Err(EditError::NotFound(show(path))),
    }
}

fn value_to_json(doc: &Automerge, v: Value<'_>, id: &ObjId) -> Json {
    match v {
        Value::Object(_) => obj_to_json(doc, id),
        Value::Scalar(s) => scalar_to_json(&s),
    }
}

fn obj_to_json(doc: &Automerge, obj: &ObjId) -> Json {
    match doc.object_type(obj) {
        Ok(ObjType::Map) | Ok(ObjType::Table) => {
            let mut m = Map::new();
            for item in doc.map_range(obj, ..) {
                let id = item.id();
                m.insert(
                    item.key.to_string(),
                    value_to_json(doc, item.value.into_value(), &id),
                );
            }
            Json::Object(m)
        }
        Ok(ObjType::List) => Json::Array(
            doc.list_range(obj, ..)
                .map(|item| {
                    let id = item.id();
                    value_to_json(doc, item.value.into_value(), &id)
                })
                .collect(),
        ),
        Ok(ObjType::Text) => Json::String(doc.text(obj).unwrap_or_default()),
        Err(_) => Json::Null,
    }
}

pub(crate) fn scalar_to_json(s: &ScalarValue) -> Json {
    match s {
        ScalarValue::Str(s) => Json::String(s.to_string()),
        ScalarValue::Int(i) => json!(i),
        ScalarValue::Uint(u) => json!(u),
        ScalarValue::F64(f) => Number::from_f64(*f).map(Json::Number).unwrap_or(Json::Null),
        ScalarValue::Counter(c) => json!(i64::from(c)),
        ScalarValue::Timestamp(t) => json!(t),
        ScalarValue::Boolean(b) => Json::Bool(*b),
        ScalarValue::Null => Json::Null,
        ScalarValue::Bytes(_) | ScalarValue::Unknown { .. } => Json::Null,
    }
}

/// Writes `value` at `prop` of `obj` (put into a map or list slot, or
/// insert into a list).
pub(crate) fn write<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    prop: Prop,
    value: &Json,
    insert: bool,
) -> Result<(), AutomergeError> {
    let kind = match value {
        Json::Object(_) => Some(ObjType::Map),
        Json::Array(_) => Some(ObjType::List),
        Json::String(_) => Some(ObjType::Text),
        _ => None,
    };
    let target = match (kind, &prop, insert) {
        (Some(k), Prop::Seq(i), true) => Some(tx.insert_object(obj, *i, k)?),
        (Some(k), _, _) => Some(tx.put_object(obj, prop.clone(), k)?),
        (None, Prop::Seq(i), true) => {
            tx.insert(obj, *i, json_scalar(value))?;
            None
        }
        (None, _, _) => {
            tx.put(obj, prop.clone(), json_scalar(value))?;
            None
        }
    };
    if let Some(t) = target {
        match value {
            Json::Object(m) => {
                for (k, v) in m {
                    write(tx, &t, Prop::Map(k.clone()), v, false)?;
                }
            }
            Json::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    write(tx, &t, Prop::Seq(i), v, true)?;
                }
            }
            Json::String(s) => tx.splice_text(&t, 0, 0, s)?,
            _ => {}
        }
    }
    Ok(())
}

fn json_scalar(v: &Json) -> ScalarValue {
    match v {
        Json::Bool(b) => ScalarValue::Boolean(*b),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => ScalarValue::Int(i),
            (None, Some(f)) => ScalarValue::F64(f),
            _ => ScalarValue::Null,
        },
        _ => ScalarValue::Null,
    }
}

/// A new document from a JSON object.
pub fn from_json(root: &Json, time_ms: i64) -> Result<Automerge, EditError> {
    let Json::Object(m) = root else {
        return Err(EditError::WrongKind("/".into(), "an object"));
    };
    let mut doc = Automerge::new();
    change(&mut doc, &Commit::at(time_ms), |tx| {
        for (k, v) in m {
            write(tx, &ROOT, Prop::Map(k.clone()), v, false)?;
        }
        Ok(())
    })?;
    Ok(doc)
}

/// How a change is committed: when (the caller's clock; Automerge stores
/// seconds) and, optionally, why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Commit {
    pub time_ms: i64,
    pub message: Option<String>,
}

impl Commit {
    pub fn at(time_ms: i64) -> Self {
        Commit {
            time_ms,
            message: None,
        }
    }
}

/// One committed change.
pub(crate) fn change<T>(
    doc: &mut Automerge,
    commit: &Commit,
    f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<T, EditError>,
) -> Result<T, EditError> {
    change_with(doc, commit, f)
}

/// [`change`] with any error type.
pub(crate) fn change_with<T, E>(
    doc: &mut Automerge,
    commit: &Commit,
    f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let mut tx = doc.transaction();
    match f(&mut tx) {
        Ok(v) => {
            let mut opts =
                automerge::transaction::CommitOptions::default().with_time(commit.time_ms / 1000);
            if let Some(m) = &commit.message {
                opts = opts.with_message(m.clone());
            }
            tx.commit_with(opts);
            Ok(v)
        }
        Err(e) => {
            tx.rollback();
            Err(e)
        }
    }
}

/// Puts a value (scalar, or object/array/string built recursively) at
/// `key` of the object at `path`.
pub fn put(
    doc: &mut Automerge,
    path: &[Key],
    key: &Key,
    value: &Json,
    commit: &Commit,
) -> Result<(), EditError> {
    change(doc, commit, |tx| {
        let obj = resolve(tx, path)?;
        write(tx, &obj, key.prop(), value, false)?;
        Ok(())
    })
}

/// Inserts into the list at `path`.
pub fn insert(
    doc: &mut Automerge,
    path: &[Key],
    index: usize,
    value: &Json,
    commit: &Commit,
) -> Result<(), EditError> {
    change(doc, commit, |tx| {
        let obj = resolve(tx, path)?;
        write(tx, &obj, Prop::Seq(index), value, true)?;
        Ok(())
    })
}

/// Deletes `key` of the object at `path` (a map key or a list index).
pub fn delete(
    doc: &mut Automerge,
    path: &[Key],
    key: &Key,
    commit: &Commit,
) -> Result<(), EditError> {
    change(doc, commit, |tx| {
        let obj = resolve(tx, path)?;
        tx.delete(&obj, key.prop())?;
        Ok(())
    })
}

/// Moves a list item from one index to another (delete and re-insert a
/// copy: Automerge lists have no move).
pub fn move_item(
    doc: &mut Automerge,
    path: &[Key],
    from: usize,
    to: usize,
    commit: &Commit,
) -> Result<(), EditError> {
    let mut p = path.to_vec();
    p.push(Key::Seq(from));
    let value = read(doc, &p)?;
    change(doc, commit, |tx| {
        let obj = resolve(tx, path)?;
        tx.delete(&obj, from)?;
        write(tx, &obj, Prop::Seq(to), &value, true)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod foreign_cursor {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{ObjType, ROOT};

    #[test]
    fn a_cursor_from_another_text_is_an_error_not_a_crash() {
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            for k in ["a", "b"] {
                let t = tx.put_object(ROOT, k, ObjType::Text)?;
                tx.splice_text(&t, 0, 0, "ⵜⴰⵎⴰⵡⵜ الشفافية")?;
            }
            Ok(())
        })
        .unwrap();
        let a = [Key::Map("a".into())];
        let b = [Key::Map("b".into())];
        let c = cursor(&doc, &a, 3).unwrap();
        assert_eq!(cursor_position(&doc, &a, &c).unwrap(), 3);
        assert!(cursor_position(&doc, &b, &c).is_err());
    }
}
