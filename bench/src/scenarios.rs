//! The scenarios, each run against both servers, and the report.

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

use crate::Opts;
use crate::client::LoadClient;
use crate::servers::Server;

const SETUP_TIMEOUT: Duration = Duration::from_secs(120);
const P99_LIMIT_US: u64 = 50_000;

fn now_us() -> u64 {
    static BASE: OnceLock<Instant> = OnceLock::new();
    BASE.get_or_init(Instant::now).elapsed().as_micros() as u64
}

/// A small card-like document with a text to type into.
fn seed_doc() -> Automerge {
    let mut doc = Automerge::new();
    doc.transact::<_, _, AutomergeError>(|tx| {
        let t = tx.put_object(ROOT, "text", ObjType::Text)?;
        tx.splice_text(&t, 0, 0, "الشفافية ")?;
        Ok(())
    })
    .expect("seed document");
    doc
}

/// One keystroke at the end of the text; the commit message carries the
/// send time so receivers can measure latency.
fn keystroke(doc: &mut Automerge) {
    let sent = now_us().to_string();
    doc.transact_with::<_, _, AutomergeError, _>(
        |_| CommitOptions::default().with_message(sent),
        |tx| {
            let (_, t) = tx.get(ROOT, "text")?.expect("text");
            let len = tx.length(&t);
            tx.splice_text(&t, len, 0, "ⵜ")?;
            Ok(())
        },
    )
    .expect("keystroke");
}

