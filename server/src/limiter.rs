//! Rate limits of the accounts: failed sign-ins and card creation.
//!
//! Failed sign-ins are counted three ways in a 15-minute window:
//! - per (account, address) pair: 5 failures refuse that pair (HTTP 429) —
//!   so whoever guesses from one address locks out only themselves;
//! - per address: 20 failures refuse the address, whatever the account;
//! - per account, from anywhere: past 5 failures every further try waits
//!   (a delay that doubles, up to 8 s) but is never refused, so that the
//!   owner, from their own address, still gets in.
//!
//! Counters live in the directory when it is shared by several instances
//! (Redis, with expiring keys), else in this process, where empty windows
//! are dropped so that a flood of made-up emails does not grow memory.
//! Keys are hashes of the email, of a bounded size whatever was typed.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::directory::{Directory, DirectoryError};

/// The window of every sign-in counter.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
const PER_PAIR: u64 = 5;
const PER_ADDRESS: u64 = 20;
/// Failures on an account before its tries are slowed down.
const SLOW_AFTER: u64 = 5;
const FIRST_DELAY: Duration = Duration::from_millis(250);
const MAX_DELAY: Duration = Duration::from_secs(8);
/// Keys kept in this process before old windows are swept.
const SWEEP_ABOVE: usize = 1024;

/// What a sign-in attempt may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Try, after waiting this long.
    Try(Duration),
    /// Too many failures from this address (or for this account from it).
    Refuse,
}

/// Counts events per key in a sliding window, in this process.
#[derive(Debug, Default)]
struct Windows {
    hits: HashMap<String, Vec<Instant>>,
}

impl Windows {
    fn count(&mut self, key: &str, window: Duration) -> u64 {
        let now = Instant::now();
        let Some(v) = self.hits.get_mut(key) else {
            return 0;
        };
        v.retain(|t| now.duration_since(*t) < window);
        let n = v.len() as u64;
        if n == 0 {
            self.hits.remove(key);
        }
        n
    }

    fn add(&mut self, key: String, window: Duration) {
        let now = Instant::now();
        if self.hits.len() >= SWEEP_ABOVE {
            self.hits.retain(|_, v| {
                v.retain(|t| now.duration_since(*t) < window);
                !v.is_empty()
            });
        }
        self.hits.entry(key).or_default().push(now);
    }

    fn len(&self) -> usize {
        self.hits.len()
    }
}

#[derive(Debug, Default)]
pub struct Limiter {
    sign_ins: Mutex<Windows>,
    cards: Mutex<Windows>,
    proposals: Mutex<Windows>,
}

fn account_key(email: &str) -> String {
    hex::encode(&Sha256::digest(email.trim().to_lowercase().as_bytes())[..16])
}

fn keys(email: &str, addr: IpAddr) -> [String; 3] {
    let account = account_key(email);
    [
        format!("pair:{account}:{addr}"),
        format!("addr:{addr}"),
        format!("account:{account}"),
    ]
}

impl Limiter {
    async fn count(&self, dir: &dyn Directory, key: &str) -> Result<u64, DirectoryError> {
        Ok(match dir.failures(key).await? {
            Some(n) => n,
            None => self.sign_ins.lock().unwrap().count(key, WINDOW),
        })
    }

    /// Whether (and when) a sign-in may be tried for this account from
    /// this address.
    pub async fn verdict(
        &self,
        dir: &dyn Directory,
        email: &str,
        addr: IpAddr,
    ) -> Result<Verdict, DirectoryError> {
        let [pair, address, account] = keys(email, addr);
        if self.count(dir, &pair).await? >= PER_PAIR
            || self.count(dir, &address).await? >= PER_ADDRESS
        {
            return Ok(Verdict::Refuse);
        }
        let n = self.count(dir, &account).await?;
        Ok(Verdict::Try(delay_after(n)))
    }

    /// Records a failed sign-in.
    pub async fn failed(
        &self,
        dir: &dyn Directory,
        email: &str,
        addr: IpAddr,
    ) -> Result<(), DirectoryError> {
        for key in keys(email, addr) {
            if !dir.add_failure(&key, WINDOW.as_millis() as i64).await? {
                self.sign_ins.lock().unwrap().add(key, WINDOW);
            }
        }
        Ok(())
    }

    /// Takes one of `user`'s `per_hour` card creations, if one is left
    /// (counted in this process).
    pub fn take_card(&self, user: &str, per_hour: usize) -> bool {
        let hour = Duration::from_secs(3600);
        let mut cards = self.cards.lock().unwrap();
        if cards.count(user, hour) >= per_hour as u64 {
            return false;
        }
        cards.add(user.to_owned(), hour);
        true
    }

    /// Takes one of an address's `per_hour` public proposals, if one is
    /// left (counted in this process).
    pub fn take_proposal(&self, addr: IpAddr, per_hour: usize) -> bool {
        let hour = Duration::from_secs(3600);
        let key = addr.to_string();
        let mut p = self.proposals.lock().unwrap();
        if p.count(&key, hour) >= per_hour as u64 {
            return false;
        }
        p.add(key, hour);
        true
    }

    /// Keys held in this process (for the memory test).
    pub fn held(&self) -> usize {
        self.sign_ins.lock().unwrap().len()
    }
}

/// The wait before a try on an account with `failures` recent failures.
fn delay_after(failures: u64) -> Duration {
    if failures < SLOW_AFTER {
        return Duration::ZERO;
    }
    let doublings = (failures - SLOW_AFTER).min(16) as u32;
    FIRST_DELAY.saturating_mul(1 << doublings).min(MAX_DELAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_and_stops_at_its_ceiling() {
        assert_eq!(delay_after(0), Duration::ZERO);
        assert_eq!(delay_after(4), Duration::ZERO);
        assert_eq!(delay_after(5), Duration::from_millis(250));
        assert_eq!(delay_after(6), Duration::from_millis(500));
        assert_eq!(delay_after(100), MAX_DELAY);
    }

    #[test]
    fn keys_are_bounded_whatever_the_email() {
        let long = "x".repeat(2_000_000);
        for k in keys(&long, "127.0.0.1".parse().unwrap()) {
            assert!(k.len() < 80, "{}", k.len());
        }
    }

    #[test]
    fn empty_windows_are_swept() {
        let mut w = Windows::default();
        for i in 0..SWEEP_ABOVE {
            w.add(format!("k{i}"), Duration::ZERO);
        }
        w.add("last".into(), Duration::ZERO);
        assert!(w.len() <= 2, "old windows kept: {}", w.len());
    }

    #[test]
    fn cards_per_hour_are_counted_per_person() {
        let l = Limiter::default();
        assert!(l.take_card("a", 2));
        assert!(l.take_card("a", 2));
        assert!(!l.take_card("a", 2));
        assert!(l.take_card("b", 2));
    }
}
