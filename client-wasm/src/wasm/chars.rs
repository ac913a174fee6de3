//! Text by code points, for the page's text fields. A field holds its
//! value and converts its UTF-16 offsets itself (`web/src/chars.ts`), so a
//! keystroke and its caret cost no pass over the text here, however long
//! the text (the UTF-16 methods read the whole text to convert).

use wasm_bindgen::prelude::*;

use super::CodraftClient;
use super::convert::*;
use super::*;

#[wasm_bindgen]
impl CodraftClient {
    /// Text edit; `index` and `delete` in code points. `length`: the
    /// text's length (code points) as the caller knows it; if the text
    /// here is another length, the caller's positions are not this text's:
    /// nothing changes and an error says so (the field then sends its
    /// whole value).
    #[wasm_bindgen(js_name = spliceChars)]
    pub fn splice_chars(
        &self,
        url: String,
        path: JsValue,
        index: u32,
        delete: u32,
        text: String,
        length: Option<u32>,
    ) -> Result<(), JsValue> {
        let p = self::path(path)?;
        self.edit(&url, None, |doc, t| {
            let at = (index as usize, delete as usize);
            edit::splice_chars(doc, &p, at, &text, length.map(|l| l as usize), t)
        })
    }

    /// A cursor at a code point position; it follows concurrent edits.
    #[wasm_bindgen(js_name = cursorAt)]
    pub fn cursor_at(&self, url: String, path: JsValue, index: u32) -> Result<String, JsValue> {
        self.with_doc(&url, path, |doc, p| edit::cursor_at(doc, p, index as usize))
    }

    /// Where a cursor is now, in code points.
    #[wasm_bindgen(js_name = cursorIndex)]
    pub fn cursor_index(&self, url: String, path: JsValue, cursor: String) -> Result<u32, JsValue> {
        self.with_doc(&url, path, |doc, p| {
            edit::cursor_index(doc, p, &cursor).map(|x| x as u32)
        })
    }
}
