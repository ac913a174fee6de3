//! Scoring rounds over the API: the secretariat opens a round (the
//! default grid, or its own) and closes it; the steering committee's
//! members score each proposal individually and blind — every answer
//! carries only the caller's own scores while the round is open; the
//! results (weighted means, spread, sectors, disagreement, stale scores)
//! only once it closed.

use std::collections::BTreeMap;

use axum::extract::Path;

use super::*;
use crate::http::extract::{Caller, Writer};
use crate::process::scoring::{self, Grid, Score};

fn committee_writer(acc: &Accounts, c: &crate::directory::Credential) -> bool {
    acc.role(codraft_schema::workspace::STEERING_COMMITTEE, &c.user.id)
        .is_some_and(crate::directory::Role::writes)
}

fn runs(acc: &Accounts, c: &crate::directory::Credential) -> bool {
    c.user.admin || acc.is_secretariat(&c.user.id)
}

fn readers_only(acc: &Accounts, c: &crate::directory::Credential) -> ApiResult<()> {
    let member = acc
        .role(codraft_schema::workspace::STEERING_COMMITTEE, &c.user.id)
        .is_some();
    if member || runs(acc, c) {
        Ok(())
    } else {
        Err(
            ApiError::new(ErrorCode::Forbidden, "the steering committee scores")
                .with("who", "committee"),
        )
    }
}

/// A round as one member sees it: the grid, the proposals to score, and
/// their own scores only.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundView {
    pub id: String,
    pub name: String,
    pub grid: Grid,
    pub open: bool,
    /// The proposals to score (visible, not duplicates), newest first.
    pub proposals: Vec<PublicProposal>,
    /// The caller's own scores, by proposal code.
    pub mine: BTreeMap<String, Score>,
    /// The caller's own scores that predate a change of the proposal.
    pub stale: Vec<String>,
    pub can_score: bool,
    pub can_close: bool,
}

fn view(
    p: &Process,
    r: &scoring::Round,
    user: &str,
    can_score: bool,
    can_close: bool,
) -> RoundView {
    let mine: BTreeMap<String, Score> = r
        .scores
        .iter()
        .filter_map(|(code, by)| by.get(user).map(|s| (code.clone(), s.clone())))
        .collect();
    let stale = mine
        .iter()
        .filter(|(code, s)| p.proposal(code).is_some_and(|x| x.rev != s.proposal_rev))
        .map(|(c, _)| c.clone())
        .collect();
    RoundView {
        id: r.id.clone(),
        name: r.name.clone(),
        grid: r.grid.clone(),
        open: r.open,
        proposals: p
            .proposals
            .iter()
            .rev()
            .filter(|x| x.hidden.is_none() && x.duplicate_of.is_none())
            .map(public_view)
            .collect(),
        mine,
        stale,
        can_score: r.open && can_score,
        can_close: r.open && can_close,
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenRound {
    pub name: String,
    /// The default grid (OGP gates and weighted criteria) when absent.
    pub grid: Option<Grid>,
}

/// Opens a scoring round (the secretariat).
#[utoipa::path(post, path = "/api/rounds", request_body = OpenRound,
    responses((status = 201, body = RoundView), (status = 403, body = ErrorBody)))]
pub async fn open_round(
    Writer { acc, who: c }: Writer,
    Body(b): Body<OpenRound>,
) -> ApiResult<(axum::http::StatusCode, Json<RoundView>)> {
    if !runs(&acc, &c) {
        return Err(ProcessError::Forbidden { who: "secretariat" }.into());
    }
    let grid = b.grid.unwrap_or_else(scoring::default_grid);
    if grid.criteria.is_empty() || grid.criteria.len() > 20 || grid.gates.len() > 20 {
        return Err(ApiError::bad_request(
            "a grid has 1 to 20 criteria and at most 20 gates",
        ));
    }
    let id = crate::process::new_code();
    let p = decide(&acc, |_| {
        Ok(ProcessEvent::RoundOpened {
            id: id.clone(),
            name: b.name.trim().to_owned(),
            grid: grid.clone(),
            by: c.user.id.clone(),
            at_ms: crate::clock::now_ms(),
        })
    })
    .await?;
    let r = p.rounds.iter().find(|r| r.id == id).expect("opened");
    Ok((
        axum::http::StatusCode::CREATED,
        Json(view(&p, r, &c.user.id, committee_writer(&acc, &c), true)),
    ))
}

