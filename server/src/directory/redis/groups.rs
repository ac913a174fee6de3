//! Groups, roles and invitations, in Redis.

use super::*;

impl Groups for RedisDirectory {
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
}
