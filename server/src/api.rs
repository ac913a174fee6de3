//! The JSON HTTP API: sign-in and sign-out, the caller, API tokens,
//! groups and their members (with the steering committee's co-coordinator
//! rule), invitations, a group's documents, a document's audit log, and the
//! OpenAPI description of all of it (`GET /api/openapi.json`).
//!
//! Errors are `{"error": code, "message": text}` with the matching status.
//! A browser authenticates with the `codraft_session` cookie (HttpOnly,
//! SameSite=Lax, Secure behind TLS); scripts with `Authorization: Bearer`.

use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use codraft_protocol::DocumentId;
use codraft_sync::Persist;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::accounts::{Accounts, hash_password, hash_secret, new_secret, verify_password_or_dummy};
use crate::app::AppState;
use crate::auth::Access;
use crate::config::Config;
use crate::directory::sqlite::now_ms;
use crate::directory::{
    AuditEntry, Credential, CredentialKind, DirectoryError, DocInfo, Invitation, Member, NewUser,
    Role, Sector, TokenInfo, User,
};
use crate::limiter::Verdict;

pub const COOKIE: &str = "codraft_session";
/// Longest email address (RFC 5321's path limit).
const MAX_EMAIL: usize = 254;
/// Longest name or organisation.
const MAX_NAME: usize = 200;

/// An API error: status, stable code, parameters, message for people (in
/// English; clients word the code and parameters in their own language).
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    params: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    error: String,
    message: String,
    /// What the code's wording needs (e.g. `{"min": 10}`).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    #[schema(value_type = Object)]
    params: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            params: serde_json::Map::new(),
        }
    }
    /// Adds a parameter of the code's wording.
    fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.params.insert(key.into(), value.into());
        self
    }
    fn password(p: crate::passwords::PasswordProblem) -> Self {
        let e = Self::new(StatusCode::BAD_REQUEST, p.code(), p.to_string());
        match p {
            crate::passwords::PasswordProblem::TooShort(n) => e.with("min", n),
            crate::passwords::PasswordProblem::TooLong(n) => e.with("max", n),
            crate::passwords::PasswordProblem::Weak => e,
        }
    }
    pub fn unauthorized(m: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", m)
    }
    pub fn forbidden(m: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", m)
    }
    fn not_found(m: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", m)
    }
    fn bad_request(m: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", m)
    }
    fn conflict(m: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", m)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: self.code.into(),
                message: self.message,
                params: self.params,
            }),
        )
            .into_response()
    }
}

impl From<DirectoryError> for ApiError {
    fn from(e: DirectoryError) -> Self {
        match e {
            DirectoryError::Exists(m) => ApiError::conflict(format!("{m} already exists")),
            DirectoryError::NotFound(m) => ApiError::not_found(format!("{m} not found")),
            other => {
                tracing::error!(error = %other, "directory failure");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage",
                    other.to_string(),
                )
            }
        }
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// A JSON request body; a malformed one is a `400` in the API's error
/// shape (`{"error": "bad_request", "message": …}`), like every other error.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(e) => Err(ApiError::bad_request(e.body_text())),
        }
    }
}

fn accounts(state: &AppState) -> ApiResult<&Arc<Accounts>> {
    state.accounts.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "open_access",
            "this server runs without accounts (--open-access)",
        )
    })
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// The credential a request or upgrade presents: session cookie, bearer
/// token, or `token` query parameter (for clients that cannot set headers).
pub async fn credential(
    state: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
) -> ApiResult<Option<Credential>> {
    let acc = accounts(state)?;
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let query_token = query.and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("token=")));
    if let Some(t) = bearer.or(query_token) {
        return Ok(acc.dir.token(&hash_secret(t)).await?);
    }
    if let Some(s) = cookie_value(headers, COOKIE) {
        return Ok(acc.dir.session(&hash_secret(s), now_ms()).await?);
    }
    Ok(None)
}

