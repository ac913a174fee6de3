//! The Markdown report.

use std::fmt::Write;

use crate::Opts;
use crate::scenarios::{Results, Step};

fn sustained(steps: &[Step]) -> Option<&Step> {
    steps
        .iter()
        .filter(|s| s.p99_ms <= 50.0 && s.delivered >= 0.95)
        .max_by(|a, b| a.rate.total_cmp(&b.rate))
}

fn ratio(ours: f64, theirs: f64) -> String {
    if theirs > 0.0 && ours > 0.0 {
        let r = ours / theirs;
        if r < 0.01 {
            format!("{r:.4}×")
        } else {
            format!("{r:.2}×")
        }
    } else {
        "–".into()
    }
}

pub fn markdown(opts: &Opts, results: &[(&str, Results)]) -> String {
    let mut out = String::new();
    let names: Vec<&str> = results.iter().map(|(n, _)| *n).collect();
    let _ = writeln!(
        out,
        "\n| scenario | metric | {} | ratio codraft/reference |",
        names.join(" | ")
    );
    let _ = writeln!(out, "|---|---|{}---|", "---|".repeat(names.len()));
    let row = |out: &mut String,
               scen: &str,
               metric: &str,
               vals: Vec<f64>,
               fmt: &dyn Fn(f64) -> String| {
        let r = if vals.len() == 2 {
            ratio(vals[0], vals[1])
        } else {
            "–".into()
        };
        let cells: Vec<String> = vals.iter().map(|v| fmt(*v)).collect();
        let _ = writeln!(out, "| {scen} | {metric} | {} | {r} |", cells.join(" | "));
    };
    let ms = |v: f64| format!("{v:.2} ms");
    let per_s = |v: f64| format!("{v:.0}/s");
    for (key, label, first_rate) in [
        ("fanout", format!("fan-out 1×{}", opts.fanout_clients), 5.0),
        (
            "breadth",
            format!("breadth {}×{}", opts.breadth_docs, opts.breadth_clients),
            0.2,
        ),
    ] {
        if !opts.scenarios.iter().any(|s| s == key) {
            continue;
        }
        let steps = |r: &Results| {
            if key == "fanout" {
                r.fanout.clone()
            } else {
                r.breadth.clone()
            }
        };
        let base: Vec<Option<Step>> = results
            .iter()
            .map(|(_, r)| {
                steps(r)
                    .into_iter()
                    .find(|s| s.offered_per_client == first_rate)
            })
            .collect();
        row(
            &mut out,
            &label,
            &format!("p50 at {first_rate}/s per client"),
            base.iter()
                .map(|s| s.as_ref().map_or(0.0, |s| s.p50_ms))
                .collect(),
            &ms,
        );
        row(
            &mut out,
            &label,
            &format!("p99 at {first_rate}/s per client"),
            base.iter()
                .map(|s| s.as_ref().map_or(0.0, |s| s.p99_ms))
                .collect(),
            &ms,
        );
        let best: Vec<f64> = results
            .iter()
            .map(|(_, r)| sustained(&steps(r)).map_or(0.0, |s| s.rate))
            .collect();
        row(
            &mut out,
            &label,
            "highest change rate with p99 ≤ 50 ms",
            best,
            &per_s,
        );
    }
    if opts.scenarios.iter().any(|s| s == "connections") {
        let n = results.first().map_or(0, |(_, r)| r.idle_connected).max(1) as f64;
        row(
            &mut out,
            &format!("connections {}", n as u64),
            "server RSS",
            results
                .iter()
                .map(|(_, r)| r.idle_rss_after as f64 / 1048576.0)
                .collect(),
            &|v| format!("{v:.0} MiB"),
        );
        row(
            &mut out,
            &format!("connections {}", n as u64),
            "RSS per connection (growth / clients)",
            results
                .iter()
                .map(|(_, r)| {
                    r.idle_rss_after.saturating_sub(r.idle_rss_before) as f64 / n / 1024.0
                })
                .collect(),
            &|v| format!("{v:.1} KiB"),
        );
    }
    if opts.scenarios.iter().any(|s| s == "cold") {
        let edits = opts.trace_edits;
        row(
            &mut out,
            &format!("cold load {edits} edits"),
            "upload until saved",
            results.iter().map(|(_, r)| r.cold_upload_ms).collect(),
            &ms,
        );
        row(
            &mut out,
            &format!("cold load {edits} edits"),
            "fresh client: time to synced",
            results.iter().map(|(_, r)| r.cold_load_ms).collect(),
            &ms,
        );
    }
    if opts.scenarios.iter().any(|s| s == "fanout") {
        let at = |r: &Results| {
            r.fanout
                .iter()
                .min_by(|a, b| (a.rate - 100.0).abs().total_cmp(&(b.rate - 100.0).abs()))
                .map_or(0.0, Step::cpu_us_per_delivery)
        };
        row(
            &mut out,
            &format!("fan-out 1×{}", opts.fanout_clients),
            "server CPU per delivered change, step nearest 100 changes/s",
            results.iter().map(|(_, r)| at(r)).collect(),
            &|v| format!("{v:.0} µs"),
        );
    }
    if results.iter().any(|(_, r)| r.minutes.is_some()) {
        let label = format!(
            "minutes {} people × {} items",
            opts.minutes_people, opts.minutes_items
        );
        let of = |f: &dyn Fn(&Step) -> f64| -> Vec<f64> {
            results
                .iter()
                .filter_map(|(_, r)| r.minutes.as_ref().map(f))
                .collect()
        };
        row(
            &mut out,
            &label,
            "server CPU per change",
            of(&|s| s.cpu_s * 1e6 / s.sent.max(1) as f64),
            &|v| format!("{v:.0} µs"),
        );
        row(
            &mut out,
            &label,
            "p50 change to peer",
            of(&|s| s.p50_ms),
            &ms,
        );
        row(
            &mut out,
            &label,
            "p99 change to peer",
            of(&|s| s.p99_ms),
            &ms,
        );
    }
    if opts.scenarios.iter().any(|s| s == "long") {
        let us = |v: f64| format!("{v:.0} µs");
        for &editors in &opts.long_editors {
            for &chars in &opts.long_chars {
                let of = |f: &dyn Fn(&crate::scenarios::LongText) -> f64| -> Vec<f64> {
                    results
                        .iter()
                        .filter_map(|(_, r)| {
                            r.long
                                .iter()
                                .find(|l| l.chars == chars && l.editors == editors)
                                .map(f)
                        })
                        .collect()
                };
                let scen = format!("long text {chars} chars × {editors}");
                row(
                    &mut out,
                    &scen,
                    "server CPU per change",
                    of(&|l| l.cpu_us_per_change),
                    &us,
                );
                row(
                    &mut out,
                    &scen,
                    "p50 change to peer",
                    of(&|l| l.step.p50_ms),
                    &ms,
                );
                row(
                    &mut out,
                    &scen,
                    "p99 change to peer",
                    of(&|l| l.step.p99_ms),
                    &ms,
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "\nRatios are codraft ÷ reference: above 1 is better for rates, below 1 is better for latency, memory and time."
    );
    out
}
