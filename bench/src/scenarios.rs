//! The scenarios, each run against both servers, and the report.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ObjType, ROOT, ReadDoc};
use codraft_protocol::DocumentId;
use rand::{Rng, SeedableRng};

use crate::Opts;
use crate::client::LoadClient;
use crate::population::*;
use crate::servers::Server;

pub(crate) const SETUP_TIMEOUT: Duration = Duration::from_secs(120);
pub(crate) const P99_LIMIT_US: u64 = 50_000;

#[derive(Debug, Clone)]
pub struct Step {
    /// Changes made in the step.
    pub sent: u64,
    /// Changes received by the other clients (each arrival counted).
    pub deliveries: u64,
    /// Server CPU time (user + system) during the step, when measured.
    pub cpu_s: f64,
    /// The server's context switches during the step, when measured.
    pub switches: u64,
    pub offered_per_client: f64,
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub delivered: f64,
}

impl Step {
    /// Server CPU per change delivered to a client, in microseconds.
    pub(crate) fn cpu_us_per_delivery(&self) -> f64 {
        self.cpu_s * 1e6 / self.deliveries.max(1) as f64
    }

    /// The server's context switches per change delivered to a client.
    pub(crate) fn switches_per_delivery(&self) -> f64 {
        self.switches as f64 / self.deliveries.max(1) as f64
    }

    pub(crate) fn ok(&self) -> bool {
        self.p99_ms * 1000.0 <= P99_LIMIT_US as f64 && self.delivered >= 0.95
    }
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
    pub long: Vec<LongText>,
    pub minutes: Option<Step>,
}

/// One "Long text" run: `editors` typing into one text of `chars`.
#[derive(Debug, Clone)]
pub struct LongText {
    pub chars: usize,
    pub editors: usize,
    /// Server CPU (user + system) per change made, in microseconds.
    pub cpu_us_per_change: f64,
    pub step: Step,
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

async fn start(name: &str, opts: &Opts) -> Result<Server> {
    match (name, &opts.codraft_url) {
        ("codraft", Some(url)) => Ok(Server::external(url.clone())),
        ("codraft", None) => Server::codraft(&opts.codraft).await,
        _ => Server::reference(&opts.js_dir).await,
    }
}

/// Runs the chosen scenarios against one kind of server, each on a fresh
/// server process.
pub async fn run_server(name: &str, opts: &Opts, trace: Option<&Automerge>) -> Result<Results> {
    let mut r = Results::default();
    let dur = Duration::from_secs(opts.step_secs);
    let has = |s: &str| opts.scenarios.iter().any(|x| x == s);
    if has("fanout") {
        eprintln!("  fan-out: 1 document × {} clients", opts.fanout_clients);
        let server = start(name, opts).await?;
        let pop = Population::start(&server.url, 1, opts.fanout_clients, "fan")
            .await
            .context("fan-out setup")?;
        let rates = opts.fanout_rates.clone();
        r.fanout = pop
            .ramp(&rates, 5.0, dur, opts.fanout_clients - 1, Some(&server))
            .await;
        let _ = pop.stop().await;
        server.stop().await;
    }
    if has("breadth") {
        eprintln!(
            "  breadth: {} documents × {} clients",
            opts.breadth_docs, opts.breadth_clients
        );
        let server = start(name, opts).await?;
        let pop = Population::start(&server.url, opts.breadth_docs, opts.breadth_clients, "wide")
            .await
            .context("breadth setup")?;
        let rates = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0];
        r.breadth = pop
            .ramp(&rates, 1.0, dur, opts.breadth_clients - 1, Some(&server))
            .await;
        let _ = pop.stop().await;
        server.stop().await;
    }
    if has("connections") {
        let server = start(name, opts).await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        r.idle_rss_before = server.rss()?;
        let per_doc = opts.idle_clients.div_ceil(opts.idle_docs);
        eprintln!(
            "  connections: {} idle clients on {} documents",
            opts.idle_docs * per_doc,
            opts.idle_docs
        );
        let pop = Population::start_idle(&server.url, opts.idle_docs, per_doc, "idle")
            .await
            .context("idle setup")?;
        r.idle_connected = pop.clients;
        tokio::time::sleep(Duration::from_secs(3)).await;
        r.idle_rss_after = server.rss()?;
        eprintln!(
            "    server RSS {} MiB → {} MiB",
            r.idle_rss_before >> 20,
            r.idle_rss_after >> 20
        );
        let _ = pop.stop().await;
        server.stop().await;
    }
    if has("long") {
        for &editors in &opts.long_editors {
            for &chars in &opts.long_chars {
                let server = start(name, opts).await?;
                let pop = Population::start_shared(&server.url, editors, 1, chars, "long")
                    .await
                    .context("long-text setup")?;
                // Let the server settle (the document loaded, the first syncs done).
                tokio::time::sleep(Duration::from_secs(1)).await;
                let step = pop
                    .step(0, opts.long_rate, dur, editors - 1, Some(&server))
                    .await;
                let _ = pop.stop().await;
                server.stop().await;
                let per = step.cpu_s * 1e6 / step.sent.max(1) as f64;
                eprintln!(
                    "  long text: {chars} characters × {editors} editors → {per:.0} µs CPU per change, p50 {:.2} ms, p99 {:.2} ms, delivered {:.1}%",
                    step.p50_ms,
                    step.p99_ms,
                    step.delivered * 100.0
                );
                r.long.push(LongText {
                    chars,
                    editors,
                    cpu_us_per_change: per,
                    step,
                });
            }
        }
    }
    if has("minutes") {
        let (people, items) = (opts.minutes_people, opts.minutes_items);
        eprintln!(
            "  minutes: {people} people typing into {items} agenda items of one meeting at {}/s each for {} s",
            opts.minutes_rate, opts.minutes_secs
        );
        let server = start(name, opts).await?;
        let pop = Population::start_shared(&server.url, people, items, 400, "minutes")
            .await
            .context("minutes setup")?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let step = pop
            .step(
                0,
                opts.minutes_rate,
                Duration::from_secs(opts.minutes_secs),
                people - 1,
                Some(&server),
            )
            .await;
        let _ = pop.stop().await;
        server.stop().await;
        eprintln!(
            "    {:.0} µs CPU per change, p50 {:.2} ms, p99 {:.2} ms, delivered {:.1}%",
            step.cpu_s * 1e6 / step.sent.max(1) as f64,
            step.p50_ms,
            step.p99_ms,
            step.delivered * 100.0
        );
        r.minutes = Some(step);
    }
    if let Some(doc) = trace.filter(|_| has("cold")) {
        let server = start(name, opts).await?;
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
            "    cold load: upload {:.0} ms, fresh client synced in {:.0} ms",
            r.cold_upload_ms, r.cold_load_ms
        );
        server.stop().await;
    }
    Ok(r)
}