async fn caller(state: &AppState, headers: &HeaderMap) -> ApiResult<Credential> {
    credential(state, headers, None)
        .await?
        .ok_or_else(|| ApiError::unauthorized("sign in first"))
}

/// A request that changes something: from an allowed origin, if a browser.
async fn writer(state: &AppState, headers: &HeaderMap) -> ApiResult<Credential> {
    if !state.origins.allow(headers) {
        return Err(ApiError::forbidden(
            "requests from this origin are not allowed",
        ));
    }
    caller(state, headers).await
}

fn session_cookie(config: &Config, token: &str) -> HeaderValue {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        config.session_ttl.as_secs()
    ))
    .expect("a valid cookie")
}

fn parse_doc(s: &str) -> ApiResult<DocumentId> {
    DocumentId::from_url(s)
        .or_else(|_| s.parse::<DocumentId>())
        .map_err(|_| ApiError::bad_request(format!("{s:?} is not a document id or automerge: URL")))
}

// ---- sessions ----

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

async fn me_of(acc: &Accounts, user: User) -> ApiResult<Me> {
    let mut groups = Vec::new();
    for g in acc.dir.groups().await? {
        if let Some(role) = acc.role(&g, &user.id) {
            groups.push(GroupRole { group: g, role });
        }
    }
    Ok(Me { user, groups })
}

/// Sign in; sets the session cookie.
#[utoipa::path(post, path = "/api/session", request_body = SignIn,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn sign_in(
    State(state): State<Arc<AppState>>,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Body(b): Body<SignIn>,
) -> ApiResult<Response> {
    let acc = accounts(&state)?;
    if !state.origins.allow(&headers) {
        return Err(ApiError::forbidden(
            "sign-in from this origin is not allowed",
        ));
    }
    if b.email.len() > MAX_EMAIL || b.password.len() > crate::passwords::MAX_BYTES {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong_credentials",
            "wrong email or password",
        ));
    }
    let ip = crate::security::client_ip(&state.config, addr, &headers);
    match acc.limiter.verdict(acc.dir.as_ref(), &b.email, ip).await? {
        Verdict::Refuse => {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many failed sign-ins from this address: wait 15 minutes",
            )
            .with("minutes", 15));
        }
        Verdict::Try(delay) => tokio::time::sleep(delay).await,
    }
    let found = acc.dir.user_by_email(b.email.trim()).await?;
    let password = b.password.clone();
    let hash = found.as_ref().map(|(_, h)| h.clone());
    // The same work whether or not the account exists.
    let ok =
        tokio::task::spawn_blocking(move || verify_password_or_dummy(&password, hash.as_deref()))
            .await
            .unwrap_or(false);
    let Some((user, _)) = found.filter(|_| ok) else {
        acc.limiter.failed(acc.dir.as_ref(), &b.email, ip).await?;
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong_credentials",
            "wrong email or password",
        ));
    };
    let token = new_secret("cds");
    let expires = now_ms() + state.config.session_ttl.as_millis() as i64;
    acc.dir
        .create_session(&user.id, &hash_secret(&token), expires)
        .await?;
    let me = me_of(acc, user).await?;
    let mut r = Json(me).into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state.config, &token));
    Ok(r)
}

