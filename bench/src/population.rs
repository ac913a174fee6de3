//! The load: a population of protocol clients, each typing into its own
//! field of a card-like document at a set rate, and the latency each
//! keystroke took to reach the others.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{Automerge, AutomergeError, ObjType, ROOT, ReadDoc};
use codraft_protocol::DocumentId;
use futures_util::StreamExt;
use hdrhistogram::Histogram;
use rand::{Rng, SeedableRng};

use crate::client::LoadClient;

use crate::scenarios::{SETUP_TIMEOUT, Step};

pub(crate) fn now_us() -> u64 {
    static BASE: OnceLock<Instant> = OnceLock::new();
    BASE.get_or_init(Instant::now).elapsed().as_micros() as u64
}

/// A card-like document: a map `fields` of `n` texts, one per client that
/// types (a commitment card has a few dozen text fields: title, context,
/// objectives, each activity's title...; people co-drafting a card each
/// type in the field they are on).
pub(crate) fn seed_doc(n: usize) -> Automerge {
    seed_doc_of(n, 0)
}

/// The same, each text starting `chars` characters long (at least one word).
pub(crate) fn seed_doc_of(n: usize, chars: usize) -> Automerge {
    let word = "الشفافية ";
    let words = chars.div_ceil(word.chars().count()).max(1);
    let text = word.repeat(words);
    let mut doc = Automerge::new();
    doc.transact::<_, _, AutomergeError>(|tx| {
        let fields = tx.put_object(ROOT, "fields", ObjType::Map)?;
        for f in 0..n {
            let t = tx.put_object(&fields, f.to_string(), ObjType::Text)?;
            tx.splice_text(&t, 0, 0, &text)?;
        }
        Ok(())
    })
    .expect("seed document");
    doc
}

/// One keystroke at the end of text field `field`; the commit message
/// carries the send time so receivers can measure latency.
pub(crate) fn keystroke(doc: &mut Automerge, field: usize) {
    let sent = now_us().to_string();
    doc.transact_with::<_, _, AutomergeError, _>(
        |_| CommitOptions::default().with_message(sent),
        |tx| {
            let (_, fields) = tx.get(ROOT, "fields")?.expect("fields");
            let (_, t) = tx.get(&fields, field.to_string())?.expect("text field");
            let len = tx.length(&t);
            tx.splice_text(&t, len, 0, "ⵜ")?;
            Ok(())
        },
    )
    .expect("keystroke");
}

/// What the clients are told to do: type at `rate` per second until
/// `until`, as step `step`; `None` means read only.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Phase {
    step: usize,
    rate: f64,
    until: tokio::time::Instant,
}

/// Measurements shared by every client task.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Start time (µs) of each step; a change belongs to the last step that
    /// started before it was made.
    step_starts: Mutex<Vec<u64>>,
    hists: Mutex<Vec<Histogram<u64>>>,
    sent: Vec<AtomicU64>,
}

const MAX_STEPS: usize = 16;

impl Shared {
    pub(crate) fn new() -> Result<Self> {
        Ok(Shared {
            step_starts: Mutex::new(Vec::new()),
            hists: Mutex::new(
                (0..MAX_STEPS)
                    .map(|_| Histogram::new_with_bounds(1, 600_000_000, 3))
                    .collect::<Result<_, _>>()?,
            ),
            sent: (0..MAX_STEPS).map(|_| AtomicU64::new(0)).collect(),
        })
    }

    pub(crate) fn record(&self, sent_us: u64) {
        let step = {
            let starts = self.step_starts.lock().unwrap();
            match starts.iter().rposition(|&s| s <= sent_us) {
                Some(i) => i,
                None => return, // made during setup
            }
        };
        let _ = self.hists.lock().unwrap()[step].record(now_us().saturating_sub(sent_us).max(1));
    }
}

/// A population of clients, each a task that owns its connection, keeps
/// reading (so keepalive pings are answered at every moment) and types when
/// told to.
pub(crate) struct Population {
    phase: tokio::sync::watch::Sender<Option<Phase>>,
    shared: Arc<Shared>,
    tasks: Vec<tokio::task::JoinHandle<Result<()>>>,
    pub clients: usize,
}

/// Where one client sits: its server, name, document and text field.
pub(crate) struct Seat {
    url: String,
    peer: String,
    id: DocumentId,
    /// The text field it types into (its index on the document).
    field: usize,
    /// The document's first content, for the client that creates it.
    seed: Option<Arc<Automerge>>,
    /// A relaying client (see `LoadClient::relay`).
    relay: bool,
}

