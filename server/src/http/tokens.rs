//! API tokens (for scripts and non-browser clients) and revocation of a
//! person's access.

use std::sync::Arc;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::error::{ApiError, ApiResult, Body, ErrorBody};
use super::extract::{Caller, Writer};
use crate::accounts::{Accounts, hash_secret, new_secret};
use crate::directory::{DirectoryError, TokenInfo};

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/tokens", get(list_tokens).post(mint_token))
        .route("/api/tokens/{id}", delete(revoke_token))
        .route("/api/users/{id}/revoke", post(revoke_user))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewToken {
    name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MintedToken {
    id: String,
    /// Shown once; only its hash is kept.
    token: String,
}

#[utoipa::path(get, path = "/api/tokens", responses((status = 200, body = Vec<TokenInfo>)))]
async fn list_tokens(Caller { acc, who }: Caller) -> ApiResult<Json<Vec<TokenInfo>>> {
    Ok(Json(acc.tokens(&who.user.id).await?))
}

/// Mints an API token for scripts and non-browser clients.
#[utoipa::path(post, path = "/api/tokens", request_body = NewToken, responses((status = 201, body = MintedToken)))]
async fn mint_token(Writer { acc, who }: Writer, Body(b): Body<NewToken>) -> ApiResult<Response> {
    let (id, token) = mint(&acc, &who.user.id, &b.name).await?;
    Ok((StatusCode::CREATED, Json(MintedToken { id, token })).into_response())
}

/// A new API token for a user: (id, token).
pub async fn mint(
    acc: &Accounts,
    user: &str,
    name: &str,
) -> Result<(String, String), DirectoryError> {
    let token = new_secret("cdt");
    let id = acc.create_token(user, name, &hash_secret(&token)).await?;
    Ok((id, token))
}

/// Revokes one of the caller's tokens; sockets using it close.
#[utoipa::path(delete, path = "/api/tokens/{id}", responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_token(
    Writer { acc, who }: Writer,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if acc.revoke_token(&who.user.id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("no such token of yours"))
    }
}

/// Revokes every session and token of a user (site admin, or oneself).
#[utoipa::path(post, path = "/api/users/{id}/revoke", responses((status = 204), (status = 403, body = ErrorBody)))]
async fn revoke_user(Writer { acc, who }: Writer, Path(id): Path<String>) -> ApiResult<StatusCode> {
    if !who.user.admin && who.user.id != id {
        return Err(ApiError::forbidden(
            "only a site administrator may revoke another person's access",
        ));
    }
    acc.revoke_user(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