/// Sign out: revokes this session (its sockets close) and clears the cookie.
#[utoipa::path(delete, path = "/api/session", responses((status = 204), (status = 401, body = ErrorBody)))]
async fn sign_out(State(state): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<Response> {
    let acc = accounts(&state)?;
    let c = writer(&state, &headers).await?;
    if c.kind == CredentialKind::Session {
        acc.revoke_session(&c.id).await?;
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
async fn me(State(state): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<Json<Me>> {
    let acc = accounts(&state)?;
    let c = caller(&state, &headers).await?;
    Ok(Json(me_of(acc, c.user).await?))
}

// ---- API tokens ----

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
async fn list_tokens(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<TokenInfo>>> {
    let acc = accounts(&state)?;
    let c = caller(&state, &headers).await?;
    Ok(Json(acc.dir.tokens(&c.user.id).await?))
}

/// Mints an API token for scripts and non-browser clients.
#[utoipa::path(post, path = "/api/tokens", request_body = NewToken, responses((status = 201, body = MintedToken)))]
async fn mint_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Body(b): Body<NewToken>,
) -> ApiResult<Response> {
    let acc = accounts(&state)?;
    let c = writer(&state, &headers).await?;
    let (id, token) = mint(acc, &c.user.id, &b.name).await?;
    Ok((StatusCode::CREATED, Json(MintedToken { id, token })).into_response())
}

/// A new API token for a user: (id, token).
pub async fn mint(
    acc: &Accounts,
    user: &str,
    name: &str,
) -> Result<(String, String), DirectoryError> {
    let token = new_secret("cdt");
    let id = acc
        .dir
        .create_token(user, name, &hash_secret(&token), now_ms())
        .await?;
    Ok((id, token))
}

/// Revokes one of the caller's tokens; sockets using it close.
#[utoipa::path(delete, path = "/api/tokens/{id}", responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let acc = accounts(&state)?;
    let c = writer(&state, &headers).await?;
    if acc.revoke_token(&c.user.id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("no such token of yours"))
    }
}

/// Revokes every session and token of a user (site admin, or oneself).
#[utoipa::path(post, path = "/api/users/{id}/revoke", responses((status = 204), (status = 403, body = ErrorBody)))]
async fn revoke_user(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let acc = accounts(&state)?;
    let c = writer(&state, &headers).await?;
    if !c.user.admin && c.user.id != id {
        return Err(ApiError::forbidden(
            "only a site administrator may revoke another person's access",
        ));
    }
    acc.revoke_user(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- groups and members ----

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    id: String,
    /// The caller's role, if any.
    role: Option<Role>,
    co_coordinators: Vec<User>,
    members: usize,
    /// The group's documents, if the caller may read them.
    documents: Vec<DocInfo>,
}

#[utoipa::path(get, path = "/api/groups", responses((status = 200, body = Vec<GroupView>)))]
async fn list_groups(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<GroupView>>> {
    let acc = accounts(&state)?;
    let c = caller(&state, &headers).await?;
    let docs = acc.dir.documents().await?;
    let mut out = Vec::new();
    for g in acc.dir.groups().await? {
        let members = acc.dir.members(&g).await?;
        let role = acc.role(&g, &c.user.id);
        let reads = role.is_some() || c.user.admin;
        out.push(GroupView {
            co_coordinators: members
                .iter()
                .filter(|m| m.role == Role::CoCoordinator)
                .map(|m| m.user.clone())
                .collect(),
            members: members.len(),
            documents: if reads {
                docs.iter().filter(|d| d.group == g).cloned().collect()
            } else {
                vec![]
            },
            id: g,
            role,
        });
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewGroup {
    id: String,
}

/// Creates a thematic group (site administrators).
#[utoipa::path(post, path = "/api/groups", request_body = NewGroup, responses((status = 201), (status = 403, body = ErrorBody)))]
async fn create_group(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Body(b): Body<NewGroup>,
) -> ApiResult<StatusCode> {
    let acc = accounts(&state)?;
    let c = writer(&state, &headers).await?;
    if !c.user.admin {
        return Err(ApiError::forbidden(
            "only a site administrator manages groups",
        ));
    }
    if b.id.is_empty()
        || !b
            .id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit())
    {
        return Err(ApiError::bad_request(
            "a group id is lowercase letters, digits and _",
        ));
    }
    acc.dir.create_group(&b.id).await?;
    Ok(StatusCode::CREATED)
}

async fn group_exists(acc: &Accounts, group: &str) -> ApiResult<()> {
    if acc.dir.groups().await?.iter().any(|g| g == group) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("no group {group:?}")))
    }
}

/// The caller, if they may see the group's `what` (its members, or a site
/// administrator).
async fn reader_of(
    state: &AppState,
    headers: &HeaderMap,
    group: &str,
    what: &str,
) -> ApiResult<Credential> {
    let acc = accounts(state)?;
    let c = caller(state, headers).await?;
    group_exists(acc, group).await?;
    if !c.user.admin && acc.role(group, &c.user.id).is_none() {
        return Err(ApiError::forbidden(format!(
            "only the group's members see its {what}"
        )));
    }
    Ok(c)
}

/// The caller of a change, if they may manage `group` (to `what`).
async fn manager_of(
    state: &AppState,
    headers: &HeaderMap,
    group: &str,
    what: &str,
) -> ApiResult<Credential> {
    let acc = accounts(state)?;
    let c = writer(state, headers).await?;
    group_exists(acc, group).await?;
    if !manages(acc, &c, group) {
        return Err(ApiError::forbidden(format!(
            "only the group's co-coordinators and site administrators {what}"
        )));
    }
    Ok(c)
}

/// May `c` manage the members of `group`?
fn manages(acc: &Accounts, c: &Credential, group: &str) -> bool {
    c.user.admin || acc.role(group, &c.user.id) == Some(Role::CoCoordinator)
}

#[utoipa::path(get, path = "/api/groups/{group}/members", responses((status = 200, body = Vec<Member>), (status = 403, body = ErrorBody)))]
async fn list_members(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(group): Path<String>,
) -> ApiResult<Json<Vec<Member>>> {
    let acc = accounts(&state)?;
    reader_of(&state, &headers, &group, "members").await?;
    Ok(Json(acc.dir.members(&group).await?))
}

/// The steering committee's rule: a group is co-coordinated by one
/// representative of the administration and one of civil society.
async fn check_rule(
    acc: &Accounts,
    by: &Credential,
    group: &str,
    target: &User,
    new: Option<Role>,
) -> ApiResult<()> {
    let members = acc.dir.members(group).await?;
    let current = members
        .iter()
        .find(|m| m.user.id == target.id)
        .map(|m| m.role);
    if new == Some(Role::CoCoordinator) && current != Some(Role::CoCoordinator) {
        if !matches!(target.sector, Sector::Administration | Sector::CivilSociety) {
            return Err(ApiError::conflict(
                "a co-coordinator represents the administration or civil society: this person's sector is neither",
            ));
        }
        if let Some(m) = members
            .iter()
            .find(|m| m.role == Role::CoCoordinator && m.user.sector == target.sector)
        {
            return Err(ApiError::conflict(format!(
                "the group already has a co-coordinator from {} ({}): a group has one from the administration and one from civil society",
                target.sector.as_str(),
                m.user.name
            )));
        }
    }
    if current == Some(Role::CoCoordinator) && new != Some(Role::CoCoordinator) && !by.user.admin {
        return Err(ApiError::conflict(
            "a group keeps its two co-coordinators: only a site administrator may step one down (to appoint another)",
        ));
    }
    Ok(())
}

async fn find_user(acc: &Accounts, key: &str) -> ApiResult<User> {
    if key.contains('@') {
        if let Some((u, _)) = acc.dir.user_by_email(key).await? {
            return Ok(u);
        }
    } else if let Some(u) = acc.dir.user(key).await? {
        return Ok(u);
    }
    Err(ApiError::not_found(format!("no account {key:?}")))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetRole {
    role: Role,
}

/// Adds a person to a group or changes their role (`{user}`: id or email).
#[utoipa::path(put, path = "/api/groups/{group}/members/{user}", request_body = SetRole,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn set_member(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((group, user)): Path<(String, String)>,
    Body(b): Body<SetRole>,
) -> ApiResult<Json<Member>> {
    let acc = accounts(&state)?;
    let c = manager_of(&state, &headers, &group, "manage members").await?;
    let target = find_user(acc, &user).await?;
    check_rule(acc, &c, &group, &target, Some(b.role)).await?;
    acc.set_role(&group, &target.id, b.role).await?;
    Ok(Json(Member {
        user: target,
        role: b.role,
    }))
}

/// Removes a person from a group; their live sockets close.
#[utoipa::path(delete, path = "/api/groups/{group}/members/{user}", responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn remove_member(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((group, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let acc = accounts(&state)?;
    let c = manager_of(&state, &headers, &group, "manage members").await?;
    let target = find_user(acc, &user).await?;
    check_rule(acc, &c, &group, &target, None).await?;
    if acc.remove_member(&group, &target.id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("not a member of this group"))
    }
}

