//! People typing into a document someone else holds open (the browser's
//! long-text benchmark, `tests/js/long-text-bench.mjs`): relaying load
//! clients, each typing one character a second at the end of the text
//! `minutes` as it saw it, for a while; prints how many they typed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use automerge::transaction::Transactable;
use automerge::{AutomergeError, ROOT, ReadDoc};
use codraft_protocol::DocumentId;
use futures_util::StreamExt;
use rand::{Rng, SeedableRng};

use crate::Opts;
use crate::client::LoadClient;
use crate::scenarios::SETUP_TIMEOUT;

pub async fn run(opts: &Opts, doc: &str) -> Result<()> {
    let url = opts.typists_url.clone().context("--typists-url")?;
    let id: DocumentId = doc.parse().context("--typists-doc")?;
    let typed = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for k in 0..opts.typists {
        let (url, typed, secs) = (url.clone(), typed.clone(), opts.typists_secs);
        tasks.push(tokio::spawn(async move {
            let mut c = LoadClient::connect(&url, format!("typist-{k}")).await?;
            c.relay = true;
            c.request(id).await?;
            c.until_synced(SETUP_TIMEOUT).await?;
            let mut rng = rand::rngs::SmallRng::seed_from_u64(k as u64);
            let offset = Duration::from_millis(rng.random_range(0..1000));
            let mut tick = tokio::time::interval_at(
                tokio::time::Instant::now() + offset,
                Duration::from_secs(1),
            );
            let until = tokio::time::Instant::now() + Duration::from_secs(secs);
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        if tokio::time::Instant::now() >= until {
                            break;
                        }
                        c.edit(id, |d| {
                            let (_, t) = d.get(ROOT, "minutes").ok().flatten().expect("a text `minutes`");
                            let len = d.length(&t);
                            d.transact::<_, _, AutomergeError>(|tx| tx.splice_text(&t, len, 0, "ⵜ"))
                                .expect("keystroke");
                        })
                        .await?;
                        typed.fetch_add(1, Ordering::Relaxed);
                    }
                    f = c.stream.next() => c.handle(f, &mut |_, _| {}).await?,
                }
            }
            // Let the last keystrokes go out and be acknowledged.
            let _ = tokio::time::timeout(Duration::from_secs(2), c.until_synced(SETUP_TIMEOUT)).await;
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    println!("{}", typed.load(Ordering::Relaxed));
    Ok(())
}
