//! A card's review: its state (stage, approvals, versions, text statuses,
//! what is new since my review, who wrote what share), and the actions
//! that change it — approve, withdraw, transition, name a version, mark
//! reviewed, set a language's status, restore. The rules are in
//! [`crate::review::workflow`]; the readings of the document (history,
//! differences, the card at a point, exports) in [`read`].

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use codraft_protocol::DocumentId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::documents::doc_for;
use super::error::{ApiError, ApiResult, Body, ErrorBody, ErrorCode};
use super::extract::Caller;
use crate::accounts::Accounts;
use crate::auth::Access;
use crate::directory::{Credential, DocInfo};
use crate::hub::Hub;
use crate::review::workflow::{self, Actor};
use crate::review::{ReviewEvent, ReviewState, Stage, Stamp, TextStatus};

mod actions;
mod points;
pub mod read;

pub use actions::*;
pub use read::*;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
    Arc<Hub>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/documents/{doc}/review", get(review))
        .route("/api/documents/{doc}/history", get(read::history))
        .route("/api/documents/{doc}/diff", get(read::diff))
        .route("/api/documents/{doc}/at", get(read::card_at))
        .route("/api/documents/{doc}/export", get(read::export))
        .route("/api/documents/{doc}/shares", get(read::shares_of))
        .route("/api/documents/{doc}/versions", post(actions::name_version))
        .route(
            "/api/documents/{doc}/reviewed",
            post(actions::mark_reviewed),
        )
        .route("/api/documents/{doc}/approve", post(actions::approve))
        .route("/api/documents/{doc}/withdraw", post(actions::withdraw))
        .route("/api/documents/{doc}/transition", post(actions::transition))
        .route(
            "/api/documents/{doc}/text-status",
            post(actions::set_text_status),
        )
        .route("/api/documents/{doc}/restore", post(actions::restore))
}

/// The card, what the caller may do with it, and who they are to the rules.
pub(super) struct Ctx {
    pub info: DocInfo,
    pub access: Access,
    pub actor: Actor,
    pub who: Credential,
}

pub(super) async fn ctx(acc: &Accounts, who: Credential, doc: &str) -> ApiResult<Ctx> {
    let (info, access) = doc_for(acc, &who, doc).await?;
    let actor = Actor {
        user: who.user.id.clone(),
        sector: who.user.sector,
        admin: who.user.admin,
        secretariat: acc.is_secretariat(&who.user.id),
        role: acc.role(&info.group, &who.user.id),
    };
    Ok(Ctx {
        info,
        access,
        actor,
        who,
    })
}

pub(super) fn stamp(who: &Credential, heads: Vec<String>) -> Stamp {
    Stamp {
        by: who.user.id.clone(),
        by_name: who.user.name.clone(),
        sector: who.user.sector,
        at_ms: crate::clock::now_ms(),
        heads,
    }
}

/// What the document is now: its heads and how many required items it lacks.
#[derive(Debug, Clone)]
pub(super) struct Facts {
    pub heads: Vec<String>,
    pub missing: usize,
}

pub(super) async fn facts(hub: &Arc<Hub>, doc: DocumentId) -> ApiResult<Facts> {
    Ok(crate::hub::actor::read(hub, doc, |d| {
        let card = codraft_schema::edit::read(d, &[])
            .ok()
            .and_then(|j| codraft_schema::Card::from_json(&j).ok())
            .unwrap_or_default();
        let missing = codraft_schema::validate::validate(&card)
            .iter()
            .filter(|i| i.severity == codraft_schema::validate::Severity::Required)
            .count();
        Facts {
            heads: d.get_heads().iter().map(|h| h.to_string()).collect(),
            missing,
        }
    })
    .await?)
}

/// Decides and appends, again if someone else appended in between.
pub(super) async fn decide(
    acc: &Accounts,
    doc: DocumentId,
    mut f: impl FnMut(&ReviewState) -> ApiResult<ReviewEvent>,
) -> ApiResult<(ReviewState, ReviewEvent)> {
    for _ in 0..5 {
        let state = acc.review_state(doc).await?;
        let event = f(&state)?;
        if acc.append_review(doc, &state, &event).await? {
            let mut after = state;
            after.apply(event.clone());
            return Ok((after, event));
        }
    }
    Err(ApiError::new(
        ErrorCode::Busy,
        "the card's review changed several times meanwhile: try again",
    ))
}

/// Records the event `f` decides (from the log as it is and the card now)
/// and answers with it.
pub(super) async fn record(
    hub: &Arc<Hub>,
    acc: &Accounts,
    c: &Ctx,
    mut f: impl FnMut(&ReviewState, &Facts) -> ApiResult<ReviewEvent>,
) -> ApiResult<Json<Done>> {
    let now = facts(hub, c.info.id).await?;
    let (state, event) = decide(acc, c.info.id, |s| f(s, &now)).await?;
    Ok(Json(Done {
        stage: state.stage,
        event: Some(event),
        changes: Vec::new(),
    }))
}

