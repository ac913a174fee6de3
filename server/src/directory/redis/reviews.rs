//! Documents' review logs, in Redis: one list per document, appended by a
//! script that checks the length first (atomic across instances).

use super::*;

fn review_key(doc: DocumentId) -> String {
    format!("codraft:{{{doc}}}:review")
}

const APPEND_IF_LENGTH: &str = r"
if redis.call('LLEN', KEYS[1]) == tonumber(ARGV[1]) then
  redis.call('RPUSH', KEYS[1], ARGV[2])
  return 1
end
return 0
";

impl Reviews for RedisDirectory {
    fn review_events(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<String>>> {
        Box::pin(async move {
            self.c()
                .lrange(review_key(doc), 0, -1)
                .await
                .map_err(backend)
        })
    }

    fn review_append(
        &self,
        doc: DocumentId,
        expected: usize,
        event: String,
    ) -> BoxFuture<'_, Result<bool>> {
        Box::pin(async move {
            let done: i64 = ::redis::Script::new(APPEND_IF_LENGTH)
                .key(review_key(doc))
                .arg(expected)
                .arg(event)
                .invoke_async(&mut self.c())
                .await
                .map_err(backend)?;
            Ok(done == 1)
        })
    }
}
