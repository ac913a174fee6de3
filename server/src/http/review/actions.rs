//! The actions that change a card's review: each checks the rules against
//! the review log as it is, then appends its event (again if someone else
//! appended in between).

use codraft_schema::review::restore::{RestoreError, Scope};

use super::points::{self, unknown_heads};
use super::*;
use crate::http::extract::Writer;

/// Approves the version `heads` (a co-coordinator, in group review). With
/// the other sector's standing approval of the same version, the card is
/// validated.
#[utoipa::path(post, path = "/api/documents/{doc}/approve", request_body = ApproveBody,
    responses((status = 200, body = Done), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(doc): Path<String>,
    Body(b): Body<ApproveBody>,
) -> ApiResult<Json<Done>> {
    let c = ctx(&acc, who, &doc).await?;
    let id = c.info.id;
    let f = facts(&hub, id).await?;
    let mut validates = false;
    let (state, event) = decide(&acc, id, |s| {
        validates = workflow::check_approval(s, &c.actor, &b.heads, &f.heads, f.missing)?;
        Ok(ReviewEvent::Approved {
            stamp: stamp(&c.who, b.heads.clone()),
        })
    })
    .await?;
    if !validates {
        return Ok(Json(Done {
            stage: state.stage,
            event: Some(event),
            changes: Vec::new(),
        }));
    }
    let (state, event) = decide(&acc, id, |s| {
        // Still two standing approvals of the current version?
        if s.stage != Stage::GroupReview {
            return Err(workflow::ReviewError::NotInReview {
                stage: s.stage.as_str(),
            }
            .into());
        }
        Ok(ReviewEvent::Transition {
            from: Stage::GroupReview,
            to: Stage::Validated,
            stamp: stamp(&c.who, b.heads.clone()),
            reason: None,
        })
    })
    .await?;
    // The text is locked now; a change that arrived between the check and
    // the lock means what was approved is not what is there: back to review.
    let after = facts(&hub, id).await?;
    if !crate::review::same_heads(&after.heads, &b.heads) {
        let (state, event) = decide(&acc, id, |_| {
            Ok(ReviewEvent::Transition {
                from: Stage::Validated,
                to: Stage::GroupReview,
                stamp: stamp(&c.who, after.heads.clone()),
                reason: Some("changed while being validated".into()),
            })
        })
        .await?;
        return Ok(Json(Done {
            stage: state.stage,
            event: Some(event),
            changes: Vec::new(),
        }));
    }
    Ok(Json(Done {
        stage: state.stage,
        event: Some(event),
        changes: Vec::new(),
    }))
}

/// Withdraws the caller's approval.
#[utoipa::path(post, path = "/api/documents/{doc}/withdraw",
    responses((status = 200, body = Done), (status = 409, body = ErrorBody)))]
pub async fn withdraw(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(doc): Path<String>,
) -> ApiResult<Json<Done>> {
    let c = ctx(&acc, who, &doc).await?;
    record(&hub, &acc, &c, |s, f| {
        workflow::check_withdrawal(s, &c.actor)?;
        Ok(ReviewEvent::Withdrawn {
            stamp: stamp(&c.who, f.heads.clone()),
        })
    })
    .await
}

/// Moves the card to another stage (see the rules); back to draft needs a
/// reason. Validation comes only from approvals.
#[utoipa::path(post, path = "/api/documents/{doc}/transition", request_body = TransitionBody,
    responses((status = 200, body = Done), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn transition(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(doc): Path<String>,
    Body(b): Body<TransitionBody>,
) -> ApiResult<Json<Done>> {
    let c = ctx(&acc, who, &doc).await?;
    reject_observers(&c)?;
    let reason = b.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 2000) {
        return Err(ApiError::new(ErrorCode::TooLong, "at most 2000 characters").with("max", 2000));
    }
    record(&hub, &acc, &c, |s, f| {
        workflow::check_transition(s, &c.actor, b.to, reason)?;
        Ok(ReviewEvent::Transition {
            from: s.stage,
            to: b.to,
            stamp: stamp(&c.who, f.heads.clone()),
            reason: reason.map(str::to_owned),
        })
    })
    .await
}

/// Names the card's current state (co-coordinators).
#[utoipa::path(post, path = "/api/documents/{doc}/versions", request_body = VersionBody,
    responses((status = 200, body = Done), (status = 403, body = ErrorBody)))]
