//! The embedded default: one SQLite file in the data directory, WAL mode.
//!
//! Writes go through one writer thread that takes every request waiting in
//! its queue and commits them in a single transaction (group commit), then
//! answers each. Reads use a small pool of read connections on the blocking
//! thread pool; WAL lets them run while the writer commits.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use codraft_protocol::DocumentId;
use codraft_sync::{ChunkKind, Persist, StoredChunk};
use rusqlite::{Connection, OpenFlags, params};
use tokio::sync::oneshot;

use super::{BoxFuture, Store, StoreError};
use crate::config::SqliteSync;

/// Most requests folded into one transaction.
const MAX_GROUP: usize = 512;

struct WriteRequest {
    doc: DocumentId,
    op: Persist,
    done: oneshot::Sender<Result<(), StoreError>>,
}

#[derive(Debug, Clone)]
pub struct SqliteStore {
    path: PathBuf,
    /// Queue of the writer thread. `None` after `close`.
    writer: Arc<Mutex<Option<mpsc::Sender<WriteRequest>>>>,
    /// Idle read connections.
    readers: Arc<Mutex<Vec<Connection>>>,
    /// The writer thread, joined on close so the last commit completes.
    writer_thread: Arc<Mutex<Option<thread::JoinHandle<()>>>>,
    /// Transactions committed, to observe group commit.
    commits: Arc<AtomicU64>,
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn open(path: &Path, sync: SqliteSync) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(backend)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(backend)?;
    let sync = match sync {
        SqliteSync::Full => "FULL",
        SqliteSync::Normal => "NORMAL",
    };
    conn.execute_batch(&format!(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous={sync}; PRAGMA foreign_keys=ON;"
    ))
    .map_err(backend)?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (or creates) `codraft.sqlite3` in `dir`.
    pub fn open(dir: &Path, sync: SqliteSync) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join("codraft.sqlite3");
        let conn = open(&path, sync)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS chunks (
                 id     INTEGER PRIMARY KEY AUTOINCREMENT,
                 doc_id TEXT    NOT NULL,
                 kind   INTEGER NOT NULL CHECK (kind IN (0, 1)), -- 0 snapshot, 1 incremental
                 data   BLOB    NOT NULL
             );
             CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks (doc_id, id);",
        )
        .map_err(backend)?;
        let (tx, rx) = mpsc::channel();
        let commits = Arc::new(AtomicU64::new(0));
        let counter = commits.clone();
        let handle = thread::Builder::new()
            .name("codraft-sqlite-writer".into())
            .spawn(move || writer_loop(conn, rx, counter))
            .map_err(backend)?;
        Ok(SqliteStore {
            path,
            writer: Arc::new(Mutex::new(Some(tx))),
            readers: Arc::new(Mutex::new(Vec::new())),
            writer_thread: Arc::new(Mutex::new(Some(handle))),
            commits,
        })
    }

    /// Transactions committed so far (each may hold many writes).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stops the writer after the requests already queued, and waits for it.
    pub fn close(&self) {
        self.writer.lock().unwrap().take();
        if let Some(h) = self.writer_thread.lock().unwrap().take() {
            let _ = h.join();
        }
    }

    fn reader(&self) -> Result<Connection, StoreError> {
        if let Some(c) = self.readers.lock().unwrap().pop() {
            return Ok(c);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(backend)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(backend)?;
        Ok(conn)
    }

    fn give_back(&self, conn: Connection) {
        let mut pool = self.readers.lock().unwrap();
        if pool.len() < 8 {
            pool.push(conn);
        }
    }

    fn load_blocking(&self, doc: DocumentId) -> Result<Vec<StoredChunk>, StoreError> {
        let conn = self.reader()?;
        let chunks = {
            let mut stmt = conn
                .prepare_cached("SELECT kind, data FROM chunks WHERE doc_id = ?1 ORDER BY id")
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![doc.to_string()], |row| {
                    let kind: i64 = row.get(0)?;
                    Ok(StoredChunk {
                        kind: if kind == 0 {
                            ChunkKind::Snapshot
                        } else {
                            ChunkKind::Incremental
                        },
                        bytes: row.get(1)?,
                    })
                })
                .map_err(backend)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(backend)?
        };
        self.give_back(conn);
        Ok(chunks)
    }
}

