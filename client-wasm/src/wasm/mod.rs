//! The browser shell: a WebSocket, timers and IndexedDB around [`Client`].
//!
//! Everything here moves bytes and calls JS; decisions are in the sans-IO
//! core. Borrow discipline: no `RefCell` borrow is held while JS code runs
//! (events are collected first, then delivered), so an event handler may
//! call back into the client.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use automerge::{Automerge, ChangeHash};
use codraft_protocol::presence::Value;
use codraft_protocol::{DocumentId, PeerId, SessionId};
use js_sys::{Function, Promise, Uint8Array};
use serde_json::{Value as Json, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{BinaryType, BroadcastChannel, CloseEvent, MessageEvent, WebSocket};

use crate::client::{Client, ClientEvent, ConnectionState, Output, SaveState, Write};
use crate::edit::{self, Key};

mod chars;
mod convert;
mod draft;
mod measure;
mod outgoing;
mod pending;
mod runtime;
mod schema;
mod undo;

use convert::*;
use runtime::*;

#[wasm_bindgen(module = "/js/idb.js")]
extern "C" {
    #[wasm_bindgen(js_name = idbPut)]
    fn idb_put(key: &str, bytes: &[u8]) -> Promise;
    #[wasm_bindgen(js_name = idbAppend)]
    fn idb_append(key: &str, bytes: &[u8]) -> Promise;
    #[wasm_bindgen(js_name = idbGet)]
    fn idb_get(key: &str) -> Promise;
}

struct Inner {
    client: Client,
    url: String,
    ws: Option<WebSocket>,
    /// Set by `disconnect()`: no automatic reconnect until `connect()`.
    paused: bool,
    on_event: Function,
    /// `open()` promises waiting for `Ready` / `Unavailable`.
    waiting: HashMap<DocumentId, Vec<(Function, Function)>>,
    /// Documents changed since they were last written to IndexedDB.
    dirty: Vec<DocumentId>,
    /// Documents edited here since their changes last went to the other
    /// tabs: the heads before the first of those edits.
    untold: HashMap<DocumentId, Vec<ChangeHash>>,
    /// A keystroke's frames, sent in the next task (`outgoing`).
    outgoing: Vec<Vec<u8>>,
    send_scheduled: bool,
    /// Keeps the socket callbacks alive, with the socket they are set on
    /// (which may be closing while a newer socket dials).
    callbacks: Vec<Closure<dyn FnMut(JsValue)>>,
    callbacks_socket: Option<WebSocket>,
    tick: Option<Closure<dyn FnMut()>>,
    /// Other tabs of this browser: local changes go to them directly, so
    /// tabs agree even while offline.
    tabs: Option<BroadcastChannel>,
    _on_tab_message: Option<Closure<dyn FnMut(JsValue)>>,
    /// Page-level listeners (pagehide), alive as long as the client.
    callbacks_page: Vec<Closure<dyn FnMut(JsValue)>>,
    /// Frames received and not yet handed to the client: taken together at
    /// the next animation frame (see `runtime::flush_inbox`).
    inbox: Vec<Vec<u8>>,
    /// A flush of `inbox` is scheduled.
    flush_scheduled: bool,
    /// Frames wait for the next animation frame (the default); off, each
    /// is handled as it comes (to measure the difference).
    batching: bool,
    /// Duration (ms) and number of frames of each batch taken in, for the
    /// benchmark (`takeBatchTimes`); at most `measure::KEPT` batches. Kept
    /// only once the benchmark asks (`measureBatches`).
    batch_times: Vec<f64>,
    measuring: bool,
    /// The page's edits not yet handed over are asked for before anything
    /// else comes in (`pending`).
    before_remote: Option<Function>,
}

/// A Codraft client for the browser.
#[wasm_bindgen]
pub struct CodraftClient {
    inner: Rc<RefCell<Inner>>,
}

impl std::fmt::Debug for CodraftClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodraftClient")
            .field("peer", &self.peer_id())
            .finish()
    }
}

