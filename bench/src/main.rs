//! # codraft-bench: Codraft beside the reference server
//!
//! Starts both servers as child processes on free loopback ports — the
//! release `codraft` binary on a fresh data directory, and the reference
//! automerge-repo server (`tests/js/reference-server.mjs`, Node) — and runs
//! the same scenarios against each with a load generator that speaks
//! protocol "1" through the sans-IO `DocSession`:
//!
//! - `fanout`: one document, N clients each typing one character at a rate;
//!   latency from a change to its arrival at every other client, and the
//!   highest total rate whose p99 stays under 50 ms;
//! - `breadth`: many documents × a few clients each, same metrics;
//! - `connections`: many idle clients: server resident memory;
//! - `cold`: a document with a long synthetic editing trace fetched by a
//!   fresh client: time to synced;
//! - `long`: 5 and 20 editors typing into one text of 1,000 to 200,000
//!   characters: server CPU per change (from `/proc`), p50/p99 latency;
//! - `minutes`: 20 people typing into the agenda items of one meeting
//!   document at 2 keystrokes/s each for 60 s.
//!
//! The fan-out and breadth steps also report the server's CPU per
//! delivered change.
//!
//! Prints a Markdown report with the ratio Codraft / reference.

mod client;
mod population;
mod procfs;
mod report;
mod scenarios;
mod servers;
mod typists;

use std::path::PathBuf;

use anyhow::Result;
use clap::Parser;

#[derive(Parser, Debug, Clone)]
#[command(about = "Benchmark Codraft against the reference automerge-repo server")]
pub struct Opts {
    /// Scenarios to run (comma-separated): fanout, breadth, connections,
    /// cold, and cross (Codraft instances on Redis; not in the default run,
    /// `./bench.sh` runs it on its own).
    #[arg(
        long,
        default_value = "fanout,breadth,connections,cold,long,minutes",
        value_delimiter = ','
    )]
    pub scenarios: Vec<String>,
    /// The codraft binary (built with --release).
    #[arg(long, default_value = "target/release/codraft")]
    pub codraft: PathBuf,
    /// Directory with the reference server script and its node_modules.
    #[arg(long, default_value = "tests/js")]
    pub js_dir: PathBuf,
    /// Clients on the fan-out document.
    #[arg(long, default_value_t = 50)]
    pub fanout_clients: usize,
    /// Per-client change rates of the fan-out steps (changes per second),
    /// tried in order until one fails.
    #[arg(long, value_delimiter = ',', default_value = "1,2,5,10,20,40,80,160")]
    pub fanout_rates: Vec<f64>,
    /// Documents in the breadth scenario.
    #[arg(long, default_value_t = 1000)]
    pub breadth_docs: usize,
    /// Clients per document in the breadth scenario.
    #[arg(long, default_value_t = 5)]
    pub breadth_clients: usize,
    /// Idle clients in the connections scenario.
    #[arg(long, default_value_t = 10_000)]
    pub idle_clients: usize,
    /// Documents they spread over.
    #[arg(long, default_value_t = 1000)]
    pub idle_docs: usize,
    /// Edits in the cold-load trace.
    #[arg(long, default_value_t = 260_000)]
    pub trace_edits: usize,
    /// Seconds per load step.
    #[arg(long, default_value_t = 4)]
    pub step_secs: u64,
    /// Use an already running Codraft at this ws:// URL instead of starting one.
    #[arg(long)]
    pub codraft_url: Option<String>,
    /// Clients of the cross-instance scenario (`--scenarios cross`).
    #[arg(long, default_value_t = 15)]
    pub cross_clients: usize,
    /// Text lengths of the long-text scenario.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,50000,200000")]
    pub long_chars: Vec<usize>,
    /// Editors of the long-text scenario.
    #[arg(long, value_delimiter = ',', default_value = "5,20")]
    pub long_editors: Vec<usize>,
    /// Keystrokes per second per editor in the long-text scenario.
    #[arg(long, default_value_t = 1.0)]
    pub long_rate: f64,
    /// People of the minutes scenario.
    #[arg(long, default_value_t = 20)]
    pub minutes_people: usize,
    /// Agenda items (one text each) of the minutes scenario.
    #[arg(long, default_value_t = 8)]
    pub minutes_items: usize,
    /// Keystrokes per second per person in the minutes scenario.
    #[arg(long, default_value_t = 2.0)]
    pub minutes_rate: f64,
    /// Seconds of typing in the minutes scenario.
    #[arg(long, default_value_t = 60)]
    pub minutes_secs: u64,
    /// Typists mode (for the browser's long-text benchmark): type into this
    /// document (its id) on the server at `--typists-url`, then exit.
    #[arg(long)]
    pub typists_doc: Option<String>,
    /// The sync URL of the typists mode.
    #[arg(long)]
    pub typists_url: Option<String>,
    /// How many people type, in typists mode (one keystroke a second each).
    #[arg(long, default_value_t = 20)]
    pub typists: usize,
    /// For how many seconds, in typists mode.
    #[arg(long, default_value_t = 20)]
    pub typists_secs: u64,
    /// Run only against this server: codraft or reference (default: both).
    #[arg(long)]
    pub only: Option<String>,
}

fn main() -> Result<()> {
    let opts = Opts::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        if let Some(doc) = opts.typists_doc.clone() {
            return typists::run(&opts, &doc).await;
        }
        // The cross-instance scenario is Codraft-only and runs on its own.
        if opts.scenarios.iter().any(|s| s == "cross") {
            scenarios::run_cross(&opts).await?;
        }
        let mut opts = opts;
        opts.scenarios.retain(|s| s != "cross");
        if opts.scenarios.is_empty() {
            return Ok(());
        }
        scenarios::run_all(opts).await
    })
}
