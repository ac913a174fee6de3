//! What was typed into a card before this client had it (see
//! `client::draft`): the page drew the server's copy, at known heads, and
//! hands the texts as typed once the document is open.

use automerge::ChangeHash;
use wasm_bindgen::prelude::*;

use super::CodraftClient;
use super::convert::*;
use super::runtime::*;
use super::*;

#[wasm_bindgen]
impl CodraftClient {
    /// `edits`, `[{path, text}]` (each text whole, as typed), were made on
    /// the version at `heads` (hex change hashes, as the server's snapshot
    /// gives them): they are made on that version and merged, so what
    /// others wrote since stays. Returns how many edits could not be made
    /// (a path that is no text at that version); fails, changing nothing,
    /// if this document does not hold that version.
    #[wasm_bindgen(js_name = updateTextsAt)]
    pub fn update_texts_at(
        &self,
        url: String,
        heads: JsValue,
        edits: JsValue,
    ) -> Result<u32, JsValue> {
        let id = doc_id(&url)?;
        let heads: Vec<ChangeHash> = match from_js(heads)? {
            Json::Array(hs) => hs
                .iter()
                .map(|h| h.as_str().unwrap_or_default().parse().map_err(err))
                .collect::<Result<_, _>>()?,
            _ => return Err(err("heads: a list of change hashes")),
        };
        let Json::Array(edits) = from_js(edits)? else {
            return Err(err("edits: a list of {path, text}"));
        };
        let edits: Vec<(Vec<Key>, String)> = edits
            .into_iter()
            .map(|e| {
                let text = e["text"]
                    .as_str()
                    .ok_or_else(|| err("an edit without text"))?;
                Ok((path(to_js(&e["path"]))?, text.to_string()))
            })
            .collect::<Result<_, JsValue>>()?;
        let before = heads_here(&self.inner, id);
        let now = js_sys::Date::now() as i64;
        let mut failed = 0;
        let out = self
            .inner
            .borrow_mut()
            .client
            .change_at(id, &heads, now, |doc| {
                let commit = edit::Commit {
                    time_ms: now,
                    message: None,
                };
                for (p, text) in &edits {
                    if edit::update_text(doc, p, text, &commit).is_err() {
                        failed += 1;
                    }
                }
            })
            .map_err(err)?;
        deliver(&self.inner, out);
        edited(&self.inner, id, &before);
        Ok(failed)
    }
}
