//! Undo and redo for the page (Ctrl+Z, Ctrl+Shift+Z): this tab's own
//! steps of edits, taken back as new changes (see `client::undo`).

use wasm_bindgen::prelude::*;

use super::CodraftClient;
use super::convert::*;
use super::runtime::*;
use crate::client::Direction;
use crate::edit::Commit;

#[wasm_bindgen]
impl CodraftClient {
    /// Takes back this tab's latest step of edits to the document (never
    /// a peer's); whether there was one. The page hears the result as a
    /// `change` event, like a peer's edit.
    pub fn undo(&self, url: String) -> Result<bool, JsValue> {
        self.take(&url, Direction::Undo)
    }

    /// Puts back the step undone last; whether there was one.
    pub fn redo(&self, url: String) -> Result<bool, JsValue> {
        self.take(&url, Direction::Redo)
    }

    #[wasm_bindgen(js_name = canUndo)]
    pub fn can_undo(&self, url: String) -> Result<bool, JsValue> {
        let id = doc_id(&url)?;
        Ok(self.inner.borrow().client.can_undo(id, Direction::Undo))
    }

    #[wasm_bindgen(js_name = canRedo)]
    pub fn can_redo(&self, url: String) -> Result<bool, JsValue> {
        let id = doc_id(&url)?;
        Ok(self.inner.borrow().client.can_undo(id, Direction::Redo))
    }
}

impl CodraftClient {
    fn take(&self, url: &str, way: Direction) -> Result<bool, JsValue> {
        let id = doc_id(url)?;
        let before = heads_here(&self.inner, id);
        let commit = Commit {
            time_ms: js_sys::Date::now() as i64,
            message: None,
        };
        let (out, done) = self
            .inner
            .borrow_mut()
            .client
            .undo(id, way, &commit)
            .map_err(err)?;
        deliver(&self.inner, out);
        if done {
            edited(&self.inner, id, &before);
        }
        Ok(done)
    }
}
