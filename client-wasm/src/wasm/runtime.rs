//! The browser's side of the client: the WebSocket dialled and re-dialled,
//! IndexedDB, other tabs over a `BroadcastChannel`, timers, and the events
//! handed to JS (no `RefCell` borrow held while JS runs).

use super::*;

/// Peers forget this tab at once when it closes, instead of after the TTL;
/// what waits for IndexedDB is written then.
pub(super) fn say_goodbye_on_pagehide(inner: &Rc<RefCell<Inner>>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let weak = Rc::downgrade(inner);
    let on_hide = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        if let Some(inner) = weak.upgrade() {
            super::pending::before_remote(&inner);
            persist_dirty(&inner);
            let out = inner.borrow_mut().client.leave_all();
            deliver(&inner, out);
        }
    });
    let _ = window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
    inner.borrow_mut().callbacks_page.push(on_hide);
}

/// Sends this tab's new changes to the other tabs.
fn tell_tabs(inner: &Rc<RefCell<Inner>>, id: DocumentId, before: &[ChangeHash]) {
    let i = inner.borrow();
    let (Some(tabs), Some(doc)) = (i.tabs.as_ref(), i.client.doc(id)) else {
        return;
    };
    let changes = doc.save_after(before);
    if changes.is_empty() {
        return;
    }
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"doc".into(), &id.to_string().into());
    let _ = js_sys::Reflect::set(&msg, &"changes".into(), &Uint8Array::from(&changes[..]));
    let _ = tabs.post_message(&msg);
}

/// Merges what other tabs send.
pub(super) fn listen_to_tabs(inner: &Rc<RefCell<Inner>>) {
    let Ok(tabs) = BroadcastChannel::new("codraft-documents") else {
        return;
    };
    let weak = Rc::downgrade(inner);
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let Some(inner) = weak.upgrade() else { return };
        let Ok(e) = e.dyn_into::<MessageEvent>() else {
            return;
        };
        let data = e.data();
        let id = js_sys::Reflect::get(&data, &"doc".into())
            .ok()
            .and_then(|v| v.as_string());
        let Some(Ok(id)) = id.map(|s| s.parse::<DocumentId>()) else {
            return;
        };
        let Ok(changes) = js_sys::Reflect::get(&data, &"changes".into()) else {
            return;
        };
        let bytes = Uint8Array::new(&changes).to_vec();
        super::pending::before_remote(&inner);
        let merged = inner.borrow_mut().client.merge(id, &bytes);
        if let Ok(out) = merged {
            deliver(&inner, out);
            persist(&inner, id);
        }
    });
    tabs.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let mut i = inner.borrow_mut();
    i.tabs = Some(tabs);
    i._on_tab_message = Some(on_message);
}

/// Sends the frames (after any a keystroke queued, `outgoing`) and hands
/// the events to JS (no borrow held meanwhile).
pub(super) fn deliver(inner: &Rc<RefCell<Inner>>, out: Output) {
    if !out.frames.is_empty() && !inner.borrow().outgoing.is_empty() {
        super::outgoing::send_queued(inner);
    }
    let (ws, on_event) = {
        let i = inner.borrow();
        (i.ws.clone(), i.on_event.clone())
    };
    if let Some(ws) = ws.filter(|w| w.ready_state() == WebSocket::OPEN) {
        for f in &out.frames {
            let _ = ws.send_with_u8_array(f);
        }
    }
    for e in out.events {
        let json = match &e {
            ClientEvent::Connection(s) => json!({ "type": "connection", "state": match s {
                ConnectionState::Connecting => "connecting",
                ConnectionState::Online => "online",
                ConnectionState::Offline => "offline",
            }}),
            ClientEvent::ServerError(m) => json!({ "type": "error", "message": m }),
            ClientEvent::Ready(id) => {
                settle(inner, *id, true);
                json!({ "type": "ready", "url": id.to_url() })
            }
            ClientEvent::Unavailable(id) => {
                settle(inner, *id, false);
                json!({ "type": "unavailable", "url": id.to_url() })
            }
            ClientEvent::Changed { doc, patches } => {
                inner.borrow_mut().dirty.push(*doc);
                let i = inner.borrow();
                let Some(d) = i.client.doc(*doc) else {
                    continue;
                };
                let ps: Vec<Json> = edit::patches_to_json(d, patches);
                json!({ "type": "change", "url": doc.to_url(), "patches": ps })
            }
            ClientEvent::SaveState { doc, state } => {
                json!({ "type": "save", "url": doc.to_url(), "state": save_name(*state) })
            }
            ClientEvent::PresenceChanged { doc, peer } => {
                json!({ "type": "presence", "url": doc.to_url(), "peer": peer.to_string() })
            }
            ClientEvent::Refused { doc, why } => {
                json!({ "type": "refused", "url": doc.to_url(), "message": why })
            }
        };
        let _ = on_event.call1(&JsValue::NULL, &to_js(&json));
    }
}

