//! The fan-out window: a busy document gathers what arrives within
//! `fanout_window` of its previous batch and takes it in one batch, so that
//! several changes reach each peer as one message (one write, and one
//! acknowledgement back, instead of one per change). The first message
//! after a quiet moment opens a window and is taken at once; a full batch
//! (a backlog) opens none. The reference automerge-repo server does the
//! same with 100 ms (`DocSynchronizer.syncDebounceRate`); Codraft's
//! default is 20 ms.

use std::time::Duration;

use tokio::time::Instant;

pub(super) struct Window {
    length: Duration,
    /// Until when the queue is left to gather.
    until: Option<Instant>,
}

impl Window {
    pub(super) fn new(length: Duration) -> Self {
        Window {
            length,
            until: None,
        }
    }

    /// A batch is taken now: what comes within the window waits for it to
    /// close (no window at all when its length is zero).
    pub(super) fn open(&mut self) {
        if !self.length.is_zero() {
            self.until = Some(Instant::now() + self.length);
        }
    }

    /// Whether the queue is being left to gather.
    pub(super) fn gathering(&self) -> bool {
        self.until.is_some_and(|t| t > Instant::now())
    }

    /// Ends when the window closes (at once when none is open).
    pub(super) async fn closed(&self) {
        tokio::time::sleep_until(self.until.unwrap_or_else(Instant::now)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_window_gathers_until_it_closes() {
        let mut w = Window::new(Duration::from_secs(30));
        assert!(!w.gathering(), "nothing gathers before a first batch");
        w.open();
        assert!(w.gathering());
        w.until = Some(Instant::now() + Duration::from_millis(50));
        w.closed().await;
        assert!(!w.gathering(), "closed: the next batch is taken");
    }

    #[tokio::test]
    async fn a_zero_window_never_gathers() {
        let mut w = Window::new(Duration::ZERO);
        w.open();
        assert!(!w.gathering());
        w.closed().await;
    }
}
