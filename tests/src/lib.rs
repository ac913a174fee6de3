//! # codraft-tests: shared pieces of the cross-crate tests
//!
//! - [`TestServer`]: a real Codraft server on a free loopback port, on a real
//!   SQLite file in a directory the test owns (or on any [`Store`]).
//! - [`TestClient`]: a native protocol client over `tokio-tungstenite` that
//!   syncs documents with the same sans-IO [`DocSession`] the WASM client
//!   uses, plus raw frame access for the bad-input tests.
//! - [`node`]: runs the JS scripts in `tests/js` (the real automerge-repo
//!   packages) and fails with a message naming Node or npm when missing.
//! - [`redis`], [`smtp`]: a real `redis-server`, a real SMTP server
//!   (`aiosmtpd`), each on a free port for one test.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use automerge::{Automerge, AutomergeError, transaction::Transaction};
use codraft_protocol::{DocumentId, Message, PeerId, decode, encode};
use codraft_server::app::Running;
use codraft_server::config::SqliteSync;
use codraft_server::store::{SqliteStore, Store};
use codraft_server::{AppState, Config};
use codraft_sync::{DocSession, Event, Mode};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub mod driver;
pub mod node;
pub mod redis;
pub mod smtp;

/// How long a test waits for something that should happen.
pub const WAIT: Duration = Duration::from_secs(10);

/// A server started for one test.
#[derive(Debug)]
pub struct TestServer {
    pub running: Running,
    pub store: Option<SqliteStore>,
    pub data_dir: PathBuf,
}

impl TestServer {
    /// A server on `dir` with the embedded SQLite store.
    pub async fn start(dir: &Path) -> Result<Self> {
        Self::start_with(Config::for_tests(dir.to_owned())).await
    }

    pub async fn start_with(mut config: Config) -> Result<Self> {
        config.sqlite_sync = SqliteSync::Normal;
        let store = SqliteStore::open(&config.data_dir, config.sqlite_sync)?;
        let data_dir = config.data_dir.clone();
        let state = if config.open_access {
            AppState::new(config, Arc::new(store.clone()))
        } else {
            let dir = codraft_server::directory::SqliteDirectory::open(&config.data_dir)?;
            let accounts = codraft_server::accounts::Accounts::load(Arc::new(dir)).await?;
            AppState::with_accounts(config, Arc::new(store.clone()), accounts)
        };
        let running = codraft_server::app::start(state).await?;
        Ok(TestServer {
            running,
            store: Some(store),
            data_dir,
        })
    }

    /// An instance on a shared Redis: documents, and (unless open access)
    /// accounts there too.
    pub async fn start_redis(mut config: Config, url: &str) -> Result<Self> {
        config.redis_url = Some(url.to_owned());
        let instance = format!("test-{}", uuid_like());
        let store = codraft_server::store::RedisStore::connect(url, instance.clone()).await?;
        if config.open_access {
            return Self::start_on(config, Arc::new(store)).await;
        }
        let dir = codraft_server::directory::RedisDirectory::connect(url, instance).await?;
        let accounts = codraft_server::accounts::Accounts::load(Arc::new(dir)).await?;
        let data_dir = config.data_dir.clone();
        let running =
            codraft_server::app::start(AppState::with_accounts(config, Arc::new(store), accounts))
                .await?;
        Ok(TestServer {
            running,
            store: None,
            data_dir,
        })
    }

    /// A server on any store (e.g. one that fails on demand).
    pub async fn start_on(config: Config, store: Arc<dyn Store>) -> Result<Self> {
        let data_dir = config.data_dir.clone();
        let running = codraft_server::app::start(AppState::new(config, store)).await?;
        Ok(TestServer {
            running,
            store: None,
            data_dir,
        })
    }

    /// Accounts, when the server enforces them.
    pub fn accounts(&self) -> &std::sync::Arc<codraft_server::accounts::Accounts> {
        self.running
            .state
            .accounts
            .as_ref()
            .expect("a server with accounts")
    }

    pub fn url(&self) -> String {
        format!("ws://{}/sync", self.running.addr)
    }

    pub fn http(&self, path: &str) -> String {
        format!("http://{}{path}", self.running.addr)
    }

