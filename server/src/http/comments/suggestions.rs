//! Deciding on a suggestion: accepting applies it to the card as a change
//! of its author's (the audit log says so, and that it was accepted by
//! whoever accepted); rejecting keeps the card as it is. Either is
//! recorded in the thread, and the author is told.

use codraft_schema::comments::{Status, write as w};
use codraft_schema::edit::Commit;
use codraft_schema::review::summary::AcceptedBy;

use super::*;
use crate::hub::actor::edit_accepted;

async fn decide(
    hub: &Arc<Hub>,
    acc: &Accounts,
    c: &Ctx,
    thread: &str,
    accept: bool,
) -> ApiResult<ThreadView> {
    let t = stored(hub, c, thread).await?;
    c.me.may_decide(&t, accept)?;
    if accept {
        let outcome: Arc<Mutex<Option<Result<(), AnchorError>>>> = Arc::new(Mutex::new(None));
        let slot = outcome.clone();
        let (anchor, text) = (t.anchor.clone(), t.replacement.clone());
        let by = AcceptedBy {
            id: c.who.user.id.clone(),
            name: c.who.user.name.clone(),
        };
        edit_accepted(hub, c.info.id, &t.author.id, Some(by), move |card| {
            let r =
                comments::anchor::apply(card, &anchor, &text, &Commit::at(crate::clock::now_ms()));
            *slot.lock().unwrap() = Some(r);
        })
        .await?;
        let r = outcome.lock().unwrap().take();
        r.unwrap_or(Err(AnchorError::Orphaned))?;
    }
    let status = if accept {
        Status::Accepted
    } else {
        Status::Rejected
    };
    let (id, by) = (thread.to_owned(), c.person());
    write(hub, c, move |d| {
        w::set_status(d, &id, status, &by, &Commit::at(crate::clock::now_ms()))
            .map_err(ApiError::from)
    })
    .await?;
    let kind = if accept {
        NoteKind::SuggestionAccepted
    } else {
        NoteKind::SuggestionRejected
    };
    acc.tell([t.author.id.clone()], &c.note(kind, thread, &t.replacement))
        .await;
    view_of(hub, c, thread).await
}

/// Applies a suggestion to the card (a co-coordinator, or its author),
/// if its passage still reads as it did: `409 suggestion_stale` if it
/// changed meanwhile, `409 passage_deleted` if it is gone.
#[utoipa::path(post, path = "/api/documents/{doc}/comments/{thread}/accept",
    responses((status = 200, body = ThreadView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn accept(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path((doc, thread)): Path<(String, String)>,
) -> ApiResult<Json<ThreadView>> {
    let c = ctx(&acc, who, &doc).await?;
    Ok(Json(decide(&hub, &acc, &c, &thread, true).await?))
}

/// Turns a suggestion down (a co-coordinator), or withdraws it (its
/// author).
#[utoipa::path(post, path = "/api/documents/{doc}/comments/{thread}/reject",
    responses((status = 200, body = ThreadView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn reject(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path((doc, thread)): Path<(String, String)>,
) -> ApiResult<Json<ThreadView>> {
    let c = ctx(&acc, who, &doc).await?;
    Ok(Json(decide(&hub, &acc, &c, &thread, false).await?))
}
