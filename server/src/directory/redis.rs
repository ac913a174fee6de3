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
    fn create_user(&self, u: NewUser) -> BoxFuture<'_, Result<User>> {
        Box::pin(async move {
            let mut c = self.c();
            let id = uuid::Uuid::new_v4().simple().to_string();
            let claimed: bool = c
                .set_nx(k(&format!("email:{}", u.email.to_lowercase())), &id)
                .await
                .map_err(backend)?;
            if !claimed {
                return Err(DirectoryError::Exists(format!(
                    "an account with the email {}",
                    u.email
                )));
            }
            let _: () = ::redis::pipe()
                .atomic()
                .hset_multiple(
                    k(&format!("user:{id}")),
                    &[
                        ("email", u.email.as_str()),
                        ("name", u.name.as_str()),
                        ("organisation", u.organisation.as_str()),
                        ("sector", u.sector.as_str()),
                        ("password_hash", u.password_hash.as_str()),
                        ("admin", if u.admin { "1" } else { "0" }),
                    ],
                )
                .sadd(k("users"), &id)
                .query_async(&mut c)
                .await
                .map_err(backend)?;
            Ok(User {
                id,
                email: u.email,
                name: u.name,
                organisation: u.organisation,
                sector: u.sector,
                admin: u.admin,
            })
        })
    }

    fn user_by_email(&self, email: &str) -> BoxFuture<'_, Result<Option<(User, String)>>> {
        let email = email.to_lowercase();
        Box::pin(async move {
            let mut c = self.c();
            let id: Option<String> = c.get(k(&format!("email:{email}"))).await.map_err(backend)?;
            match id {
                Some(id) => Self::user_hash(&mut c, &id).await,
                None => Ok(None),
            }
        })
    }

    fn user(&self, id: &str) -> BoxFuture<'_, Result<Option<User>>> {
        let id = id.to_owned();
        Box::pin(async move { Ok(Self::user_hash(&mut self.c(), &id).await?.map(|(u, _)| u)) })
    }

    fn users(&self) -> BoxFuture<'_, Result<Vec<User>>> {
        Box::pin(async move {
            let mut c = self.c();
            let ids: Vec<String> = c.smembers(k("users")).await.map_err(backend)?;
            let mut out = Vec::new();
            for id in ids {
                if let Some((u, _)) = Self::user_hash(&mut c, &id).await? {
                    out.push(u);
                }
            }
            out.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(out)
        })
    }

    fn create_session(
        &self,
        user: &str,
        token_hash: &str,
        expires_ms: i64,
    ) -> BoxFuture<'_, Result<()>> {
        let (user, hash) = (user.to_owned(), token_hash.to_owned());
        Box::pin(async move {
            let key = k(&format!("session:{hash}"));
            let _: () = ::redis::pipe()
                .atomic()
                .hset_multiple(
                    &key,
                    &[
                        ("user", user.as_str()),
                        ("expires_ms", &expires_ms.to_string()),
                        ("revoked", "0"),
                    ],
                )
                .cmd("PEXPIREAT")
                .arg(&key)
                .arg(expires_ms.max(1))
                .ignore()
                .sadd(k(&format!("user-sessions:{user}")), &hash)
                .query_async(&mut self.c())
                .await
                .map_err(backend)?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str, now_ms: i64) -> BoxFuture<'_, Result<Option<Credential>>> {
        let key = k(&format!("session:{token_hash}"));
        Box::pin(self.credential(key, CredentialKind::Session, now_ms))
    }

    fn revoke_session(&self, token_hash: &str) -> BoxFuture<'_, Result<bool>> {
        let key = k(&format!("session:{token_hash}"));
        Box::pin(async move {
            let mut c = self.c();
            let was: Option<String> = c.hget(&key, "revoked").await.map_err(backend)?;
            if was.as_deref() != Some("0") {
                return Ok(false);
            }
            let _: () = c.hset(&key, "revoked", "1").await.map_err(backend)?;
            Ok(true)
        })
    }

    fn revoke_user(&self, user: &str) -> BoxFuture<'_, Result<()>> {
        let user = user.to_owned();
        Box::pin(async move {
            let mut c = self.c();
            let sessions: Vec<String> = c
                .smembers(k(&format!("user-sessions:{user}")))
                .await
                .map_err(backend)?;
            let tokens: Vec<String> = c
                .smembers(k(&format!("user-tokens:{user}")))
                .await
                .map_err(backend)?;
            let mut p = ::redis::pipe();
            p.atomic();
            for s in sessions {
                p.cmd("HSET")
                    .arg(k(&format!("session:{s}")))
                    .arg("revoked")
                    .arg("1")
                    .ignore();
            }
            for t in tokens {
                let hash: Option<String> = c
                    .hget(k(&format!("token-id:{t}")), "hash")
                    .await
                    .map_err(backend)?;
                p.cmd("HSET")
                    .arg(k(&format!("token-id:{t}")))
                    .arg("revoked")
                    .arg("1")
                    .ignore();
                if let Some(h) = hash {
                    p.cmd("HSET")
                        .arg(k(&format!("token:{h}")))
                        .arg("revoked")
                        .arg("1")
                        .ignore();
                }
            }
            let _: () = p.query_async(&mut c).await.map_err(backend)?;
            Ok(())
        })
    }

    fn create_token(
        &self,
        user: &str,
        name: &str,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<String>> {
        let (user, name, hash) = (user.to_owned(), name.to_owned(), token_hash.to_owned());
        Box::pin(async move {
            let id = uuid::Uuid::new_v4().simple().to_string();
            let fields = [
                ("id", id.as_str()),
                ("user", user.as_str()),
                ("name", name.as_str()),
                ("created_ms", &now_ms.to_string()),
                ("revoked", "0"),
                ("hash", hash.as_str()),
            ];
            let _: () = ::redis::pipe()
                .atomic()
                .hset_multiple(k(&format!("token:{hash}")), &fields)
                .hset_multiple(k(&format!("token-id:{id}")), &fields)
                .sadd(k(&format!("user-tokens:{user}")), &id)
                .query_async(&mut self.c())
                .await
                .map_err(backend)?;
            Ok(id)
        })
    }

    fn token(&self, token_hash: &str) -> BoxFuture<'_, Result<Option<Credential>>> {
        let key = k(&format!("token:{token_hash}"));
        Box::pin(self.credential(key, CredentialKind::ApiToken, 0))
    }

    fn tokens(&self, user: &str) -> BoxFuture<'_, Result<Vec<TokenInfo>>> {
        let user = user.to_owned();
        Box::pin(async move {
            let mut c = self.c();
            let ids: Vec<String> = c
                .smembers(k(&format!("user-tokens:{user}")))
                .await
                .map_err(backend)?;
            let mut out = Vec::new();
            for id in ids {
                let h: HashMap<String, String> = c
                    .hgetall(k(&format!("token-id:{id}")))
                    .await
                    .map_err(backend)?;
                out.push(TokenInfo {
                    id,
                    name: h.get("name").cloned().unwrap_or_default(),
                    created_ms: h
                        .get("created_ms")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0),
                    revoked: h.get("revoked").is_some_and(|r| r == "1"),
                });
            }
            out.sort_by_key(|t| t.created_ms);
            Ok(out)
        })
    }

    fn revoke_token(&self, user: &str, id: &str) -> BoxFuture<'_, Result<bool>> {
        let (user, id) = (user.to_owned(), id.to_owned());
        Box::pin(async move {
            let mut c = self.c();
            let h: HashMap<String, String> = c
                .hgetall(k(&format!("token-id:{id}")))
                .await
                .map_err(backend)?;
            if h.get("user") != Some(&user) || h.get("revoked").is_some_and(|r| r == "1") {
                return Ok(false);
            }
            let hash = h.get("hash").cloned().unwrap_or_default();
            let _: () = ::redis::pipe()
                .atomic()
                .hset(k(&format!("token-id:{id}")), "revoked", "1")
                .hset(k(&format!("token:{hash}")), "revoked", "1")
                .query_async(&mut c)
                .await
                .map_err(backend)?;
            Ok(true)
        })
    }

    fn groups(&self) -> BoxFuture<'_, Result<Vec<String>>> {
        Box::pin(async move { self.c().lrange(k("groups"), 0, -1).await.map_err(backend) })
    }

    fn create_group(&self, id: &str) -> BoxFuture<'_, Result<()>> {
        let id = id.to_owned();
        Box::pin(async move {
            let _: i64 = ::redis::Script::new(
                "if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then redis.call('RPUSH', KEYS[2], ARGV[1]) end return 1",
            )
            .key(k("group-set"))
            .key(k("groups"))
            .arg(&id)
            .invoke_async(&mut self.c())
            .await
            .map_err(backend)?;
            Ok(())
        })
    }

    fn members(&self, group: &str) -> BoxFuture<'_, Result<Vec<Member>>> {
        let group = group.to_owned();
        Box::pin(async move {
            let mut c = self.c();
            let roles: HashMap<String, String> = c
                .hgetall(k(&format!("members:{group}")))
                .await
                .map_err(backend)?;
            let mut out = Vec::new();
            for (user, role) in roles {
                if let (Some((u, _)), Some(r)) =
                    (Self::user_hash(&mut c, &user).await?, Role::parse(&role))
                {
                    out.push(Member { user: u, role: r });
                }
            }
            out.sort_by(|a, b| a.user.name.cmp(&b.user.name));
            Ok(out)
        })
    }

    fn all_roles(&self) -> BoxFuture<'_, Result<Vec<(String, String, Role)>>> {
        Box::pin(async move {
            let mut c = self.c();
            let groups: Vec<String> = c.lrange(k("groups"), 0, -1).await.map_err(backend)?;
            let mut out = Vec::new();
            for g in groups {
                let roles: HashMap<String, String> = c
                    .hgetall(k(&format!("members:{g}")))
                    .await
                    .map_err(backend)?;
                for (u, r) in roles {
                    if let Some(r) = Role::parse(&r) {
                        out.push((g.clone(), u, r));
                    }
                }
            }
            Ok(out)
        })
    }

    fn set_role(&self, group: &str, user: &str, role: Role) -> BoxFuture<'_, Result<()>> {
        let (group, user) = (group.to_owned(), user.to_owned());
        Box::pin(async move {
            let _: () = self
                .c()
                .hset(k(&format!("members:{group}")), &user, role.as_str())
                .await
                .map_err(backend)?;
            Ok(())
        })
    }

    fn remove_member(&self, group: &str, user: &str) -> BoxFuture<'_, Result<bool>> {
        let (group, user) = (group.to_owned(), user.to_owned());
        Box::pin(async move {
            let n: i64 = self
                .c()
                .hdel(k(&format!("members:{group}")), &user)
                .await
                .map_err(backend)?;
            Ok(n > 0)
        })
    }

    fn create_invitation(&self, token_hash: &str, inv: Invitation) -> BoxFuture<'_, Result<()>> {
        let key = k(&format!("invitation:{token_hash}"));
        Box::pin(async move {
            let _: () = ::redis::pipe()
                .atomic()
                .hset_multiple(
                    &key,
                    &[
                        ("group", inv.group.as_str()),
                        ("role", inv.role.as_str()),
                        ("email", inv.email.as_deref().unwrap_or("")),
                        ("invited_by", inv.invited_by.as_str()),
                        ("expires_ms", &inv.expires_ms.to_string()),
                    ],
                )
                .cmd("PEXPIREAT")
                .arg(&key)
                .arg(inv.expires_ms.max(1))
                .ignore()
                .query_async(&mut self.c())
                .await
                .map_err(backend)?;
            Ok(())
        })
    }

    fn invitation(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<Option<Invitation>>> {
        let key = k(&format!("invitation:{token_hash}"));
        Box::pin(async move {
            let h: HashMap<String, String> = self.c().hgetall(&key).await.map_err(backend)?;
            Ok(invitation_of(&h, now_ms))
        })
    }

    fn use_invitation(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<Option<Invitation>>> {
        let key = k(&format!("invitation:{token_hash}"));
        Box::pin(async move {
            let mut c = self.c();
            // Once: the first HSETNX of used_ms wins.
            let h: HashMap<String, String> = c.hgetall(&key).await.map_err(backend)?;
            let Some(inv) = invitation_of(&h, now_ms) else {
                return Ok(None);
            };
            let first: bool = c.hset_nx(&key, "used_ms", now_ms).await.map_err(backend)?;
            Ok(first.then_some(inv))
        })
    }

    fn restore_invitation(&self, token_hash: &str) -> BoxFuture<'_, Result<()>> {
        let key = k(&format!("invitation:{token_hash}"));
        Box::pin(async move {
            let _: () = self.c().hdel(&key, "used_ms").await.map_err(backend)?;
            Ok(())
        })
    }

    fn register_document(&self, d: DocInfo) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let json = serde_json::json!({ "group": d.group, "kind": d.kind, "created_by": d.created_by, "created_ms": d.created_ms });
            let _: () = ::redis::pipe()
                .atomic()
                .hset(k("documents"), d.id.to_string(), json.to_string())
                .rpush(k("documents-order"), d.id.to_string())
                .query_async(&mut self.c())
                .await
                .map_err(backend)?;
            Ok(())
        })
    }

    fn documents(&self) -> BoxFuture<'_, Result<Vec<DocInfo>>> {
        Box::pin(async move {
            let mut c = self.c();
            let order: Vec<String> = c
                .lrange(k("documents-order"), 0, -1)
                .await
                .map_err(backend)?;
            let all: HashMap<String, String> = c.hgetall(k("documents")).await.map_err(backend)?;
            let mut out = Vec::new();
            for id in order {
                let (Some(j), Ok(doc)) = (all.get(&id), id.parse::<DocumentId>()) else {
                    continue;
                };
                let v: serde_json::Value = serde_json::from_str(j).unwrap_or_default();
                out.push(DocInfo {
                    id: doc,
                    group: v["group"].as_str().unwrap_or_default().into(),
                    kind: v["kind"].as_str().unwrap_or_default().into(),
                    created_by: v["created_by"].as_str().unwrap_or_default().into(),
                    created_ms: v["created_ms"].as_i64().unwrap_or(0),
                });
            }
            Ok(out)
        })
    }

    fn audit_append(
        &self,
        doc: DocumentId,
        entries: Vec<(String, String, i64)>,
    ) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let key = format!("codraft:{{{doc}}}:audit");
            let mut p = ::redis::pipe();
            p.atomic();
            for (hash, user, time) in entries {
                p.cmd("XADD")
                    .arg(&key)
                    .arg("*")
                    .arg("change")
                    .arg(hash)
                    .arg("user")
                    .arg(user)
                    .arg("time")
                    .arg(time)
                    .ignore();
            }
            let _: () = p.query_async(&mut self.c()).await.map_err(backend)?;
            Ok(())
        })
    }

    fn audit(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<AuditEntry>>> {
        Box::pin(async move {
            let mut c = self.c();
            let r: StreamRangeReply = c
                .xrange_all(format!("codraft:{{{doc}}}:audit"))
                .await
                .map_err(backend)?;
            let mut names: HashMap<String, String> = HashMap::new();
            let mut out = Vec::new();
            for e in r.ids {
                let get = |f: &str| match e.map.get(f) {
                    Some(Value::BulkString(b)) => String::from_utf8_lossy(b).into_owned(),
                    _ => String::new(),
                };
                let user = get("user");
                if !names.contains_key(&user) {
                    let n = Self::user_hash(&mut c, &user)
                        .await?
                        .map(|(u, _)| u.name)
                        .unwrap_or_default();
                    names.insert(user.clone(), n);
                }
                out.push(AuditEntry {
                    change: get("change"),
                    user_name: names[&user].clone(),
                    user,
                    time_ms: get("time").parse().unwrap_or(0),
                });
            }
            Ok(out)
        })
    }

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