pub(crate) async fn client_task(
    Seat {
        url,
        peer,
        id,
        field,
        seed,
        relay,
    }: Seat,
    ready: tokio::sync::mpsc::Sender<Result<()>>,
    mut phase: tokio::sync::watch::Receiver<Option<Phase>>,
    shared: Arc<Shared>,
) -> Result<()> {
    let setup = async {
        let mut c = LoadClient::connect(&url, peer).await?;
        c.relay = relay;
        match &seed {
            Some(doc) => c.create(id, doc).await?,
            None => c.request(id).await?,
        }
        c.until_synced(SETUP_TIMEOUT).await?;
        anyhow::Ok(c)
    };
    let mut c = match setup.await {
        Ok(c) => {
            let _ = ready.send(Ok(())).await;
            c
        }
        Err(e) => {
            let _ = ready.send(Err(e)).await;
            return Ok(());
        }
    };
    drop(ready);
    // Each client its own phase within the period (seeded by its peer id).
    let mut rng = rand::rngs::SmallRng::seed_from_u64(
        c.peer
            .as_str()
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64)),
    );
    let mut tick: Option<tokio::time::Interval> = None;
    let mut current: Option<Phase> = None;
    let mut record = |_: DocumentId, message: Option<&str>| {
        if let Some(ts) = message.and_then(|m| m.parse::<u64>().ok()) {
            shared.record(ts);
        }
    };
    loop {
        let typing = current.filter(|p| tokio::time::Instant::now() < p.until);
        tokio::select! {
            _ = async { tick.as_mut().expect("set with the phase").tick().await }, if typing.is_some() && tick.is_some() => {
                c.edit(id, |d| keystroke(d, field)).await?;
                if let Some(p) = typing {
                    shared.sent[p.step].fetch_add(1, Ordering::Relaxed);
                }
            }
            changed = phase.changed() => {
                if changed.is_err() {
                    return Ok(());
                }
                current = *phase.borrow();
                tick = current.map(|p| {
                    let period = Duration::from_secs_f64(1.0 / p.rate);
                    let offset = Duration::from_secs_f64(rng.random_range(0.0..period.as_secs_f64()));
                    let mut t = tokio::time::interval_at(tokio::time::Instant::now() + offset, period);
                    t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                    t
                });
            }
            f = c.stream.next() => c.handle(f, &mut record).await?,
        }
    }
}

impl Population {
    /// `per_doc` clients on each of `docs` documents; the first of each
    /// creates it, the others ask for it once it exists.
    pub(crate) async fn start(url: &str, docs: usize, per_doc: usize, tag: &str) -> Result<Self> {
        Self::start_spread(&[url.to_owned()], docs, per_doc, tag).await
    }

    /// Clients that never type, on documents with one text field.
    pub(crate) async fn start_idle(
        url: &str,
        docs: usize,
        per_doc: usize,
        tag: &str,
    ) -> Result<Self> {
        Self::start_with(&[url.to_owned()], docs, per_doc, 1, tag).await
    }

    /// The same, the clients of each document spread over several servers
    /// (client k of a document on server k mod n).
    pub(crate) async fn start_spread(
        urls: &[String],
        docs: usize,
        per_doc: usize,
        tag: &str,
    ) -> Result<Self> {
        Self::start_with(urls, docs, per_doc, per_doc, tag).await
    }

    /// Documents seeded with `fields` text fields (client k types in field k).
    pub(crate) async fn start_with(
        urls: &[String],
        docs: usize,
        per_doc: usize,
        fields: usize,
        tag: &str,
    ) -> Result<Self> {
        Self::start_seeded(urls, docs, per_doc, seed_doc(fields), tag, None).await
    }

    /// `per_doc` relaying clients on one document of `fields` texts, each
    /// starting `chars` characters long; client k types into text k mod
    /// `fields` (one text: everyone in the same one).
    pub(crate) async fn start_shared(
        url: &str,
        per_doc: usize,
        fields: usize,
        chars: usize,
        tag: &str,
    ) -> Result<Self> {
        let seed = seed_doc_of(fields, chars);
        Self::start_seeded(&[url.to_owned()], 1, per_doc, seed, tag, Some(fields)).await
    }