/// Connects `per_doc` clients to each document; the first of each creates it.
async fn populate(
    url: &str,
    docs: usize,
    per_doc: usize,
    tag: &str,
) -> Result<(Vec<DocumentId>, Vec<LoadClient>)> {
    let ids: Vec<DocumentId> = (0..docs).map(|_| DocumentId::random()).collect();
    let seed = Arc::new(seed_doc());
    let creators = futures_util::stream::iter(ids.clone().into_iter().enumerate())
        .map(|(i, id)| {
            let seed = seed.clone();
            let url = url.to_owned();
            let peer = format!("{tag}-{i}-0");
            async move {
                let mut c = LoadClient::connect(&url, peer).await?;
                c.create(id, &seed).await?;
                c.until_synced(SETUP_TIMEOUT).await?;
                anyhow::Ok(c)
            }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await;
    let mut clients = creators.into_iter().collect::<Result<Vec<_>>>()?;
    let others =
        futures_util::stream::iter((0..docs).flat_map(|d| (1..per_doc).map(move |k| (d, k))))
            .map(|(d, k)| {
                let url = url.to_owned();
                let id = ids[d];
                let peer = format!("{tag}-{d}-{k}");
                async move {
                    let mut c = LoadClient::connect(&url, peer).await?;
                    c.request(id).await?;
                    c.until_synced(SETUP_TIMEOUT).await?;
                    anyhow::Ok(c)
                }
            })
            .buffer_unordered(64)
            .collect::<Vec<_>>()
            .await;
    clients.extend(others.into_iter().collect::<Result<Vec<_>>>()?);
    Ok((ids, clients))
}

#[derive(Debug, Clone)]
pub struct Step {
    pub offered_per_client: f64,
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub delivered: f64,
}

impl Step {
    fn ok(&self) -> bool {
        self.p99_ms * 1000.0 <= P99_LIMIT_US as f64 && self.delivered >= 0.95
    }
}

/// Every client types into its document at `rate` per second for `dur`;
/// latencies of changes made in this step are recorded at every receiver.
async fn load_step(
    clients: Vec<LoadClient>,
    rate: f64,
    dur: Duration,
    receivers_per_change: usize,
) -> Result<(Vec<LoadClient>, Step)> {
    let hist = Arc::new(Mutex::new(Histogram::<u64>::new_with_bounds(
        1,
        600_000_000,
        3,
    )?));
    let sent = Arc::new(AtomicU64::new(0));
    let step_start = now_us();
    let grace = Duration::from_secs(2);
    let mut tasks = Vec::new();
    for (i, mut c) in clients.into_iter().enumerate() {
        let hist = hist.clone();
        let sent = sent.clone();
        tasks.push(tokio::spawn(async move {
            let id = *c.docs.keys().next().expect("one document");
            let period = Duration::from_secs_f64(1.0 / rate);
            let mut rng = rand::rngs::SmallRng::seed_from_u64(i as u64);
            let offset = Duration::from_secs_f64(rng.random_range(0.0..period.as_secs_f64()));
            let start = tokio::time::Instant::now();
            let mut tick = tokio::time::interval_at(start + offset, period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            let end = start + dur;
            let hard_end = tokio::time::sleep_until(end + grace);
            tokio::pin!(hard_end);
            let mut record = |_: DocumentId, ch: &automerge::Change| {
                if let Some(ts) = ch.message().and_then(|m| m.parse::<u64>().ok())
                    && ts >= step_start
                {
                    let _ = hist
                        .lock()
                        .unwrap()
                        .record(now_us().saturating_sub(ts).max(1));
                }
            };
            loop {
                tokio::select! {
                    _ = tick.tick(), if tokio::time::Instant::now() < end => {
                        c.edit(id, keystroke).await?;
                        sent.fetch_add(1, Ordering::Relaxed);
                    }
                    f = c.stream.next() => c.handle(f, &mut record).await?,
                    _ = &mut hard_end => break,
                }
            }
            anyhow::Ok(c)
        }));
    }
    let mut clients = Vec::new();
    for t in tasks {
        clients.push(t.await??);
    }
    let h = hist.lock().unwrap();
    let sent = sent.load(Ordering::Relaxed) as f64;
    let expected = sent * receivers_per_change as f64;
    Ok((
        clients,
        Step {
            offered_per_client: rate,
            rate: sent / dur.as_secs_f64(),
            p50_ms: h.value_at_quantile(0.5) as f64 / 1000.0,
            p99_ms: h.value_at_quantile(0.99) as f64 / 1000.0,
            delivered: if expected > 0.0 {
                h.len() as f64 / expected
            } else {
                0.0
            },
        },
    ))
}

/// Steps through the rates until p99 passes the limit or deliveries fall
/// behind; returns every step run.
async fn ramp(
    mut clients: Vec<LoadClient>,
    rates: &[f64],
    dur: Duration,
    receivers: usize,
) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    for &rate in rates {
        let (c, step) = load_step(clients, rate, dur, receivers).await?;
        clients = c;
        eprintln!(
            "    {:>7.1}/s per client → {:>8.0}/s total  p50 {:>7.2} ms  p99 {:>8.2} ms  delivered {:>5.1}%",
            step.offered_per_client,
            step.rate,
            step.p50_ms,
            step.p99_ms,
            step.delivered * 100.0
        );
        let ok = step.ok();
        steps.push(step);
        if !ok {
            break;
        }
    }
    Ok(steps)
}

#[derive(Debug, Default, Clone)]
pub struct Results {
    pub fanout: Vec<Step>,
    pub breadth: Vec<Step>,
    pub idle_rss_before: u64,
    pub idle_rss_after: u64,
    pub idle_connected: usize,
    pub cold_upload_ms: f64,
    pub cold_load_ms: f64,
    pub cold_bytes: usize,
}

/// A synthetic editing trace: mostly typing with some deletions at a moving
/// caret, one change per edit, as the automerge-perf trace is replayed.
fn trace_doc(edits: usize) -> Automerge {
    let mut doc = Automerge::new();
    let t = doc
        .transact::<_, _, AutomergeError>(|tx| tx.put_object(ROOT, "text", ObjType::Text))
        .expect("text")
        .result;
    let mut rng = rand::rngs::SmallRng::seed_from_u64(260_000);
    let alphabet: Vec<char> = "abcdefghijklmnopqrstuvwxyz الشفافية ⵜⴰⵎⵙⵙⵓⴷⵓⵜ"
        .chars()
        .collect();
    let mut caret = 0usize;
    let mut len = 0usize;
    for _ in 0..edits {
        if rng.random_range(0..100) < 5 {
            caret = rng.random_range(0..=len);
        }
        let delete = len > 0 && caret > 0 && rng.random_range(0..100) < 12;
        let mut tx = doc.transaction();
        if delete {
            tx.splice_text(&t, caret - 1, 1, "").expect("delete");
            caret -= 1;
            len -= 1;
        } else {
            let ch = alphabet[rng.random_range(0..alphabet.len())].to_string();
            tx.splice_text(&t, caret, 0, &ch).expect("insert");
            caret += 1;
            len += 1;
        }
        tx.commit();
    }
    doc
}

pub async fn run_server(
    server: &Server,
    opts: &Opts,
    trace: Option<&Automerge>,
) -> Result<Results> {
    let mut r = Results::default();
    let dur = Duration::from_secs(opts.step_secs);
    let has = |s: &str| opts.scenarios.iter().any(|x| x == s);
    if has("fanout") {
        eprintln!("  fan-out: 1 document × {} clients", opts.fanout_clients);
        let (_, clients) = populate(&server.url, 1, opts.fanout_clients, "fan")
            .await
            .context("fan-out setup")?;
        let rates = [1.0, 2.0, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0];
        r.fanout = ramp(clients, &rates, dur, opts.fanout_clients - 1).await?;
    }
    if has("breadth") {
        eprintln!(
            "  breadth: {} documents × {} clients",
            opts.breadth_docs, opts.breadth_clients
        );
        let (_, clients) = populate(&server.url, opts.breadth_docs, opts.breadth_clients, "wide")
            .await
            .context("breadth setup")?;
        let rates = [0.2, 0.5, 1.0, 2.0, 5.0, 10.0];
        r.breadth = ramp(clients, &rates, dur, opts.breadth_clients - 1).await?;
    }
    if has("connections") {
        tokio::time::sleep(Duration::from_secs(1)).await;
        r.idle_rss_before = server.rss()?;
        let per_doc = opts.idle_clients.div_ceil(opts.idle_docs);
        eprintln!(
            "  connections: {} idle clients on {} documents",
            opts.idle_docs * per_doc,
            opts.idle_docs
        );
        let (_, clients) = populate(&server.url, opts.idle_docs, per_doc, "idle")
            .await
            .context("idle setup")?;
        r.idle_connected = clients.len();
        // Keep reading so that keepalive pings are answered.
        let readers: Vec<_> = clients
            .into_iter()
            .map(|mut c| {
                tokio::spawn(async move { while let Some(Ok(_)) = c.stream.next().await {} })
            })
            .collect();
        tokio::time::sleep(Duration::from_secs(3)).await;
        r.idle_rss_after = server.rss()?;
        eprintln!(
            "    server RSS {} MiB → {} MiB",
            r.idle_rss_before >> 20,
            r.idle_rss_after >> 20
        );
        for t in readers {
            t.abort();
        }
    }
    if let Some(doc) = trace.filter(|_| has("cold")) {
        let id = DocumentId::random();
        r.cold_bytes = doc.save().len();
        let t0 = Instant::now();
        let mut up = LoadClient::connect(&server.url, "uploader".into()).await?;
        up.create(id, doc).await?;
        up.until_synced(Duration::from_secs(600))
            .await
            .context("cold-load upload")?;
        r.cold_upload_ms = t0.elapsed().as_secs_f64() * 1000.0;
        drop(up);
        let t0 = Instant::now();
        let mut fresh = LoadClient::connect(&server.url, "fresh".into()).await?;
        fresh.request(id).await?;
        fresh
            .until_synced(Duration::from_secs(600))
            .await
            .context("cold load")?;
        r.cold_load_ms = t0.elapsed().as_secs_f64() * 1000.0;
        let (_, t) = fresh.docs[&id].doc().get(ROOT, "text")?.context("text")?;
        anyhow::ensure!(
            fresh.docs[&id].doc().length(&t) == doc.length(&t),
            "cold load incomplete"
        );
        eprintln!(
            "    upload {:.0} ms, fresh client synced in {:.0} ms",
            r.cold_upload_ms, r.cold_load_ms
        );
    }
    Ok(r)
}

pub async fn run_all(opts: Opts) -> Result<()> {
    let trace = if opts.scenarios.iter().any(|s| s == "cold") {
        eprintln!("generating a {}-edit trace…", opts.trace_edits);
        let t0 = Instant::now();
        let d = trace_doc(opts.trace_edits);
        eprintln!("  done in {:.1} s", t0.elapsed().as_secs_f64());
        Some(d)
    } else {
        None
    };
    let mut results = Vec::new();
    for name in ["codraft", "reference"] {
        if opts.only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        eprintln!("== {name}");
        let server = if let (Some(url), "codraft") = (&opts.codraft_url, name) {
            Server::external(url.clone())
        } else if name == "codraft" {
            Server::codraft(&opts.codraft).await?
        } else {
            Server::reference(&opts.js_dir).await?
        };
        let r = run_server(&server, &opts, trace.as_ref()).await;
        server.stop().await;
        results.push((name, r?));
    }
    print!("{}", crate::report::markdown(&opts, &results));
    Ok(())
}
