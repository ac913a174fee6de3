//! Documents in Redis, shared by several server instances.
//!
//! Keys of one document share the hash tag `{id}` (Redis Cluster puts them
//! in one slot): `codraft:{id}:log`, a stream of chunks (`c`: Automerge
//! bytes, `i`: the instance that wrote it); `codraft:{id}:snap`, the
//! compacted snapshot, and `codraft:{id}:pos`, the last log position it
//! covers; `codraft:{id}:lock`, the compaction lock. Loading is the snapshot
//! then every log entry after it.
//!
//! A write returns once Redis has it (durable as its AOF policy says:
//! `appendfsync always` for every write, `everysec` for at most a second).
//! Every append is announced on `codraft:{id}:new`; each instance follows
//! its open documents: on a notice, and every [`POLL`] in case one was
//! missed (a reconnection, a restart), it reads the log from its last
//! position and hands the entries, in order, to the document's actor.
//! Ephemeral messages cross instances on `codraft:{id}:eph` (pub/sub: they
//! are not kept).
//!
//! Compaction appends the snapshot to the log first (so other instances get
//! it like any change), then, under the lock, replaces the snapshot and
//! trims the log up to what this instance's actor has applied — never an
//! entry it has not seen. If the lock is taken, the appended entry alone
//! makes the write durable.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codraft_protocol::DocumentId;
use codraft_sync::{ChunkKind, Persist, StoredChunk};
use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use redis::streams::StreamRangeReply;
use redis::{AsyncCommands, Value};
use tokio::sync::mpsc;

use super::{BoxFuture, Remote, Store, StoreError};

mod follow;
use follow::follower;

/// How often followed documents are read even without a notice.
pub const POLL: Duration = Duration::from_secs(2);

fn key(doc: DocumentId, what: &str) -> String {
    format!("codraft:{{{doc}}}:{what}")
}

/// Whether a command may be tried again once the connection manager has
/// reconnected (the connection broke; Redis itself did not refuse). A
/// repeated append only adds a duplicate chunk, which loading ignores.
fn transient(e: &redis::RedisError) -> bool {
    e.is_io_error() || e.is_connection_dropped() || e.is_connection_refusal() || e.is_timeout()
}

/// Runs a command, retrying twice on a broken connection.
async fn retry<T, F, Fut>(mut f: F) -> redis::RedisResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = redis::RedisResult<T>>,
{
    let mut tries = 0;
    loop {
        match f().await {
            Err(e) if transient(&e) && tries < 2 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(50 * tries)).await;
            }
            r => return r,
        }
    }
}

fn backend(e: redis::RedisError) -> StoreError {
    StoreError::Backend(format!("redis: {e}"))
}

/// Stream ids compare as (milliseconds, sequence).
fn parse_id(id: &str) -> (u64, u64) {
    let (a, b) = id.split_once('-').unwrap_or((id, "0"));
    (a.parse().unwrap_or(0), b.parse().unwrap_or(0))
}

fn next_id(id: &str) -> String {
    let (a, b) = parse_id(id);
    format!("{a}-{}", b + 1)
}

const COMPACT: &str = r"
local pos = redis.call('GET', KEYS[3])
if pos then
  local a1, b1 = string.match(pos, '(%d+)-(%d+)')
  local a2, b2 = string.match(ARGV[2], '(%d+)-(%d+)')
  if tonumber(a1) > tonumber(a2) or (tonumber(a1) == tonumber(a2) and tonumber(b1) >= tonumber(b2)) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[3], ARGV[2])
redis.call('XTRIM', KEYS[2], 'MINID', ARGV[3])
return 1
";

const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

#[derive(Debug)]
struct Follow {
    to: mpsc::Sender<Remote>,
    /// Last log position handed to the actor.
    position: String,
}

#[derive(Debug)]
enum FollowCmd {
    Follow(DocumentId),
    Unfollow(DocumentId),
}

#[derive(Debug)]
struct Inner {
    client: redis::Client,
    conn: ConnectionManager,
    /// This process, in log entries and ephemeral messages.
    instance: String,
    follows: Mutex<HashMap<DocumentId, Follow>>,
    /// Position each document was loaded at, and then applied up to.
    applied: Mutex<HashMap<DocumentId, String>>,
    cmds: mpsc::UnboundedSender<FollowCmd>,
    /// False while Redis does not answer.
    healthy: AtomicBool,
}

#[derive(Debug, Clone)]
pub struct RedisStore {
    inner: Arc<Inner>,
}