#[wasm_bindgen]
impl CodraftClient {
    /// `url` is the server's sync endpoint (`ws://host/sync`); `on_event`
    /// receives every event as a plain object with a `type`.
    #[wasm_bindgen(constructor)]
    pub fn new(url: String, on_event: Function) -> CodraftClient {
        let peer = PeerId::new(format!("codraft-web-{}", uuid::Uuid::new_v4().simple()));
        let session = SessionId::new(uuid::Uuid::new_v4().simple().to_string());
        let inner = Rc::new(RefCell::new(Inner {
            client: Client::new(peer, session),
            url,
            ws: None,
            paused: false,
            on_event,
            waiting: HashMap::new(),
            dirty: vec![],
            untold: HashMap::new(),
            outgoing: Vec::new(),
            send_scheduled: false,
            callbacks: vec![],
            callbacks_socket: None,
            tick: None,
            tabs: None,
            _on_tab_message: None,
            callbacks_page: vec![],
            inbox: Vec::new(),
            flush_scheduled: false,
            batching: true,
            batch_times: Vec::new(),
            measuring: false,
            before_remote: None,
        }));
        listen_to_tabs(&inner);
        say_goodbye_on_pagehide(&inner);
        CodraftClient { inner }
    }

    #[wasm_bindgen(js_name = peerId)]
    pub fn peer_id(&self) -> String {
        self.inner.borrow().client.peer_id().to_string()
    }

    /// Dials the server (and keeps re-dialling with backoff when it drops).
    pub fn connect(&self) -> Result<(), JsValue> {
        self.inner.borrow_mut().paused = false;
        start_ticking(&self.inner)?;
        dial(&self.inner)
    }

    /// Closes the socket and stays offline until `connect()`.
    pub fn disconnect(&self) {
        let ws = {
            let mut i = self.inner.borrow_mut();
            i.paused = true;
            i.ws.take()
        };
        if let Some(ws) = ws {
            let _ = ws.close();
        }
        let (out, _) = self.inner.borrow_mut().client.socket_closed(0.5);
        deliver(&self.inner, out);
    }

    #[wasm_bindgen(js_name = connectionState)]
    pub fn connection_state(&self) -> String {
        if self.inner.borrow().client.is_online() {
            "online"
        } else {
            "offline"
        }
        .into()
    }

    /// Creates a document from a JSON object (strings become collaborative
    /// text) and returns its `automerge:` URL.
    pub fn create(&self, initial: JsValue) -> Result<String, JsValue> {
        let doc = edit::from_json(&from_js(initial)?, js_sys::Date::now() as i64).map_err(err)?;
        let id = DocumentId::random();
        let out = self.inner.borrow_mut().client.add(id, doc);
        self.inner.borrow_mut().dirty.push(id);
        deliver(&self.inner, out);
        persist(&self.inner, id);
        Ok(id.to_url())
    }

    /// Opens a document: from this browser's copy at once if there is one
    /// (then syncs), else from the server (resolves when synced, rejects if
    /// the server does not have it).
    pub async fn open(&self, url: String) -> Result<(), JsValue> {
        let id = doc_id(&url)?;
        if self.inner.borrow().client.doc(id).is_some() {
            return Ok(());
        }
        let local = JsFuture::from(idb_get(&id.to_string()))
            .await
            .ok()
            .filter(|v| !v.is_null());
        if let Some(bytes) = local {
            let bytes = Uint8Array::new(&bytes).to_vec();
            let doc = Automerge::load(&bytes).map_err(err)?;
            let out = self.inner.borrow_mut().client.add(id, doc);
            deliver(&self.inner, out);
            return Ok(());
        }
        let promise = Promise::new(&mut |resolve, reject| {
            self.inner
                .borrow_mut()
                .waiting
                .entry(id)
                .or_default()
                .push((resolve, reject));
        });
        let out = self.inner.borrow_mut().client.open(id);
        deliver(&self.inner, out);
        JsFuture::from(promise).await.map(|_| ())
    }

