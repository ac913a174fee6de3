//! The revision in the open. [`public`]: what anyone reads and does with
//! no account — the timeline, proposing, a proposal's tracking page, the
//! published proposals with their responses and the synthesis counts.
//! [`repository`]: the public repository — published card versions with
//! their fingerprints and differences, approved minutes, open data, an
//! Atom feed. [`manage`]: what the secretariat and the groups' co-coordinators do —
//! the full list with moderation, entering consultation proposals,
//! hiding, assigning, marking duplicates, responding, setting the
//! timeline. The rules are in [`crate::process::rules`].

use std::sync::Arc;

use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::error::{ApiError, ApiResult, Body, ErrorBody, ErrorCode};
use crate::accounts::Accounts;
use crate::hub::Hub;
use crate::process::rules::ProcessError;
use crate::process::{Decision, Phase, Process, ProcessEvent, Proposal, Response, Source};

pub mod manage;
pub mod open_data;
pub mod public;
pub mod public_minutes;
pub mod repository;
pub mod scoring;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
    Arc<Hub>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/public/timeline", get(public::timeline))
        .route(
            "/api/public/proposals",
            get(public::list).post(public::propose),
        )
        .route("/api/public/proposals/{code}", get(public::track))
        .route("/api/public/proposals.csv", get(open_data::proposals_csv))
        .route(
            "/api/public/proposals.schema.json",
            get(open_data::proposals_schema),
        )
        .route("/api/public/cards", get(repository::public_cards))
        .route(
            "/api/public/cards/{card}/versions/{n}",
            get(repository::card_version),
        )
        .route(
            "/api/public/cards/{card}/versions/{n}/diff",
            get(repository::card_version_diff),
        )
        .route("/api/public/meetings", get(public_minutes::public_meetings))
        .route(
            "/api/public/meetings/{meeting}/minutes",
            get(public_minutes::public_minutes),
        )
        .route("/api/public/feed.atom", get(open_data::feed))
        .route("/api/proposals", get(manage::list_all).post(manage::enter))
        .route("/api/proposals/{code}/hide", post(manage::hide))
        .route("/api/proposals/{code}/show", post(manage::show))
        .route("/api/proposals/{code}/assign", post(manage::assign))
        .route("/api/proposals/{code}/duplicate", post(manage::duplicate))
        .route("/api/proposals/{code}/respond", post(manage::respond))
        .route("/api/timeline/{index}", put(manage::set_phase))
        .route("/api/consultation", post(manage::set_consultation))
        .route("/api/proposals/import", post(manage::import))
        .route(
            "/api/rounds",
            get(scoring::rounds).post(scoring::open_round),
        )
        .route("/api/rounds/{round}/scores/{code}", put(scoring::score))
        .route("/api/rounds/{round}/close", post(scoring::close_round))
        .route("/api/rounds/{round}/results", get(scoring::results))
}

impl From<ProcessError> for ApiError {
    fn from(e: ProcessError) -> Self {
        use ProcessError as P;
        let message = e.to_string();
        let err = |c| ApiError::new(c, message.clone());
        match e {
            P::TextNeeded => err(ErrorCode::EmptyText),
            P::TooLong { max } => err(ErrorCode::TooLong).with("max", max),
            P::BadLang => err(ErrorCode::BadRequest),
            P::Forbidden { who } => err(ErrorCode::Forbidden).with("who", who),
            P::NoSuchProposal => err(ErrorCode::NoSuchProposal),
            P::NoSuchGroup => err(ErrorCode::NotFound),
            P::NotAssigned => err(ErrorCode::NotAssigned),
            P::ReasonsNeeded => err(ErrorCode::ReasonsNeeded),
            P::DateNeeded => err(ErrorCode::DateNeeded),
            P::ConsultationClosed => err(ErrorCode::ConsultationClosed),
            P::BadLine { line, why } => err(ErrorCode::BadLine).with("line", line).with("why", why),
        }
    }
}

/// Decides on the log as it is and appends (again if someone appended
/// meanwhile).
pub(super) async fn decide(
    acc: &Accounts,
    mut f: impl FnMut(&Process) -> ApiResult<ProcessEvent>,
) -> ApiResult<Process> {
    for _ in 0..8 {
        let state = acc.process().await?;
        let event = f(&state)?;
        if acc.append_process(&state, &event).await? {
            let mut after = state;
            after.len += 1;
            after.apply(event);
            return Ok(after);
        }
    }
    Err(ApiError::new(
        ErrorCode::Busy,
        "the process changed several times meanwhile: try again",
    ))
}

/// A proposal as the public sees it: no e-mail, and nothing of one that
/// moderation hid.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicProposal {
    pub code: String,
    pub source: Source,
    pub at_ms: i64,
    /// As the proposer gave them (both optional).
    pub name: String,
    pub organisation: String,
    pub region: String,
    pub theme: String,
    pub lang: String,
    pub text: String,
    pub group: Option<String>,
    pub card: Option<String>,
    pub duplicate_of: Option<String>,
    pub response: Option<PublicResponse>,
    /// The published draft a consultation comment is about.
    pub about: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicResponse {
    pub decision: Decision,
    pub reason: crate::meetings::Titles,
    pub by_name: String,
    pub at_ms: i64,
}

pub(super) fn public_view(p: &Proposal) -> PublicProposal {
    let s = &p.submission;
    PublicProposal {
        code: p.code.clone(),
        source: p.source,
        at_ms: p.at_ms,
        name: s.name.clone(),
        organisation: s.organisation.clone(),
        region: s.region.clone(),
        theme: s.theme.clone(),
        lang: s.lang.clone(),
        text: s.text.clone(),
        group: p.group.clone(),
        card: p.card.clone(),
        duplicate_of: p.duplicate_of.clone(),
        about: s.about.clone(),
        response: p.response.as_ref().map(|r: &Response| PublicResponse {
            decision: r.decision,
            reason: r.reason.clone(),
            by_name: r.stamp.by_name.clone(),
            at_ms: r.stamp.at_ms,
        }),
    }
}

/// A phase with whether it is the current one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PhaseView {
    pub index: usize,
    #[serde(flatten)]
    pub phase: Phase,
    pub current: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PhaseBody {
    pub title: crate::meetings::Titles,
    pub start: String,
    pub end: String,
}
