//! # Review costs as a card's history grows
//!
//! Builds cards with 10,000, 50,000 and 200,000 changes by 10 people (each
//! typing in bursts into one of 16 texts kept under 1,500 characters, with
//! deletions), their audit log in a real SQLite directory, and times:
//!
//! - the first page of the history (20 edit sessions, through the API's
//!   own code: `http::review::read::page`);
//! - the difference made by the last 100 changes (and the last 1,000), with
//!   attribution (`codraft_schema::review::diff`);
//! - the attribution of one field (who wrote each character of it now).
//!
//! The reference server has no review, so there is nothing to put beside
//! it: the rows are beside each other instead, to show how each cost grows
//! with the history (it should not) and with the difference (it should).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ChangeHash, ObjId, ReadDoc};
use codraft_protocol::DocumentId;
use codraft_schema::edit::{Key, resolve};
use codraft_schema::review::index::TextIndex;
use codraft_schema::review::{attribution, diff, summary};
use codraft_server::accounts::Accounts;
use codraft_server::directory::{AuditRow, DocInfo, Records, SqliteDirectory};
use rand::{Rng, SeedableRng};

const USERS: usize = 10;
use codraft_schema::card::TEXT_SECTIONS as SECTIONS;

struct Card {
    doc: Automerge,
    authors: HashMap<ChangeHash, String>,
    rows: Vec<AuditRow>,
    /// Heads before the last 100 and the last 1,000 changes.
    before_100: Vec<ChangeHash>,
    before_1000: Vec<ChangeHash>,
}

fn text_obj(doc: &Automerge, section: &str, lang: &str) -> ObjId {
    resolve(
        doc,
        &[
            Key::Map(section.into()),
            Key::Map(lang.into()),
            Key::Map("text".into()),
        ],
    )
    .unwrap()
}

