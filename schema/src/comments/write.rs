//! The server's edits of a comments document. Strings are plain values,
//! not collaborative text: only the server writes here, one whole value at
//! a time.

use automerge::transaction::{Transactable, Transaction};
use automerge::{
    Automerge, AutomergeError, ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue, Value,
};
use serde::Serialize;
use serde_json::Value as Json;

use super::{Comment, Person, Status, Thread};
use crate::edit::{Commit, change_with as change};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WriteError {
    #[error("no thread {0}")]
    NoSuchThread(String),
    #[error("no comment {0}")]
    NoSuchComment(String),
    #[error("{0}")]
    Automerge(String),
}

impl From<AutomergeError> for WriteError {
    fn from(e: AutomergeError) -> Self {
        WriteError::Automerge(e.to_string())
    }
}

fn plain(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    prop: Prop,
    v: &Json,
    insert: bool,
) -> Result<(), AutomergeError> {
    let kind = match v {
        Json::Object(_) => Some(ObjType::Map),
        Json::Array(_) => Some(ObjType::List),
        _ => None,
    };
    let scalar = || match v {
        Json::String(s) => ScalarValue::Str(s.as_str().into()),
        Json::Bool(b) => ScalarValue::Boolean(*b),
        Json::Number(n) => n
            .as_i64()
            .map(ScalarValue::Int)
            .unwrap_or(ScalarValue::Null),
        _ => ScalarValue::Null,
    };
    let target = match (kind, &prop, insert) {
        (Some(k), Prop::Seq(i), true) => Some(tx.insert_object(obj, *i, k)?),
        (Some(k), _, _) => Some(tx.put_object(obj, prop.clone(), k)?),
        (None, Prop::Seq(i), true) => {
            tx.insert(obj, *i, scalar())?;
            None
        }
        (None, _, _) => {
            tx.put(obj, prop.clone(), scalar())?;
            None
        }
    };
    match (target, v) {
        (Some(t), Json::Object(m)) => {
            for (k, x) in m {
                plain(tx, &t, Prop::Map(k.clone()), x, false)?;
            }
        }
        (Some(t), Json::Array(items)) => {
            for (i, x) in items.iter().enumerate() {
                plain(tx, &t, Prop::Seq(i), x, true)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn json<T: Serialize>(v: &T) -> Json {
    serde_json::to_value(v).unwrap_or(Json::Null)
}

fn threads_obj(tx: &mut Transaction<'_>) -> Result<ObjId, AutomergeError> {
    match tx.get(ROOT, "threads")? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        _ => tx.put_object(ROOT, "threads", ObjType::Map),
    }
}

fn thread_obj(tx: &mut Transaction<'_>, id: &str) -> Result<ObjId, WriteError> {
    let threads = threads_obj(tx)?;
    match tx.get(&threads, id)? {
        Some((Value::Object(ObjType::Map), t)) => Ok(t),
        _ => Err(WriteError::NoSuchThread(id.into())),
    }
}

/// Makes sure the document has its (empty) list of threads, so that
/// readers find it from the start. `false`: it already had one.
pub fn init(doc: &mut Automerge, commit: &Commit) -> Result<bool, WriteError> {
    if matches!(doc.get(ROOT, "threads"), Ok(Some(_))) {
        return Ok(false);
    }
    change(doc, commit, |tx| {
        threads_obj(tx)?;
        Ok(true)
    })
}

pub fn add_thread(doc: &mut Automerge, t: &Thread, commit: &Commit) -> Result<(), WriteError> {
    change(doc, commit, |tx| {
        let threads = threads_obj(tx)?;
        plain(tx, &threads, Prop::Map(t.id.clone()), &json(t), false)?;
        Ok(())
    })
}

pub fn add_comment(
    doc: &mut Automerge,
    thread: &str,
    c: &Comment,
    commit: &Commit,
) -> Result<(), WriteError> {
    change(doc, commit, |tx| {
        let t = thread_obj(tx, thread)?;
        let list = match tx.get(&t, "comments")? {
            Some((Value::Object(ObjType::List), l)) => l,
            _ => tx.put_object(&t, "comments", ObjType::List)?,
        };
        let n = tx.length(&list);
        plain(tx, &list, Prop::Seq(n), &json(c), true)?;
        Ok(())
    })
}

fn comment_obj(tx: &mut Transaction<'_>, thread: &str, comment: &str) -> Result<ObjId, WriteError> {
    let t = thread_obj(tx, thread)?;
    let Some((Value::Object(ObjType::List), list)) = tx.get(&t, "comments")? else {
        return Err(WriteError::NoSuchComment(comment.into()));
    };
    for i in 0..tx.length(&list) {
        if let Some((Value::Object(ObjType::Map), c)) = tx.get(&list, i)?
            && matches!(tx.get(&c, "id")?, Some((Value::Scalar(s), _)) if s.as_str() == Some(comment))
        {
            return Ok(c);
        }
    }
    Err(WriteError::NoSuchComment(comment.into()))
}

/// New words for a comment (its author's), or none (deleted).
pub fn set_body(
    doc: &mut Automerge,
    thread: &str,
    comment: &str,
    body: Option<(&str, &[String])>,
    commit: &Commit,
) -> Result<(), WriteError> {
    change(doc, commit, |tx| {
        let c = comment_obj(tx, thread, comment)?;
        let (text, mentions) = body.unwrap_or(("", &[]));
        tx.put(&c, "body", text)?;
        plain(
            tx,
            &c,
            Prop::Map("mentions".into()),
            &json(&mentions),
            false,
        )?;
        tx.put(&c, "edited_ms", commit.time_ms)?;
        if body.is_none() {
            tx.put(&c, "deleted", true)?;
        }
        Ok(())
    })
}

/// A thread's new status, who set it and when.
pub fn set_status(
    doc: &mut Automerge,
    thread: &str,
    status: Status,
    by: &Person,
    commit: &Commit,
) -> Result<(), WriteError> {
    change(doc, commit, |tx| {
        let t = thread_obj(tx, thread)?;
        tx.put(&t, "status", status.as_str())?;
        plain(tx, &t, Prop::Map("decided_by".into()), &json(by), false)?;
        tx.put(&t, "decided_ms", commit.time_ms)?;
        Ok(())
    })
}
