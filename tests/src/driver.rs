//! Drives a sans-IO [`Client`] over a real WebSocket, as the WASM shell does
//! in the browser: frames out, frames in, events collected.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use codraft_client::{Client, ClientEvent, ConnectionState, Output};
use codraft_protocol::{PeerId, SessionId};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::WAIT;

/// The server's clock, in the sync core's unit.
pub fn now_ms() -> u64 {
    codraft_server::clock::now().as_u64()
}

#[derive(Debug)]
pub struct Driven {
    pub client: Client,
    ws: Option<WebSocketStream<MaybeTlsStream<TcpStream>>>,
    url: String,
    /// Every event the client produced, in order.
    pub events: Vec<ClientEvent>,
}

impl Driven {
    /// Connects and waits until online.
    pub async fn connect(url: &str, peer: &str) -> Result<Self> {
        let client = Client::new(PeerId::new(peer), SessionId::new(format!("{peer}-session")));
        let mut d = Driven {
            client,
            ws: None,
            url: url.to_owned(),
            events: vec![],
        };
        d.reconnect().await?;
        Ok(d)
    }

    /// Dials again (after `disconnect`) and waits until online.
    pub async fn reconnect(&mut self) -> Result<()> {
        let out = self.client.connecting();
        self.apply(out).await?;
        let (ws, _) = tokio_tungstenite::connect_async(&self.url).await?;
        self.ws = Some(ws);
        let out = self.client.socket_opened();
        self.apply(out).await?;
        self.pump_until(|d| d.client.is_online()).await
    }

    /// Drops the socket, as a network loss would.
    pub async fn disconnect(&mut self) -> Result<Duration> {
        if let Some(mut ws) = self.ws.take() {
            let _ = ws.close(None).await;
        }
        let (out, delay) = self.client.socket_closed(0.5);
        self.apply(out).await?;
        Ok(delay)
    }

    /// Sends the frames (when connected) and records the events.
    pub async fn apply(&mut self, out: Output) -> Result<()> {
        if let Some(ws) = self.ws.as_mut() {
            for f in out.frames {
                ws.send(Frame::Binary(f.into())).await?;
            }
        }
        self.events.extend(out.events);
        Ok(())
    }

    /// Reads frames until `done` holds.
    pub async fn pump_until(&mut self, mut done: impl FnMut(&Self) -> bool) -> Result<()> {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(self) {
            if !self.read_one(deadline).await? {
                bail!("timed out; events: {:?}", self.events);
            }
        }
        Ok(())
    }

    /// Reads whatever arrives within `d`.
    pub async fn pump_for(&mut self, d: Duration) -> Result<()> {
        let deadline = tokio::time::Instant::now() + d;
        while self.read_one(deadline).await? {}
        Ok(())
    }

    /// Reads and handles one frame; false if the deadline passed first. Only
    /// the read is ever cut short, never the handling (a reply cut off
    /// half-sent would stall the sync protocol).
    async fn read_one(&mut self, deadline: tokio::time::Instant) -> Result<bool> {
        let ws = self.ws.as_mut().context("not connected")?;
        let frame = match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return Ok(false),
            Ok(None) | Ok(Some(Err(_))) => bail!("connection closed; events: {:?}", self.events),
            Ok(Some(Ok(f))) => f,
        };
        if let Frame::Binary(b) = frame {
            let out = self.client.receive(&b, now_ms());
            self.apply(out).await?;
        }
        Ok(true)
    }

    /// The binary frames that arrive within `d`, not handled (a test hands
    /// them over together, as the browser shell does per animation frame).
    pub async fn read_frames(&mut self, d: Duration) -> Result<Vec<Vec<u8>>> {
        let deadline = tokio::time::Instant::now() + d;
        let ws = self.ws.as_mut().context("not connected")?;
        let mut frames = Vec::new();
        while let Ok(next) = tokio::time::timeout_at(deadline, ws.next()).await {
            match next {
                Some(Ok(Frame::Binary(b))) => frames.push(b.to_vec()),
                Some(Ok(_)) => {}
                _ => bail!("connection closed"),
            }
        }
        Ok(frames)
    }

    pub fn saw(&self, pred: impl Fn(&ClientEvent) -> bool) -> bool {
        self.events.iter().any(pred)
    }

    pub fn online_events(&self) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e, ClientEvent::Connection(ConnectionState::Online)))
            .count()
    }
}
