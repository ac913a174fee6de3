//! The public repository's cards, with no account: every published card
//! version — immutable (read from the card's history at the heads its
//! publication recorded), numbered, dated, with the approvals it carries
//! and a content fingerprint (the heads and the SHA-256 of its canonical
//! JSON, downloadable to check) — and its difference from the previous
//! published version. Nothing unpublished is read here: a card only
//! through its published heads. (Approved minutes: `public_minutes`;
//! open data and the feed: `open_data`.)

use automerge::ChangeHash;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use codraft_protocol::DocumentId;
use sha2::{Digest, Sha256};

use super::*;
use crate::review::{ReviewEvent, Stage};

/// An approval a published version carries.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Carried {
    pub by_name: String,
    pub sector: crate::directory::Sector,
    pub at_ms: i64,
}

/// One published version of a card.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedVersion {
    pub version: usize,
    pub at_ms: i64,
    pub published_by: String,
    /// The Automerge heads published.
    pub heads: Vec<String>,
    /// The validation's approvals (both co-coordinators).
    pub approvals: Vec<Carried>,
    pub adopted_by: Option<String>,
}

/// A card's published versions, oldest first.
fn published(events: &[String]) -> Vec<PublishedVersion> {
    let mut out = Vec::new();
    let mut round: Vec<Carried> = Vec::new();
    let mut validated: Vec<Carried> = Vec::new();
    let mut adopted = None;
    for e in events {
        let Ok(ev) = serde_json::from_str::<ReviewEvent>(e) else {
            continue;
        };
        match ev {
            ReviewEvent::Approved { stamp } => {
                round.retain(|c| c.by_name != stamp.by_name);
                round.push(Carried {
                    by_name: stamp.by_name,
                    sector: stamp.sector,
                    at_ms: stamp.at_ms,
                });
            }
            ReviewEvent::Withdrawn { stamp } => round.retain(|c| c.by_name != stamp.by_name),
            ReviewEvent::Transition { to, stamp, .. } => match to {
                Stage::Validated => validated = std::mem::take(&mut round),
                Stage::Adopted => adopted = Some(stamp.by_name),
                Stage::Published => out.push(PublishedVersion {
                    version: out.len() + 1,
                    at_ms: stamp.at_ms,
                    published_by: stamp.by_name,
                    heads: stamp.heads,
                    approvals: validated.clone(),
                    adopted_by: adopted.clone(),
                }),
                _ => round.clear(),
            },
            _ => {}
        }
    }
    out
}

fn hashes(heads: &[String]) -> Vec<ChangeHash> {
    heads.iter().filter_map(|h| h.parse().ok()).collect()
}

