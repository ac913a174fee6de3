//! What anyone reads and does, with no account: the timeline, proposing
//! (throttled per address, a honeypot field, sizes bounded), a proposal's
//! tracking page, the published proposals with their responses and the
//! synthesis counts.

use std::collections::BTreeMap;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};

use super::*;
use crate::process::rules::{self, PER_HOUR};
use crate::process::{Submission, new_code};

fn today(now_ms: i64) -> String {
    crate::meetings::civil_date(now_ms)
}

pub(super) fn phases(p: &Process) -> Vec<PhaseView> {
    let current = p.current(&today(crate::clock::now_ms()));
    p.phases
        .iter()
        .map(|(i, ph)| PhaseView {
            index: *i,
            phase: ph.clone(),
            current: current == Some(*i),
        })
        .collect()
}

/// The revision's phases with their dates; the current one marked.
#[utoipa::path(get, path = "/api/public/timeline", responses((status = 200, body = Vec<PhaseView>)))]
pub async fn timeline(State(api): State<Arc<Api>>) -> ApiResult<Json<Vec<PhaseView>>> {
    let acc = api.accounts()?;
    Ok(Json(phases(&acc.process().await?)))
}

/// A public proposal as sent: the submission and the honeypot.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProposeBody {
    #[serde(flatten)]
    pub submission: Submission,
    /// Left empty by people (hidden from them); filled by robots.
    pub website: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Proposed {
    /// The tracking code (its public page: `#/proposal/<code>`).
    pub code: String,
}

/// Proposes, with no account: answers the tracking code.
#[utoipa::path(post, path = "/api/public/proposals", request_body = ProposeBody,
    responses((status = 201, body = Proposed), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn propose(
    State(api): State<Arc<Api>>,
    State(hub): State<Arc<Hub>>,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Body(b): Body<ProposeBody>,
) -> ApiResult<(StatusCode, Json<Proposed>)> {
    let acc = api.accounts()?;
    let mut s = b.submission;
    rules::check_submission(&mut s)?;
    // A comment on a published draft: while the consultation is open.
    if let Some(about) = s.about.take().filter(|a| !a.trim().is_empty()) {
        let p = acc.process().await?;
        if !p.consulting(&today(crate::clock::now_ms())) {
            return Err(rules::ProcessError::ConsultationClosed.into());
        }
        let id = super::repository::card_id(&about)?;
        let info = acc
            .documents()
            .await?
            .into_iter()
            .find(|d| d.id == id && d.kind == "card")
            .ok_or_else(|| ApiError::not_found("no such published card"))?;
        if super::repository::public_card(&hub, acc, &info)
            .await?
            .is_none()
        {
            return Err(ApiError::not_found("no such published card"));
        }
        s.about = Some(id.to_url());
    }
    let ip = crate::security::client_ip(&api.settings.trusted_proxies, addr, &headers);
    if !acc.limiter.take_proposal(ip, PER_HOUR) {
        return Err(ApiError::new(
            ErrorCode::ProposalsRateLimited,
            format!("at most {PER_HOUR} proposals an hour from one address: try again later"),
        )
        .with("per_hour", PER_HOUR));
    }
    let code = new_code();
    // A robot filled the field people do not see: it is told it worked,
    // and nothing is kept.
    if !b.website.trim().is_empty() {
        tracing::info!("a proposal with the honeypot filled was dropped");
        return Ok((StatusCode::CREATED, Json(Proposed { code })));
    }
    let at_ms = crate::clock::now_ms();
    decide(acc, |_| {
        Ok(ProcessEvent::Submitted {
            code: code.clone(),
            source: Source::Online,
            submission: s.clone(),
            at_ms,
            by: None,
        })
    })
    .await?;
    Ok((StatusCode::CREATED, Json(Proposed { code })))
}

/// A proposal's tracking page; one hidden by moderation shows only that,
/// with the reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tracked {
    #[serde(flatten)]
    pub proposal: Option<PublicProposal>,
    pub code: String,
    pub hidden: Option<String>,
}

#[utoipa::path(get, path = "/api/public/proposals/{code}", responses((status = 200, body = Tracked), (status = 404, body = ErrorBody)))]
pub async fn track(
    State(api): State<Arc<Api>>,
    Path(code): Path<String>,
) -> ApiResult<Json<Tracked>> {
    let acc = api.accounts()?;
    let p = acc.process().await?;
    let code = code.trim().to_uppercase();
    let found = p
        .proposal(&code)
        .ok_or_else(|| ApiError::new(ErrorCode::NoSuchProposal, "no proposal with this code"))?;
    Ok(Json(match &found.hidden {
        Some(reason) => Tracked {
            proposal: None,
            code,
            hidden: Some(reason.clone()),
        },
        None => Tracked {
            proposal: Some(public_view(found)),
            code,
            hidden: None,
        },
    }))
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Synthesis {
    /// Everything received (hidden ones included).
    pub received: usize,
    pub hidden: usize,
    pub by_theme: BTreeMap<String, usize>,
    pub by_region: BTreeMap<String, usize>,
    /// By decision; `pending` for those without a response yet.
    pub by_decision: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProposals {
    pub proposals: Vec<PublicProposal>,
    pub synthesis: Synthesis,
    /// The public consultation's last day, while it is open.
    pub consultation: Option<String>,
}

/// The published proposals, newest first, with the synthesis counts.
#[utoipa::path(get, path = "/api/public/proposals", responses((status = 200, body = PublicProposals)))]
pub async fn list(State(api): State<Arc<Api>>) -> ApiResult<Json<PublicProposals>> {
    let acc = api.accounts()?;
    let p = acc.process().await?;
    let mut syn = Synthesis {
        received: p.proposals.len(),
        ..Synthesis::default()
    };
    let mut out = Vec::new();
    for x in p.proposals.iter().rev() {
        if x.hidden.is_some() {
            syn.hidden += 1;
            continue;
        }
        let key = |s: &str| {
            if s.is_empty() {
                "—".to_owned()
            } else {
                s.to_owned()
            }
        };
        *syn.by_theme.entry(key(&x.submission.theme)).or_default() += 1;
        *syn.by_region.entry(key(&x.submission.region)).or_default() += 1;
        let decision = match &x.response {
            Some(r) => serde_json::to_value(r.decision)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            None => "pending".into(),
        };
        *syn.by_decision.entry(decision).or_default() += 1;
        out.push(public_view(x));
    }
    let consultation = p
        .consulting(&today(crate::clock::now_ms()))
        .then(|| p.consultation.clone())
        .flatten();
    Ok(Json(PublicProposals {
        proposals: out,
        synthesis: syn,
        consultation,
    }))
}