    /// Documents from `seed`; client k types in field k, or (relaying
    /// clients) in field k mod `shared_field`.
    async fn start_seeded(
        urls: &[String],
        docs: usize,
        per_doc: usize,
        seed: Automerge,
        tag: &str,
        shared_field: Option<usize>,
    ) -> Result<Self> {
        let (phase, _) = tokio::sync::watch::channel(None);
        let shared = Arc::new(Shared::new()?);
        let seed = Arc::new(seed);
        let ids: Vec<DocumentId> = (0..docs).map(|_| DocumentId::random()).collect();
        let mut tasks = Vec::new();
        for round in 0..2 {
            let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(64);
            let members: Vec<(usize, usize)> = if round == 0 {
                (0..docs).map(|d| (d, 0)).collect()
            } else {
                (0..docs)
                    .flat_map(|d| (1..per_doc).map(move |k| (d, k)))
                    .collect()
            };
            let total = members.len();
            // At most 64 handshakes at a time.
            let gate = Arc::new(tokio::sync::Semaphore::new(64));
            for (d, k) in members {
                let permit = gate.clone().acquire_owned().await?;
                let (url, peer, id) = (
                    urls[k % urls.len()].clone(),
                    format!("{tag}-{d}-{k}"),
                    ids[d],
                );
                let seed = (k == 0).then(|| seed.clone());
                let (ready, phase, shared) = (ready_tx.clone(), phase.subscribe(), shared.clone());
                let (inner_tx, mut inner_rx) = tokio::sync::mpsc::channel(1);
                tasks.push(tokio::spawn(client_task(
                    Seat {
                        url,
                        peer,
                        id,
                        field: shared_field.map_or(k, |n| k % n),
                        seed,
                        relay: shared_field.is_some(),
                    },
                    inner_tx,
                    phase,
                    shared,
                )));
                tokio::spawn(async move {
                    let r = inner_rx
                        .recv()
                        .await
                        .unwrap_or_else(|| Err(anyhow::anyhow!("client task ended")));
                    drop(permit);
                    let _ = ready.send(r).await;
                });
            }
            drop(ready_tx);
            for _ in 0..total {
                ready_rx.recv().await.context("setup ended early")??;
            }
        }
        Ok(Population {
            phase,
            shared,
            tasks,
            clients: docs * per_doc,
        })
    }

    /// One load step; returns its figures, with the server's CPU time read
    /// before and after (into [`Step::cpu_s`]) when `server` is given.
    pub(crate) async fn step(
        &self,
        step: usize,
        rate: f64,
        dur: Duration,
        receivers_per_change: usize,
        server: Option<&crate::servers::Server>,
    ) -> Step {
        let cpu = |s: Option<&crate::servers::Server>| s.and_then(|s| s.cpu_seconds().ok());
        let switches =
            |s: Option<&crate::servers::Server>| s.and_then(|s| s.context_switches().ok());
        let (cpu_before, switches_before) = (cpu(server), switches(server));
        self.shared.step_starts.lock().unwrap().push(now_us());
        let until = tokio::time::Instant::now() + dur;
        let _ = self.phase.send(Some(Phase { step, rate, until }));
        tokio::time::sleep(dur + Duration::from_secs(2)).await;
        let cpu_s = match (cpu_before, cpu(server)) {
            (Some(a), Some(b)) => b - a,
            _ => 0.0,
        };
        let switches = match (switches_before, switches(server)) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => 0,
        };
        let h = self.shared.hists.lock().unwrap()[step].clone();
        let sent = self.shared.sent[step].load(Ordering::Relaxed) as f64;
        let expected = sent * receivers_per_change as f64;
        Step {
            cpu_s,
            switches,
            deliveries: h.len(),
            sent: sent as u64,
            offered_per_client: rate,
            rate: sent / dur.as_secs_f64(),
            p50_ms: h.value_at_quantile(0.5) as f64 / 1000.0,
            p99_ms: h.value_at_quantile(0.99) as f64 / 1000.0,
            delivered: if expected > 0.0 {
                h.len() as f64 / expected
            } else {
                0.0
            },
        }
    }

    /// Steps through the rates until p99 passes the limit or deliveries fall
    /// behind.
    /// Rates up to `reported` always run: that step is in the report.
    pub(crate) async fn ramp(
        &self,
        rates: &[f64],
        reported: f64,
        dur: Duration,
        receivers: usize,
        server: Option<&crate::servers::Server>,
    ) -> Vec<Step> {
        let mut steps = Vec::new();
        for (i, &rate) in rates.iter().enumerate().take(MAX_STEPS) {
            let step = self.step(i, rate, dur, receivers, server).await;
            eprintln!(
                "    {:>7.1}/s per client → {:>8.0}/s total  p50 {:>7.2} ms  p99 {:>8.2} ms  delivered {:>5.1}%  CPU {:>6.0} µs per delivery  {:.2} context switches per delivery",
                step.offered_per_client,
                step.rate,
                step.p50_ms,
                step.p99_ms,
                step.delivered * 100.0,
                step.cpu_us_per_delivery(),
                step.switches_per_delivery()
            );
            let ok = step.ok();
            steps.push(step);
            if !ok && rate >= reported {
                break;
            }
        }
        steps
    }

    pub(crate) async fn stop(self) -> Result<()> {
        drop(self.phase);
        for t in self.tasks {
            t.await??;
        }
        Ok(())
    }
}
