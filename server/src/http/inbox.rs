//! The caller's notifications: list them (newest first, with the unread
//! count) and mark them read.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::error::{ApiResult, Body, ErrorBody};
use super::extract::{Caller, Writer};
use crate::inbox::Entry;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/inbox", get(inbox))
        .route("/api/inbox/read", post(mark_read))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxView {
    pub unread: usize,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct MarkRead {
    /// One note; none: every note.
    #[serde(default)]
    pub id: Option<i64>,
}

/// The caller's newest notes and how many are unread.
#[utoipa::path(get, path = "/api/inbox", responses((status = 200, body = InboxView), (status = 401, body = ErrorBody)))]
pub async fn inbox(Caller { acc, who }: Caller) -> ApiResult<Json<InboxView>> {
    let entries = acc.inbox(&who.user.id).await?;
    let unread = acc.directory().inbox_unread(&who.user.id).await?;
    Ok(Json(InboxView { unread, entries }))
}

/// Marks one note, or all, read.
#[utoipa::path(post, path = "/api/inbox/read", request_body = MarkRead, responses((status = 200, body = InboxView), (status = 401, body = ErrorBody)))]
pub async fn mark_read(
    Writer { acc, who }: Writer,
    Body(b): Body<MarkRead>,
) -> ApiResult<Json<InboxView>> {
    acc.directory().inbox_mark_read(&who.user.id, b.id).await?;
    inbox(Caller { acc, who }).await
}
