//! Who is calling: the extractors every handler starts with.
//!
//! - [`Acc`]: the accounts (an open-access server has none: `501`);
//! - [`Caller`]: a valid session cookie or API token (`401` otherwise);
//! - [`Writer`]: a caller of a request that changes something, from an
//!   allowed origin if a browser (`403` otherwise);
//! - [`SameOrigin`]: an allowed origin, for the changes made before
//!   anyone is signed in (sign-in, accepting an invitation).

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::Api;
use super::error::{ApiError, ApiResult, ErrorCode};
use crate::accounts::{Accounts, hash_secret};
use crate::directory::Credential;

/// The session cookie's name.
pub const COOKIE: &str = "codraft_session";

impl Api {
    pub fn accounts(&self) -> ApiResult<&Arc<Accounts>> {
        self.accounts.as_ref().ok_or_else(|| {
            ApiError::new(
                ErrorCode::OpenAccess,
                "this server runs without accounts (--open-access)",
            )
        })
    }

    /// The credential a request or upgrade presents: session cookie, bearer
    /// token, or `token` query parameter (for clients that cannot set headers).
    pub async fn credential(
        &self,
        headers: &HeaderMap,
        query: Option<&str>,
    ) -> ApiResult<Option<Credential>> {
        let acc = self.accounts()?;
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let query_token = query.and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("token=")));
        if let Some(t) = bearer.or(query_token) {
            return Ok(acc.token(&hash_secret(t)).await?);
        }
        if let Some(s) = cookie_value(headers, COOKIE) {
            return Ok(acc.session(&hash_secret(s)).await?);
        }
        Ok(None)
    }
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

/// The accounts of a server that has them.
#[derive(Debug)]
pub struct Acc(pub Arc<Accounts>);

impl<S> FromRequestParts<S> for Acc
where
    S: Send + Sync,
    Arc<Api>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(_: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Ok(Acc(Arc::<Api>::from_ref(state).accounts()?.clone()))
    }
}

/// A signed-in caller.
#[derive(Debug)]
pub struct Caller {
    pub acc: Arc<Accounts>,
    pub who: Credential,
}

impl<S> FromRequestParts<S> for Caller
where
    S: Send + Sync,
    Arc<Api>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let api = Arc::<Api>::from_ref(state);
        let acc = api.accounts()?.clone();
        let who = api
            .credential(&parts.headers, None)
            .await?
            .ok_or_else(|| ApiError::unauthorized("sign in first"))?;
        Ok(Caller { acc, who })
    }
}

/// A request from an allowed origin (or not from a browser).
#[derive(Debug)]
pub struct SameOrigin;

impl<S> FromRequestParts<S> for SameOrigin
where
    S: Send + Sync,
    Arc<Api>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if Arc::<Api>::from_ref(state).origins.allow(&parts.headers) {
            Ok(SameOrigin)
        } else {
            Err(ApiError::forbidden(
                "requests from this origin are not allowed",
            ))
        }
    }
}

/// A signed-in caller of a request that changes something.
#[derive(Debug)]
pub struct Writer {
    pub acc: Arc<Accounts>,
    pub who: Credential,
}

impl<S> FromRequestParts<S> for Writer
where
    S: Send + Sync,
    Arc<Api>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        SameOrigin::from_request_parts(parts, state).await?;
        let Caller { acc, who } = Caller::from_request_parts(parts, state).await?;
        Ok(Writer { acc, who })
    }
}
