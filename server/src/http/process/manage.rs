//! What the secretariat and the groups' co-coordinators do with the
//! proposals: the full list (moderation included; a proposer's e-mail for
//! the secretariat only), entering consultation proposals, hiding with a
//! reason and showing again, assigning to a group and a card, marking a
//! duplicate, the reasoned response, and the timeline's dates.

use axum::extract::Path;

use super::*;
use crate::directory::Role;
use crate::http::extract::{Caller, Writer};
use crate::process::Submission;
use crate::process::rules::{self, Who};

fn who(acc: &Accounts, c: &crate::directory::Credential) -> Who {
    Who {
        user: c.user.id.clone(),
        admin: c.user.admin,
        secretariat: acc.is_secretariat(&c.user.id),
    }
}

fn stamp(c: &crate::directory::Credential) -> crate::review::Stamp {
    crate::http::review::stamp(c, Vec::new())
}

/// A proposal as the secretariat and co-coordinators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedProposal {
    #[serde(flatten)]
    pub public: PublicProposal,
    pub hidden: Option<String>,
    /// The proposer's e-mail (the secretariat only).
    pub email: Option<String>,
    /// May the caller respond to it?
    pub can_respond: bool,
}

/// Every proposal for the secretariat; a co-coordinator's groups' ones
/// for them.
#[utoipa::path(get, path = "/api/proposals", responses((status = 200, body = Vec<ManagedProposal>), (status = 403, body = ErrorBody)))]
pub async fn list_all(Caller { acc, who: c }: Caller) -> ApiResult<Json<Vec<ManagedProposal>>> {
    let w = who(&acc, &c);
    let coordinates = |g: &str| acc.role(g, &c.user.id) == Some(Role::CoCoordinator);
    let groups = acc.groups().await?;
    if !w.runs_the_process() && !groups.iter().any(|g| coordinates(g)) {
        return Err(ProcessError::Forbidden {
            who: "co_coordinators",
        }
        .into());
    }
    let p = acc.process().await?;
    Ok(Json(
        p.proposals
            .iter()
            .rev()
            .filter(|x| w.runs_the_process() || x.group.as_deref().is_some_and(coordinates))
            .map(|x| ManagedProposal {
                public: public_view(x),
                hidden: x.hidden.clone(),
                email: (w.runs_the_process() && !x.submission.email.is_empty())
                    .then(|| x.submission.email.clone()),
                can_respond: x.group.as_deref().is_some_and(coordinates) || w.admin,
            })
            .collect(),
    ))
}

/// A proposal from a regional consultation, entered by the secretariat.
#[utoipa::path(post, path = "/api/proposals", request_body = Submission,
    responses((status = 201, body = super::public::Proposed), (status = 403, body = ErrorBody)))]
pub async fn enter(
    Writer { acc, who: c }: Writer,
    Body(mut s): Body<Submission>,
) -> ApiResult<(axum::http::StatusCode, Json<super::public::Proposed>)> {
    rules::check_secretariat(&who(&acc, &c))?;
    rules::check_submission(&mut s)?;
    let code = crate::process::new_code();
    let at_ms = crate::clock::now_ms();
    decide(&acc, |_| {
        Ok(ProcessEvent::Submitted {
            code: code.clone(),
            source: Source::Consultation,
            submission: s.clone(),
            at_ms,
            by: Some(c.user.id.clone()),
        })
    })
    .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(super::public::Proposed { code }),
    ))
}

/// Decides on one proposal (appended again if someone appended
/// meanwhile) and answers it as the public sees it.
async fn on_proposal(
    acc: &Accounts,
    code: &str,
    f: impl FnMut(&Process) -> ApiResult<ProcessEvent>,
) -> ApiResult<Json<PublicProposal>> {
    let p = decide(acc, f).await?;
    let x = p.proposal(code).ok_or(ProcessError::NoSuchProposal)?;
    Ok(Json(public_view(x)))
}

fn known(p: &Process, code: &str) -> ApiResult<()> {
    p.proposal(code)
        .map(|_| ())
        .ok_or_else(|| ProcessError::NoSuchProposal.into())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HideBody {
    pub reason: String,
}

/// Hides a proposal from the public (the secretariat), with the reason.
#[utoipa::path(post, path = "/api/proposals/{code}/hide", request_body = HideBody,
    responses((status = 200, body = PublicProposal), (status = 403, body = ErrorBody)))]
