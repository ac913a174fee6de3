//! A group's documents: list, create (a card), metadata, and the audit log.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use codraft_protocol::DocumentId;
use serde::Deserialize;
use utoipa::ToSchema;

use super::Api;
use super::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use super::extract::{Caller, Writer};
use super::groups::{check_reader, group_exists, manages};
use crate::accounts::Accounts;
use crate::auth::Access;
use crate::cards::CardError;
use crate::directory::{AuditEntry, Credential, DocInfo, Role};

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
{
    Router::new()
        .route(
            "/api/groups/{group}/documents",
            get(list_documents).post(create_document),
        )
        .route("/api/documents/{doc}", get(document_info))
        .route("/api/documents/{doc}/audit", get(document_audit))
}

pub(super) fn parse_doc(s: &str) -> ApiResult<DocumentId> {
    DocumentId::from_url(s)
        .or_else(|_| s.parse::<DocumentId>())
        .map_err(|_| ApiError::bad_request(format!("{s:?} is not a document id or automerge: URL")))
}

#[utoipa::path(get, path = "/api/groups/{group}/documents", responses((status = 200, body = Vec<DocInfo>), (status = 403, body = ErrorBody)))]
async fn list_documents(
    Caller { acc, who }: Caller,
    Path(group): Path<String>,
) -> ApiResult<Json<Vec<DocInfo>>> {
    check_reader(&acc, &who, &group, "documents").await?;
    Ok(Json(
        acc.documents()
            .await?
            .into_iter()
            .filter(|d| d.group == group)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct NewDocument {
    /// `card` (the default).
    #[serde(default)]
    kind: Option<String>,
}

/// Creates a card in the group (members and co-coordinators); the socket
/// then syncs it. The only way a document comes to exist.
#[utoipa::path(post, path = "/api/groups/{group}/documents", request_body = NewDocument,
    responses((status = 201, body = DocInfo), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn create_document(
    State(api): State<Arc<Api>>,
    Writer { acc, who }: Writer,
    Path(group): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    group_exists(&acc, &group).await?;
    if !who.user.admin && !acc.role(&group, &who.user.id).is_some_and(Role::writes) {
        return Err(ApiError::forbidden(
            "only the group's members and co-coordinators create its documents",
        ));
    }
    // The body is optional: none means a card.
    let wanted: NewDocument = if body.iter().all(u8::is_ascii_whitespace) {
        NewDocument::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))?
    };
    let kind = wanted.kind.unwrap_or_else(|| "card".into());
    if kind != "card" {
        return Err(ApiError::bad_request(
            "the only kind of document is \"card\"",
        ));
    }
    let per_hour = api.settings.cards_per_hour;
    if !who.user.admin && !acc.limiter.take_card(&who.user.id, per_hour) {
        return Err(ApiError::new(
            ErrorCode::CardsRateLimited,
            format!("at most {per_hour} new cards an hour: try again later"),
        )
        .with("per_hour", per_hour));
    }
    let info = create_card(&api, &group, &who.user.id).await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

/// A new blank card in `group`, stored and registered.
pub async fn create_card(api: &Api, group: &str, by: &str) -> ApiResult<DocInfo> {
    let acc = api.accounts()?;
    let blank = codraft_schema::card::blank_card(group);
    crate::cards::create(
        api.store.as_ref(),
        acc,
        group,
        by,
        &blank,
        crate::clock::now_ms(),
    )
    .await
    .map_err(|e| match e {
        CardError::Build(e) => ApiError::bad_request(e.to_string()),
        CardError::Store(e) => ApiError::new(ErrorCode::Storage, e.to_string()),
        CardError::Directory(e) => e.into(),
    })
}

pub async fn doc_for(acc: &Accounts, c: &Credential, doc: &str) -> ApiResult<(DocInfo, Access)> {
    let id = parse_doc(doc)?;
    let access = acc.access_of(c, &id);
    // Existence is not disclosed to those without access.
    let info = match access {
        Access::None => None,
        _ => acc.documents().await?.into_iter().find(|d| d.id == id),
    };
    info.map(|i| (i, access))
        .ok_or_else(|| ApiError::not_found("no such document"))
}

#[utoipa::path(get, path = "/api/documents/{doc}", responses((status = 200, body = DocInfo), (status = 404, body = ErrorBody)))]
async fn document_info(
    Caller { acc, who }: Caller,
    Path(doc): Path<String>,
) -> ApiResult<Json<DocInfo>> {
    Ok(Json(doc_for(&acc, &who, &doc).await?.0))
}

/// Who made each accepted change (co-coordinators and site administrators).
#[utoipa::path(get, path = "/api/documents/{doc}/audit", responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn document_audit(
    Caller { acc, who }: Caller,
    Path(doc): Path<String>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let (info, _) = doc_for(&acc, &who, &doc).await?;
    if !manages(&acc, &who, &info.group) {
        return Err(ApiError::forbidden(
            "only the group's co-coordinators read the audit log",
        ));
    }
    Ok(Json(acc.audit(info.id).await?))
}
