//! # The floor of a fan-out delivery: sockets and a runtime, no protocol
//!
//! The fan-out scenario's server spends its CPU per delivered change mostly
//! outside Codraft's code (BENCHMARKS.md): a frame written to a socket, an
//! acknowledgement read back, tasks woken. This program measures what that
//! part alone costs on this machine, with nothing else: a server that
//! relays each fixed-size "change" a client sends (378 bytes, the mean
//! frame of the fan-out scenario) to every other client, written in the
//! sending connection's task as Codraft's outbox does, and reads one
//! 221-byte acknowledgement back from each receiver; no WebSocket framing,
//! no decoding, no sync state, no storage. Fifty clients on one document,
//! 2 changes/s each (100/s, the rate), the same as `codraft-bench
//! --scenarios fanout --fanout-rates 2`; the server's CPU per delivery is
//! read from `/proc` over the step, for a tokio current-thread runtime and
//! the default multi-thread one.
//!
//! Usage: `socket-floor [--clients N] [--rate R] [--secs S]`; it starts
//! its own server processes (`socket-floor serve FLAVOUR`).

use std::io::{BufRead, BufReader, ErrorKind};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

#[path = "../procfs.rs"]
mod procfs;
use procfs::{context_switches, cpu_seconds};

/// A change as relayed, and an acknowledgement, in bytes (the mean frames
/// of the fan-out scenario, BENCHMARKS.md 2026-12-05 (evening)).
const CHANGE: usize = 378;
const ACK: usize = 221;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("serve") {
        return serve(args.get(2).map(String::as_str).unwrap_or("multi-thread"));
    }
    let flag = |name: &str, default: u64| -> Result<u64> {
        match args.iter().position(|a| a == name) {
            Some(i) => args
                .get(i + 1)
                .with_context(|| format!("{name} needs a value"))?
                .parse()
                .with_context(|| format!("{name} takes a number")),
            None => Ok(default),
        }
    };
    let clients = flag("--clients", 50)? as usize;
    let rate = flag("--rate", 2)?;
    let secs = flag("--secs", 8)?;
    let rt = tokio::runtime::Runtime::new()?;
    println!(
        "| server runtime | {clients} clients × {rate} changes/s, {secs} s | deliveries | acknowledgements | server CPU per delivery | context switches per delivery |"
    );
    println!("|---|---|---|---|---|---|");
    for flavour in ["current-thread", "multi-thread"] {
        let r = rt.block_on(measure(flavour, clients, rate, secs))?;
        println!(
            "| {flavour} | | {} | {} | {:.1} µs | {:.2} |",
            r.deliveries,
            r.acks,
            r.cpu_s * 1e6 / r.deliveries.max(1) as f64,
            r.switches as f64 / r.deliveries.max(1) as f64
        );
    }
    Ok(())
}

// ---- the server ------------------------------------------------------------

/// A client's socket, written to by whichever connection relays a change.
type Peer = Arc<Mutex<OwnedWriteHalf>>;

fn serve(flavour: &str) -> Result<()> {
    let rt = match flavour {
        "current-thread" => tokio::runtime::Builder::new_current_thread(),
        "multi-thread" => tokio::runtime::Builder::new_multi_thread(),
        other => bail!("no runtime {other:?}: current-thread or multi-thread"),
    }
    .enable_all()
    .build()?;
    rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        println!("{}", listener.local_addr()?.port());
        let peers: Arc<std::sync::Mutex<Vec<Peer>>> = Arc::default();
        loop {
            let (socket, _) = listener.accept().await?;
            socket.set_nodelay(true)?;
            let (read, write) = socket.into_split();
            let me: Peer = Arc::new(Mutex::new(write));
            peers.lock().expect("not poisoned").push(me.clone());
            tokio::spawn(connection(read, me, peers.clone()));
        }
    })
}

