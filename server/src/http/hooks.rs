//! A group's webhooks: list them with their delivery logs, register one
//! (its secret shown once), remove one. The group's co-coordinators and
//! site administrators.

use std::sync::Arc;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::error::{ApiError, ApiResult, Body, ErrorBody, ErrorCode};
use super::extract::{Caller, Writer};
use super::groups::check_manager;
use crate::accounts::Accounts;
use crate::hooks::{Dispatcher, Hook, HookEvent, HookView};

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
{
    Router::new()
        .route(
            "/api/groups/{group}/webhooks",
            get(list_webhooks).post(add_webhook),
        )
        .route("/api/groups/{group}/webhooks/{id}", delete(remove_webhook))
}

/// Entries of each webhook's log listed.
const LOG: usize = 50;
/// Webhooks one group may have.
const MAX_HOOKS: usize = 10;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewHook {
    /// `https://…` (or `http://…`), where events are POSTed.
    pub url: String,
    /// Which events (default: all).
    #[serde(default)]
    pub events: Option<Vec<HookEvent>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedHook {
    #[serde(flatten)]
    pub hook: HookView,
    /// Verify `X-Codraft-Signature` with it; it is not shown again.
    pub secret: String,
}

fn dispatcher(acc: &Accounts) -> ApiResult<&Arc<Dispatcher>> {
    acc.hooks()
        .ok_or_else(|| ApiError::new(ErrorCode::Storage, "webhooks are not running"))
}

async fn view(d: &Dispatcher, h: Hook) -> ApiResult<HookView> {
    let log = d.log(&h.id, LOG).await?;
    Ok(HookView {
        id: h.id,
        url: h.url,
        events: h.events,
        created_by: h.created_by,
        created_ms: h.created_ms,
        log,
    })
}

/// The group's webhooks and their newest deliveries.
#[utoipa::path(get, path = "/api/groups/{group}/webhooks",
    responses((status = 200, body = Vec<HookView>), (status = 403, body = ErrorBody)))]
pub async fn list_webhooks(
    Caller { acc, who }: Caller,
    Path(group): Path<String>,
) -> ApiResult<Json<Vec<HookView>>> {
    check_manager(&acc, &who, &group, "read the webhooks").await?;
    let d = dispatcher(&acc)?;
    let mut out = Vec::new();
    for h in d.hooks(&group).await? {
        out.push(view(d, h).await?);
    }
    Ok(Json(out))
}

/// A URL a webhook may post to: `http` or `https`, a host, no credentials.
fn check_url(url: &str) -> ApiResult<()> {
    let bad = || {
        ApiError::new(
            ErrorCode::BadWebhookUrl,
            format!("{url:?} is not an http(s) URL"),
        )
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty()
        || host.contains('@')
        || url.len() > 2000
        || url.chars().any(char::is_whitespace)
    {
        return Err(bad());
    }
    reqwest::Url::parse(url).map_err(|_| bad())?;
    Ok(())
}

/// Registers a webhook; answers with its secret, once.
#[utoipa::path(post, path = "/api/groups/{group}/webhooks", request_body = NewHook,
    responses((status = 201, body = CreatedHook), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn add_webhook(
    Writer { acc, who }: Writer,
    Path(group): Path<String>,
    Body(b): Body<NewHook>,
) -> ApiResult<(StatusCode, Json<CreatedHook>)> {
    check_manager(&acc, &who, &group, "manage the webhooks").await?;
    check_url(&b.url)?;
    let d = dispatcher(&acc)?;
    if d.hooks(&group).await?.len() >= MAX_HOOKS {
        return Err(ApiError::new(
            ErrorCode::TooManyWebhooks,
            "this group has too many webhooks",
        )
        .with("max", MAX_HOOKS));
    }
    let events = match b.events {
        Some(e) if e.is_empty() => {
            return Err(ApiError::bad_request("a webhook needs at least one event"));
        }
        Some(e) => e,
        None => HookEvent::ALL.to_vec(),
    };
    let hook = Hook {
        id: uuid::Uuid::new_v4().simple().to_string(),
        group: group.clone(),
        url: b.url,
        secret: crate::accounts::new_secret("cdw"),
        events,
        created_by: who.user.id.clone(),
        created_ms: crate::clock::now_ms(),
    };
    let json = serde_json::to_string(&hook)
        .map_err(|e| ApiError::new(ErrorCode::Storage, e.to_string()))?;
    acc.directory().add_hook(&group, &hook.id, json).await?;
    let secret = hook.secret.clone();
    Ok((
        StatusCode::CREATED,
        Json(CreatedHook {
            hook: view(d, hook).await?,
            secret,
        }),
    ))
}

/// Removes a webhook (deliveries already queued are still tried).
#[utoipa::path(delete, path = "/api/groups/{group}/webhooks/{id}",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_webhook(
    Writer { acc, who }: Writer,
    Path((group, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    check_manager(&acc, &who, &group, "manage the webhooks").await?;
    if acc.directory().remove_hook(&group, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("no such webhook"))
    }
}