pub async fn hide(
    Writer { acc, who: c }: Writer,
    Path(code): Path<String>,
    Body(b): Body<HideBody>,
) -> ApiResult<Json<PublicProposal>> {
    rules::check_secretariat(&who(&acc, &c))?;
    let reason = b.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(ApiError::new(
            ErrorCode::ReasonNeeded,
            "hiding needs a reason",
        ));
    }
    on_proposal(&acc, &code, |p| {
        known(p, &code)?;
        Ok(ProcessEvent::Hidden {
            code: code.clone(),
            reason: reason.clone(),
            stamp: stamp(&c),
        })
    })
    .await
}

/// Shows a hidden proposal again (the secretariat).
#[utoipa::path(post, path = "/api/proposals/{code}/show",
    responses((status = 200, body = PublicProposal), (status = 403, body = ErrorBody)))]
pub async fn show(
    Writer { acc, who: c }: Writer,
    Path(code): Path<String>,
) -> ApiResult<Json<PublicProposal>> {
    rules::check_secretariat(&who(&acc, &c))?;
    on_proposal(&acc, &code, |p| {
        known(p, &code)?;
        Ok(ProcessEvent::Shown {
            code: code.clone(),
            stamp: stamp(&c),
        })
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    pub group: String,
    /// A card of the group (`automerge:` URL); none: a new commitment.
    pub card: Option<String>,
}

/// Assigns a proposal to a thematic group and a card or a new commitment.
#[utoipa::path(post, path = "/api/proposals/{code}/assign", request_body = AssignBody,
    responses((status = 200, body = PublicProposal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn assign(
    Writer { acc, who: c }: Writer,
    Path(code): Path<String>,
    Body(b): Body<AssignBody>,
) -> ApiResult<Json<PublicProposal>> {
    rules::check_secretariat(&who(&acc, &c))?;
    if !codraft_schema::workspace::GROUPS.contains(&b.group.as_str()) {
        return Err(ProcessError::NoSuchGroup.into());
    }
    let card = match b.card.as_deref().filter(|s| !s.is_empty()) {
        Some(url) => {
            let id = url
                .parse::<codraft_protocol::DocumentId>()
                .or_else(|_| codraft_protocol::DocumentId::from_url(url))
                .map_err(|_| ApiError::not_found("no such card"))?;
            if acc.group_of(&id).as_deref() != Some(b.group.as_str()) {
                return Err(ApiError::not_found("no such card in the group"));
            }
            Some(id.to_url())
        }
        None => None,
    };
    on_proposal(&acc, &code, |p| {
        known(p, &code)?;
        Ok(ProcessEvent::Assigned {
            code: code.clone(),
            group: b.group.clone(),
            card: card.clone(),
            stamp: stamp(&c),
        })
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DuplicateBody {
    pub of: String,
}

/// Marks a proposal as a duplicate of another (merged into it).
#[utoipa::path(post, path = "/api/proposals/{code}/duplicate", request_body = DuplicateBody,
    responses((status = 200, body = PublicProposal), (status = 404, body = ErrorBody)))]
pub async fn duplicate(
    Writer { acc, who: c }: Writer,
    Path(code): Path<String>,
    Body(b): Body<DuplicateBody>,
) -> ApiResult<Json<PublicProposal>> {
    rules::check_secretariat(&who(&acc, &c))?;
    on_proposal(&acc, &code, |p| {
        known(p, &code)?;
        known(p, &b.of)?;
        if b.of == code {
            return Err(ApiError::bad_request("a proposal is not its own duplicate"));
        }
        Ok(ProcessEvent::Duplicate {
            code: code.clone(),
            of: b.of.clone(),
            stamp: stamp(&c),
        })
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RespondBody {
    pub decision: Decision,
    /// Arabic and French required; Amazigh welcome.
    pub reason: crate::meetings::Titles,
}

/// The reasoned response (the assigned group's co-coordinators): published
/// on the proposal's public page.
#[utoipa::path(post, path = "/api/proposals/{code}/respond", request_body = RespondBody,
    responses((status = 200, body = PublicProposal), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn respond(
    Writer { acc, who: c }: Writer,
    Path(code): Path<String>,
    Body(b): Body<RespondBody>,
) -> ApiResult<Json<PublicProposal>> {
    let w = who(&acc, &c);
    on_proposal(&acc, &code, |p| {
        let x = p.proposal(&code).ok_or(ProcessError::NoSuchProposal)?;
        rules::check_response(
            x,
            &w,
            |g| acc.role(g, &c.user.id) == Some(Role::CoCoordinator),
            &b.reason,
        )?;
        Ok(ProcessEvent::Responded {
            code: code.clone(),
            response: Response {
                decision: b.decision,
                reason: b.reason.clone(),
                stamp: stamp(&c),
            },
        })
    })
    .await
}

/// Sets a phase of the timeline (the secretariat).
#[utoipa::path(put, path = "/api/timeline/{index}", request_body = PhaseBody,
    responses((status = 200, body = Vec<PhaseView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn set_phase(
    Writer { acc, who: c }: Writer,
    Path(index): Path<usize>,
    Body(b): Body<PhaseBody>,
) -> ApiResult<Json<Vec<PhaseView>>> {
    rules::check_secretariat(&who(&acc, &c))?;
    let phase = Phase {
        title: b.title,
        start: b.start.trim().to_owned(),
        end: b.end.trim().to_owned(),
    };
    rules::check_phase(&phase)?;
    let p = decide(&acc, |p| {
        if index > p.phases.len() || index >= 12 {
            return Err(ApiError::not_found("no such phase"));
        }
        Ok(ProcessEvent::Phase {
            index,
            phase: phase.clone(),
            by: c.user.id.clone(),
            at_ms: crate::clock::now_ms(),
        })
    })
    .await?;
    Ok(Json(super::public::phases(&p)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConsultationBody {
    /// The last day (ISO); none closes it.
    pub until: Option<String>,
}

/// Opens the public consultation on the draft plan until a date, or
/// closes it (the secretariat): meanwhile anyone comments on the
/// published cards, and the comments enter the proposals.
#[utoipa::path(post, path = "/api/consultation", request_body = ConsultationBody,
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn set_consultation(
    Writer { acc, who: c }: Writer,
    Body(b): Body<ConsultationBody>,
) -> ApiResult<Json<serde_json::Value>> {
    rules::check_secretariat(&who(&acc, &c))?;
    let until = b
        .until
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty());
    if until
        .as_deref()
        .is_some_and(|u| crate::meetings::parse_date(u).is_none())
    {
        return Err(ProcessError::DateNeeded.into());
    }
    let p = decide(&acc, |_| {
        Ok(ProcessEvent::Consultation {
            until: until.clone(),
            by: c.user.id.clone(),
            at_ms: crate::clock::now_ms(),
        })
    })
    .await?;
    Ok(Json(serde_json::json!({ "until": p.consultation })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ImportBody {
    /// A CSV file's text: a header row (`text` required; `region`,
    /// `theme`, `lang`, `name`, `organisation`), one proposal per row.
    pub csv: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Imported {
    pub codes: Vec<String>,
}

/// Imports a regional consultation's proposals from CSV (the
/// secretariat): all rows or, on a bad row, none (the error names it).
#[utoipa::path(post, path = "/api/proposals/import", request_body = ImportBody,
    responses((status = 200, body = Imported), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn import(
    Writer { acc, who: c }: Writer,
    Body(b): Body<ImportBody>,
) -> ApiResult<Json<Imported>> {
    rules::check_secretariat(&who(&acc, &c))?;
    let subs = rules::from_csv(&b.csv)?;
    let mut codes = Vec::new();
    let at_ms = crate::clock::now_ms();
    for s in subs {
        let code = crate::process::new_code();
        decide(&acc, |_| {
            Ok(ProcessEvent::Submitted {
                code: code.clone(),
                source: Source::Consultation,
                submission: s.clone(),
                at_ms,
                by: Some(c.user.id.clone()),
            })
        })
        .await?;
        codes.push(code);
    }
    Ok(Json(Imported { codes }))
}