// ---- invitations ----

#[derive(Debug, Deserialize, ToSchema)]
pub struct Invite {
    role: Role,
    email: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationLink {
    /// Single use; only its hash is kept.
    token: String,
    /// Path of the web app's acceptance page.
    path: String,
    expires_ms: i64,
}

/// A co-coordinator invites someone to the group by a single-use link.
#[utoipa::path(post, path = "/api/groups/{group}/invitations", request_body = Invite,
    responses((status = 201, body = InvitationLink), (status = 403, body = ErrorBody)))]
async fn invite(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(group): Path<String>,
    Body(b): Body<Invite>,
) -> ApiResult<Response> {
    let acc = accounts(&state)?;
    let c = manager_of(&state, &headers, &group, "invite").await?;
    let token = new_secret("cdi");
    let expires_ms = now_ms() + state.config.invitation_ttl.as_millis() as i64;
    acc.dir
        .create_invitation(
            &hash_secret(&token),
            Invitation {
                group,
                role: b.role,
                email: b.email,
                invited_by: c.user.id,
                expires_ms,
            },
        )
        .await?;
    let path = format!("/#/invite/{token}");
    Ok((
        StatusCode::CREATED,
        Json(InvitationLink {
            token,
            path,
            expires_ms,
        }),
    )
        .into_response())
}

