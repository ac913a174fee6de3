//! Sessions: sign in (sets the cookie), sign out, and who the caller is.

use std::sync::Arc;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, Body, ErrorBody, ErrorCode};
use super::extract::{Acc, COOKIE, Caller, SameOrigin, Writer};
use super::{Api, ApiSettings};
use crate::accounts::rules::MAX_EMAIL;
use crate::accounts::{Accounts, hash_secret, new_secret, verify_password_or_dummy};
use crate::clock::now_ms;
use crate::directory::{CredentialKind, Role, User};
use crate::limiter::Verdict;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/session", post(sign_in).delete(sign_out))
        .route("/api/me", get(me))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignIn {
    email: String,
    password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupRole {
    group: String,
    role: Role,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    user: User,
    groups: Vec<GroupRole>,
}

pub async fn me_of(acc: &Accounts, user: User) -> ApiResult<Me> {
    let mut groups = Vec::new();
    for g in acc.groups().await? {
        if let Some(role) = acc.role(&g, &user.id) {
            groups.push(GroupRole { group: g, role });
        }
    }
    Ok(Me { user, groups })
}

fn session_cookie(settings: &ApiSettings, token: &str) -> HeaderValue {
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        settings.session_ttl.as_secs()
    ))
    .expect("a valid cookie")
}

/// Opens a session for `user`: who they are, with the cookie set (after a
/// sign-in, and after accepting an invitation).
pub async fn issue_session(
    acc: &Accounts,
    settings: &ApiSettings,
    user: User,
) -> ApiResult<Response> {
    let token = new_secret("cds");
    let expires = now_ms() + settings.session_ttl.as_millis() as i64;
    acc.create_session(&user.id, &hash_secret(&token), expires)
        .await?;
    let mut r = Json(me_of(acc, user).await?).into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(settings, &token));
    Ok(r)
}

fn wrong_credentials() -> ApiError {
    ApiError::new(ErrorCode::WrongCredentials, "wrong email or password")
}

/// Sign in; sets the session cookie.
#[utoipa::path(post, path = "/api/session", request_body = SignIn,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn sign_in(
    State(api): State<Arc<Api>>,
    Acc(acc): Acc,
    _: SameOrigin,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Body(b): Body<SignIn>,
) -> ApiResult<Response> {
    if b.email.len() > MAX_EMAIL || b.password.len() > crate::passwords::MAX_BYTES {
        return Err(wrong_credentials());
    }
    let ip = crate::security::client_ip(&api.settings.trusted_proxies, addr, &headers);
    match acc.sign_in_verdict(&b.email, ip).await? {
        Verdict::Refuse => {
            return Err(ApiError::new(
                ErrorCode::RateLimited,
                "too many failed sign-ins from this address: wait 15 minutes",
            )
            .with("minutes", 15));
        }
        Verdict::Try(delay) => tokio::time::sleep(delay).await,
    }
    let found = acc.user_by_email(b.email.trim()).await?;
    let password = b.password.clone();
    let hash = found.as_ref().map(|(_, h)| h.clone());
    // The same work whether or not the account exists.
    let ok =
        tokio::task::spawn_blocking(move || verify_password_or_dummy(&password, hash.as_deref()))
            .await
            .unwrap_or(false);
    let Some((user, _)) = found.filter(|_| ok) else {
        acc.sign_in_failed(&b.email, ip).await?;
        return Err(wrong_credentials());
    };
    issue_session(&acc, &api.settings, user).await
}

/// Sign out: revokes this session (its sockets close) and clears the cookie.
#[utoipa::path(delete, path = "/api/session", responses((status = 204), (status = 401, body = ErrorBody)))]
async fn sign_out(Writer { acc, who }: Writer) -> ApiResult<Response> {
    if who.kind == CredentialKind::Session {
        acc.revoke_session(&who.id).await?;
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("codraft_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(r)
}

/// The caller and their groups.
#[utoipa::path(get, path = "/api/me", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(Caller { acc, who }: Caller) -> ApiResult<Json<Me>> {
    Ok(Json(me_of(&acc, who.user).await?))
}