/// One approval and whether it still holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalView {
    #[serde(flatten)]
    pub stamp: Stamp,
    /// False once the card changed after it: the approver sees the
    /// difference since (`diff?from=approval`).
    pub standing: bool,
}

/// A language's status.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextStatusView {
    /// `summary/fr`.
    pub field: String,
    pub status: TextStatus,
    #[serde(flatten)]
    pub stamp: Stamp,
    /// The text itself changed since it was validated.
    pub changed: bool,
    /// Another language of the same section changed since: re-check this
    /// one against the change.
    pub recheck: bool,
}

/// What the caller may do now (the buttons the web app shows).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Allowed {
    pub approve: bool,
    pub withdraw: bool,
    pub transitions: Vec<Stage>,
    pub name_version: bool,
    pub mark_reviewed: bool,
    pub set_text_status: bool,
    pub restore: bool,
}

/// A card's review, as the caller sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewView {
    pub stage: Stage,
    /// The card's heads now.
    pub heads: Vec<String>,
    /// Required items still missing (validation needs none).
    pub missing: usize,
    pub approvals: Vec<ApprovalView>,
    pub transitions: Vec<ReviewEvent>,
    pub versions: Vec<ReviewEvent>,
    pub text_status: Vec<TextStatusView>,
    /// The caller's last review mark.
    pub my_review: Option<Stamp>,
    /// Edit sessions by others since the caller's last review.
    pub new_sessions: usize,
    pub allowed: Allowed,
}

fn allowed(s: &ReviewState, c: &Ctx, f: &Facts) -> Allowed {
    let a = &c.actor;
    let writes = c.access == Access::ReadWrite;
    Allowed {
        approve: workflow::check_approval(s, a, &f.heads, &f.heads, f.missing).is_ok(),
        withdraw: workflow::check_withdrawal(s, a).is_ok(),
        transitions: [
            Stage::Draft,
            Stage::GroupReview,
            Stage::Adopted,
            Stage::Published,
        ]
        .into_iter()
        .filter(|to| workflow::check_transition(s, a, *to, Some("-")).is_ok())
        .collect(),
        name_version: workflow::check_coordinator(a).is_ok(),
        mark_reviewed: workflow::check_coordinator(a).is_ok(),
        set_text_status: workflow::check_coordinator(a).is_ok()
            && workflow::check_unlocked(s).is_ok(),
        restore: writes && workflow::check_unlocked(s).is_ok(),
    }
}

/// The card's review: stage, approvals, versions, text statuses, what is
/// new since my last review, and what I may do.
#[utoipa::path(get, path = "/api/documents/{doc}/review", responses((status = 200, body = ReviewView), (status = 404, body = ErrorBody)))]
pub async fn review(
    State(hub): State<Arc<Hub>>,
    Caller { acc, who }: Caller,
    Path(doc): Path<String>,
) -> ApiResult<Json<ReviewView>> {
    let c = ctx(&acc, who, &doc).await?;
    let id = c.info.id;
    let state = acc.review_state(id).await?;
    let f = facts(&hub, id).await?;
    let my_review = state.reviewed.get(&c.who.user.id).cloned();
    let new_sessions = read::sessions_since(
        &acc,
        id,
        &c.who.user.id,
        my_review.as_ref().map_or(0, |m| m.at_ms),
    )
    .await?;
    let text_status = read::text_status(&hub, id, &state).await?;
    let allowed = allowed(&state, &c, &f);
    let heads = f.heads.clone();
    Ok(Json(ReviewView {
        stage: state.stage,
        missing: f.missing,
        approvals: state
            .approvals
            .iter()
            .map(|a| ApprovalView {
                stamp: a.clone(),
                standing: crate::review::same_heads(&a.heads, &heads),
            })
            .collect(),
        heads,
        transitions: state.transitions.clone(),
        versions: state.versions.clone(),
        text_status,
        my_review,
        new_sessions,
        allowed,
    }))
}

/// Body of approve: the version the approver looked at.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApproveBody {
    pub heads: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TransitionBody {
    pub to: Stage,
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VersionBody {
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TextStatusBody {
    /// `summary/fr`.
    pub field: String,
    pub status: TextStatus,
}

/// What to restore and to when.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RestoreBody {
    /// A point (see `diff`): `version:<id>`, `heads:<h,…>`, `after:<h>`, ….
    pub at: String,
    /// `card`, `field` or `row`.
    pub scope: String,
    /// The field (`summary/fr`) or row (`activities/2`) for those scopes.
    pub field: Option<String>,
}

/// What an action did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    pub stage: Stage,
    /// The event recorded (none for a restore: that is a change of the card).
    pub event: Option<ReviewEvent>,
    /// Changes made to the card (restore).
    pub changes: Vec<String>,
}

pub(super) fn reject_observers(c: &Ctx) -> ApiResult<()> {
    if c.access == Access::None {
        return Err(ApiError::not_found("no such document"));
    }
    Ok(())
}