    /// Graceful shutdown; closes the store so the file is complete.
    pub async fn stop(self) -> Result<()> {
        self.running.shutdown().await?;
        if let Some(s) = self.store {
            s.close();
        }
        Ok(())
    }
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A native protocol client.
#[derive(Debug)]
pub struct TestClient {
    ws: Ws,
    pub peer: PeerId,
    /// The server's peer id, from its `peer` answer.
    pub server: PeerId,
    docs: HashMap<DocumentId, DocSession>,
    /// Documents the server said it does not have.
    pub unavailable: Vec<DocumentId>,
    /// Ephemeral messages received, in order.
    pub ephemeral: Vec<codraft_protocol::EphemeralMessage>,
    /// `error` messages received.
    pub errors: Vec<String>,
    /// True once the server closed the connection.
    pub closed: bool,
    /// How many `sync` messages received carried changes.
    pub messages_with_changes: usize,
}

impl TestClient {
    /// Connects and completes the join/peer handshake.
    pub async fn connect(url: &str, peer: &str) -> Result<Self> {
        let (mut ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .with_context(|| format!("connecting to {url}"))?;
        let handshake = codraft_protocol::handshake::Client::new(peer.into(), Default::default());
        ws.send(Frame::Binary(encode(&handshake.join()).into()))
            .await?;
        let server = loop {
            let frame = tokio::time::timeout(WAIT, ws.next())
                .await
                .context("no answer to join")?
                .ok_or_else(|| anyhow!("closed during handshake"))??;
            if let Frame::Binary(b) = frame {
                break handshake.answer(&b)?;
            }
        };
        Ok(TestClient {
            ws,
            peer: peer.into(),
            server,
            docs: HashMap::new(),
            unavailable: Vec::new(),
            ephemeral: Vec::new(),
            errors: Vec::new(),
            closed: false,
            messages_with_changes: 0,
        })
    }

    pub async fn send(&mut self, m: &Message) -> Result<()> {
        self.send_frame(Frame::Binary(encode(m).into())).await
    }

    pub async fn send_frame(&mut self, f: Frame) -> Result<()> {
        let r = self.ws.send(f).await;
        if let Err(e) = &r {
            self.closed = true;
            self.errors.push(format!("socket: {e}"));
        }
        r.context("sending")
    }

    /// Creates a document with a first change and starts syncing it.
    pub async fn create(
        &mut self,
        change: impl FnOnce(&mut Transaction<'_>) -> Result<(), AutomergeError>,
    ) -> Result<DocumentId> {
        let id = DocumentId::random();
        let mut s = DocSession::new(id, self.peer.clone(), Mode::Client);
        s.doc_mut().transact(change).map_err(|e| anyhow!("{e:?}"))?;
        let fx = s.handle([Event::PeerJoined(self.server.clone())]);
        self.docs.insert(id, s);
        for m in fx.messages {
            self.send(&m).await?;
        }
        Ok(id)
    }

    /// Opens a document from bytes this client kept (as a browser keeps its
    /// offline copy) and syncs it.
    pub async fn create_from(&mut self, id: DocumentId, saved: &[u8]) -> Result<DocumentId> {
        let chunk = codraft_sync::StoredChunk {
            kind: codraft_sync::ChunkKind::Snapshot,
            bytes: saved.to_vec(),
        };
        let mut s = DocSession::load(id, self.peer.clone(), Mode::Client, &[chunk])?;
        let fx = s.handle([Event::PeerJoined(self.server.clone())]);
        self.docs.insert(id, s);
        for m in fx.messages {
            self.send(&m).await?;
        }
        Ok(id)
    }

    /// Asks the server for a document; resolves when synced, errs when the
    /// server says it is unavailable.
    pub async fn open(&mut self, id: DocumentId) -> Result<()> {
        let mut s = DocSession::new(id, self.peer.clone(), Mode::Client);
        let fx = s.handle([Event::PeerJoined(self.server.clone())]);
        self.docs.insert(id, s);
        for m in fx.messages {
            self.send(&m).await?;
        }
        let server = self.server.clone();
        self.pump_until(|c| {
            c.unavailable.contains(&id)
                || c.docs[&id].in_sync_with(&server) && !c.docs[&id].doc().get_heads().is_empty()
        })
        .await?;
        if self.unavailable.contains(&id) {
            bail!("document {id} unavailable");
        }
        Ok(())
    }

    /// A local change, synced in the background.
    pub async fn edit(
        &mut self,
        id: DocumentId,
        change: impl FnOnce(&mut Transaction<'_>) -> Result<(), AutomergeError>,
    ) -> Result<()> {
        let s = self.docs.get_mut(&id).context("document not open")?;
        s.doc_mut().transact(change).map_err(|e| anyhow!("{e:?}"))?;
        let fx = s.handle([]);
        for m in fx.messages {
            self.send(&m).await?;
        }
        Ok(())
    }

    pub fn doc(&self, id: DocumentId) -> &Automerge {
        self.docs[&id].doc()
    }

    /// Saved: the server advertised exactly our heads.
    pub fn is_saved(&self, id: DocumentId) -> bool {
        self.docs
            .get(&id)
            .is_some_and(|s| s.in_sync_with(&self.server))
    }

    /// Waits until the server has everything we have.
    pub async fn wait_saved(&mut self, id: DocumentId) -> Result<()> {
        self.pump_until(|c| c.is_saved(id)).await
    }

    /// Reads and handles frames until `done` holds (checked before each read).
    pub async fn pump_until(&mut self, mut done: impl FnMut(&Self) -> bool) -> Result<()> {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(self) {
            if self.closed {
                bail!("connection closed; errors: {:?}", self.errors);
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.ws.next()).await {
                Err(_) => bail!("timed out; errors: {:?}", self.errors),
                Ok(frame) => self.handle_frame(frame).await?,
            }
        }
        Ok(())
    }

    /// Handles whatever arrives within `d`.
    pub async fn pump_for(&mut self, d: Duration) -> Result<()> {
        let deadline = tokio::time::Instant::now() + d;
        while !self.closed {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.ws.next()).await {
                Err(_) => break,
                Ok(frame) => self.handle_frame(frame).await?,
            }
        }
        Ok(())
    }

    /// Handles one frame. Only the read is ever cancelled (by a timeout),
    /// never this: a reply cut off half-sent would stall the sync protocol.
    async fn handle_frame(
        &mut self,
        frame: Option<Result<Frame, tokio_tungstenite::tungstenite::Error>>,
    ) -> Result<()> {
        let frame = match frame {
            None | Some(Ok(Frame::Close(_))) => {
                self.closed = true;
                return Ok(());
            }
            Some(Err(e)) => {
                self.closed = true;
                self.errors.push(format!("socket: {e}"));
                return Ok(());
            }
            Some(Ok(f)) => f,
        };
        let Frame::Binary(bytes) = frame else {
            return Ok(());
        };
        let message = decode(&bytes)?;
        match &message {
            Message::Error { message, .. } => self.errors.push(message.clone()),
            Message::DocUnavailable { document_id, .. } => self.unavailable.push(*document_id),
            Message::Ephemeral(e) => self.ephemeral.push(e.clone()),
            Message::Sync(d) | Message::Request(d) => {
                if automerge::sync::Message::decode(&d.data).is_ok_and(|m| !m.changes.is_empty()) {
                    self.messages_with_changes += 1;
                }
                let id = d.document_id;
                if let Some(s) = self.docs.get_mut(&id) {
                    let fx = s.handle([Event::Received(message)]);
                    for m in fx.messages {
                        if self.send(&m).await.is_err() {
                            break; // recorded as closed
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Waits for the server to close the connection; returns the errors seen.
    pub async fn wait_closed(&mut self) -> Result<Vec<String>> {
        self.pump_until(|c| c.closed).await.ok();
        if !self.closed {
            bail!("server did not close the connection");
        }
        Ok(self.errors.clone())
    }
}

fn uuid_like() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    )
}

/// The `codraft` binary next to the running test binary (`./test.sh`
/// builds it before the tests).
pub fn codraft_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let bin = exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("codraft"))
        .expect("target/<profile>/");
    assert!(
        bin.exists(),
        "{} is missing: cargo build -p codraft-server",
        bin.display()
    );
    bin
}
