//! The directory in Redis, for several instances. Every key carries the
//! hash tag `{dir}` (one Cluster slot: the directory is small), except each
//! document's audit log, a stream beside the document's own keys
//! (`codraft:{id}:audit`, append-only by construction: only `XADD`).
//! Changes other instances must reflect go out on `codraft:{dir}:events`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ::redis::aio::ConnectionManager;
use ::redis::streams::StreamRangeReply;
use ::redis::{AsyncCommands, Value};
use codraft_protocol::DocumentId;
use futures_util::StreamExt;

use super::*;

mod groups;
mod hooks;
mod inbox;
mod records;
mod reviews;
mod users;
use crate::store::BoxFuture;

fn k(what: &str) -> String {
    format!("codraft:{{dir}}:{what}")
}

const EVENTS: &str = "codraft:{dir}:events";

fn backend(e: ::redis::RedisError) -> DirectoryError {
    DirectoryError::Backend(format!("redis: {e}"))
}

type Listener = Arc<dyn Fn(DirEvent) + Send + Sync>;

#[derive(Clone)]
pub struct RedisDirectory {
    client: ::redis::Client,
    conn: ConnectionManager,
    /// This process: its own events are not applied twice.
    instance: String,
    listeners: Arc<Mutex<Vec<Listener>>>,
}

impl std::fmt::Debug for RedisDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisDirectory")
            .field("instance", &self.instance)
            .finish()
    }
}

fn user_of(h: &HashMap<String, String>, id: &str) -> Option<User> {
    Some(User {
        id: id.to_owned(),
        email: h.get("email")?.clone(),
        name: h.get("name")?.clone(),
        organisation: h.get("organisation").cloned().unwrap_or_default(),
        sector: Sector::parse(h.get("sector")?).unwrap_or(Sector::Other),
        admin: h.get("admin").is_some_and(|a| a == "1"),
    })
}

impl RedisDirectory {
    pub async fn connect(url: &str, instance: String) -> Result<Self> {
        let client = ::redis::Client::open(url).map_err(backend)?;
        let conn = client.get_connection_manager().await.map_err(backend)?;
        // Subscribed before anything is read, so no later change is missed.
        let mut first = client.get_async_pubsub().await.map_err(backend)?;
        first.subscribe(EVENTS).await.map_err(backend)?;
        let dir = RedisDirectory {
            client,
            conn,
            instance,
            listeners: Arc::new(Mutex::new(Vec::new())),
        };
        tokio::spawn(events(
            dir.client.clone(),
            first,
            dir.instance.clone(),
            Arc::downgrade(&dir.listeners),
        ));
        Ok(dir)
    }

    fn c(&self) -> ConnectionManager {
        self.conn.clone()
    }

    async fn user_hash(c: &mut ConnectionManager, id: &str) -> Result<Option<(User, String)>> {
        let h: HashMap<String, String> =
            c.hgetall(k(&format!("user:{id}"))).await.map_err(backend)?;
        Ok(user_of(&h, id).map(|u| (u, h.get("password_hash").cloned().unwrap_or_default())))
    }

    async fn credential(
        &self,
        key: String,
        kind: CredentialKind,
        now_ms: i64,
    ) -> Result<Option<Credential>> {
        let mut c = self.c();
        let h: HashMap<String, String> = c.hgetall(&key).await.map_err(backend)?;
        if h.is_empty() || h.get("revoked").is_some_and(|r| r == "1") {
            return Ok(None);
        }
        if kind == CredentialKind::Session
            && h.get("expires_ms")
                .and_then(|e| e.parse::<i64>().ok())
                .unwrap_or(0)
                <= now_ms
        {
            return Ok(None);
        }
        let Some(user) = h.get("user") else {
            return Ok(None);
        };
        let Some((user, _)) = Self::user_hash(&mut c, user).await? else {
            return Ok(None);
        };
        let id = match kind {
            CredentialKind::Session => key.rsplit(':').next().unwrap_or_default().to_owned(),
            CredentialKind::ApiToken => h.get("id").cloned().unwrap_or_default(),
        };
        let expires_ms = match kind {
            CredentialKind::Session => h.get("expires_ms").and_then(|e| e.parse().ok()),
            CredentialKind::ApiToken => None,
        };
        Ok(Some(Credential {
            user,
            kind,
            id,
            expires_ms,
        }))
    }
}