    pub fn close(&self, url: String) -> Result<(), JsValue> {
        let id = doc_id(&url)?;
        let out = self.inner.borrow_mut().client.close(id);
        deliver(&self.inner, out);
        Ok(())
    }

    /// The value at `path` (the whole document for `[]`), as JSON.
    pub fn read(&self, url: String, path: JsValue) -> Result<JsValue, JsValue> {
        let id = doc_id(&url)?;
        let p = self::path(path)?;
        let i = self.inner.borrow();
        let doc = i
            .client
            .doc(id)
            .ok_or_else(|| err(format!("document {id} is not open")))?;
        Ok(to_js(&edit::read(doc, &p).map_err(err)?))
    }

    pub fn put(
        &self,
        url: String,
        path: JsValue,
        key: JsValue,
        value: JsValue,
        message: Option<String>,
    ) -> Result<(), JsValue> {
        let (p, k, v) = (
            self::path(path)?,
            Key::from_json(&from_js(key)?).map_err(err)?,
            from_js(value)?,
        );
        self.edit(&url, message, |doc, t| edit::put(doc, &p, &k, &v, t))
    }

    pub fn insert(
        &self,
        url: String,
        path: JsValue,
        index: u32,
        value: JsValue,
        message: Option<String>,
    ) -> Result<(), JsValue> {
        let (p, v) = (self::path(path)?, from_js(value)?);
        self.edit(&url, message, |doc, t| {
            edit::insert(doc, &p, index as usize, &v, t)
        })
    }

    #[wasm_bindgen(js_name = delete)]
    pub fn delete(
        &self,
        url: String,
        path: JsValue,
        key: JsValue,
        message: Option<String>,
    ) -> Result<(), JsValue> {
        let (p, k) = (
            self::path(path)?,
            Key::from_json(&from_js(key)?).map_err(err)?,
        );
        self.edit(&url, message, |doc, t| edit::delete(doc, &p, &k, t))
    }

    #[wasm_bindgen(js_name = moveItem)]
    pub fn move_item(
        &self,
        url: String,
        path: JsValue,
        from: u32,
        to: u32,
        message: Option<String>,
    ) -> Result<(), JsValue> {
        let p = self::path(path)?;
        self.edit(&url, message, |doc, t| {
            edit::move_item(doc, &p, from as usize, to as usize, t)
        })
    }

    /// Text edit; `index` and `delete` in UTF-16 units, as JS counts.
    pub fn splice(
        &self,
        url: String,
        path: JsValue,
        index: u32,
        delete: u32,
        text: String,
        message: Option<String>,
    ) -> Result<(), JsValue> {
        let p = self::path(path)?;
        self.edit(&url, message, |doc, t| {
            edit::splice(doc, &p, index as usize, delete as usize, &text, t)
        })
    }

    /// Replaces a text with `text` through the smallest edits.
    #[wasm_bindgen(js_name = updateText)]
    pub fn update_text(
        &self,
        url: String,
        path: JsValue,
        text: String,
        message: Option<String>,
    ) -> Result<(), JsValue> {
        let p = self::path(path)?;
        self.edit(&url, message, |doc, t| edit::update_text(doc, &p, &text, t))
    }

    /// A cursor at a UTF-16 position; it follows concurrent edits.
    pub fn cursor(&self, url: String, path: JsValue, index: u32) -> Result<String, JsValue> {
        self.with_doc(&url, path, |doc, p| edit::cursor(doc, p, index as usize))
    }

    #[wasm_bindgen(js_name = cursorPosition)]
    pub fn cursor_position(
        &self,
        url: String,
        path: JsValue,
        cursor: String,
    ) -> Result<u32, JsValue> {
        self.with_doc(&url, path, |doc, p| {
            edit::cursor_position(doc, p, &cursor).map(|x| x as u32)
        })
    }

