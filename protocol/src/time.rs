//! Time as the protocol's peers count it: milliseconds since the Unix
//! epoch. The sans-IO crates never read a clock; each shell reads its own
//! (the server's system clock, the browser's `Date.now()`) and passes a
//! [`Millis`].

use std::fmt;
use std::time::Duration;

/// Milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Millis(pub u64);

impl Millis {
    /// From a clock that may be before the epoch (negative: zero).
    pub fn from_signed(ms: i64) -> Self {
        Millis(ms.max(0) as u64)
    }

    pub fn as_u64(self) -> u64 {
        self.0
    }

    /// As a signed count, the way SQLite and JSON store it.
    pub fn as_i64(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX)
    }

    /// How long from `self` until `later` (zero if it has passed).
    pub fn until(self, later: Millis) -> Duration {
        Duration::from_millis(later.0.saturating_sub(self.0))
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        assert_eq!(Millis::from_signed(-5), Millis(0));
        assert_eq!(Millis(10).until(Millis(4)), Duration::ZERO);
        assert_eq!(Millis(4).until(Millis(10)), Duration::from_millis(6));
        assert_eq!(Millis(u64::MAX).as_i64(), i64::MAX);
    }
}