/// What an invitation offers (for the acceptance page).
#[utoipa::path(get, path = "/api/invitations/{token}", responses((status = 200, body = Invitation), (status = 404, body = ErrorBody)))]
async fn show_invitation(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
) -> ApiResult<Json<Invitation>> {
    let acc = accounts(&state)?;
    acc.dir
        .invitation(&hash_secret(&token), now_ms())
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("this invitation is unknown, used or expired"))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Accept {
    name: String,
    email: String,
    organisation: String,
    sector: Sector,
    password: String,
}

/// Accepts an invitation: creates the account, joins the group, signs in.
#[utoipa::path(post, path = "/api/invitations/{token}/accept", request_body = Accept,
    responses((status = 200, body = Me), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn accept_invitation(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Body(b): Body<Accept>,
) -> ApiResult<Response> {
    let acc = accounts(&state)?;
    if !state.origins.allow(&headers) {
        return Err(ApiError::forbidden(
            "requests from this origin are not allowed",
        ));
    }
    let hash = hash_secret(&token);
    let inv = acc
        .dir
        .invitation(&hash, now_ms())
        .await?
        .ok_or_else(|| ApiError::not_found("this invitation is unknown, used or expired"))?;
    if b.name.trim().is_empty() || !b.email.contains('@') {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "name_and_email_needed",
            "a name and an email address are needed",
        ));
    }
    if b.email.len() > MAX_EMAIL || b.name.len() > MAX_NAME || b.organisation.len() > MAX_NAME {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "too_long",
            "the email, name or organisation is too long",
        )
        .with("max", MAX_NAME));
    }
    if inv
        .email
        .as_deref()
        .is_some_and(|e| !e.eq_ignore_ascii_case(b.email.trim()))
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invitation_for_another_email",
            "this invitation is for another email address",
        ));
    }
    crate::passwords::check(&b.password, &[&b.email, &b.name, &b.organisation])
        .map_err(ApiError::password)?;
    // An existing account: said without naming it, and the link stays
    // valid (nothing is used up by a failed acceptance).
    if acc.dir.user_by_email(b.email.trim()).await?.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "email_taken",
            "an account already exists for this email address: sign in with it, or use another address",
        ));
    }
    let inviter = acc
        .dir
        .user(&inv.invited_by)
        .await?
        .ok_or_else(|| ApiError::not_found("the inviting account is gone"))?;
    let by = Credential {
        user: inviter,
        kind: CredentialKind::Session,
        id: String::new(),
        expires_ms: None,
    };
    let probe = User {
        id: String::new(),
        email: b.email.clone(),
        name: b.name.clone(),
        organisation: b.organisation.clone(),
        sector: b.sector,
        admin: false,
    };
    check_rule(acc, &by, &inv.group, &probe, Some(inv.role)).await?;
    let password = b.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::bad_request(e.to_string()))?
        .map_err(ApiError::bad_request)?;
    // Used once: a second acceptance of the same link finds it gone.
    let inv = acc
        .dir
        .use_invitation(&hash, now_ms())
        .await?
        .ok_or_else(|| ApiError::not_found("this invitation was just used"))?;
    let created = acc
        .dir
        .create_user(NewUser {
            email: b.email.trim().into(),
            name: b.name.trim().into(),
            organisation: b.organisation.trim().into(),
            sector: b.sector,
            password_hash,
            admin: false,
        })
        .await;
    let user = match created {
        Ok(u) => u,
        Err(e) => {
            // Created by someone else in between: the link is given back.
            if let Err(e) = acc.dir.restore_invitation(&hash).await {
                tracing::error!(error = %e, "an invitation could not be given back");
            }
            return Err(match e {
                DirectoryError::Exists(_) => ApiError::new(
                    StatusCode::CONFLICT,
                    "email_taken",
                    "an account already exists for this email address: sign in with it, or use another address",
                ),
                other => other.into(),
            });
        }
    };
    acc.set_role(&inv.group, &user.id, inv.role).await?;
    let session = new_secret("cds");
    acc.dir
        .create_session(
            &user.id,
            &hash_secret(&session),
            now_ms() + state.config.session_ttl.as_millis() as i64,
        )
        .await?;
    let mut r = Json(me_of(acc, user).await?).into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state.config, &session));
    Ok(r)
}