impl RedisStore {
    /// Connects (the connection manager reconnects by itself) and starts
    /// the follower task.
    pub async fn connect(url: &str, instance: String) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(backend)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(5)))
            .set_number_of_retries(2);
        let conn = client
            .get_connection_manager_with_config(config)
            .await
            .map_err(backend)?;
        let (cmds, rx) = mpsc::unbounded_channel();
        let inner = Arc::new(Inner {
            client,
            conn,
            instance,
            follows: Mutex::new(HashMap::new()),
            applied: Mutex::new(HashMap::new()),
            cmds,
            healthy: AtomicBool::new(true),
        });
        tokio::spawn(follower(Arc::downgrade(&inner), rx));
        Ok(RedisStore { inner })
    }

    pub fn instance(&self) -> &str {
        &self.inner.instance
    }

    async fn append(&self, doc: DocumentId, bytes: &[u8]) -> Result<String, StoreError> {
        let pipe = redis::pipe()
            .atomic()
            .cmd("XADD")
            .arg(key(doc, "log"))
            .arg("*")
            .arg("c")
            .arg(bytes)
            .arg("i")
            .arg(&self.inner.instance)
            .cmd("PUBLISH")
            .arg(key(doc, "new"))
            .arg(&self.inner.instance)
            .clone();
        let (id, _): (String, i64) = retry(|| {
            let mut c = self.inner.conn.clone();
            let pipe = pipe.clone();
            async move { pipe.query_async(&mut c).await }
        })
        .await
        .map_err(|e| self.failed(e))?;
        self.inner.healthy.store(true, Ordering::Relaxed);
        Ok(id)
    }

    fn failed(&self, e: redis::RedisError) -> StoreError {
        self.inner.healthy.store(false, Ordering::Relaxed);
        backend(e)
    }

    async fn compact(&self, doc: DocumentId, snapshot: Vec<u8>) -> Result<(), StoreError> {
        // Durable and visible to the other instances first.
        self.append(doc, &snapshot).await?;
        let Some(applied) = self.inner.applied.lock().unwrap().get(&doc).cloned() else {
            return Ok(());
        };
        if applied == "0-0" {
            return Ok(());
        }
        let mut c = self.inner.conn.clone();
        let lock = key(doc, "lock");
        let got: Option<String> = redis::cmd("SET")
            .arg(&lock)
            .arg(&self.inner.instance)
            .arg("NX")
            .arg("PX")
            .arg(10_000)
            .query_async(&mut c)
            .await
            .map_err(|e| self.failed(e))?;
        if got.is_none() {
            return Ok(()); // another instance compacts; the entry is enough
        }
        let result: Result<i64, _> = redis::Script::new(COMPACT)
            .key(key(doc, "snap"))
            .key(key(doc, "log"))
            .key(key(doc, "pos"))
            .arg(snapshot)
            .arg(&applied)
            .arg(next_id(&applied))
            .invoke_async(&mut c)
            .await;
        let _: Result<i64, _> = redis::Script::new(UNLOCK)
            .key(&lock)
            .arg(&self.inner.instance)
            .invoke_async(&mut c)
            .await;
        result.map(|_| ()).map_err(|e| self.failed(e))
    }
}

impl Store for RedisStore {
    fn load(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<StoredChunk>, StoreError>> {
        Box::pin(async move {
            let pipe = redis::pipe()
                .atomic()
                .get(key(doc, "snap"))
                .xrange_all(key(doc, "log"))
                .clone();
            let (snap, log): (Option<Vec<u8>>, StreamRangeReply) = retry(|| {
                let mut c = self.inner.conn.clone();
                let pipe = pipe.clone();
                async move { pipe.query_async(&mut c).await }
            })
            .await
            .map_err(|e| self.failed(e))?;
            let mut chunks = Vec::new();
            if let Some(bytes) = snap {
                chunks.push(StoredChunk {
                    kind: ChunkKind::Snapshot,
                    bytes,
                });
            }
            let mut position = "0-0".to_string();
            for entry in log.ids {
                if let Some(Value::BulkString(bytes)) = entry.map.get("c") {
                    chunks.push(StoredChunk {
                        kind: ChunkKind::Incremental,
                        bytes: bytes.clone(),
                    });
                }
                position = entry.id;
            }
            self.inner.applied.lock().unwrap().insert(doc, position);
            Ok(chunks)
        })
    }

    fn write(&self, doc: DocumentId, op: Persist) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            match op {
                Persist::Append(bytes) => self.append(doc, &bytes).await.map(|_| ()),
                Persist::Compact(bytes) => self.compact(doc, bytes).await,
            }
        })
    }

    fn check(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            let r: Result<String, _> = retry(|| {
                let mut c = self.inner.conn.clone();
                async move { redis::cmd("PING").query_async(&mut c).await }
            })
            .await;
            match r {
                Ok(_) => {
                    self.inner.healthy.store(true, Ordering::Relaxed);
                    Ok(())
                }
                Err(e) => Err(self.failed(e)),
            }
        })
    }

    fn follow(&self, doc: DocumentId, to: mpsc::Sender<Remote>) {
        let position = self
            .inner
            .applied
            .lock()
            .unwrap()
            .get(&doc)
            .cloned()
            .unwrap_or_else(|| "0-0".into());
        self.inner
            .follows
            .lock()
            .unwrap()
            .insert(doc, Follow { to, position });
        let _ = self.inner.cmds.send(FollowCmd::Follow(doc));
    }

    fn unfollow(&self, doc: DocumentId) {
        self.inner.follows.lock().unwrap().remove(&doc);
        self.inner.applied.lock().unwrap().remove(&doc);
        let _ = self.inner.cmds.send(FollowCmd::Unfollow(doc));
    }

    fn applied(&self, doc: DocumentId, position: &str) {
        if let Some(p) = self.inner.applied.lock().unwrap().get_mut(&doc)
            && parse_id(position) > parse_id(p)
        {
            *p = position.to_owned();
        }
    }

    fn publish_ephemeral(&self, doc: DocumentId, message: &codraft_protocol::Message) {
        let message = codraft_protocol::encode(message);
        let mut c = self.inner.conn.clone();
        let mut payload = self.inner.instance.clone().into_bytes();
        payload.push(b'\n');
        payload.extend(message);
        tokio::spawn(async move {
            let r: Result<i64, _> = c.publish(key(doc, "eph"), payload).await;
            if let Err(e) = r {
                tracing::debug!(error = %e, "ephemeral message not published");
            }
        });
    }
}