fn build(n: usize) -> Card {
    let mut rng = rand::rngs::SmallRng::seed_from_u64(13);
    let mut doc =
        codraft_schema::edit::from_json(&codraft_schema::card::blank_card("open_justice"), 0)
            .unwrap();
    let texts: Vec<ObjId> = SECTIONS
        .iter()
        .flat_map(|s| ["ar", "fr"].map(|l| text_obj(&doc, s, l)))
        .collect();
    let mut authors = HashMap::new();
    let mut rows = Vec::with_capacity(n);
    let (mut before_100, mut before_1000) = (Vec::new(), Vec::new());
    let mut i = 0;
    let mut time_ms: i64 = 1_700_000_000_000;
    while i < n {
        // A burst: one person, one text, 20 to 100 changes a second apart.
        let user = rng.random_range(0..USERS);
        let text = &texts[rng.random_range(0..texts.len())];
        doc.set_actor(ActorId::from(format!("user-{user}").as_bytes()));
        time_ms += 30 * 60_000;
        for _ in 0..rng.random_range(20..100) {
            if i == n {
                break;
            }
            if i == n.saturating_sub(100) {
                before_100 = doc.get_heads();
            }
            if i == n.saturating_sub(1000) {
                before_1000 = doc.get_heads();
            }
            let len = doc.length(text);
            let mut tx = doc.transaction();
            if len > 1500 {
                tx.splice_text(text, rng.random_range(0..len - 300), 300, "")
                    .unwrap();
            } else if len > 10 && rng.random_range(0..100) < 15 {
                tx.splice_text(
                    text,
                    rng.random_range(0..len - 5),
                    rng.random_range(1i64..5) as isize,
                    "",
                )
                .unwrap();
            } else {
                let at = if len == 0 {
                    0
                } else {
                    rng.random_range(0..=len)
                };
                let word: String = (0..rng.random_range(1..5))
                    .map(|_| rng.random_range('a'..='z'))
                    .collect();
                tx.splice_text(text, at, 0, &word).unwrap();
            }
            tx.commit();
            let h = doc.get_heads()[0];
            authors.insert(h, format!("user-{user}"));
            time_ms += 1000;
            rows.push(AuditRow {
                change: h.to_string(),
                user: format!("user-{user}"),
                time_ms,
                summary: summary::summarize(&doc, &h),
            });
            i += 1;
        }
    }
    Card {
        doc,
        authors,
        rows,
        before_100,
        before_1000,
    }
}

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace([',', '_'], "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 50_000, 200_000]
    } else {
        sizes
    };
    let mut details = Vec::new();
    println!(
        "| changes | build (s) | history: first page (ms) | diff of last 100 changes (ms) | diff of last 1,000 (ms) | with the index: last 100 (ms) | with the index: last 1,000 (ms) | index: built once (ms) | index: kept up to date (µs per change) | attribution of one field (ms) | field length (chars) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let start = Instant::now();
        let card = build(n);
        let built = start.elapsed();
        let dir = tempfile::tempdir()?;
        let sqlite = SqliteDirectory::open(dir.path())?;
        let id = DocumentId::random();
        sqlite
            .register_document(DocInfo {
                id,
                group: "open_justice".into(),
                kind: "card".into(),
                created_by: "user-0".into(),
                created_ms: 0,
            })
            .await?;
        for chunk in card.rows.chunks(5000) {
            sqlite.audit_append(id, chunk.to_vec()).await?;
        }
        let acc: Arc<Accounts> = Accounts::load(Arc::new(sqlite)).await?;
        // The history's first page, as the API reads it.
        let mut page = Duration::MAX;
        for _ in 0..5 {
            let s = Instant::now();
            let (sessions, _) = codraft_server::http::review::read::page(&acc, id, None, 20)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            assert_eq!(sessions.len(), 20);
            page = page.min(s.elapsed());
        }
        let who = |h: &ChangeHash| card.authors.get(h).cloned();
        let now = card.doc.get_heads();
        let mut changed = 0;
        let d100 = median(5, || {
            let d = diff::diff(&card.doc, &card.before_100, &now, &who).unwrap();
            assert_eq!(d.changes, 100);
            changed = d.fields.len();
        });
        let d1000 = median(5, || {
            let d = diff::diff(&card.doc, &card.before_1000, &now, &who).unwrap();
            assert_eq!(d.changes, 1000);
        });
        // The same through the index of every character ever typed: built
        // once per loaded document, then kept up to date with new changes.
        let s = Instant::now();
        let ix = TextIndex::build(&card.doc);
        let ix_build = s.elapsed();
        let older = card.doc.fork_at(&card.before_1000)?;
        let mut partial = TextIndex::build(&older);
        let s = Instant::now();
        partial.update(&card.doc);
        let per_change = s.elapsed() / 1000;
        let i100 = median(5, || {
            let d = diff::diff_with(&card.doc, Some(&ix), &card.before_100, &now, &who).unwrap();
            assert_eq!(d.changes, 100);
        });
        let i1000 = median(5, || {
            let d = diff::diff_with(&card.doc, Some(&ix), &card.before_1000, &now, &who).unwrap();
            assert_eq!(d.changes, 1000);
        });
        // Where a difference's time goes: the changes between the two points,
        // and one touched field read now and as it was.
        let f = text_obj(&card.doc, "summary", "fr");
        let between = median(5, || {
            assert_eq!(
                diff::changes_between(&card.doc, &card.before_100, &now)
                    .unwrap()
                    .len(),
                100
            );
        });
        let read_now = median(5, || {
            let _ = card.doc.list_range(&f, ..).count();
        });
        let read_then = median(5, || {
            let _ = card.doc.list_range_at(&f, .., &card.before_100).count();
        });
        details.push(format!(
            "| {n} | {} | {} | {} |",
            ms(between),
            ms(read_now),
            ms(read_then)
        ));
        let field = text_obj(&card.doc, "summary", "fr");
        let len = card.doc.length(&field);
        let attr = median(5, || {
            let runs = attribution::attribute(&card.doc, &field, &who);
            assert!(runs.iter().all(|r| r.by.is_some()) || len == 0);
        });
        println!(
            "| {n} | {:.1} | {} | {} | {} | {} | {} | {:.0} | {:.1} | {} | {len} |",
            built.as_secs_f64(),
            ms(page),
            ms(d100),
            ms(d1000),
            ms(i100),
            ms(i1000),
            ix_build.as_secs_f64() * 1000.0,
            per_change.as_secs_f64() * 1e6,
            ms(attr)
        );
        let _ = changed;
    }
    println!();
    println!(
        "| changes | changes between the two points (ms) | one field read now (ms) | one field read as it was 100 changes ago (ms) |"
    );
    println!("|---:|---:|---:|---:|");
    for d in details {
        println!("{d}");
    }
    Ok(())
}
