//! The caller's notifications: list them (newest first, with the unread
//! count), mark them read, and choose which reach them by e-mail.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::error::{ApiResult, Body, ErrorBody};
use super::extract::{Caller, Writer};
use crate::inbox::Entry;
use crate::mail::Prefs;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/inbox", get(inbox))
        .route("/api/inbox/read", post(mark_read))
        .route("/api/me/notifications", get(prefs).put(set_prefs))
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

#[derive(Debug, Serialize, ToSchema)]
pub struct PrefsView {
    #[serde(flatten)]
    pub prefs: Prefs,
    /// An SMTP server is configured (else nothing goes by e-mail).
    pub email_configured: bool,
}

/// What the caller receives by e-mail.
#[utoipa::path(get, path = "/api/me/notifications", responses((status = 200, body = PrefsView), (status = 401, body = ErrorBody)))]
pub async fn prefs(Caller { acc, who }: Caller) -> ApiResult<Json<PrefsView>> {
    let prefs = Prefs::from_json(acc.directory().prefs(&who.user.id).await?.as_deref());
    Ok(Json(PrefsView {
        prefs,
        email_configured: acc.mailer().is_some(),
    }))
}

/// Chooses, per kind of notification, at once, daily digest or off, and
/// the language of e-mails.
#[utoipa::path(put, path = "/api/me/notifications", request_body = Prefs, responses((status = 200, body = PrefsView), (status = 400, body = ErrorBody)))]
pub async fn set_prefs(
    Writer { acc, who }: Writer,
    Body(p): Body<Prefs>,
) -> ApiResult<Json<PrefsView>> {
    if p.lang
        .as_deref()
        .is_some_and(|l| codraft_schema::Lang::parse(l).is_none())
    {
        return Err(super::error::ApiError::bad_request("lang is ar, fr or zgh"));
    }
    let known =
        |k: &str| serde_json::from_value::<crate::inbox::NoteKind>(serde_json::json!(k)).is_ok();
    if let Some(k) = p.email.keys().find(|k| !known(k)) {
        return Err(super::error::ApiError::bad_request(format!(
            "{k} is not a kind of notification"
        )));
    }
    let json = serde_json::to_string(&p).unwrap_or_default();
    acc.directory().set_prefs(&who.user.id, json).await?;
    prefs(Caller { acc, who }).await
}
