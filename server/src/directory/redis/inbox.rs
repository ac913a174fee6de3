//! Each person's notifications, in Redis: a hash of notes by id, a set of
//! the unread ids, and one counter for ids across instances. A person
//! keeps their newest [`KEEP`] notes.

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
}