/// The rounds, each with the caller's own scores only.
#[utoipa::path(get, path = "/api/rounds", responses((status = 200, body = Vec<RoundView>), (status = 403, body = ErrorBody)))]
pub async fn rounds(Caller { acc, who: c }: Caller) -> ApiResult<Json<Vec<RoundView>>> {
    readers_only(&acc, &c)?;
    let p = acc.process().await?;
    let (score, close) = (committee_writer(&acc, &c), runs(&acc, &c));
    Ok(Json(
        p.rounds
            .iter()
            .rev()
            .map(|r| view(&p, r, &c.user.id, score, close))
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ScoreBody {
    pub gates: Vec<bool>,
    pub scores: Vec<u8>,
}

fn round_of<'a>(p: &'a Process, id: &str) -> ApiResult<&'a scoring::Round> {
    p.rounds
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| ApiError::new(ErrorCode::NoSuchRound, "no such scoring round"))
}

/// The caller's score of a proposal (a member of the committee, while the
/// round is open); scoring again replaces it.
#[utoipa::path(put, path = "/api/rounds/{round}/scores/{code}", request_body = ScoreBody,
    responses((status = 200, body = RoundView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn score(
    Writer { acc, who: c }: Writer,
    Path((round, code)): Path<(String, String)>,
    Body(b): Body<ScoreBody>,
) -> ApiResult<Json<RoundView>> {
    if !committee_writer(&acc, &c) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "the steering committee's members score",
        )
        .with("who", "committee"));
    }
    let p = decide(&acc, |p| {
        let r = round_of(p, &round)?;
        if !r.open {
            return Err(ApiError::new(ErrorCode::RoundClosed, "the round is closed"));
        }
        let x = p
            .proposal(&code)
            .filter(|x| x.hidden.is_none() && x.duplicate_of.is_none())
            .ok_or(ProcessError::NoSuchProposal)?;
        if !scoring::valid(&r.grid, &b.gates, &b.scores) {
            return Err(ApiError::new(
                ErrorCode::BadScore,
                "one answer per gate and a score of 0 to 4 per criterion",
            )
            .with("gates", r.grid.gates.len())
            .with("criteria", r.grid.criteria.len()));
        }
        Ok(ProcessEvent::Scored {
            round: round.clone(),
            code: code.clone(),
            score: Score {
                by: c.user.id.clone(),
                sector: c.user.sector,
                gates: b.gates.clone(),
                scores: b.scores.clone(),
                at_ms: crate::clock::now_ms(),
                proposal_rev: x.rev,
            },
        })
    })
    .await?;
    let r = round_of(&p, &round)?;
    Ok(Json(view(&p, r, &c.user.id, true, runs(&acc, &c))))
}

/// Closes a round (the secretariat): its results become readable.
#[utoipa::path(post, path = "/api/rounds/{round}/close",
    responses((status = 200, body = Vec<scoring::Result>), (status = 403, body = ErrorBody)))]
pub async fn close_round(
    Writer { acc, who: c }: Writer,
    Path(round): Path<String>,
) -> ApiResult<Json<Vec<scoring::Result>>> {
    if !runs(&acc, &c) {
        return Err(ProcessError::Forbidden { who: "secretariat" }.into());
    }
    let p = decide(&acc, |p| {
        let r = round_of(p, &round)?;
        if !r.open {
            return Err(ApiError::new(ErrorCode::RoundClosed, "the round is closed"));
        }
        Ok(ProcessEvent::RoundClosed {
            id: round.clone(),
            by: c.user.id.clone(),
            at_ms: crate::clock::now_ms(),
        })
    })
    .await?;
    Ok(Json(results_of(&p, round_of(&p, &round)?)))
}

fn results_of(p: &Process, r: &scoring::Round) -> Vec<scoring::Result> {
    r.scores
        .iter()
        .map(|(code, s)| scoring::result(&r.grid, code, s, p.proposal(code).map_or(0, |x| x.rev)))
        .collect()
}

/// A closed round's results; refused while it is open (scores are blind).
#[utoipa::path(get, path = "/api/rounds/{round}/results",
    responses((status = 200, body = Vec<scoring::Result>), (status = 409, body = ErrorBody)))]
pub async fn results(
    Caller { acc, who: c }: Caller,
    Path(round): Path<String>,
) -> ApiResult<Json<Vec<scoring::Result>>> {
    readers_only(&acc, &c)?;
    let p = acc.process().await?;
    let r = round_of(&p, &round)?;
    if r.open {
        return Err(ApiError::new(
            ErrorCode::RoundOpen,
            "scores stay blind until the round closes",
        ));
    }
    Ok(Json(results_of(&p, r)))
}