/// Follows `codraft:{dir}:events` (reconnecting) and calls the listeners
/// with what other instances did.
async fn events(
    client: ::redis::Client,
    first: ::redis::aio::PubSub,
    instance: String,
    listeners: std::sync::Weak<Mutex<Vec<Listener>>>,
) {
    let mut next = Some(first);
    loop {
        if listeners.strong_count() == 0 {
            return;
        }
        let mut pubsub = match next.take() {
            Some(p) => p,
            None => {
                let mut p = match client.get_async_pubsub().await {
                    Ok(p) => p,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        continue;
                    }
                };
                if p.subscribe(EVENTS).await.is_err() {
                    continue;
                }
                // Whatever happened while we were away: start from the store.
                let Some(ls) = listeners.upgrade() else {
                    return;
                };
                let ls: Vec<_> = ls.lock().unwrap().clone();
                for l in ls {
                    l(DirEvent::Reload);
                }
                p
            }
        };
        let mut stream = pubsub.on_message();
        while let Some(msg) = stream.next().await {
            let payload: String = msg.get_payload().unwrap_or_default();
            let Some((from, json)) = payload.split_once('\n') else {
                continue;
            };
            if from == instance {
                continue;
            }
            let Ok(ev) = serde_json::from_str::<DirEvent>(json) else {
                continue;
            };
            let Some(ls) = listeners.upgrade() else {
                return;
            };
            let ls: Vec<_> = ls.lock().unwrap().clone();
            for l in ls {
                l(ev.clone());
            }
        }
        tracing::warn!("directory events: subscription lost, reconnecting");
    }
}

impl Directory for RedisDirectory {
    fn notify(&self, event: DirEvent) {
        let mut c = self.c();
        let payload = format!(
            "{}\n{}",
            self.instance,
            serde_json::to_string(&event).unwrap_or_default()
        );
        tokio::spawn(async move {
            let r: ::redis::RedisResult<i64> = c.publish(EVENTS, payload).await;
            if let Err(e) = r {
                tracing::error!(error = %e, "directory event not published");
            }
        });
    }

    fn failures(&self, key: &str) -> BoxFuture<'_, Result<Option<u64>>> {
        let key = k(&format!("fail:{key}"));
        Box::pin(async move {
            let n: Option<u64> = self.c().get(&key).await.map_err(backend)?;
            Ok(Some(n.unwrap_or(0)))
        })
    }

    fn add_failure(&self, key: &str, window_ms: i64) -> BoxFuture<'_, Result<bool>> {
        let key = k(&format!("fail:{key}"));
        Box::pin(async move {
            let mut c = self.c();
            let n: u64 = c.incr(&key, 1).await.map_err(backend)?;
            if n == 1 {
                // The window starts at the first failure.
                let _: bool = c.pexpire(&key, window_ms).await.map_err(backend)?;
            }
            Ok(true)
        })
    }

    fn listen(&self, f: Arc<dyn Fn(DirEvent) + Send + Sync>) {
        self.listeners.lock().unwrap().push(f);
    }
}

fn invitation_of(h: &HashMap<String, String>, now_ms: i64) -> Option<Invitation> {
    if h.is_empty() || h.contains_key("used_ms") {
        return None;
    }
    let expires_ms: i64 = h.get("expires_ms")?.parse().ok()?;
    if expires_ms <= now_ms {
        return None;
    }
    Some(Invitation {
        group: h.get("group")?.clone(),
        role: Role::parse(h.get("role")?)?,
        email: h.get("email").filter(|e| !e.is_empty()).cloned(),
        invited_by: h.get("invited_by")?.clone(),
        expires_ms,
    })
}
