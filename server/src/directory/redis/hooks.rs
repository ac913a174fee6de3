//! Groups' webhooks (a hash per group) and their delivery logs (a capped
//! list per webhook, newest first), in Redis.

use super::*;

const KEEP: isize = 200;

fn hooks_key(group: &str) -> String {
    format!("codraft:hooks:{{{group}}}")
}
fn log_key(id: &str) -> String {
    format!("codraft:hooklog:{{{id}}}")
}

impl Hooks for RedisDirectory {
    fn hooks(&self, group: &str) -> BoxFuture<'_, Result<Vec<String>>> {
        let key = hooks_key(group);
        Box::pin(async move { self.c().hvals(key).await.map_err(backend) })
    }

    fn add_hook(&self, group: &str, id: &str, hook: String) -> BoxFuture<'_, Result<()>> {
        let (key, id) = (hooks_key(group), id.to_owned());
        Box::pin(async move {
            let _: () = self.c().hset(key, id, hook).await.map_err(backend)?;
            Ok(())
        })
    }

    fn remove_hook(&self, group: &str, id: &str) -> BoxFuture<'_, Result<bool>> {
        let (key, id) = (hooks_key(group), id.to_owned());
        Box::pin(async move {
            let n: i64 = self.c().hdel(key, id).await.map_err(backend)?;
            Ok(n > 0)
        })
    }

    fn hook_log_add(&self, id: &str, entry: String) -> BoxFuture<'_, Result<()>> {
        let key = log_key(id);
        Box::pin(async move {
            let _: () = ::redis::pipe()
                .atomic()
                .lpush(&key, entry)
                .ltrim(&key, 0, KEEP - 1)
                .query_async(&mut self.c())
                .await
                .map_err(backend)?;
            Ok(())
        })
    }

    fn hook_log(&self, id: &str, limit: usize) -> BoxFuture<'_, Result<Vec<String>>> {
        let key = log_key(id);
        Box::pin(async move {
            self.c()
                .lrange(key, 0, limit as isize - 1)
                .await
                .map_err(backend)
        })
    }
}
