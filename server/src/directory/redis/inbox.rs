//! Each person's notifications, in Redis: a hash of notes by id, a set of
//! the unread ids, and one counter for ids across instances. A person
//! keeps their newest [`KEEP`] notes. Their e-mail choices: one string.
//! E-mails waiting: a sorted set of ids by due time, hashes of messages
//! and attempts; a script claims the due ones (atomic across instances).

use super::*;

const KEEP: usize = 500;

fn notes_key(user: &str) -> String {
    format!("codraft:inbox:{{{user}}}:notes")
}
fn unread_key(user: &str) -> String {
    format!("codraft:inbox:{{{user}}}:unread")
}

impl Inbox for RedisDirectory {
    fn inbox_add(&self, user: &str, note: String) -> BoxFuture<'_, Result<i64>> {
        let user = user.to_owned();
        Box::pin(async move {
            let mut c = self.c();
            let id: i64 = c.incr("codraft:inbox:seq", 1).await.map_err(backend)?;
            let _: () = ::redis::pipe()
                .atomic()
                .hset(notes_key(&user), id, note)
                .sadd(unread_key(&user), id)
                .query_async(&mut c)
                .await
                .map_err(backend)?;
            let mut ids: Vec<i64> = c.hkeys(notes_key(&user)).await.map_err(backend)?;
            if ids.len() > KEEP {
                ids.sort_unstable();
                let old = &ids[..ids.len() - KEEP];
                let _: () = ::redis::pipe()
                    .hdel(notes_key(&user), old)
                    .srem(unread_key(&user), old)
                    .query_async(&mut c)
                    .await
                    .map_err(backend)?;
            }
            Ok(id)
        })
    }

    fn inbox(&self, user: &str, limit: usize) -> BoxFuture<'_, Result<Vec<(i64, String, bool)>>> {
        let user = user.to_owned();
        Box::pin(async move {
            let mut c = self.c();
            let all: Vec<(i64, String)> = c.hgetall(notes_key(&user)).await.map_err(backend)?;
            let unread: Vec<i64> = c.smembers(unread_key(&user)).await.map_err(backend)?;
            let mut all = all;
            all.sort_unstable_by_key(|n| std::cmp::Reverse(n.0));
            Ok(all
                .into_iter()
                .take(limit)
                .map(|(id, n)| (id, n, !unread.contains(&id)))
                .collect())
        })
    }

    fn inbox_unread(&self, user: &str) -> BoxFuture<'_, Result<usize>> {
        let user = user.to_owned();
        Box::pin(async move {
            let n: usize = self.c().scard(unread_key(&user)).await.map_err(backend)?;
            Ok(n)
        })
    }

    fn inbox_mark_read(&self, user: &str, id: Option<i64>) -> BoxFuture<'_, Result<()>> {
        let user = user.to_owned();
        Box::pin(async move {
            let mut c = self.c();
            let _: () = match id {
                Some(id) => c.srem(unread_key(&user), id).await,
                None => c.del(unread_key(&user)).await,
            }
            .map_err(backend)?;
            Ok(())
        })
    }

    fn prefs(&self, user: &str) -> BoxFuture<'_, Result<Option<String>>> {
        let key = format!("codraft:prefs:{{{user}}}");
        Box::pin(async move { self.c().get(key).await.map_err(backend) })
    }

    fn set_prefs(&self, user: &str, prefs: String) -> BoxFuture<'_, Result<()>> {
        let key = format!("codraft:prefs:{{{user}}}");
        Box::pin(async move {
            let _: () = self.c().set(key, prefs).await.map_err(backend)?;
            Ok(())
        })
    }
}

fn key(queue: &str, what: &str) -> String {
    format!("codraft:{{outbox}}:{queue}:{what}")
}

const CLAIM: &str = r"
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], ARGV[2], id)
  table.insert(out, id)
  table.insert(out, redis.call('HGET', KEYS[2], id) or '')
  table.insert(out, redis.call('HGET', KEYS[3], id) or '0')
end
return out
";

impl Outbox for RedisDirectory {
    fn out_queue(&self, queue: &str, item: String, due_ms: i64) -> BoxFuture<'_, Result<i64>> {
        let queue = queue.to_owned();
        Box::pin(async move {
            let mut c = self.c();
            let id: i64 = c.incr(key(&queue, "seq"), 1).await.map_err(backend)?;
            let _: () = ::redis::pipe()
                .atomic()
                .hset(key(&queue, "items"), id, item)
                .zadd(key(&queue, "due"), id, due_ms)
                .query_async(&mut c)
                .await
                .map_err(backend)?;
            Ok(id)
        })
    }

    fn out_claim(
        &self,
        queue: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> BoxFuture<'_, Result<Vec<(i64, String, u32)>>> {
        let queue = queue.to_owned();
        Box::pin(async move {
            let flat: Vec<String> = ::redis::Script::new(CLAIM)
                .key(key(&queue, "due"))
                .key(key(&queue, "items"))
                .key(key(&queue, "attempts"))
                .arg(now_ms)
                .arg(now_ms + lease_ms)
                .arg(limit)
                .invoke_async(&mut self.c())
                .await
                .map_err(backend)?;
            Ok(flat
                .chunks(3)
                .filter_map(|c| match c {
                    [id, item, n] => Some((id.parse().ok()?, item.clone(), n.parse().unwrap_or(0))),
                    _ => None,
                })
                .collect())
        })
    }

    fn out_done(&self, queue: &str, id: i64) -> BoxFuture<'_, Result<()>> {
        let queue = queue.to_owned();
        Box::pin(async move {
            let _: () = ::redis::pipe()
                .atomic()
                .zrem(key(&queue, "due"), id)
                .hdel(key(&queue, "items"), id)
                .hdel(key(&queue, "attempts"), id)
                .hdel(key(&queue, "errors"), id)
                .query_async(&mut self.c())
                .await
                .map_err(backend)?;
            Ok(())
        })
    }

    fn out_failed(
        &self,
        queue: &str,
        id: i64,
        next_ms: i64,
        error: String,
    ) -> BoxFuture<'_, Result<()>> {
        let queue = queue.to_owned();
        Box::pin(async move {
            let _: () = ::redis::pipe()
                .atomic()
                .zadd(key(&queue, "due"), id, next_ms)
                .hincr(key(&queue, "attempts"), id, 1)
                .hset(key(&queue, "errors"), id, error)
                .query_async(&mut self.c())
                .await
                .map_err(backend)?;
            Ok(())
        })
    }

    fn out_waiting(&self, queue: &str) -> BoxFuture<'_, Result<usize>> {
        let queue = queue.to_owned();
        Box::pin(async move { self.c().zcard(key(&queue, "due")).await.map_err(backend) })
    }
}