fn writer_loop(mut conn: Connection, rx: mpsc::Receiver<WriteRequest>, commits: Arc<AtomicU64>) {
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(r) => group.push(r),
                Err(_) => break,
            }
        }
        let result = commit_group(&mut conn, &group).map_err(backend);
        commits.fetch_add(1, Ordering::Relaxed);
        for r in group {
            let _ = r.done.send(result.clone());
        }
    }
    // Fold the WAL back into the main file on a clean shutdown.
    let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
}

fn commit_group(conn: &mut Connection, group: &[WriteRequest]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut append =
            tx.prepare_cached("INSERT INTO chunks (doc_id, kind, data) VALUES (?1, ?2, ?3)")?;
        let mut clear = tx.prepare_cached("DELETE FROM chunks WHERE doc_id = ?1")?;
        for r in group {
            let id = r.doc.to_string();
            match &r.op {
                Persist::Append(bytes) => {
                    append.execute(params![id, 1, bytes])?;
                }
                Persist::Compact(bytes) => {
                    clear.execute(params![id])?;
                    append.execute(params![id, 0, bytes])?;
                }
            }
        }
    }
    tx.commit()
}

impl Store for SqliteStore {
    fn load(&self, doc: DocumentId) -> BoxFuture<'_, Result<Vec<StoredChunk>, StoreError>> {
        let this = self.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || this.load_blocking(doc))
                .await
                .map_err(backend)?
        })
    }

    fn write(&self, doc: DocumentId, op: Persist) -> BoxFuture<'_, Result<(), StoreError>> {
        let (done, wait) = oneshot::channel();
        let sent = match self.writer.lock().unwrap().as_ref() {
            Some(tx) => tx.send(WriteRequest { doc, op, done }).is_ok(),
            None => false,
        };
        Box::pin(async move {
            if !sent {
                return Err(StoreError::Closed);
            }
            wait.await.map_err(|_| StoreError::Closed)?
        })
    }

    fn check(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        let this = self.clone();
        Box::pin(async move {
            if this.writer.lock().unwrap().is_none() {
                return Err(StoreError::Closed);
            }
            tokio::task::spawn_blocking(move || {
                let conn = this.reader()?;
                conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
                    .map_err(backend)?;
                this.give_back(conn);
                Ok(())
            })
            .await
            .map_err(backend)?
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(n: u8) -> Vec<u8> {
        vec![n; 100]
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_share_transactions_and_all_load_back() {
        let dir = std::env::temp_dir().join(format!("codraft-sqlite-{}", std::process::id()));
        let store = SqliteStore::open(&dir, SqliteSync::Full).unwrap();
        let docs: Vec<DocumentId> = (0..200).map(|_| DocumentId::random()).collect();
        let writes = docs.iter().enumerate().map(|(i, d)| {
            let store = store.clone();
            let d = *d;
            async move { store.write(d, Persist::Append(chunk(i as u8))).await }
        });
        for r in futures_util::future::join_all(writes).await {
            r.unwrap();
        }
        assert!(
            store.commits() < 200,
            "group commit: {} transactions for 200 writes",
            store.commits()
        );
        for (i, d) in docs.iter().enumerate() {
            let chunks = store.load(*d).await.unwrap();
            assert_eq!(
                chunks,
                vec![StoredChunk {
                    kind: ChunkKind::Incremental,
                    bytes: chunk(i as u8)
                }]
            );
        }
        // Compaction replaces every chunk of one document, and only that one.
        store
            .write(docs[0], Persist::Append(chunk(7)))
            .await
            .unwrap();
        store
            .write(docs[0], Persist::Compact(chunk(9)))
            .await
            .unwrap();
        assert_eq!(
            store.load(docs[0]).await.unwrap(),
            vec![StoredChunk {
                kind: ChunkKind::Snapshot,
                bytes: chunk(9)
            }]
        );
        assert_eq!(store.load(docs[1]).await.unwrap().len(), 1);
        store.close();
        assert!(matches!(
            store.write(docs[0], Persist::Append(chunk(1))).await,
            Err(StoreError::Closed)
        ));
        assert!(store.check().await.is_err(), "not ready once closed");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
