//! Documents' groups and the audit log, in Redis.

use super::*;

impl Records for RedisDirectory {
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
}
