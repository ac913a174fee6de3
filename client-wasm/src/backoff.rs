//! Reconnect delays: exponential with full jitter, capped.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    attempt: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(500),
            max: Duration::from_secs(30),
            attempt: 0,
        }
    }
}

impl Backoff {
    pub fn new(base: Duration, max: Duration) -> Self {
        Backoff {
            base,
            max,
            attempt: 0,
        }
    }

    /// The delay before the next attempt; `jitter` is a random number in
    /// [0, 1) from the caller (the core reads no randomness itself).
    pub fn next_delay(&mut self, jitter: f64) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << self.attempt.min(16))
            .min(self.max);
        self.attempt = self.attempt.saturating_add(1);
        ceiling
            .mul_f64(jitter.clamp(0.0, 1.0))
            .max(Duration::from_millis(50))
    }

    /// After a successful connection.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_is_capped_and_resets() {
        let mut b = Backoff::default();
        let d: Vec<_> = (0..10).map(|_| b.next_delay(0.999)).collect();
        assert!(d[1] > d[0] && d[2] > d[1]);
        assert!(d[9] <= Duration::from_secs(30));
        assert!(d[9] > Duration::from_secs(29));
        b.reset();
        assert!(b.next_delay(0.999) < Duration::from_secs(1));
        assert_eq!(b.next_delay(0.0), Duration::from_millis(50), "never zero");
    }
}
