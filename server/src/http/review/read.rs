//! Readings of a card's history: edit sessions a page at a time, the
//! difference between two points with who wrote what, the card as it was,
//! its exports at any point, who wrote which share of it now.

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use codraft_schema::review::diff::{DiffError, Segment};

use super::points::{self, unknown_heads};
use super::*;
use crate::directory::{AuditEntry, Sector};
use crate::review::history::{self, Session};

/// Who a change is by, as the audit log says.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Author {
    pub user: String,
    pub name: String,
    pub sector: Sector,
}

/// The authors of `changes` (hex), read from the audit log newest first
/// until all are found: a recent difference reads a few pages.
pub async fn authors_of(
    acc: &Accounts,
    doc: DocumentId,
    mut changes: HashSet<String>,
) -> ApiResult<HashMap<String, Author>> {
    let mut out = HashMap::new();
    let mut before = None;
    while !changes.is_empty() {
        let page = acc.audit_page(doc, before.take(), 1000).await?;
        let Some(last) = page.last() else { break };
        before = Some(last.cursor.clone());
        for e in page {
            if changes.remove(&e.change) {
                out.insert(
                    e.change,
                    Author {
                        user: e.user,
                        name: e.user_name,
                        sector: e.sector,
                    },
                );
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct HistoryQuery {
    /// The `next` of the previous page.
    pub before: Option<String>,
    /// Sessions per page (default 20, at most 100).
    pub limit: Option<usize>,
}

/// A page of the history, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryPage {
    pub sessions: Vec<Session>,
    /// Pass as `before` for the next page; none at the beginning.
    pub next: Option<String>,
}

/// How many entries a history read takes from the log at a time.
const CHUNK: usize = 500;

/// The card's edit sessions, newest first, a page at a time: it reads the
/// audit log only as far back as the page goes.
#[utoipa::path(get, path = "/api/documents/{doc}/history", params(HistoryQuery),
    responses((status = 200, body = HistoryPage), (status = 404, body = ErrorBody)))]
pub async fn history(
    Caller { acc, who }: Caller,
    Path(doc): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<HistoryPage>> {
    let c = ctx(&acc, who, &doc).await?;
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let (sessions, next) = page(&acc, c.info.id, q.before, limit).await?;
    Ok(Json(HistoryPage { sessions, next }))
}

/// `limit` sessions older than `before`, and the cursor after them.
pub async fn page(
    acc: &Accounts,
    doc: DocumentId,
    before: Option<String>,
    limit: usize,
) -> ApiResult<(Vec<Session>, Option<String>)> {
    let mut entries: Vec<AuditEntry> = Vec::new();
    let mut cursor = before;
    loop {
        let chunk = acc.audit_page(doc, cursor.clone(), CHUNK).await?;
        let done = chunk.len() < CHUNK;
        cursor = chunk.last().map(|e| e.cursor.clone()).or(cursor);
        entries.extend(chunk);
        // One session more than the page: the last one shown is complete.
        if done || history::sessions(&entries).len() > limit {
            let mut all = history::sessions(&entries);
            let more = all.len() > limit;
            all.truncate(limit);
            let next = if more {
                all.last().map(|(_, c)| c.clone())
            } else {
                None
            };
            return Ok((all.into_iter().map(|(s, _)| s).collect(), next));
        }
    }
}

/// Edit sessions by others since `since_ms` (at most 1000 counted).
pub async fn sessions_since(
    acc: &Accounts,
    doc: DocumentId,
    me: &str,
    since_ms: i64,
) -> ApiResult<usize> {
    let mut entries = Vec::new();
    let mut cursor = None;
    loop {
        let chunk = acc.audit_page(doc, cursor, CHUNK).await?;
        let done = chunk.len() < CHUNK;
        cursor = chunk.last().map(|e| e.cursor.clone());
        let old = chunk.iter().any(|e| e.time_ms <= since_ms);
        entries.extend(chunk.into_iter().filter(|e| e.time_ms > since_ms));
        if done || old || entries.len() > 20 * CHUNK {
            break;
        }
    }
    Ok(history::sessions(&entries)
        .iter()
        .filter(|(s, _)| s.user != me)
        .count())
}

/// Each language's status and whether it needs a second look.
pub async fn text_status(
    hub: &Arc<Hub>,
    doc: DocumentId,
    s: &ReviewState,
) -> ApiResult<Vec<TextStatusView>> {
    let entries: Vec<(String, TextStatus, Stamp)> = s
        .text_status
        .iter()
        .map(|(f, (st, stamp))| (f.clone(), *st, stamp.clone()))
        .collect();
    // No status set yet: nothing to read from the document.
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    Ok(crate::hub::actor::read(hub, doc, move |d| {
        let now = d.get_heads();
        entries
            .into_iter()
            .map(|(field, status, stamp)| {
                let heads: Vec<automerge::ChangeHash> =
                    stamp.heads.iter().filter_map(|h| h.parse().ok()).collect();
                let touched: HashSet<String> =
                    codraft_schema::review::diff::changes_between(d, &heads, &now)
                        .unwrap_or_default()
                        .iter()
                        .flat_map(|c| {
                            codraft_schema::review::summary::summarize(d, &c.hash()).fields
                        })
                        .collect();
                let section = codraft_schema::review::section_of(&field);
                let changed = touched.contains(&field);
                let recheck = status == TextStatus::Validated
                    && touched.iter().any(|t| {
                        t != &field
                            && codraft_schema::review::section_of(t) == section
                            && codraft_schema::review::lang_of(t).is_some()
                    });
                TextStatusView {
                    field,
                    status,
                    stamp,
                    changed,
                    recheck,
                }
            })
            .collect()
    })
    .await?)
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct DiffQuery {
    /// A point (see below); default: my last review.
    pub from: Option<String>,
    /// A point; default: now.
    pub to: Option<String>,
}

/// A piece of a field's difference, with its author named.
#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentView {
    /// `same`, `inserted` or `deleted`.
    pub kind: &'static str,
    pub text: String,
    /// Who inserted or deleted it (user id), if known.
    pub by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldDiffView {
    pub field: String,
    pub section: String,
    pub lang: Option<String>,
    pub segments: Vec<SegmentView>,
}

/// The difference between two points, per field and language.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffView {
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// Changes between them.
    pub changes: usize,
    pub fields: Vec<FieldDiffView>,
    /// Everyone named in `by`.
    pub authors: BTreeMap<String, Author>,
}

/// The difference between two points of the card's history: every field
/// and language that changed, word by word, each insertion and deletion
/// with its author. Points: `now`, `start`, `version:<id>`,
/// `heads:<hex,…>`, `after:<hex>`, `before:<hex>`, `time:<ms>`,
/// `reviewed` (my last review), `approval` (my last approval),
/// `stage:<stage>` (when the card last entered it).
#[utoipa::path(get, path = "/api/documents/{doc}/diff", params(DiffQuery),
    responses((status = 200, body = DiffView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn diff(
    State(hub): State<Arc<Hub>>,
    Caller { acc, who }: Caller,
    Path(doc): Path<String>,
    Query(q): Query<DiffQuery>,
) -> ApiResult<Json<DiffView>> {
    let c = ctx(&acc, who, &doc).await?;
    let id = c.info.id;
    let state = acc.review_state(id).await?;
    let me = c.who.user.id.clone();
    let from = points::parse(
        &acc,
        id,
        &state,
        &me,
        q.from.as_deref().unwrap_or("reviewed"),
    )
    .await?;
    let to = points::parse(&acc, id, &state, &me, q.to.as_deref().unwrap_or("now")).await?;
    let index = hub.indexes.of(id);
    let result = crate::hub::actor::read(&hub, id, move |d| {
        let from = from.heads(d)?;
        let to = to.heads(d)?;
        // The index of every character ever typed, up to date: the texts
        // as they were come from it, not from Automerge's historical reads.
        let mut ix = index.lock().unwrap_or_else(|p| p.into_inner());
        ix.update(d);
        // Authors by change hash first; the audit log names them after.
        let d2 = codraft_schema::review::diff::diff_with(d, Some(&ix), &from, &to, &|h| {
            Some(h.to_string())
        })
        .map_err(|DiffError::UnknownHeads(h)| h)?;
        Ok::<_, String>((from, to, d2))
    })
    .await?;
    let (from, to, d) = result.map_err(unknown_heads)?;
    let hashes: HashSet<String> = d
        .fields
        .iter()
        .flat_map(|f| f.segments.iter())
        .filter_map(|s| match s {
            Segment::Inserted { by, .. } | Segment::Deleted { by, .. } => by.clone(),
            Segment::Same { .. } => None,
        })
        .collect();
    let by_change = authors_of(&acc, id, hashes).await?;
    let mut authors = BTreeMap::new();
    let name = |h: &Option<String>, authors: &mut BTreeMap<String, Author>| {
        let a = h.as_ref().and_then(|h| by_change.get(h))?;
        authors.insert(a.user.clone(), a.clone());
        Some(a.user.clone())
    };
    let fields = d
        .fields
        .into_iter()
        .map(|f| FieldDiffView {
            segments: f
                .segments
                .into_iter()
                .map(|s| match s {
                    Segment::Same { text } => SegmentView {
                        kind: "same",
                        text,
                        by: None,
                    },
                    Segment::Inserted { text, by } => SegmentView {
                        kind: "inserted",
                        text,
                        by: name(&by, &mut authors),
                    },
                    Segment::Deleted { text, by } => SegmentView {
                        kind: "deleted",
                        text,
                        by: name(&by, &mut authors),
                    },
                })
                .collect(),
            field: f.field,
            section: f.section,
            lang: f.lang,
        })
        .collect();
    Ok(Json(DiffView {
        from: from.iter().map(|h| h.to_string()).collect(),
        to: to.iter().map(|h| h.to_string()).collect(),
        changes: d.changes,
        fields,
        authors,
    }))
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct AtQuery {
    /// A point (see `diff`); default: now.
    pub at: Option<String>,
    /// Export format: `md` or `html` (export only).
    pub format: Option<String>,
    /// Export language: `ar`, `fr` or `zgh` (export only; default `ar`).
    pub lang: Option<String>,
    /// `open`: the export lists the open comments and suggestions too.
    pub comments: Option<String>,
}

async fn json_at(
    hub: &Arc<Hub>,
    acc: &Accounts,
    c: &Ctx,
    at: Option<&str>,
) -> ApiResult<(serde_json::Value, ReviewState, Vec<automerge::ChangeHash>)> {
    let state = acc.review_state(c.info.id).await?;
    let point = points::parse(acc, c.info.id, &state, &c.who.user.id, at.unwrap_or("now")).await?;
    let (card, heads) = crate::hub::actor::read(hub, c.info.id, move |d| {
        let heads = point.heads(d)?;
        for h in &heads {
            if d.get_change_meta_by_hash(h).is_none() {
                return Err(h.to_string());
            }
        }
        Ok((codraft_schema::review::restore::card_at(d, &heads), heads))
    })
    .await?
    .map_err(unknown_heads)?;
    Ok((card, state, heads))
}

/// The card as it was at a point, read-only (JSON).
#[utoipa::path(get, path = "/api/documents/{doc}/at", params(AtQuery),
    responses((status = 200, body = Object, description = "the card as JSON"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn card_at(
    State(hub): State<Arc<Hub>>,
    Caller { acc, who }: Caller,
    Path(doc): Path<String>,
    Query(q): Query<AtQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let c = ctx(&acc, who, &doc).await?;
    Ok(Json(json_at(&hub, &acc, &c, q.at.as_deref()).await?.0))
}

/// The Markdown or printable HTML export of the card at a point (a named
/// version, say), with its stage as the server records it and the share
/// of its text each sector wrote.
#[utoipa::path(get, path = "/api/documents/{doc}/export", params(AtQuery),
    responses((status = 200, body = String), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(hub): State<Arc<Hub>>,
    Caller { acc, who }: Caller,
    Path(doc): Path<String>,
    Query(q): Query<AtQuery>,
) -> ApiResult<Response> {
    let c = ctx(&acc, who, &doc).await?;
    let (mut card, state, heads) = json_at(&hub, &acc, &c, q.at.as_deref()).await?;
    let imprint = codraft_schema::export::Imprint::at(
        crate::meetings::civil_date(crate::clock::now_ms()),
        &heads,
    );
    card["workflow"] = serde_json::Value::String(state.stage.as_str().into());
    let lang = codraft_schema::Lang::parse(q.lang.as_deref().unwrap_or("ar"))
        .unwrap_or(codraft_schema::Lang::Ar);
    let typed =
        codraft_schema::Card::from_json(&card).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let shares = shares(&hub, &acc, c.info.id).await?;
    let threads = match q.comments.as_deref() {
        None | Some("none") => Vec::new(),
        Some("open") => crate::http::comments::placed(&hub, c.info.id).await?,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "comments {other:?}: open or none"
            )));
        }
    };
    match q.format.as_deref().unwrap_or("md") {
        "html" => {
            let mut page = codraft_schema::export::html(
                &typed,
                lang,
                Some("/fonts/fonts.css"),
                Some(&imprint),
            );
            let table = codraft_schema::export::shares_html(&shares, lang);
            let notes = codraft_schema::export::comments_html(&threads, lang, &card);
            page = page.replacen("</body>", &format!("{table}{notes}</body>"), 1);
            Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response())
        }
        "md" => {
            let mut md = codraft_schema::export::markdown(&typed, lang, Some(&imprint));
            md.push_str(&codraft_schema::export::shares_markdown(&shares, lang));
            md.push_str(&codraft_schema::export::comments_markdown(
                &threads, lang, &card,
            ));
            Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], md).into_response())
        }
        other => Err(ApiError::bad_request(format!(
            "format {other:?}: md or html"
        ))),
    }
}

