//! Text by UTF-16 positions (as a textarea reports them) or by code points
//! (Automerge's own, which cost no pass over the text: the browser's
//! fields convert with the value they hold), splices, cursors that follow
//! concurrent edits, and remote changes as JSON patches.

use super::*;

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

/// The text object at `path`, without reading it.
fn text_obj<R: ReadDoc>(doc: &R, path: &[Key]) -> Result<ObjId, EditError> {
    let obj = resolve(doc, path)?;
    match doc.object_type(&obj) {
        Ok(ObjType::Text) => Ok(obj),
        _ => Err(EditError::WrongKind(show(path), "a text")),
    }
}

fn text_at<R: ReadDoc>(doc: &R, path: &[Key]) -> Result<(ObjId, String), EditError> {
    let obj = text_obj(doc, path)?;
    let text = doc.text(&obj)?;
    Ok((obj, text))
}

/// Splices the text at `path`; positions in code points, as Automerge
/// counts: the cost does not grow with the text (a keystroke into a long
/// text), where [`splice`] reads the text to convert its positions.
/// `length`: the text's length as the caller knows it (the positions are
/// of that text); if it is another length here, [`EditError::Stale`] and
/// nothing changes.
pub fn splice_chars(
    doc: &mut Automerge,
    path: &[Key],
    (index, delete): (usize, usize),
    insert: &str,
    length: Option<usize>,
    commit: &Commit,
) -> Result<(), EditError> {
    change(doc, commit, |tx| {
        let obj = text_obj(tx, path)?;
        let here = tx.length(&obj);
        if let Some(expected) = length.filter(|l| *l != here) {
            return Err(EditError::Stale { here, expected });
        }
        if index + delete > here {
            return Err(EditError::OutOfRange(index + delete));
        }
        tx.splice_text(&obj, index, delete as isize, insert)?;
        Ok(())
    })
}

/// A cursor at code point `index` of the text at `path` (see [`cursor`]).
pub fn cursor_at(doc: &Automerge, path: &[Key], index: usize) -> Result<String, EditError> {
    let obj = text_obj(doc, path)?;
    let len = doc.length(&obj);
    let pos = match index {
        i if i < len => automerge::CursorPosition::Index(i),
        i if i == len => automerge::CursorPosition::End,
        i => return Err(EditError::OutOfRange(i)),
    };
    // The text's object id travels with the cursor: see `cursor_position`.
    Ok(format!("{obj}|{}", doc.get_cursor(&obj, pos, None)?))
}

/// Where a cursor is now, in code points (see [`cursor_position`]).
pub fn cursor_index(doc: &Automerge, path: &[Key], cursor: &str) -> Result<usize, EditError> {
    let obj = text_obj(doc, path)?;
    let (owner, cursor) = cursor.split_once('|').ok_or(EditError::BadCursor)?;
    if owner != obj.to_string() {
        return Err(EditError::BadCursor);
    }
    let c = automerge::Cursor::try_from(cursor).map_err(|_| EditError::BadCursor)?;
    Ok(doc.get_cursor_position(&obj, &c, None)?)
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
    let (_, text) = text_at(doc, path)?;
    cursor_at(doc, path, utf16_to_chars(&text, index)?)
}

/// Where a cursor is now, in UTF-16 units. A cursor made in another text
/// (a row moved, a peer's stale caret) is an error: automerge 0.12 does not
/// check that a cursor belongs to the text it is asked about and fails an
/// assertion instead (a panic; in the browser, a trap that ends the
/// client), so the text's id, which `cursor` put in front, is compared
/// first.
pub fn cursor_position(doc: &Automerge, path: &[Key], cursor: &str) -> Result<usize, EditError> {
    let at = cursor_index(doc, path, cursor)?;
    let (_, text) = text_at(doc, path)?;
    Ok(chars_to_utf16(&text, at))
}

/// Patches as the UI applies them ([`patch_to_json`]). A text's edits are
/// splices by code points (`{action: "splice", path, index, remove,
/// insert}`), each with the text's length in code points once it is
/// applied (`length`), counted back from the text's length now: a field
/// applies a remote keystroke where it lands, and sees when its text is
/// not the one the splices start from (then it reads the whole value).
/// Nothing here reads a text whole: at 50,000 characters that read was
/// most of a remote keystroke's cost once Automerge applied it in place.
pub fn patches_to_json(doc: &Automerge, patches: &[Patch]) -> Vec<Json> {
    let mut out: Vec<Json> = patches.iter().map(|p| patch_to_json(doc, p)).collect();
    let mut length: std::collections::HashMap<&automerge::ObjId, usize> = Default::default();
    for (p, j) in patches.iter().zip(out.iter_mut()).rev() {
        if j["action"] != "splice" {
            continue;
        }
        let after = *length.entry(&p.obj).or_insert_with(|| doc.length(&p.obj));
        let inserted = j["insert"].as_str().map_or(0, |s| s.chars().count());
        let removed = j["remove"].as_u64().unwrap_or(0) as usize;
        j["length"] = json!(after);
        length.insert(&p.obj, (after + removed).saturating_sub(inserted));
    }
    out
}

/// A patch as the UI applies it: `{path, action, ...}`. A text's edits are
/// splices of the text at `path` (see [`patches_to_json`]).
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
        PatchAction::SpliceText { index, value, .. } => {
            json!({ "action": "splice", "path": path, "index": index, "remove": 0, "insert": value.make_string() })
        }
        PatchAction::DeleteSeq { index, length }
            if doc.object_type(&patch.obj).ok() == Some(ObjType::Text) =>
        {
            json!({ "action": "splice", "path": path, "index": index, "remove": length, "insert": "" })
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
