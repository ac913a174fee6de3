//! Going back: a field, a row or the whole card as it was at a past point,
//! written as one new change (by whoever restores; the history keeps
//! everything in between).

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ChangeHash, ObjId, ObjType, Prop, ReadDoc, Value};
use serde_json::{Map, Value as Json};

use crate::edit::{self, Commit, EditError, Key};

use super::{OpKey, key_of};

/// What to restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole card.
    Card,
    /// One field by name (`summary/fr`, `start`, `activities/0/title`).
    Field(String),
    /// One row of a table (`activities/2`): brought back if it was deleted.
    Row(String),
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RestoreError {
    #[error("the document has no change {0}")]
    UnknownHeads(String),
    #[error("no field {0} in the card now")]
    NoSuchField(String),
    #[error("no row {0} at that version")]
    NoSuchRow(String),
    #[error(transparent)]
    Edit(#[from] EditError),
}

use crate::edit::keys_of as keys;

fn prop(k: &Key) -> Prop {
    match k {
        Key::Map(m) => Prop::Map(m.clone()),
        Key::Seq(i) => Prop::Seq(*i),
    }
}

/// Restores `scope` to how it was at `heads`. `Ok(false)`: it already was
/// (no change made).
pub fn restore(
    doc: &mut Automerge,
    heads: &[ChangeHash],
    scope: &Scope,
    commit: &Commit,
) -> Result<bool, RestoreError> {
    for h in heads {
        if doc.get_change_meta_by_hash(h).is_none() {
            return Err(RestoreError::UnknownHeads(h.to_string()));
        }
    }
    let before = doc.get_heads();
    if *scope == Scope::Card && card_at(doc, heads) == card_at(doc, &before) {
        return Ok(false);
    }
    edit::change(doc, commit, |tx| {
        match scope {
            Scope::Card => restore_obj(tx, &ObjId::Root, heads)?,
            Scope::Field(name) => restore_field(tx, name, heads)?,
            Scope::Row(name) => restore_row(tx, name, heads)?,
        }
        Ok(())
    })
    .map_err(|e| match e {
        EditError::NotFound(p) => RestoreError::NoSuchField(p),
        other => RestoreError::Edit(other),
    })?;
    Ok(doc.get_heads() != before)
}

fn restore_field(
    tx: &mut Transaction<'_>,
    name: &str,
    heads: &[ChangeHash],
) -> Result<(), EditError> {
    let path = keys(name);
    let (parent, last) = path
        .split_last()
        .map(|(l, p)| (p, l))
        .ok_or(EditError::BadPath)?;
    let parent_obj = edit::resolve(tx, parent)?;
    match tx.get(&parent_obj, prop(last))? {
        Some((Value::Object(ObjType::Map), id)) => {
            // A language of a text: the map {text, status}; its text only.
            match tx.get(&id, "text")? {
                Some((Value::Object(ObjType::Text), t)) => restore_obj(tx, &t, heads),
                _ => restore_obj(tx, &id, heads),
            }
        }
        Some((Value::Object(_), id)) => restore_obj(tx, &id, heads),
        Some((Value::Scalar(_), _)) | None => {
            // A plain value: as it was in the same place.
            match tx.get_at(&parent_obj, prop(last), heads)? {
                Some((Value::Scalar(s), _)) => {
                    tx.put(&parent_obj, prop(last), s.into_owned())?;
                }
                _ if tx.get(&parent_obj, prop(last))?.is_none() => {
                    return Err(EditError::NotFound(name.to_owned()));
                }
                _ => {
                    tx.delete(&parent_obj, prop(last))?;
                }
            }
            Ok(())
        }
    }
}

fn restore_row(
    tx: &mut Transaction<'_>,
    name: &str,
    heads: &[ChangeHash],
) -> Result<(), EditError> {
    let path = keys(name);
    let Some((Key::Seq(index), list_path)) = path.split_last() else {
        return Err(EditError::BadPath);
    };
    let list = edit::resolve(tx, list_path)?;
    // The row as it was (by its position then), found now by its identity.
    let Some((Value::Object(_), row)) = tx.get_at(&list, *index, heads)? else {
        return Err(EditError::NotFound(name.to_owned()));
    };
    let now = tx.list_range(&list, ..).position(|i| i.id() == row);
    match now {
        Some(_) => restore_obj(tx, &row, heads),
        None => {
            let value = json_at(tx, &row, heads);
            let at = (*index).min(tx.length(&list));
            edit::write(tx, &list, Prop::Seq(at), &value, true)?;
            Ok(())
        }
    }
}

/// Makes `obj`'s contents what they were at `heads`.
fn restore_obj(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    heads: &[ChangeHash],
) -> Result<(), EditError> {
    match tx.object_type(obj)? {
        ObjType::Text => {
            let old = tx.text_at(obj, heads).unwrap_or_default();
            if tx.text(obj)? != old {
                tx.update_text(obj, &old)?;
            }
        }
        ObjType::Map | ObjType::Table => {
            let then: Vec<(String, Value<'static>, ObjId)> = tx
                .map_range_at(obj, .., heads)
                .map(|i| {
                    let id = i.id();
                    (i.key.to_string(), i.value.into_value().into_owned(), id)
                })
                .collect();
            let now_keys: Vec<String> = tx.keys(obj).collect();
            for k in now_keys {
                if !then.iter().any(|(t, _, _)| *t == k) {
                    tx.delete(obj, k.as_str())?;
                }
            }
            for (k, v, id) in then {
                match (&v, tx.get(obj, k.as_str())?) {
                    (Value::Object(_), Some((Value::Object(_), cur))) if cur == id => {
                        restore_obj(tx, &id, heads)?
                    }
                    (Value::Object(_), _) => {
                        let value = json_at(tx, &id, heads);
                        edit::write(tx, obj, Prop::Map(k), &value, false)?;
                    }
                    (Value::Scalar(s), cur) => {
                        let same =
                            matches!(&cur, Some((Value::Scalar(c), _)) if c.as_ref() == s.as_ref());
                        if !same {
                            tx.put(obj, k.as_str(), s.clone().into_owned())?;
                        }
                    }
                }
            }
        }
        ObjType::List => {
            let then: Vec<(ObjId, Value<'static>)> = tx
                .list_range_at(obj, .., heads)
                .map(|i| {
                    let id = i.id();
                    (id, i.value.into_value().into_owned())
                })
                .collect();
            let then_ids: Vec<Option<OpKey>> = then.iter().map(|(id, _)| key_of(id)).collect();
            // Rows added since go; rows deleted since come back; rows kept
            // are restored in place.
            let now: Vec<ObjId> = tx.list_range(obj, ..).map(|i| i.id()).collect();
            for (i, id) in now.iter().enumerate().rev() {
                if !then_ids.contains(&key_of(id)) {
                    tx.delete(obj, i)?;
                }
            }
            for (index, (id, v)) in then.into_iter().enumerate() {
                let here = tx.list_range(obj, ..).position(|i| i.id() == id);
                match (here, &v) {
                    (Some(_), Value::Object(_)) => restore_obj(tx, &id, heads)?,
                    (Some(_), Value::Scalar(_)) => {}
                    (None, _) => {
                        let value = match v {
                            Value::Object(_) => json_at(tx, &id, heads),
                            Value::Scalar(s) => edit::scalar_to_json(&s),
                        };
                        let at = index.min(tx.length(obj));
                        edit::write(tx, obj, Prop::Seq(at), &value, true)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// An object as it was at `heads`, as JSON.
fn json_at<R: ReadDoc>(doc: &R, obj: &ObjId, heads: &[ChangeHash]) -> Json {
    let value = |v: Value<'_>, id: &ObjId| match v {
        Value::Object(_) => json_at(doc, id, heads),
        Value::Scalar(s) => edit::scalar_to_json(&s),
    };
    match doc.object_type(obj) {
        Ok(ObjType::Map) | Ok(ObjType::Table) => {
            let mut m = Map::new();
            for i in doc.map_range_at(obj, .., heads) {
                let id = i.id();
                m.insert(i.key.to_string(), value(i.value.into_value(), &id));
            }
            Json::Object(m)
        }
        Ok(ObjType::List) => Json::Array(
            doc.list_range_at(obj, .., heads)
                .map(|i| {
                    let id = i.id();
                    value(i.value.into_value(), &id)
                })
                .collect(),
        ),
        Ok(ObjType::Text) => Json::String(doc.text_at(obj, heads).unwrap_or_default()),
        Err(_) => Json::Null,
    }
}

/// The whole card as it was at `heads`, as JSON (a read-only view).
pub fn card_at(doc: &Automerge, heads: &[ChangeHash]) -> Json {
    json_at(doc, &ObjId::Root, heads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::testing::Script;

    #[test]
    fn a_deleted_row_comes_back_and_a_card_goes_back_whole() {
        let mut sc = Script::new();
        sc.type_text("salma", &["title", "fr"], "Titre");
        let c = Commit::at(5_000_000);
        edit::insert(
            sc.doc_mut(),
            &[Key::Map("activities".into())],
            0,
            &crate::card::blank_activity(),
            &c,
        )
        .unwrap();
        edit::update_text(
            sc.doc_mut(),
            &[
                Key::Map("activities".into()),
                Key::Seq(0),
                Key::Map("title".into()),
                Key::Map("fr".into()),
                Key::Map("text".into()),
            ],
            "Atelier",
            &c,
        )
        .unwrap();
        let v = sc.heads();
        edit::delete(
            sc.doc_mut(),
            &[Key::Map("activities".into())],
            &Key::Seq(0),
            &c,
        )
        .unwrap();
        sc.type_text("amina", &["title", "fr"], "Autre titre");
        assert!(restore(sc.doc_mut(), &v, &Scope::Row("activities/0".into()), &c).unwrap());
        let row = edit::read(
            sc.doc(),
            &[
                Key::Map("activities".into()),
                Key::Seq(0),
                Key::Map("title".into()),
                Key::Map("fr".into()),
                Key::Map("text".into()),
            ],
        )
        .unwrap();
        assert_eq!(row, serde_json::json!("Atelier"));
        assert_eq!(sc.text(&["title", "fr"]), "Autre titre");
        assert!(restore(sc.doc_mut(), &v, &Scope::Card, &c).unwrap());
        assert_eq!(card_at(sc.doc(), &sc.heads()), card_at(sc.doc(), &v));
        // Already as it was: no change.
        assert!(!restore(sc.doc_mut(), &v, &Scope::Card, &c).unwrap());
    }

    #[test]
    fn a_field_that_no_longer_exists_is_an_error() {
        let mut sc = Script::new();
        let v = sc.heads();
        let e = restore(
            sc.doc_mut(),
            &v,
            &Scope::Field("nothing/here".into()),
            &Commit::at(1),
        )
        .unwrap_err();
        assert!(matches!(e, RestoreError::NoSuchField(_)), "{e:?}");
        let e = restore(
            sc.doc_mut(),
            &v,
            &Scope::Row("activities/4".into()),
            &Commit::at(1),
        )
        .unwrap_err();
        assert!(matches!(e, RestoreError::NoSuchField(_)), "{e:?}");
    }
}
