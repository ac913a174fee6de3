//! Opening threads, replies, one's own edits and deletions, resolving and
//! reopening.

use codraft_schema::comments::{AnchorKind, Comment, Status, ThreadKind, write as w};
use codraft_schema::edit::Commit;

use super::*;

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnchorBody {
    /// `text` (a passage: `start`..`end` in UTF-16 units of the field's
    /// text as it is now), `field` or `row` (`field` names the row:
    /// `activities/2`).
    pub kind: AnchorKind,
    /// `summary/ar`, `activities/0/title`, `budget/amount`, `activities/2`.
    pub field: String,
    #[serde(default)]
    pub start: Option<usize>,
    #[serde(default)]
    pub end: Option<usize>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewThread {
    pub anchor: AnchorBody,
    /// The first comment (may be empty for a suggestion).
    #[serde(default)]
    pub body: String,
    /// Makes the thread a suggestion: the text proposed instead of the
    /// passage (empty: delete it).
    #[serde(default)]
    pub replacement: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentBody {
    pub body: String,
}

/// Tells the group's webhooks of a new comment (the opening one of
/// `opened`, or a reply).
async fn fire(acc: &Accounts, c: &Ctx, thread: &str, comment: &Comment, opened: Option<&Thread>) {
    let data = serde_json::json!({
        "thread": thread,
        "comment": comment.id,
        "author": comment.author,
        "body": comment.body,
        "kind": opened.map(|t| t.kind),
        "quote": opened.map(|t| &t.anchor.quote),
        "replacement": opened.map(|t| &t.replacement),
        "field": opened.map(|t| &t.anchor.field),
    });
    acc.fire(&c.info.id, crate::hooks::HookEvent::Comment, data)
        .await;
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn commit() -> Commit {
    Commit::at(crate::clock::now_ms())
}

/// Opens a thread (a comment, or with `replacement` a suggestion) on a
/// passage, a field or a row. Comments: every reader of the card;
/// suggestions: its members and co-coordinators, on a card not locked.
#[utoipa::path(post, path = "/api/documents/{doc}/comments", request_body = NewThread,
    responses((status = 201, body = ThreadView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn open_thread(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(doc): Path<String>,
    Body(b): Body<NewThread>,
) -> ApiResult<(axum::http::StatusCode, Json<ThreadView>)> {
    let c = ctx(&acc, who, &doc).await?;
    let kind = if b.replacement.is_some() {
        c.me.may_suggest()?;
        ThreadKind::Suggestion
    } else {
        c.me.may_comment()?;
        ThreadKind::Comment
    };
    let text = body_text(&b.body, kind == ThreadKind::Suggestion)?;
    let replacement = match &b.replacement {
        Some(r) if r.chars().count() > comments::MAX_BODY => {
            return Err(
                ApiError::new(ErrorCode::TooLong, "the suggested text is too long")
                    .with("max", comments::MAX_BODY),
            );
        }
        Some(r) => r.clone(),
        None => String::new(),
    };
    if kind == ThreadKind::Suggestion && b.anchor.kind != AnchorKind::Text {
        return Err(ApiError::new(
            ErrorCode::BadAnchor,
            "a suggestion replaces a passage of a text",
        )
        .with("why", "not_text"));
    }
    let mentions = mentions(&acc, &c, &text).await?;
    let a = b.anchor;
    let anchor = read(&hub, c.info.id, move |card| match a.kind {
        AnchorKind::Text => {
            comments::anchor::text(card, &a.field, a.start.unwrap_or(0), a.end.unwrap_or(0))
        }
        AnchorKind::Field => comments::anchor::field(card, &a.field),
        AnchorKind::Row => comments::anchor::row(card, &a.field),
    })
    .await??;
    if kind == ThreadKind::Suggestion && anchor.quote == replacement {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "the suggestion changes nothing",
        ));
    }
    let now = crate::clock::now_ms();
    let thread = Thread {
        id: new_id(),
        kind,
        anchor,
        replacement,
        status: Status::Open,
        author: c.person(),
        created_ms: now,
        decided_by: None,
        decided_ms: None,
        comments: vec![Comment {
            id: new_id(),
            author: c.person(),
            body: text.clone(),
            created_ms: now,
            edited_ms: None,
            deleted: false,
            mentions: mentions.clone(),
        }],
    };
    let t = thread.clone();
    write(&hub, &c, move |d| {
        if comments::threads(d).len() >= comments::MAX_THREADS {
            return Err(
                ApiError::new(ErrorCode::TooManyThreads, "this card has too many threads")
                    .with("max", comments::MAX_THREADS),
            );
        }
        w::add_thread(d, &t, &commit()).map_err(ApiError::from)
    })
    .await?;
    acc.tell(mentions, &c.note(NoteKind::Mentioned, &thread.id, &text))
        .await;
    fire(&acc, &c, &thread.id, &thread.comments[0], Some(&thread)).await;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(view_of(&hub, &c, &thread.id).await?),
    ))
}

/// Replies in a thread (every reader). Its author and those who took part
/// are told, and those mentioned.
#[utoipa::path(post, path = "/api/documents/{doc}/comments/{thread}/replies", request_body = CommentBody,
    responses((status = 201, body = ThreadView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reply(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path((doc, thread)): Path<(String, String)>,
    Body(b): Body<CommentBody>,
) -> ApiResult<(axum::http::StatusCode, Json<ThreadView>)> {
    let c = ctx(&acc, who, &doc).await?;
    c.me.may_comment()?;
    let text = body_text(&b.body, false)?;
    let mentions = mentions(&acc, &c, &text).await?;
    let before = stored(&hub, &c, &thread).await?;
    let comment = Comment {
        id: new_id(),
        author: c.person(),
        body: text.clone(),
        created_ms: crate::clock::now_ms(),
        edited_ms: None,
        deleted: false,
        mentions: mentions.clone(),
    };
    let posted = comment.clone();
    let id = thread.clone();
    write(&hub, &c, move |d| {
        let n = comments::thread(d, &id)
            .map(|t| t.comments.len())
            .unwrap_or(0);
        if n >= comments::MAX_COMMENTS {
            return Err(ApiError::new(
                ErrorCode::TooManyThreads,
                "this thread has too many comments",
            )
            .with("max", comments::MAX_COMMENTS));
        }
        w::add_comment(d, &id, &comment, &commit()).map_err(ApiError::from)
    })
    .await?;
    let took_part: Vec<String> = before
        .comments
        .iter()
        .map(|x| x.author.id.clone())
        .chain([before.author.id.clone()])
        .filter(|u| !mentions.contains(u))
        .collect();
    acc.tell(took_part, &c.note(NoteKind::Replied, &thread, &text))
        .await;
    acc.tell(mentions, &c.note(NoteKind::Mentioned, &thread, &text))
        .await;
    fire(&acc, &c, &thread, &posted, None).await;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(view_of(&hub, &c, &thread).await?),
    ))
}

async fn change_own(
    hub: &Arc<Hub>,
    acc: &Accounts,
    c: &Ctx,
    thread: &str,
    comment: &str,
    body: Option<String>,
) -> ApiResult<ThreadView> {
    let t = stored(hub, c, thread).await?;
    let Some(old) = t.comments.iter().find(|x| x.id == comment) else {
        return Err(ApiError::new(
            ErrorCode::NoSuchComment,
            format!("no comment {comment}"),
        ));
    };
    c.me.may_change(&old.author.id)?;
    if old.deleted {
        return Err(ApiError::new(
            ErrorCode::NoSuchComment,
            "that comment was deleted",
        ));
    }
    let mentions = match &body {
        Some(b) => super::mentions(acc, c, b).await?,
        None => Vec::new(),
    };
    let (id, cid) = (thread.to_owned(), comment.to_owned());
    let ms = mentions.clone();
    write(hub, c, move |d| {
        w::set_body(
            d,
            &id,
            &cid,
            body.as_deref().map(|b| (b, ms.as_slice())),
            &commit(),
        )
        .map_err(ApiError::from)
    })
    .await?;
    // Only those newly mentioned are told.
    let new: Vec<String> = mentions
        .into_iter()
        .filter(|m| !old.mentions.contains(m))
        .collect();
    if !new.is_empty() {
        acc.tell(new, &c.note(NoteKind::Mentioned, thread, &old.body))
            .await;
    }
    view_of(hub, c, thread).await
}

/// Changes one's own comment.
#[utoipa::path(patch, path = "/api/documents/{doc}/comments/{thread}/comments/{comment}", request_body = CommentBody,
    responses((status = 200, body = ThreadView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn edit_comment(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path((doc, thread, comment)): Path<(String, String, String)>,
    Body(b): Body<CommentBody>,
) -> ApiResult<Json<ThreadView>> {
    let c = ctx(&acc, who, &doc).await?;
    let text = body_text(&b.body, false)?;
    Ok(Json(
        change_own(&hub, &acc, &c, &thread, &comment, Some(text)).await?,
    ))
}

/// Deletes one's own comment (its words are cleared; the thread stays).
#[utoipa::path(delete, path = "/api/documents/{doc}/comments/{thread}/comments/{comment}",
    responses((status = 200, body = ThreadView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_comment(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path((doc, thread, comment)): Path<(String, String, String)>,
) -> ApiResult<Json<ThreadView>> {
    let c = ctx(&acc, who, &doc).await?;
    Ok(Json(
        change_own(&hub, &acc, &c, &thread, &comment, None).await?,
    ))
}

/// Resolves or reopens a thread (the group's members and co-coordinators,
/// and the thread's author). A suggestion is decided instead.
#[utoipa::path(post, path = "/api/documents/{doc}/comments/{thread}/status", request_body = StatusBody,
    responses((status = 200, body = ThreadView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_status(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path((doc, thread)): Path<(String, String)>,
    Body(b): Body<StatusBody>,
) -> ApiResult<Json<ThreadView>> {
    let c = ctx(&acc, who, &doc).await?;
    let t = stored(&hub, &c, &thread).await?;
    c.me.may_resolve(&t.author.id)?;
    if !matches!(b.status, Status::Open | Status::Resolved) {
        return Err(ApiError::bad_request(
            "a thread is resolved or reopened (open)",
        ));
    }
    if t.kind == ThreadKind::Suggestion && t.status != Status::Open {
        return Err(CommentRule::Decided(t.status.as_str()).into());
    }
    if t.kind == ThreadKind::Suggestion && b.status == Status::Resolved {
        return Err(ApiError::new(
            ErrorCode::NotSuggestion,
            "a suggestion is accepted or rejected",
        ));
    }
    let (id, by, status) = (thread.clone(), c.person(), b.status);
    write(&hub, &c, move |d| {
        w::set_status(d, &id, status, &by, &commit()).map_err(ApiError::from)
    })
    .await?;
    Ok(Json(view_of(&hub, &c, &thread).await?))
}
