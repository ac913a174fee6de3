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

    fn audit_append(&self, doc: DocumentId, entries: Vec<AuditRow>) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let key = audit_key(doc);
            let mut p = ::redis::pipe();
            p.atomic();
            for e in entries {
                p.cmd("XADD")
                    .arg(&key)
                    .arg("*")
                    .arg("change")
                    .arg(e.change)
                    .arg("user")
                    .arg(e.user)
                    .arg("time")
                    .arg(e.time_ms)
                    .arg("summary")
                    .arg(serde_json::to_string(&e.summary).unwrap_or_default())
                    .ignore();
            }
            let _: () = p.query_async(&mut self.c()).await.map_err(backend)?;
            Ok(())
        })
    }

    fn audit(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<AuditEntry>>> {
        Box::pin(async move {
            let mut c = self.c();
            let r: StreamRangeReply = c.xrange_all(audit_key(doc)).await.map_err(backend)?;
            self.entries(&mut c, r).await
        })
    }

    fn audit_page(
        &self,
        doc: DocumentId,
        before: Option<String>,
        limit: usize,
    ) -> BoxFuture<'_, Result<Vec<AuditEntry>>> {
        Box::pin(async move {
            let mut c = self.c();
            // Exclusive range: "(" before the id (Redis 6.2+).
            let end = before.map_or("+".to_owned(), |b| format!("({b}"));
            let r: StreamRangeReply = c
                .xrevrange_count(audit_key(doc), end, "-", limit)
                .await
                .map_err(backend)?;
            self.entries(&mut c, r).await
        })
    }
}

fn audit_key(doc: DocumentId) -> String {
    format!("codraft:{{{doc}}}:audit")
}

impl RedisDirectory {
    /// Stream entries as audit entries, each user looked up once.
    async fn entries(
        &self,
        c: &mut ConnectionManager,
        r: StreamRangeReply,
    ) -> Result<Vec<AuditEntry>> {
        let mut users: HashMap<String, (String, Sector)> = HashMap::new();
        let mut out = Vec::new();
        for e in r.ids {
            let get = |f: &str| match e.map.get(f) {
                Some(Value::BulkString(b)) => String::from_utf8_lossy(b).into_owned(),
                _ => String::new(),
            };
            let user = get("user");
            if !users.contains_key(&user) {
                let found = Self::user_hash(c, &user)
                    .await?
                    .map(|(u, _)| (u.name, u.sector))
                    .unwrap_or((String::new(), Sector::Other));
                users.insert(user.clone(), found);
            }
            let (user_name, sector) = users[&user].clone();
            out.push(AuditEntry {
                cursor: e.id.clone(),
                change: get("change"),
                user_name,
                sector,
                user,
                time_ms: get("time").parse().unwrap_or(0),
                summary: serde_json::from_str(&get("summary")).unwrap_or_default(),
            });
        }
        Ok(out)
    }
}
