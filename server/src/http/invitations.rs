//! Invitations: a co-coordinator invites by a single-use link; the invited
//! person accepts it with their name, organisation, sector and password.
//! The link is used up only by a successful acceptance.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::error::{ApiError, ApiResult, Body, ErrorBody, ErrorCode};
use super::extract::{Acc, SameOrigin, Writer};
use super::groups::check_manager;
use super::sessions::{Me, issue_session};
use crate::accounts::rules::{AcceptForm, RuleError, check_acceptance, check_role_change};
use crate::accounts::{hash_password, hash_secret, new_secret};
use crate::clock::now_ms;
use crate::directory::{DirectoryError, Invitation, NewUser, Role, Sector, User};

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/groups/{group}/invitations", post(invite))
        .route("/api/invitations/{token}", get(show_invitation))
        .route("/api/invitations/{token}/accept", post(accept_invitation))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Invite {
    role: Role,
    email: Option<String>,
    /// The language of the invitation e-mail (`ar`, `fr`, `zgh`; default
    /// `ar`): the inviter's choice, the invited person has no account yet.
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationLink {
    /// Single use; only its hash is kept.
    token: String,
    /// Path of the web app's acceptance page.
    path: String,
    expires_ms: i64,
    /// It went by e-mail to the invited address (an SMTP server is
    /// configured and an address was given); else share the link.
    emailed: bool,
}

/// A co-coordinator invites someone to the group by a single-use link.
#[utoipa::path(post, path = "/api/groups/{group}/invitations", request_body = Invite,
    responses((status = 201, body = InvitationLink), (status = 403, body = ErrorBody)))]
async fn invite(
    State(api): State<Arc<Api>>,
    Writer { acc, who }: Writer,
    Path(group): Path<String>,
    Body(b): Body<Invite>,
) -> ApiResult<Response> {
    check_manager(&acc, &who, &group, "invite").await?;
    let token = new_secret("cdi");
    let expires_ms = now_ms() + api.settings.invitation_ttl.as_millis() as i64;
    let inv = Invitation {
        group: group.clone(),
        role: b.role,
        email: b.email.clone(),
        invited_by: who.user.id.clone(),
        expires_ms,
    };
    acc.create_invitation(&hash_secret(&token), inv).await?;
    let mut emailed = false;
    if let (Some(m), Some(to)) = (
        acc.mailer(),
        b.email
            .as_deref()
            .map(str::trim)
            .filter(|e| e.contains('@')),
    ) {
        let lang = b
            .lang
            .as_deref()
            .and_then(codraft_schema::Lang::parse)
            .unwrap_or_default();
        let mail = crate::mail::InvitationMail {
            to,
            group: &group,
            role: b.role,
            inviter: &who.user.name,
            token: &token,
            expires_ms,
        };
        match m.invite(&mail, lang).await {
            Ok(()) => emailed = true,
            Err(e) => tracing::warn!(error = %e, "an invitation e-mail was not queued"),
        }
    }
    // Someone who already has an account hears of it in the app too.
    if let Some(email) = b.email.as_deref()
        && let Ok(Some((user, _))) = acc.directory().user_by_email(email.trim()).await
    {
        let mut note = crate::inbox::Note::new(crate::inbox::NoteKind::Invited, &who);
        note.group = Some(group.clone());
        acc.tell([user.id], &note).await;
    }
    let path = format!("/#/invite/{token}");
    let link = InvitationLink {
        token,
        path,
        expires_ms,
        emailed,
    };
    Ok((StatusCode::CREATED, Json(link)).into_response())
}

fn gone() -> ApiError {
    ApiError::new(
        ErrorCode::InvitationGone,
        "this invitation is unknown, used or expired",
    )
}

/// What an invitation offers (for the acceptance page).
#[utoipa::path(get, path = "/api/invitations/{token}", responses((status = 200, body = Invitation), (status = 404, body = ErrorBody)))]
async fn show_invitation(Acc(acc): Acc, Path(token): Path<String>) -> ApiResult<Json<Invitation>> {
    acc.invitation(&hash_secret(&token))
        .await?
        .map(Json)
        .ok_or_else(gone)
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
    State(api): State<Arc<Api>>,
    Acc(acc): Acc,
    _: SameOrigin,
    Path(token): Path<String>,
    Body(b): Body<Accept>,
) -> ApiResult<Response> {
    let hash = hash_secret(&token);
    let inv = acc.invitation(&hash).await?.ok_or_else(gone)?;
    let form = AcceptForm {
        name: &b.name,
        email: &b.email,
        organisation: &b.organisation,
        password: &b.password,
    };
    check_acceptance(&inv, &form)?;
    // An existing account: said without naming it, and the link stays
    // valid (nothing is used up by a failed acceptance).
    if acc.user_by_email(b.email.trim()).await?.is_some() {
        return Err(RuleError::EmailTaken.into());
    }
    let inviter = acc
        .user(&inv.invited_by)
        .await?
        .ok_or_else(|| ApiError::not_found("the inviting account is gone"))?;
    let probe = User {
        id: String::new(),
        email: b.email.clone(),
        name: b.name.clone(),
        organisation: b.organisation.clone(),
        sector: b.sector,
        admin: false,
    };
    let members = acc.members(&inv.group).await?;
    check_role_change(&members, inviter.admin, &probe, Some(inv.role))?;
    let password = b.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::bad_request(e.to_string()))?
        .map_err(ApiError::bad_request)?;
    // Used once: a second acceptance of the same link finds it gone.
    let inv = acc.use_invitation(&hash).await?.ok_or_else(gone)?;
    let created = acc
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
            if let Err(e) = acc.restore_invitation(&hash).await {
                tracing::error!(error = %e, "an invitation could not be given back");
            }
            return Err(match e {
                DirectoryError::Exists(_) => RuleError::EmailTaken.into(),
                other => other.into(),
            });
        }
    };
    acc.set_role(&inv.group, &user.id, inv.role).await?;
    issue_session(&acc, &api.settings, user).await
}