/// Reads a connection's frames: a change is written to every other peer
/// (at once when its socket takes it, else awaited), an acknowledgement
/// read and dropped.
async fn connection(
    mut read: tokio::net::tcp::OwnedReadHalf,
    me: Peer,
    peers: Arc<std::sync::Mutex<Vec<Peer>>>,
) {
    let mut frame = [0u8; CHANGE];
    loop {
        if read.read_exact(&mut frame[..1]).await.is_err() {
            return;
        }
        match frame[0] {
            b'C' => {
                if read.read_exact(&mut frame[1..]).await.is_err() {
                    return;
                }
                let others: Vec<Peer> = peers
                    .lock()
                    .expect("not poisoned")
                    .iter()
                    .filter(|p| !Arc::ptr_eq(p, &me))
                    .cloned()
                    .collect();
                for peer in others {
                    send(&peer, &frame).await;
                }
            }
            b'A' => {
                if read.read_exact(&mut frame[1..ACK]).await.is_err() {
                    return;
                }
            }
            _ => return,
        }
    }
}

/// A frame onto a socket: written in this task when the socket takes it
/// whole at once (Codraft's outbox), else the rest awaited.
async fn send(peer: &Peer, frame: &[u8]) {
    let mut w = peer.lock().await;
    let done = match w.try_write(frame) {
        Ok(n) => n,
        Err(e) if e.kind() == ErrorKind::WouldBlock => 0,
        Err(_) => return,
    };
    if done < frame.len() {
        let _ = w.write_all(&frame[done..]).await;
    }
}

// ---- the load --------------------------------------------------------------

struct Measured {
    deliveries: u64,
    acks: u64,
    cpu_s: f64,
    switches: u64,
}

/// Starts a server of `flavour`, connects the clients, lets them type for a
/// second, then counts deliveries and the server's CPU over `secs`.
async fn measure(flavour: &str, clients: usize, rate: u64, secs: u64) -> Result<Measured> {
    let mut server = Command::new(std::env::current_exe()?)
        .args(["serve", flavour])
        .stdout(Stdio::piped())
        .spawn()?;
    let port: u16 = {
        let out = server.stdout.take().context("the server's stdout")?;
        let mut line = String::new();
        BufReader::new(out).read_line(&mut line)?;
        line.trim().parse().context("the server's port")?
    };
    let pid = server.id();
    let delivered = Arc::new(AtomicU64::new(0));
    let acked = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for k in 0..clients {
        let socket = TcpStream::connect(("127.0.0.1", port)).await?;
        socket.set_nodelay(true)?;
        let (mut read, write) = socket.into_split();
        let write = Arc::new(Mutex::new(write));
        let (delivered, acked, w) = (delivered.clone(), acked.clone(), write.clone());
        // Every change received is acknowledged, as a sync peer does.
        tasks.push(tokio::spawn(async move {
            let mut frame = [0u8; CHANGE];
            while read.read_exact(&mut frame).await.is_ok() {
                delivered.fetch_add(1, Ordering::Relaxed);
                let mut ack = [0u8; ACK];
                ack[0] = b'A';
                if w.lock().await.write_all(&ack).await.is_err() {
                    return;
                }
                acked.fetch_add(1, Ordering::Relaxed);
            }
        }));
        // Changes at `rate` per second, the clients out of phase.
        let period = Duration::from_millis(1000 / rate.max(1));
        let phase = period * k as u32 / clients as u32;
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(phase).await;
            let mut tick = tokio::time::interval(period);
            let mut change = [0u8; CHANGE];
            change[0] = b'C';
            loop {
                tick.tick().await;
                if write.lock().await.write_all(&change).await.is_err() {
                    return;
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (d0, a0, c0, s0) = (
        delivered.load(Ordering::Relaxed),
        acked.load(Ordering::Relaxed),
        cpu_seconds(pid)?,
        context_switches(pid)?,
    );
    tokio::time::sleep(Duration::from_secs(secs)).await;
    let (d1, a1, c1, s1) = (
        delivered.load(Ordering::Relaxed),
        acked.load(Ordering::Relaxed),
        cpu_seconds(pid)?,
        context_switches(pid)?,
    );
    for t in tasks {
        t.abort();
    }
    server.kill()?;
    server.wait()?;
    Ok(Measured {
        deliveries: d1 - d0,
        acks: a1 - a0,
        cpu_s: c1 - c0,
        switches: s1.saturating_sub(s0),
    })
}