/// Characters of the current text per section and sector.
pub async fn shares(
    hub: &Arc<Hub>,
    acc: &Accounts,
    doc: DocumentId,
) -> ApiResult<codraft_schema::review::attribution::Shares> {
    // By change first (the document knows which change wrote each
    // character), then by sector (the audit log knows who made each change).
    let by_change = crate::hub::actor::read(hub, doc, |d| {
        codraft_schema::review::attribution::shares(d, &|h| Some(h.to_string()))
    })
    .await?;
    let changes: HashSet<String> = by_change.values().flat_map(|m| m.keys().cloned()).collect();
    let authors = authors_of(acc, doc, changes).await?;
    let mut out = codraft_schema::review::attribution::Shares::new();
    for (section, m) in by_change {
        for (change, n) in m {
            let sector = authors.get(&change).map_or("other", |a| a.sector.as_str());
            *out.entry(section.clone())
                .or_default()
                .entry(sector.to_owned())
                .or_default() += n;
        }
    }
    Ok(out)
}

/// Who wrote which share of the card's current text, per section and sector.
#[utoipa::path(get, path = "/api/documents/{doc}/shares",
    responses((status = 200, body = BTreeMap<String, BTreeMap<String, u64>>, description = "section → sector → characters"), (status = 404, body = ErrorBody)))]
pub async fn shares_of(
    State(hub): State<Arc<Hub>>,
    Caller { acc, who }: Caller,
    Path(doc): Path<String>,
) -> ApiResult<Json<codraft_schema::review::attribution::Shares>> {
    let c = ctx(&acc, who, &doc).await?;
    Ok(Json(shares(&hub, &acc, c.info.id).await?))
}