// ---- documents ----

#[utoipa::path(get, path = "/api/groups/{group}/documents", responses((status = 200, body = Vec<DocInfo>), (status = 403, body = ErrorBody)))]
async fn list_documents(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(group): Path<String>,
) -> ApiResult<Json<Vec<DocInfo>>> {
    let acc = accounts(&state)?;
    reader_of(&state, &headers, &group, "documents").await?;
    Ok(Json(
        acc.dir
            .documents()
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
    responses((status = 201, body = DocInfo), (status = 403, body = ErrorBody)))]
async fn create_document(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(group): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let acc = accounts(&state)?;
    let c = writer(&state, &headers).await?;
    group_exists(acc, &group).await?;
    if !c.user.admin && !acc.role(&group, &c.user.id).is_some_and(Role::writes) {
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
    if !c.user.admin
        && !acc
            .limiter
            .take_card(&c.user.id, state.config.cards_per_hour)
    {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "cards_rate_limited",
            format!(
                "at most {} new cards an hour: try again later",
                state.config.cards_per_hour
            ),
        )
        .with("per_hour", state.config.cards_per_hour));
    }
    if kind != "card" {
        return Err(ApiError::bad_request(
            "the only kind of document is \"card\"",
        ));
    }
    let info = create_card(&state, &group, &c.user.id).await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

/// A new blank card in `group`, stored and registered.
pub async fn create_card(state: &AppState, group: &str, by: &str) -> ApiResult<DocInfo> {
    let acc = accounts(state)?;
    let id = DocumentId::random();
    let now = now_ms();
    let doc = codraft_schema::edit::from_json(&codraft_schema::card::blank_card(group), now)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    state
        .hub
        .store
        .write(id, Persist::Compact(doc.save()))
        .await
        .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "storage", e.to_string()))?;
    let info = DocInfo {
        id,
        group: group.into(),
        kind: "card".into(),
        created_by: by.into(),
        created_ms: now,
    };
    acc.register_document(info.clone()).await?;
    Ok(info)
}