pub(super) fn settle(inner: &Rc<RefCell<Inner>>, id: DocumentId, ok: bool) {
    let waiting = inner.borrow_mut().waiting.remove(&id).unwrap_or_default();
    for (resolve, reject) in waiting {
        if ok {
            let _ = resolve.call0(&JsValue::NULL);
        } else {
            let _ = reject.call1(
                &JsValue::NULL,
                &err(format!("document {id} is unavailable")),
            );
        }
    }
}

/// The document's heads in this tab (none if it is not open): what other
/// tabs are told about after a change.
pub(super) fn heads_here(inner: &Rc<RefCell<Inner>>, id: DocumentId) -> Vec<automerge::ChangeHash> {
    inner
        .borrow()
        .client
        .doc(id)
        .map(|d| d.get_heads())
        .unwrap_or_default()
}

/// After a local edit (`before`: the heads it was made on). Its document
/// is written to IndexedDB, and its changes go to the other tabs, at the
/// next tick (at most 50 ms later, and when the page goes away), not in
/// the keystroke: saving a long document costs the browser far more than
/// the edit (a compressed, hashed whole document; 1.7 ms of a 3 ms
/// keystroke into 50,000 characters), and telling the tabs rebuilds the
/// changes from the document and copies them to each tab (0.3 ms of a
/// 1.3 ms keystroke); the keystrokes of one tick share one write and one
/// message. The server relays the edit to the other tabs as well, sooner
/// when online. Without a tick (never connected), at once.
pub(super) fn edited(inner: &Rc<RefCell<Inner>>, id: DocumentId, before: &[ChangeHash]) {
    let ticking = inner.borrow().tick.is_some();
    if !ticking {
        tell_tabs(inner, id, before);
        return persist(inner, id);
    }
    let mut i = inner.borrow_mut();
    i.untold.entry(id).or_insert_with(|| before.to_vec());
    if !i.dirty.contains(&id) {
        i.dirty.push(id);
    }
}

/// Tells the other tabs, and writes to IndexedDB, what is waiting.
pub(super) fn persist_dirty(inner: &Rc<RefCell<Inner>>) {
    let untold = std::mem::take(&mut inner.borrow_mut().untold);
    for (id, before) in untold {
        tell_tabs(inner, id, &before);
    }
    let mut dirty = std::mem::take(&mut inner.borrow_mut().dirty);
    dirty.sort_by_key(|id| id.to_string());
    dirty.dedup();
    for id in dirty {
        persist(inner, id);
    }
}

/// Writes what is new of the document to IndexedDB (fire and forget):
/// the whole document now and then, else the changes since the last write
/// (`client::keep`).
pub(super) fn persist(inner: &Rc<RefCell<Inner>>, id: DocumentId) {
    let write = inner.borrow_mut().client.to_keep(id);
    let _ = match write {
        Some(Write::Whole(bytes)) => idb_put(&id.to_string(), &bytes),
        Some(Write::Append(bytes)) => idb_append(&id.to_string(), &bytes),
        None => return,
    };
}

