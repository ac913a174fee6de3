//! Accounts, sessions and API tokens, in Redis.

use super::*;

impl Users for RedisDirectory {
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
}