/// Cross-instance latency: one document, its clients spread over three
/// Codraft instances on one Redis, beside the same clients on one instance
/// on that Redis. Codraft only (the reference has no multi-instance mode).
pub async fn run_cross(opts: &Opts) -> Result<()> {
    let redis = crate::servers::Redis::start().await?;
    let dur = Duration::from_secs(opts.step_secs);
    let rates = [1.0, 2.0, 5.0];
    let mut rows = Vec::new();
    for instances in [1usize, 3] {
        eprintln!(
            "  cross-instance: {} clients on {instances} instance(s), Redis",
            opts.cross_clients
        );
        let mut servers = Vec::new();
        for _ in 0..instances {
            servers.push(Server::codraft_redis(&opts.codraft, &redis.url()).await?);
        }
        let urls: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
        let pop = Population::start_spread(&urls, 1, opts.cross_clients, &format!("x{instances}"))
            .await
            .context("cross-instance setup")?;
        let steps = pop
            .ramp(&rates, 5.0, dur, opts.cross_clients - 1, None)
            .await;
        let _ = pop.stop().await;
        for s in servers {
            s.stop().await;
        }
        rows.push((instances, steps));
    }
    println!(
        "\n| clients {} on one document, Redis | per client | p50 | p99 | delivered |",
        opts.cross_clients
    );
    println!("|---|---|---|---|---|");
    for (n, steps) in &rows {
        for s in steps {
            println!(
                "| {} | {:.0}/s | {:.1} ms | {:.1} ms | {:.1} % |",
                if *n == 1 {
                    "one instance".to_string()
                } else {
                    format!("{n} instances (cross-instance)")
                },
                s.offered_per_client,
                s.p50_ms,
                s.p99_ms,
                s.delivered * 100.0
            );
        }
    }
    Ok(())
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
        results.push((name, run_server(name, &opts, trace.as_ref()).await?));
    }
    print!("{}", crate::report::markdown(&opts, &results));
    Ok(())
}