async fn doc_for(acc: &Accounts, c: &Credential, doc: &str) -> ApiResult<(DocInfo, Access)> {
    let id = parse_doc(doc)?;
    let access = acc.access_of(c, &id);
    // Existence is not disclosed to those without access.
    let info = match access {
        Access::None => None,
        _ => acc.dir.documents().await?.into_iter().find(|d| d.id == id),
    };
    info.map(|i| (i, access))
        .ok_or_else(|| ApiError::not_found("no such document"))
}

#[utoipa::path(get, path = "/api/documents/{doc}", responses((status = 200, body = DocInfo), (status = 404, body = ErrorBody)))]
async fn document_info(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(doc): Path<String>,
) -> ApiResult<Json<DocInfo>> {
    let acc = accounts(&state)?;
    let c = caller(&state, &headers).await?;
    Ok(Json(doc_for(acc, &c, &doc).await?.0))
}

/// Who made each accepted change (co-coordinators and site administrators).
#[utoipa::path(get, path = "/api/documents/{doc}/audit", responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn document_audit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(doc): Path<String>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let acc = accounts(&state)?;
    let c = caller(&state, &headers).await?;
    let (info, _) = doc_for(acc, &c, &doc).await?;
    if !manages(acc, &c, &info.group) {
        return Err(ApiError::forbidden(
            "only the group's co-coordinators read the audit log",
        ));
    }
    Ok(Json(acc.dir.audit(info.id).await?))
}

#[derive(OpenApi, Debug)]
#[openapi(
    info(
        title = "Codraft API",
        description = "Accounts, thematic groups, members, invitations, documents and audit of Codraft. Documents themselves sync over the WebSocket at /sync (automerge-repo protocol 1)."
    ),
    paths(
        sign_in,
        sign_out,
        me,
        list_tokens,
        mint_token,
        revoke_token,
        revoke_user,
        list_groups,
        create_group,
        list_members,
        set_member,
        remove_member,
        invite,
        show_invitation,
        accept_invitation,
        list_documents,
        create_document,
        document_info,
        document_audit
    ),
    components(schemas(
        ErrorBody,
        SignIn,
        Me,
        GroupRole,
        User,
        Sector,
        Role,
        NewToken,
        MintedToken,
        TokenInfo,
        GroupView,
        NewGroup,
        Member,
        SetRole,
        Invite,
        InvitationLink,
        Invitation,
        Accept,
        NewDocument,
        DocInfo,
        AuditEntry
    ))
)]
pub struct ApiDoc;

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/session", post(sign_in).delete(sign_out))
        .route("/api/me", get(me))
        .route("/api/tokens", get(list_tokens).post(mint_token))
        .route("/api/tokens/{id}", delete(revoke_token))
        .route("/api/users/{id}/revoke", post(revoke_user))
        .route("/api/groups", get(list_groups).post(create_group))
        .route("/api/groups/{group}/members", get(list_members))
        .route(
            "/api/groups/{group}/members/{user}",
            put(set_member).delete(remove_member),
        )
        .route("/api/groups/{group}/invitations", post(invite))
        .route("/api/invitations/{token}", get(show_invitation))
        .route("/api/invitations/{token}/accept", post(accept_invitation))
        .route(
            "/api/groups/{group}/documents",
            get(list_documents).post(create_document),
        )
        .route("/api/documents/{doc}", get(document_info))
        .route("/api/documents/{doc}/audit", get(document_audit))
        .route("/api/openapi.json", get(openapi))
}
