//! The server's one clock: wall time as [`Millis`]. The sans-IO crates
//! never read a clock; this is where the server does.

use codraft_protocol::Millis;

pub fn now() -> Millis {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Millis(d.as_millis() as u64)
}

/// [`now`] as the signed milliseconds SQLite, Redis and JSON store.
pub fn now_ms() -> i64 {
    now().as_i64()
}