/// The canonical bytes of a card version: its JSON at those heads, keys
/// sorted, compact.
async fn canonical(hub: &Arc<Hub>, doc: DocumentId, heads: &[String]) -> ApiResult<Vec<u8>> {
    let h = hashes(heads);
    let json = crate::hub::actor::read(hub, doc, move |d| {
        codraft_schema::review::restore::card_at(d, &h)
    })
    .await?;
    Ok(serde_json::to_vec(&json).unwrap_or_default())
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicCard {
    pub id: String,
    pub group: String,
    pub number: String,
    pub title: crate::meetings::Titles,
    pub versions: Vec<FingerprintedVersion>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FingerprintedVersion {
    #[serde(flatten)]
    pub version: PublishedVersion,
    /// SHA-256 (hex) of the version's canonical JSON (`…/versions/{n}.json`).
    pub sha256: String,
}

pub(super) async fn public_card(
    hub: &Arc<Hub>,
    acc: &Accounts,
    info: &crate::directory::DocInfo,
) -> ApiResult<Option<PublicCard>> {
    let events = acc.directory().review_events(info.id).await?;
    let versions = published(&events);
    if versions.is_empty() {
        return Ok(None);
    }
    // Each version's canonical bytes, read once; the title and number are
    // the latest version's.
    let mut out = Vec::new();
    let mut latest = Vec::new();
    for v in versions {
        latest = canonical(hub, info.id, &v.heads).await?;
        out.push(FingerprintedVersion {
            sha256: sha256(&latest),
            version: v,
        });
    }
    let json: serde_json::Value = serde_json::from_slice(&latest).unwrap_or_default();
    let title = |l: &str| {
        json["title"][l]["text"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    Ok(Some(PublicCard {
        id: info.id.to_url(),
        group: info.group.clone(),
        number: json["number"].as_str().unwrap_or_default().to_owned(),
        title: crate::meetings::Titles {
            ar: title("ar"),
            fr: title("fr"),
            zgh: title("zgh"),
        },
        versions: out,
    }))
}

/// Every card with a published version, and its versions.
#[utoipa::path(get, path = "/api/public/cards", responses((status = 200, body = Vec<PublicCard>)))]
pub async fn public_cards(
    State(api): State<Arc<Api>>,
    State(hub): State<Arc<Hub>>,
) -> ApiResult<Json<Vec<PublicCard>>> {
    let acc = api.accounts()?;
    let mut out = Vec::new();
    for info in acc
        .documents()
        .await?
        .into_iter()
        .filter(|d| d.kind == "card")
    {
        if let Some(c) = public_card(&hub, acc, &info).await? {
            out.push(c);
        }
    }
    Ok(Json(out))
}

pub(super) fn card_id(s: &str) -> ApiResult<DocumentId> {
    DocumentId::from_url(s)
        .or_else(|_| s.parse())
        .map_err(|_| ApiError::not_found("no such published card"))
}

async fn version_of(acc: &Accounts, id: DocumentId, n: usize) -> ApiResult<PublishedVersion> {
    let is_card = acc
        .documents()
        .await?
        .into_iter()
        .any(|d| d.id == id && d.kind == "card");
    let events = if is_card {
        acc.directory().review_events(id).await?
    } else {
        Vec::new()
    };
    published(&events)
        .into_iter()
        .find(|v| v.version == n)
        .ok_or_else(|| ApiError::not_found("no such published version"))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct VersionQuery {
    /// `json` (the canonical bytes the fingerprint is of, default), `md`.
    pub format: Option<String>,
    /// The Markdown's language.
    pub lang: Option<String>,
}

/// A published version's content: the canonical JSON (whose SHA-256 is the
/// fingerprint) or the Markdown.
#[utoipa::path(get, path = "/api/public/cards/{card}/versions/{n}", params(VersionQuery),
    responses((status = 200, body = String), (status = 404, body = ErrorBody)))]
pub async fn card_version(
    State(api): State<Arc<Api>>,
    State(hub): State<Arc<Hub>>,
    Path((card, n)): Path<(String, usize)>,
    Query(q): Query<VersionQuery>,
) -> ApiResult<Response> {
    let acc = api.accounts()?;
    let id = card_id(&card)?;
    let v = version_of(acc, id, n).await?;
    let bytes = canonical(&hub, id, &v.heads).await?;
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response()),
        "md" => {
            let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            let card = codraft_schema::Card::from_json(&json)
                .map_err(|e| ApiError::bad_request(e.to_string()))?;
            let lang = codraft_schema::Lang::parse(q.lang.as_deref().unwrap_or("ar"))
                .unwrap_or(codraft_schema::Lang::Ar);
            Ok((
                [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
                codraft_schema::export::markdown(
                    &card,
                    lang,
                    Some(&codraft_schema::export::Imprint {
                        date: crate::meetings::civil_date(v.at_ms),
                        version: format!(
                            "{n} ({})",
                            v.heads
                                .iter()
                                .map(|h| &h[..8.min(h.len())])
                                .collect::<Vec<_>>()
                                .join("+")
                        ),
                    }),
                ),
            )
                .into_response())
        }
        other => Err(ApiError::bad_request(format!(
            "format {other:?}: json or md"
        ))),
    }
}

/// A published version's difference from the previous one (from the
/// start for the first), per field, word by word.
#[utoipa::path(get, path = "/api/public/cards/{card}/versions/{n}/diff",
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub async fn card_version_diff(
    State(api): State<Arc<Api>>,
    State(hub): State<Arc<Hub>>,
    Path((card, n)): Path<(String, usize)>,
) -> ApiResult<Json<serde_json::Value>> {
    let acc = api.accounts()?;
    let id = card_id(&card)?;
    let to = version_of(acc, id, n).await?;
    let from = if n > 1 {
        version_of(acc, id, n - 1).await?.heads
    } else {
        Vec::new()
    };
    let (from, to) = (hashes(&from), hashes(&to.heads));
    let d = crate::hub::actor::read(&hub, id, move |d| {
        codraft_schema::review::diff::diff(d, &from, &to, &|_| None)
            .map(|x| serde_json::to_value(x.fields).unwrap_or_default())
            .map_err(|e| e.to_string())
    })
    .await?
    .map_err(ApiError::bad_request)?;
    Ok(Json(d))
}
