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

fn scalar_to_json(s: &ScalarValue) -> Json {
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
fn write<T: Transactable>(
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
fn change<T>(
    doc: &mut Automerge,
    commit: &Commit,
    f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<T, EditError>,
) -> Result<T, EditError> {
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

/// UTF-16 offset → code point offset in `s`.
pub fn utf16_to_chars(s: &str, utf16: usize) -> Result<usize, EditError> {
    let mut units = 0;
    for (i, c) in s.chars().enumerate() {
        if units >= utf16 {
            return if units == utf16 {
                Ok(i)
            } else {
                Err(EditError::OutOfRange(utf16))
            };
        }
        units += c.len_utf16();
    }
    if units == utf16 {
        Ok(s.chars().count())
    } else {
        Err(EditError::OutOfRange(utf16))
    }
}

/// Code point offset → UTF-16 offset in `s`.
pub fn chars_to_utf16(s: &str, chars: usize) -> usize {
    s.chars().take(chars).map(char::len_utf16).sum()
}

fn text_at<R: ReadDoc>(doc: &R, path: &[Key]) -> Result<(ObjId, String), EditError> {
    let obj = resolve(doc, path)?;
    match doc.object_type(&obj) {
        Ok(ObjType::Text) => Ok((obj.clone(), doc.text(&obj)?)),
        _ => Err(EditError::WrongKind(show(path), "a text")),
    }
}

/// Splices the text at `path`; positions in UTF-16 units.
pub fn splice(
    doc: &mut Automerge,
    path: &[Key],
    index: usize,
    delete: usize,
    insert: &str,
    commit: &Commit,
) -> Result<(), EditError> {
    change(doc, commit, |tx| {
        let (obj, text) = text_at(tx, path)?;
        let start = utf16_to_chars(&text, index)?;
        let end = utf16_to_chars(&text, index + delete)?;
        tx.splice_text(&obj, start, (end - start) as isize, insert)?;
        Ok(())
    })
}

/// Replaces the text at `path` with `new`, as the smallest edits (what a
/// textarea's input event calls for).
pub fn update_text(
    doc: &mut Automerge,
    path: &[Key],
    new: &str,
    commit: &Commit,
) -> Result<(), EditError> {
    change(doc, commit, |tx| {
        let (obj, _) = text_at(tx, path)?;
        tx.update_text(&obj, new)?;
        Ok(())
    })
}

/// A cursor at a UTF-16 position of the text at `path`; it survives
/// concurrent edits.
pub fn cursor(doc: &Automerge, path: &[Key], index: usize) -> Result<String, EditError> {
    let (obj, text) = text_at(doc, path)?;
    let at = utf16_to_chars(&text, index)?;
    let pos = if at >= text.chars().count() {
        automerge::CursorPosition::End
    } else {
        automerge::CursorPosition::Index(at)
    };
    // The text's object id travels with the cursor: see `cursor_position`.
    Ok(format!("{obj}|{}", doc.get_cursor(&obj, pos, None)?))
}

/// Where a cursor is now, in UTF-16 units. A cursor made in another text
/// (a row moved, a peer's stale caret) is an error: automerge 0.12 does not
/// check that a cursor belongs to the text it is asked about and fails an
/// assertion instead (a panic; in the browser, a trap that ends the
/// client), so the text's id, which `cursor` put in front, is compared
/// first.
pub fn cursor_position(doc: &Automerge, path: &[Key], cursor: &str) -> Result<usize, EditError> {
    let (obj, text) = text_at(doc, path)?;
    let (owner, cursor) = cursor.split_once('|').ok_or(EditError::BadCursor)?;
    if owner != obj.to_string() {
        return Err(EditError::BadCursor);
    }
    let c = automerge::Cursor::try_from(cursor).map_err(|_| EditError::BadCursor)?;
    let at = doc.get_cursor_position(&obj, &c, None)?;
    Ok(chars_to_utf16(&text, at))
}

/// A patch as the UI applies it: `{path, action, ...}`. Text edits are
/// given as the field's whole new value (`action: "text"`), which the UI
/// sets while keeping carets through cursors.
pub fn patch_to_json(doc: &Automerge, patch: &Patch) -> Json {
    let mut path: Vec<Json> = patch
        .path
        .iter()
        .map(|(_, p)| match p {
            Prop::Map(k) => Json::String(k.clone()),
            Prop::Seq(i) => json!(i),
        })
        .collect();
    match &patch.action {
        PatchAction::SpliceText { .. } => {
            json!({ "action": "text", "path": path, "value": doc.text(&patch.obj).unwrap_or_default() })
        }
        PatchAction::PutMap { key, value, .. } => {
            path.push(Json::String(key.clone()));
            json!({ "action": "put", "path": path, "value": value_to_json(doc, value.0.clone(), &value.1) })
        }
        PatchAction::PutSeq { index, value, .. } => {
            path.push(json!(index));
            json!({ "action": "put", "path": path, "value": value_to_json(doc, value.0.clone(), &value.1) })
        }
        PatchAction::Insert { index, values } => {
            let vals: Vec<Json> = values
                .iter()
                .map(|(v, id, _)| value_to_json(doc, v.clone(), id))
                .collect();
            path.push(json!(index));
            json!({ "action": "insert", "path": path, "values": vals })
        }
        PatchAction::DeleteMap { key } => {
            path.push(Json::String(key.clone()));
            json!({ "action": "delete", "path": path })
        }
        PatchAction::DeleteSeq { index, length } => {
            path.push(json!(index));
            json!({ "action": "delete", "path": path, "length": length })
        }
        PatchAction::Increment { prop, value } => {
            path.push(match prop {
                Prop::Map(k) => Json::String(k.clone()),
                Prop::Seq(i) => json!(i),
            });
            json!({ "action": "increment", "path": path, "value": value })
        }
        PatchAction::Conflict { .. } | PatchAction::Mark { .. } => {
            json!({ "action": "other", "path": path })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c() -> Commit {
        Commit::at(0)
    }

    fn p(keys: &[&str]) -> Vec<Key> {
        keys.iter()
            .map(|k| k.parse().map(Key::Seq).unwrap_or(Key::Map(k.to_string())))
            .collect()
    }

    fn card() -> Automerge {
        from_json(
            &json!({ "ogpId": "MO0059", "title": { "ar": "خدمات عمومية", "fr": "Services publics", "zgh": "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ" }, "activities": [], "budget": 1200000 }),
            1_700_000_000_000,
        )
        .unwrap()
    }

    #[test]
    fn json_in_json_out() {
        let doc = card();
        let j = read(&doc, &[]).unwrap();
        assert_eq!(j["title"]["zgh"], "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ");
        assert_eq!(j["budget"], 1200000);
        assert_eq!(read(&doc, &p(&["title", "ar"])).unwrap(), "خدمات عمومية");
        assert!(matches!(
            read(&doc, &p(&["nope"])),
            Err(EditError::NotFound(_))
        ));
        assert!(matches!(
            read(&doc, &p(&["budget", "x"])),
            Err(EditError::WrongKind(..))
        ));
    }

    #[test]
    fn lists_insert_move_delete() {
        let mut doc = card();
        let acts = p(&["activities"]);
        for (i, t) in ["دليل", "Formation", "ⴰⵙⵍⵎⴷ"].iter().enumerate() {
            insert(
                &mut doc,
                &acts,
                i,
                &json!({ "title": t, "end": null }),
                &c(),
            )
            .unwrap();
        }
        move_item(&mut doc, &acts, 2, 0, &c()).unwrap();
        let titles: Vec<Json> = read(&doc, &acts)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].clone())
            .collect();
        assert_eq!(
            titles,
            vec![json!("ⴰⵙⵍⵎⴷ"), json!("دليل"), json!("Formation")]
        );
        delete(&mut doc, &acts, &Key::Seq(1), &c()).unwrap();
        assert_eq!(read(&doc, &acts).unwrap().as_array().unwrap().len(), 2);
        put(
            &mut doc,
            &p(&["activities", "0"]),
            &Key::Map("end".into()),
            &json!("2026-06-30"),
            &c(),
        )
        .unwrap();
        assert_eq!(
            read(&doc, &p(&["activities", "0", "end"])).unwrap(),
            "2026-06-30"
        );
    }

    #[test]
    fn text_positions_are_utf16_units() {
        let mut doc = card();
        let fr = p(&["title", "fr"]);
        // "😀" is two UTF-16 units: JS offsets after it are one more than
        // code point offsets.
        splice(&mut doc, &fr, 0, 0, "😀 ", &c()).unwrap();
        splice(&mut doc, &fr, 3, 0, "Les ", &c()).unwrap();
        assert_eq!(read(&doc, &fr).unwrap(), "😀 Les Services publics");
        splice(&mut doc, &fr, 0, 3, "", &c()).unwrap();
        assert_eq!(read(&doc, &fr).unwrap(), "Les Services publics");
        assert!(matches!(
            splice(&mut doc, &fr, 999, 0, "x", &c()),
            Err(EditError::OutOfRange(999))
        ));
        assert_eq!(utf16_to_chars("a😀b", 3).unwrap(), 2);
        assert!(
            utf16_to_chars("a😀b", 2).is_err(),
            "inside a surrogate pair"
        );
        assert_eq!(chars_to_utf16("a😀b", 2), 3);
    }

    #[test]
    fn update_text_and_cursors_survive_concurrent_edits() {
        let mut doc = card();
        let ar = p(&["title", "ar"]);
        let cur = cursor(&doc, &ar, 6).unwrap(); // before "عمومية"
        let mut other = doc.fork();
        splice(&mut other, &ar, 0, 0, "تحسين ", &c()).unwrap();
        update_text(&mut doc, &ar, "خدمات عمومية للناطقين بالأمازيغية", &c()).unwrap();
        doc.merge(&mut other).unwrap();
        assert_eq!(
            read(&doc, &ar).unwrap(),
            "تحسين خدمات عمومية للناطقين بالأمازيغية"
        );
        assert_eq!(
            cursor_position(&doc, &ar, &cur).unwrap(),
            12,
            "moved by the insertion before it"
        );
        assert_eq!(
            cursor_position(&doc, &ar, "garbage"),
            Err(EditError::BadCursor)
        );
    }

    #[test]
    fn commits_carry_time_and_message() {
        let mut doc = card();
        let commit = Commit {
            time_ms: 1_767_225_600_000,
            message: Some("مراجعة العنوان".into()),
        };
        update_text(
            &mut doc,
            &p(&["title", "fr"]),
            "Services publics en amazighe",
            &commit,
        )
        .unwrap();
        let last = doc.get_changes(&[]).last().cloned().unwrap();
        assert_eq!(
            last.message().map(|m| m.to_string()).as_deref(),
            Some("مراجعة العنوان")
        );
        assert_eq!(last.timestamp(), 1_767_225_600);
    }

    #[test]
    fn remote_changes_become_json_patches() {
        let mut a = card();
        let mut b = a.fork();
        let before = a.get_heads();
        splice(&mut b, &p(&["title", "zgh"]), 0, 0, "ⴰ", &c()).unwrap();
        insert(
            &mut b,
            &p(&["activities"]),
            0,
            &json!({ "title": "x" }),
            &c(),
        )
        .unwrap();
        put(&mut b, &[], &Key::Map("budget".into()), &json!(5), &c()).unwrap();
        a.merge(&mut b).unwrap();
        let patches: Vec<Json> = a
            .diff(&before, &a.get_heads())
            .iter()
            .map(|x| patch_to_json(&a, x))
            .collect();
        assert!(
            patches.contains(
                &json!({ "action": "text", "path": ["title", "zgh"], "value": "ⴰⵜⵉⵏⴰⴼⵓⵜⵉⵏ" })
            ),
            "{patches:?}"
        );
        assert!(
            patches.contains(&json!({ "action": "put", "path": ["budget"], "value": 5 })),
            "{patches:?}"
        );
        assert!(
            patches
                .iter()
                .any(|x| x["action"] == "insert" && x["path"] == json!(["activities", 0])),
            "{patches:?}"
        );
    }
}

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
