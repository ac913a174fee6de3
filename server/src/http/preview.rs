//! What a page needs to show a card before its WASM client is in: the
//! card's description (`GET /api/schema/card`: fields, choices, labels
//! and month names, from the schema crate the client is built from) and
//! the server's copy of a document with the heads it is at
//! (`GET /api/documents/{doc}/snapshot`). On a slow network the card is
//! drawn and typed into from these while the client downloads; what is
//! typed is then made as changes on those heads and merged (the client's
//! `updateTextAt`), so nothing written meanwhile by anyone is lost.

use std::sync::{Arc, OnceLock};

use axum::extract::Path;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use super::Api;
use super::documents::doc_for;
use super::error::{ApiResult, ErrorBody};
use super::extract::Caller;
use crate::hub::Hub;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
    Arc<Hub>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/schema/card", get(card_schema))
        .route("/api/documents/{doc}/snapshot", get(snapshot))
        // On the slow networks these are for, a third of the bytes (they
        // hold no secret for a compression side channel to find).
        .layer(tower_http::compression::CompressionLayer::new())
}

/// The card's fields in order, its choice lists, and every label and
/// month name in `ar`, `fr` and `zgh` (no account needed: the words of
/// the form, as the public pages use them).
#[utoipa::path(get, path = "/api/schema/card",
    responses((status = 200, body = Object, description = "{fields, choices, labels: {ar, fr, zgh}, months: {ar, fr, zgh}}")))]
pub async fn card_schema() -> Response {
    static BODY: OnceLock<String> = OnceLock::new();
    let body = BODY.get_or_init(|| codraft_schema::describe::card().to_string());
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            // The same for as long as this server runs; a new build may
            // change it, so it is checked again on each visit.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body.as_str(),
    )
        .into_response()
}

/// A document as the server has it now, and the heads that version is at.
#[derive(Debug, Serialize, ToSchema)]
pub struct Snapshot {
    /// The heads of this version (hex change hashes).
    pub heads: Vec<String>,
    /// The whole document as JSON (texts as strings), as the client's
    /// `read(url, [])` gives it.
    #[schema(value_type = Object)]
    pub doc: serde_json::Value,
}

/// The server's copy of a document, for its readers.
#[utoipa::path(get, path = "/api/documents/{doc}/snapshot",
    responses((status = 200, body = Snapshot), (status = 404, body = ErrorBody)))]
pub async fn snapshot(
    State(hub): State<Arc<Hub>>,
    Caller { acc, who }: Caller,
    Path(doc): Path<String>,
) -> ApiResult<Json<Snapshot>> {
    let (info, _) = doc_for(&acc, &who, &doc).await?;
    let snap = crate::hub::actor::read(&hub, info.id, |d| Snapshot {
        heads: d.get_heads().iter().map(|h| h.to_string()).collect(),
        doc: codraft_schema::edit::read(d, &[]).unwrap_or_default(),
    })
    .await?;
    Ok(Json(snap))
}
