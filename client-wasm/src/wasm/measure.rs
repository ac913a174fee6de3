//! What the long-text benchmark reads of the client
//! (`tests/js/long-text-bench.mjs`): how long each batch of frames took
//! (kept only once it asks: a page in use reads no clock for it), and a
//! switch to take frames one at a time as before batching.

use super::*;

/// Batches whose times are kept (the oldest go first).
pub(super) const KEPT: usize = 100_000;

/// Milliseconds, from the page's clock.
pub(super) fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// When a batch starts, if batches are measured.
pub(super) fn start(inner: &Rc<RefCell<Inner>>) -> Option<f64> {
    inner.borrow().measuring.then(now)
}

/// A batch of `frames` frames took from `started` until now.
pub(super) fn record(inner: &Rc<RefCell<Inner>>, started: Option<f64>, frames: usize) {
    let Some(started) = started else { return };
    let took = now() - started;
    let mut i = inner.borrow_mut();
    if i.batch_times.len() >= 3 * KEPT {
        i.batch_times.drain(..3);
    }
    i.batch_times.push(took);
    i.batch_times.push(frames as f64);
    i.batch_times.push(started);
}

#[wasm_bindgen]
impl CodraftClient {
    /// Batching of incoming frames (on by default): call before opening
    /// documents. Off, each frame is taken as it comes.
    #[wasm_bindgen(js_name = setBatching)]
    pub fn set_batching(&self, on: bool) {
        let mut i = self.inner.borrow_mut();
        i.batching = on;
        i.client.set_batched(on);
    }

    /// Keeps each batch's time from now on, for `takeBatchTimes`.
    #[wasm_bindgen(js_name = measureBatches)]
    pub fn measure_batches(&self) {
        self.inner.borrow_mut().measuring = true;
    }

    /// The batches taken in since the last call: `[milliseconds, frames,
    /// started]` triples, flat (`started` on the page's clock).
    #[wasm_bindgen(js_name = takeBatchTimes)]
    pub fn take_batch_times(&self) -> js_sys::Float64Array {
        let times = std::mem::take(&mut self.inner.borrow_mut().batch_times);
        js_sys::Float64Array::from(&times[..])
    }
}