pub async fn name_version(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(doc): Path<String>,
    Body(b): Body<VersionBody>,
) -> ApiResult<Json<Done>> {
    let c = ctx(&acc, who, &doc).await?;
    workflow::check_coordinator(&c.actor)?;
    let name = b.name.trim().to_owned();
    if name.is_empty() {
        return Err(ApiError::new(
            ErrorCode::NameAndEmailNeeded,
            "a version needs a name",
        ));
    }
    if name.chars().count() > 200 {
        return Err(ApiError::new(ErrorCode::TooLong, "at most 200 characters").with("max", 200));
    }
    let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    record(&hub, &acc, &c, |_, f| {
        Ok(ReviewEvent::Version {
            id: id.clone(),
            name: name.clone(),
            stamp: stamp(&c.who, f.heads.clone()),
        })
    })
    .await
}

/// Marks everything up to now as reviewed by the caller (co-coordinators).
#[utoipa::path(post, path = "/api/documents/{doc}/reviewed",
    responses((status = 200, body = Done), (status = 403, body = ErrorBody)))]
pub async fn mark_reviewed(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(doc): Path<String>,
) -> ApiResult<Json<Done>> {
    let c = ctx(&acc, who, &doc).await?;
    workflow::check_coordinator(&c.actor)?;
    record(&hub, &acc, &c, |_, f| {
        Ok(ReviewEvent::Reviewed {
            stamp: stamp(&c.who, f.heads.clone()),
        })
    })
    .await
}

/// Sets one language's text status (co-coordinators, before validation).
#[utoipa::path(post, path = "/api/documents/{doc}/text-status", request_body = TextStatusBody,
    responses((status = 200, body = Done), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_text_status(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(doc): Path<String>,
    Body(b): Body<TextStatusBody>,
) -> ApiResult<Json<Done>> {
    let c = ctx(&acc, who, &doc).await?;
    workflow::check_coordinator(&c.actor)?;
    let known = b.field.split_once('/').is_some_and(|(s, l)| {
        codraft_schema::card::TEXT_SECTIONS.contains(&s) && codraft_schema::Lang::parse(l).is_some()
    });
    if !known {
        return Err(
            ApiError::new(ErrorCode::NoSuchField, format!("no text {:?}", b.field))
                .with("field", b.field.clone()),
        );
    }
    record(&hub, &acc, &c, |s, f| {
        workflow::check_unlocked(s)?;
        Ok(ReviewEvent::TextStatus {
            field: b.field.clone(),
            status: b.status,
            stamp: stamp(&c.who, f.heads.clone()),
        })
    })
    .await
}

/// Restores the card, a field or a row to how it was at a point, as a new
/// change by the caller (members and co-coordinators, before validation).
#[utoipa::path(post, path = "/api/documents/{doc}/restore", request_body = RestoreBody,
    responses((status = 200, body = Done), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn restore(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(doc): Path<String>,
    Body(b): Body<RestoreBody>,
) -> ApiResult<Json<Done>> {
    let c = ctx(&acc, who, &doc).await?;
    let state = acc.review_state(c.info.id).await?;
    workflow::check_unlocked(&state)?;
    if c.access != Access::ReadWrite {
        return Err(
            ApiError::forbidden("only the group's members and co-coordinators restore")
                .with("who", "writers"),
        );
    }
    let scope = match (b.scope.as_str(), b.field.clone()) {
        ("card", _) => Scope::Card,
        ("field", Some(f)) => Scope::Field(f),
        ("row", Some(f)) => Scope::Row(f),
        _ => {
            return Err(ApiError::bad_request(
                "scope: card, or field or row with a field",
            ));
        }
    };
    let point = points::parse(&acc, c.info.id, &state, &c.who.user.id, &b.at).await?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let now = crate::clock::now_ms();
    let changes = crate::hub::actor::edit(&hub, c.info.id, &c.who.user.id, move |d| {
        let r = point
            .heads(d)
            .map_err(RestoreError::UnknownHeads)
            .and_then(|heads| {
                codraft_schema::review::restore::restore(
                    d,
                    &heads,
                    &scope,
                    &codraft_schema::edit::Commit::at(now),
                )
            });
        let _ = tx.send(r);
    })
    .await?;
    match rx.await.map_err(|_| crate::hub::JobError::Failed)? {
        Ok(_) => {}
        Err(RestoreError::UnknownHeads(h)) => return Err(unknown_heads(h)),
        Err(RestoreError::NoSuchField(f) | RestoreError::NoSuchRow(f)) => {
            return Err(
                ApiError::new(ErrorCode::NoSuchField, format!("no {f} to restore"))
                    .with("field", f),
            );
        }
        Err(RestoreError::Edit(e)) => return Err(ApiError::bad_request(e.to_string())),
    }
    Ok(Json(Done {
        stage: state.stage,
        event: None,
        changes,
    }))
}
