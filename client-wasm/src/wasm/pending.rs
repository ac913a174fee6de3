//! The page's edits shown before they are in a document.
//!
//! A text field shows a keystroke at once and hands it to the client after
//! the frame is painted (`web/src/fields.ts`), so the keystroke's frame
//! holds only the box's edit and its layout. Until then the document lacks
//! an edit the page shows: before the client takes in anything from
//! elsewhere — the server's frames, another tab's changes — or writes its
//! documents away as the page goes, it asks the page to hand those edits
//! over first (`setBeforeRemote`), so a remote splice is counted on the
//! text the field shows.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::{CodraftClient, Inner};

#[wasm_bindgen]
impl CodraftClient {
    /// `f` is called (no argument, no borrow held) before the client takes
    /// in changes that are not the page's own, and before it writes its
    /// documents as the page goes: the page hands over any edit it shows
    /// and has not yet given to the client.
    #[wasm_bindgen(js_name = setBeforeRemote)]
    pub fn set_before_remote(&self, f: Option<Function>) {
        self.inner.borrow_mut().before_remote = f;
    }
}

/// Runs the page's hook, if any (a throw is the page's and is ignored).
pub(super) fn before_remote(inner: &Rc<RefCell<Inner>>) {
    let hook = inner.borrow().before_remote.clone();
    if let Some(f) = hook {
        let _ = f.call0(&JsValue::NULL);
    }
}
