//! Webhooks per group, for a ministry's own tools: a co-coordinator
//! registers a URL (and which events), and each event of the group's cards
//! — a change of stage, an approval, a new comment — is POSTed there as
//! JSON, signed with the webhook's secret (`X-Codraft-Signature:
//! sha256=<hex HMAC-SHA256 of the body>`).
//!
//! Deliveries go through the directory's outbox (queue `hooks`), so an
//! event never waits on a receiver: a background task posts what is due,
//! with a timeout; a receiver that fails, answers 5xx or hangs gets the
//! delivery again later (the delay doubling), up to [`MAX_ATTEMPTS`]
//! tries. Every try is written to the webhook's delivery log, which the
//! group's co-coordinators read.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tokio_util::sync::CancellationToken;
use utoipa::ToSchema;

use crate::directory::{Directory, DirectoryError};

/// The outbox's queue of deliveries.
pub const QUEUE: &str = "hooks";
/// Tries of one delivery before it is given up (and logged so).
pub const MAX_ATTEMPTS: u32 = 8;
const LEASE_MS: i64 = 120_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HookEvent {
    /// A card moved to another stage (draft, group review, validated…).
    StageChanged,
    /// A co-coordinator approved a version of a card.
    Approved,
    /// A comment or suggestion was posted.
    Comment,
}

impl HookEvent {
    pub const ALL: [HookEvent; 3] = [
        HookEvent::StageChanged,
        HookEvent::Approved,
        HookEvent::Comment,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::StageChanged => "stage_changed",
            HookEvent::Approved => "approved",
            HookEvent::Comment => "comment",
        }
    }
}

/// A registered webhook, as stored (the secret signs deliveries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hook {
    pub id: String,
    pub group: String,
    pub url: String,
    pub secret: String,
    pub events: Vec<HookEvent>,
    pub created_by: String,
    pub created_ms: i64,
}

/// A webhook as co-coordinators see it (never its secret again).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HookView {
    pub id: String,
    pub url: String,
    pub events: Vec<HookEvent>,
    pub created_by: String,
    pub created_ms: i64,
    /// The newest tries first.
    pub log: Vec<LogEntry>,
}

/// One try of one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LogEntry {
    pub delivery: String,
    pub event: HookEvent,
    /// 1 for the first try.
    pub attempt: u32,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub ok: bool,
    /// The last try failed too: no more.
    pub gave_up: bool,
    pub time_ms: i64,
}

/// A delivery waiting in the outbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Delivery {
    id: String,
    hook: String,
    url: String,
    secret: String,
    event: HookEvent,
    body: String,
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[derive(Debug)]
pub struct Dispatcher {
    dir: Arc<dyn Directory>,
    client: reqwest::Client,
    retry: Duration,
    poll: Duration,
}

impl Dispatcher {
    pub fn new(
        dir: Arc<dyn Directory>,
        timeout: Duration,
        retry: Duration,
        poll: Duration,
    ) -> Arc<Self> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Codraft-Webhooks/1")
            .build()
            .unwrap_or_default();
        Arc::new(Dispatcher {
            dir,
            client,
            retry,
            poll,
        })
    }

    /// The group's webhooks.
    pub async fn hooks(&self, group: &str) -> Result<Vec<Hook>, DirectoryError> {
        Ok(self
            .dir
            .hooks(group)
            .await?
            .iter()
            .filter_map(|j| serde_json::from_str(j).ok())
            .collect())
    }

    pub async fn log(&self, hook: &str, limit: usize) -> Result<Vec<LogEntry>, DirectoryError> {
        Ok(self
            .dir
            .hook_log(hook, limit)
            .await?
            .iter()
            .filter_map(|j| serde_json::from_str(j).ok())
            .collect())
    }

    /// Queues `event` (with `data`) for each of the group's webhooks that
    /// asked for it. Failures are logged: what happened stays done.
    pub async fn fire(&self, group: &str, event: HookEvent, data: serde_json::Value) {
        let hooks = match self.hooks(group).await {
            Ok(h) => h,
            Err(e) => {
                tracing::warn!(error = %e, "webhooks could not be read");
                return;
            }
        };
        let now = crate::clock::now_ms();
        for h in hooks.into_iter().filter(|h| h.events.contains(&event)) {
            let id = uuid::Uuid::new_v4().simple().to_string();
            let body = serde_json::json!({
                "event": event,
                "delivery": id,
                "group": group,
                "time_ms": now,
                "data": data,
            })
            .to_string();
            let d = Delivery {
                id,
                hook: h.id,
                url: h.url,
                secret: h.secret,
                event,
                body,
            };
            let json = serde_json::to_string(&d).unwrap_or_default();
            if let Err(e) = self.dir.out_queue(QUEUE, json, now).await {
                tracing::warn!(error = %e, "a webhook delivery was not queued");
            }
        }
    }

    /// Delivers what is due until `stop`.
    pub async fn run(self: Arc<Self>, stop: CancellationToken) {
        loop {
            if let Err(e) = self.deliver_due().await {
                tracing::warn!(error = %e, "the webhook outbox could not be read");
            }
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(self.poll) => {}
            }
        }
    }

    /// One pass over the due deliveries (each posted once, concurrently).
    pub async fn deliver_due(&self) -> Result<(), DirectoryError> {
        let due = self
            .dir
            .out_claim(QUEUE, crate::clock::now_ms(), LEASE_MS, 50)
            .await?;
        let tries = due
            .into_iter()
            .map(|(id, json, attempts)| self.try_one(id, json, attempts));
        for r in futures_util::future::join_all(tries).await {
            r?;
        }
        Ok(())
    }

    async fn try_one(&self, id: i64, json: String, attempts: u32) -> Result<(), DirectoryError> {
        let Ok(d) = serde_json::from_str::<Delivery>(&json) else {
            return self.dir.out_done(QUEUE, id).await;
        };
        let res = self
            .client
            .post(&d.url)
            .header("content-type", "application/json")
            .header("x-codraft-event", d.event.as_str())
            .header("x-codraft-delivery", &d.id)
            .header("x-codraft-signature", sign(&d.secret, d.body.as_bytes()))
            .body(d.body.clone())
            .send()
            .await;
        let (status, error) = match &res {
            Ok(r) if r.status().is_success() => (Some(r.status().as_u16()), None),
            Ok(r) => (
                Some(r.status().as_u16()),
                Some(format!("HTTP {}", r.status().as_u16())),
            ),
            Err(e) if e.is_timeout() => (None, Some("timed out".to_owned())),
            Err(e) => (None, Some(e.to_string())),
        };
        let ok = error.is_none();
        let attempt = attempts + 1;
        let gave_up = !ok && attempt >= MAX_ATTEMPTS;
        let entry = LogEntry {
            delivery: d.id.clone(),
            event: d.event,
            attempt,
            status,
            error: error.clone(),
            ok,
            gave_up,
            time_ms: crate::clock::now_ms(),
        };
        self.dir
            .hook_log_add(&d.hook, serde_json::to_string(&entry).unwrap_or_default())
            .await?;
        if ok || gave_up {
            self.dir.out_done(QUEUE, id).await
        } else {
            let wait = crate::mail::backoff(self.retry, attempts);
            let next = crate::clock::now_ms() + wait.as_millis() as i64;
            self.dir
                .out_failed(QUEUE, id, next, error.unwrap_or_default())
                .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_sha256_of_the_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