pub(super) fn dial(inner: &Rc<RefCell<Inner>>) -> Result<(), JsValue> {
    let url = inner.borrow().url.clone();
    let out = inner.borrow_mut().client.connecting();
    deliver(inner, out);
    let ws = WebSocket::new(&url)?;
    ws.set_binary_type(BinaryType::Arraybuffer);
    let weak = Rc::downgrade(inner);
    let on_open = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        if let Some(inner) = weak.upgrade() {
            let out = inner.borrow_mut().client.socket_opened();
            deliver(&inner, out);
        }
    });
    let weak = Rc::downgrade(inner);
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let Some(inner) = weak.upgrade() else { return };
        let Ok(e) = e.dyn_into::<MessageEvent>() else {
            return;
        };
        let Ok(buf) = e.data().dyn_into::<js_sys::ArrayBuffer>() else {
            return;
        };
        let bytes = Uint8Array::new(&buf).to_vec();
        inner.borrow_mut().inbox.push(bytes);
        if inner.borrow().batching {
            schedule_flush(&inner);
        } else {
            flush_inbox(&inner);
        }
    });
    let weak = Rc::downgrade(inner);
    let socket = ws.clone();
    let on_close = Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
        let Some(inner) = weak.upgrade() else { return };
        let _ = _e.dyn_ref::<CloseEvent>();
        // Only the current socket's end counts.
        let current = inner.borrow().ws.as_ref().is_some_and(|w| *w == socket);
        if !current {
            return;
        }
        // What the socket brought before it closed comes first.
        flush_inbox(&inner);
        inner.borrow_mut().ws = None;
        let (out, delay) = inner
            .borrow_mut()
            .client
            .socket_closed(js_sys::Math::random());
        deliver(&inner, out);
        if !inner.borrow().paused {
            let weak = Rc::downgrade(&inner);
            let retry = Closure::once_into_js(move || {
                if let Some(inner) = weak.upgrade()
                    && !inner.borrow().paused
                    && inner.borrow().ws.is_none()
                {
                    let _ = dial(&inner);
                }
            });
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    retry.unchecked_ref(),
                    delay.as_millis() as i32,
                );
            }
        }
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut i = inner.borrow_mut();
    // The previous socket may still be closing: unhook its handlers before
    // its callbacks are dropped, so that its late `close` event calls
    // nothing (a dropped closure would throw in the page).
    if let Some(old) = i.callbacks_socket.take() {
        old.set_onopen(None);
        old.set_onmessage(None);
        old.set_onclose(None);
    }
    i.callbacks_socket = Some(ws.clone());
    i.ws = Some(ws);
    i.callbacks = vec![on_open, on_message, on_close];
    Ok(())
}

/// Hands the frames received so far to the client at the next animation
/// frame, as one batch (a long text's remote keystrokes then cost one walk
/// of it between two paints, not one each). A timer backs the animation
/// frame up: a hidden tab gets none, and must still sync.
fn schedule_flush(inner: &Rc<RefCell<Inner>>) {
    if std::mem::replace(&mut inner.borrow_mut().flush_scheduled, true) {
        return;
    }
    let Some(window) = web_sys::window() else {
        flush_inbox(inner);
        return;
    };
    for by_timer in [false, true] {
        let weak = Rc::downgrade(inner);
        let flush = Closure::once_into_js(move || {
            if let Some(inner) = weak.upgrade() {
                flush_inbox(&inner);
            }
        });
        let scheduled = if by_timer {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(flush.unchecked_ref(), 100)
                .is_ok()
        } else {
            window
                .request_animation_frame(flush.unchecked_ref())
                .is_ok()
        };
        if !scheduled {
            flush_inbox(inner);
        }
    }
}

/// Every frame received so far, to the client in one batch.
pub(super) fn flush_inbox(inner: &Rc<RefCell<Inner>>) {
    if inner.borrow().inbox.is_empty() {
        inner.borrow_mut().flush_scheduled = false;
        return;
    }
    super::pending::before_remote(inner);
    let frames = {
        let mut i = inner.borrow_mut();
        i.flush_scheduled = false;
        std::mem::take(&mut i.inbox)
    };
    if frames.is_empty() {
        return;
    }
    let started = super::measure::start(inner);
    let out = inner.borrow_mut().client.receive_all(&frames, now_ms());
    // The batch runs in an animation frame: its answers to the server
    // (`WebSocket.send`) leave in a task after it, once the frame that
    // shows its changes is drawn.
    super::outgoing::deliver_after(inner, out);
    super::measure::record(inner, started, frames.len());
}

/// Presence ticks and IndexedDB writes of remotely changed documents.
pub(super) fn start_ticking(inner: &Rc<RefCell<Inner>>) -> Result<(), JsValue> {
    if inner.borrow().tick.is_some() {
        return Ok(());
    }
    let weak = Rc::downgrade(inner);
    let tick = Closure::<dyn FnMut()>::new(move || {
        let Some(inner) = weak.upgrade() else { return };
        let out = inner.borrow_mut().client.tick(now_ms());
        deliver(&inner, out);
        persist_dirty(&inner);
    });
    let window = web_sys::window().ok_or_else(|| err("no window"))?;
    window.set_interval_with_callback_and_timeout_and_arguments_0(
        tick.as_ref().unchecked_ref(),
        50,
    )?;
    inner.borrow_mut().tick = Some(tick);
    Ok(())
}
