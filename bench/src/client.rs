//! A lean protocol client for load: one WebSocket, any number of documents,
//! each synced through the sans-IO `DocSession`.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use automerge::Automerge;
use codraft_protocol::{DocumentId, Message, PeerId, decode, encode};
use codraft_sync::{ChunkKind, DocSession, Event, Mode, StoredChunk};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{FutureExt, SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct LoadClient {
    sink: SplitSink<Ws, Frame>,
    pub stream: SplitStream<Ws>,
    pub peer: PeerId,
    pub server: PeerId,
    pub docs: HashMap<DocumentId, DocSession>,
    /// Relay mode: the sessions keep the change graph and never apply a
    /// peer's change to a document, and this client types on a copy of
    /// its own (`typing`), its changes concurrent with the others'. What
    /// measures the server on long texts, where applying each remote
    /// change (Automerge's walk of the text) would make the load generator
    /// the bottleneck.
    pub relay: bool,
    typing: HashMap<DocumentId, Automerge>,
}

impl LoadClient {
    pub async fn connect(url: &str, peer: String) -> Result<Self> {
        let config = WebSocketConfig::default()
            .max_message_size(Some(512 << 20))
            .max_frame_size(Some(512 << 20));
        let (ws, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true)
            .await
            .with_context(|| format!("connecting to {url}"))?;
        let (mut sink, mut stream) = ws.split();
        let handshake =
            codraft_protocol::handshake::Client::new(PeerId::new(peer.clone()), Default::default());
        sink.send(Frame::Binary(encode(&handshake.join()).into()))
            .await?;
        let server = loop {
            let f = tokio::time::timeout(Duration::from_secs(30), stream.next())
                .await
                .context("no peer message")?
                .ok_or_else(|| anyhow!("closed in handshake"))??;
            if let Frame::Binary(b) = f {
                break handshake.answer(&b)?;
            }
        };
        Ok(LoadClient {
            sink,
            stream,
            peer: PeerId::new(peer),
            server,
            docs: HashMap::new(),
            relay: false,
            typing: HashMap::new(),
        })
    }

    async fn send(&mut self, messages: Vec<Message>) -> Result<()> {
        for m in messages {
            self.sink.feed(Frame::Binary(encode(&m).into())).await?;
        }
        self.sink.flush().await?;
        Ok(())
    }

    /// Starts syncing `doc` (already holding content) under `id`.
    pub async fn create(&mut self, id: DocumentId, doc: &Automerge) -> Result<()> {
        let chunk = StoredChunk {
            kind: ChunkKind::Snapshot,
            bytes: doc.save(),
        };
        let mut s = DocSession::load(id, self.peer.clone(), Mode::Client, &[chunk])?;
        s.set_storage(false);
        s.set_relay(self.relay);
        let fx = s.handle([Event::PeerJoined(self.server.clone())]);
        self.docs.insert(id, s);
        self.send(fx.messages).await
    }

    /// Asks the server for a document.
    pub async fn request(&mut self, id: DocumentId) -> Result<()> {
        let mut s = DocSession::new(id, self.peer.clone(), Mode::Client);
        s.set_storage(false);
        s.set_relay(self.relay);
        let fx = s.handle([Event::PeerJoined(self.server.clone())]);
        self.docs.insert(id, s);
        self.send(fx.messages).await
    }

    pub fn synced(&self, id: DocumentId) -> bool {
        self.docs
            .get(&id)
            .is_some_and(|s| !s.heads().is_empty() && s.in_sync_with(&self.server))
    }

    /// Reads until every open document is in sync with the server.
    pub async fn until_synced(&mut self, timeout: Duration) -> Result<()> {
        let deadline = tokio::time::Instant::now() + timeout;
        while !self.docs.keys().all(|id| self.synced(*id)) {
            let f = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .context("timed out waiting for sync")?;
            self.handle(f, &mut |_, _| {}).await?;
        }
        Ok(())
    }

    /// A local edit on `id`, synced at once.
    pub async fn edit(&mut self, id: DocumentId, f: impl FnOnce(&mut Automerge)) -> Result<()> {
        let s = self.docs.get_mut(&id).context("not open")?;
        if self.relay {
            let typing = self.typing.entry(id).or_insert_with(|| {
                s.materialise();
                s.doc().fork()
            });
            f(typing);
            let change = typing.get_last_local_change().context("no change made")?;
            s.push_local(change)?;
        } else {
            f(s.doc_mut());
        }
        let fx = s.handle([]);
        self.send(fx.messages).await
    }

    /// Handles one frame, and every further frame already received, as one
    /// batch per document (one sync message in reply, as a busy peer would);
    /// calls `new_change(document, commit message)` for every change from
    /// someone else that the frames brought.
    pub async fn handle(
        &mut self,
        frame: Option<Result<Frame, tokio_tungstenite::tungstenite::Error>>,
        new_change: &mut (dyn FnMut(DocumentId, Option<&str>) + Send),
    ) -> Result<()> {
        let mut batch: HashMap<DocumentId, Vec<Event>> = HashMap::new();
        let mut frame = frame;
        loop {
            let f = match frame {
                None => bail!("server closed the connection"),
                Some(f) => f?,
            };
            if let Frame::Binary(b) = f {
                let m = decode(&b)?;
                match &m {
                    Message::Sync(d) | Message::Request(d) => {
                        batch
                            .entry(d.document_id)
                            .or_default()
                            .push(Event::Received(m));
                    }
                    Message::Error { message, .. } => bail!("server error: {message}"),
                    _ => {}
                }
            }
            match self.stream.next().now_or_never() {
                Some(next) => frame = next,
                None => break,
            }
        }
        let mut out = Vec::new();
        for (id, events) in batch {
            let Some(s) = self.docs.get_mut(&id) else {
                continue;
            };
            let before = s.heads();
            out.extend(s.handle(events).messages);
            if s.heads() != before {
                let me = match self.typing.get(&id) {
                    Some(t) => t.get_actor().clone(),
                    None => s.doc().get_actor().clone(),
                };
                for c in s.changes_since(&before) {
                    if *c.actor_id() != me {
                        new_change(id, c.message());
                    }
                }
            }
        }
        self.send(out).await
    }
}
