//! A keystroke's frames, and a remote batch's answers, leave in a task of
//! their own, right after the keystroke's or the animation frame's.
//! `WebSocket.send` costs Chromium about 0.3 ms a frame on the page's
//! thread (measured at 0.38 ms of a 1 ms keystroke into a
//! 50,000-character text): sent in the keystroke or in the frame that
//! shows a peer's keystroke, it would delay what the field shows by that
//! much. Frames keep their order: anything sent directly
//! (`runtime::deliver`) first sends what waits here.

use super::*;

/// Queues the frames of a local edit or a remote batch and hands its
/// events to JS now. In a hidden page (its timers held back to once a
/// second or less) the frames go at once: nobody waits there for a
/// keystroke to show.
pub(super) fn deliver_after(inner: &Rc<RefCell<Inner>>, mut out: Output) {
    if hidden() {
        return deliver(inner, out);
    }
    let frames = std::mem::take(&mut out.frames);
    if !frames.is_empty() {
        let schedule = {
            let mut i = inner.borrow_mut();
            i.outgoing.extend(frames);
            !std::mem::replace(&mut i.send_scheduled, true)
        };
        if schedule {
            schedule_send(inner);
        }
    }
    deliver(inner, out);
}

fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

fn schedule_send(inner: &Rc<RefCell<Inner>>) {
    let weak = Rc::downgrade(inner);
    let send = Closure::once_into_js(move || {
        if let Some(inner) = weak.upgrade() {
            send_queued(&inner);
        }
    });
    let scheduled = web_sys::window().is_some_and(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(send.unchecked_ref(), 0)
            .is_ok()
    });
    if !scheduled {
        send_queued(inner);
    }
}

/// Sends what waits (on an open socket; else the sync resumes when one
/// opens, as for any frame a closed socket loses).
pub(super) fn send_queued(inner: &Rc<RefCell<Inner>>) {
    let (ws, frames) = {
        let mut i = inner.borrow_mut();
        i.send_scheduled = false;
        (i.ws.clone(), std::mem::take(&mut i.outgoing))
    };
    if let Some(ws) = ws.filter(|w| w.ready_state() == WebSocket::OPEN) {
        for f in &frames {
            let _ = ws.send_with_u8_array(f);
        }
    }
}