    #[wasm_bindgen(js_name = saveState)]
    pub fn save_state(&self, url: String) -> Result<String, JsValue> {
        let id = doc_id(&url)?;
        let s = self
            .inner
            .borrow()
            .client
            .save_state(id)
            .ok_or_else(|| err("document not open"))?;
        Ok(save_name(s).into())
    }

    /// The document's heads here (hex change hashes): the version this
    /// page shows, which an approval names.
    pub fn heads(&self, url: String) -> Result<JsValue, JsValue> {
        let id = doc_id(&url)?;
        let i = self.inner.borrow();
        let doc = i.client.doc(id).ok_or_else(|| err("document not open"))?;
        let heads: Vec<Json> = doc
            .get_heads()
            .iter()
            .map(|h| Json::String(h.to_string()))
            .collect();
        Ok(to_js(&Json::Array(heads)))
    }

    /// Sets one channel of this client's presence on a document.
    #[wasm_bindgen(js_name = setPresence)]
    pub fn set_presence(
        &self,
        url: String,
        channel: String,
        value: JsValue,
    ) -> Result<(), JsValue> {
        let id = doc_id(&url)?;
        let v = json_to_presence(&from_js(value)?);
        let out = self
            .inner
            .borrow_mut()
            .client
            .set_presence(id, &channel, v, now_ms())
            .map_err(err)?;
        deliver(&self.inner, out);
        Ok(())
    }

    /// `{peerId: {state, lastSeen}}` for everyone present on a document.
    pub fn peers(&self, url: String) -> Result<JsValue, JsValue> {
        let id = doc_id(&url)?;
        let i = self.inner.borrow();
        let p = i
            .client
            .presence(id)
            .ok_or_else(|| err("document not open"))?;
        let mut out = serde_json::Map::new();
        for (peer, s) in p.peers() {
            let state: serde_json::Map<String, Json> = s
                .state
                .iter()
                .map(|(k, v)| (k.clone(), presence_to_json(v)))
                .collect();
            out.insert(
                peer.to_string(),
                json!({
                    "state": state,
                    "lastSeen": s.last_seen_ms,
                    // Who the server says this is (accounts on), else null.
                    "verified": s.verified.as_ref().map(presence_to_json),
                }),
            );
        }
        Ok(to_js(&Json::Object(out)))
    }
}

impl CodraftClient {
    /// `f` on the open document `url` and the path `path` (from JS).
    fn with_doc<T>(
        &self,
        url: &str,
        path: JsValue,
        f: impl FnOnce(&Automerge, &[Key]) -> Result<T, edit::EditError>,
    ) -> Result<T, JsValue> {
        let (id, p) = (doc_id(url)?, self::path(path)?);
        let i = self.inner.borrow();
        let doc = i.client.doc(id).ok_or_else(|| err("document not open"))?;
        f(doc, &p).map_err(err)
    }

    /// One local change, committed with the time and the caller's message.
    fn edit(
        &self,
        url: &str,
        message: Option<String>,
        f: impl FnOnce(&mut Automerge, &edit::Commit) -> Result<(), edit::EditError>,
    ) -> Result<(), JsValue> {
        let id = doc_id(url)?;
        let before = heads_here(&self.inner, id);
        let mut failure = None;
        let out = self
            .inner
            .borrow_mut()
            .client
            .edit(id, js_sys::Date::now() as i64, |doc| {
                let commit = edit::Commit {
                    time_ms: js_sys::Date::now() as i64,
                    message,
                };
                failure = f(doc, &commit).err()
            })
            .map_err(err)?;
        outgoing::deliver_after(&self.inner, out);
        if let Some(e) = failure {
            return Err(err(e));
        }
        edited(&self.inner, id, &before);
        Ok(())
    }
}
