//! A card's comment threads and suggestions: list them (with where each
//! anchor is now), open a thread on a passage, a field or a row, reply,
//! edit or delete one's own comment, resolve and reopen, and accept or
//! reject a suggestion. The rules are in [`crate::comments`]; the threads
//! live in the card's comments document, which only these handlers write
//! (through the document's actor, so each write is ordered with the rest)
//! and every reader of the card syncs read-only.

use std::sync::{Arc, Mutex};

use automerge::Automerge;
use axum::extract::{Path, State};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use codraft_protocol::DocumentId;
use codraft_schema::comments::{
    self, Person, Placement, Thread, anchor::AnchorError, write::WriteError,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::documents::doc_for;
use super::error::{ApiError, ApiResult, Body, ErrorBody, ErrorCode};
use super::extract::{Caller, Writer};
use crate::accounts::Accounts;
use crate::auth::Access;
use crate::comments::{CommentRule, Commenter, doc_of};
use crate::directory::{Credential, DocInfo};
use crate::hub::Hub;
use crate::hub::actor::{edit, read};
use crate::inbox::{Note, NoteKind};

mod suggestions;
mod threads;

pub use suggestions::*;
pub use threads::*;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
    Arc<Hub>: axum::extract::FromRef<S>,
{
    Router::new()
        .route(
            "/api/documents/{doc}/comments",
            get(list_comments).post(threads::open_thread),
        )
        .route(
            "/api/documents/{doc}/comments/{thread}/replies",
            post(threads::reply),
        )
        .route(
            "/api/documents/{doc}/comments/{thread}/status",
            post(threads::set_status),
        )
        .route(
            "/api/documents/{doc}/comments/{thread}/comments/{comment}",
            patch(threads::edit_comment).delete(threads::delete_comment),
        )
        .route(
            "/api/documents/{doc}/comments/{thread}/accept",
            post(suggestions::accept),
        )
        .route(
            "/api/documents/{doc}/comments/{thread}/reject",
            post(suggestions::reject),
        )
}

/// The card, and who the caller is to the rules.
pub(super) struct Ctx {
    pub info: DocInfo,
    pub me: Commenter,
    pub who: Credential,
}

impl Ctx {
    pub fn person(&self) -> Person {
        Person {
            id: self.who.user.id.clone(),
            name: self.who.user.name.clone(),
            sector: self.who.user.sector.as_str().into(),
        }
    }
    pub fn comments(&self) -> DocumentId {
        doc_of(&self.info.id)
    }
    /// A note about this card, by the caller.
    pub fn note(&self, kind: NoteKind, thread: &str, excerpt: &str) -> Note {
        let mut n = Note::new(kind, &self.who).excerpt(excerpt);
        n.doc = Some(self.info.id.to_url());
        n.thread = Some(thread.to_owned());
        n
    }
}

pub(super) async fn ctx(acc: &Accounts, who: Credential, doc: &str) -> ApiResult<Ctx> {
    let (info, access) = doc_for(acc, &who, doc).await?;
    let me = Commenter {
        user: who.user.id.clone(),
        role: acc.role(&info.group, &who.user.id),
        admin: who.user.admin,
        reads: access != Access::None,
        locked: acc.is_locked(&info.id),
    };
    Ok(Ctx { info, me, who })
}

impl From<CommentRule> for ApiError {
    fn from(e: CommentRule) -> Self {
        let message = e.to_string();
        let rule = match e {
            CommentRule::NotReader => "not_reader",
            CommentRule::NotWriter => "not_writer",
            CommentRule::NotAuthor => "not_author",
            CommentRule::NotDecider => "not_decider",
            CommentRule::NotResolver => "not_resolver",
            CommentRule::Locked => return ApiError::new(ErrorCode::CardLocked, message),
            CommentRule::NotSuggestion => return ApiError::new(ErrorCode::NotSuggestion, message),
            CommentRule::Decided(s) => {
                return ApiError::new(ErrorCode::AlreadyDecided, message).with("status", s);
            }
        };
        ApiError::new(ErrorCode::CommentForbidden, message).with("rule", rule)
    }
}

impl From<AnchorError> for ApiError {
    fn from(e: AnchorError) -> Self {
        let message = e.to_string();
        match e {
            AnchorError::NoSuchField(f) => {
                ApiError::new(ErrorCode::NoSuchField, message).with("field", f)
            }
            AnchorError::Orphaned => ApiError::new(ErrorCode::PassageDeleted, message),
            AnchorError::Stale => ApiError::new(ErrorCode::SuggestionStale, message),
            AnchorError::NotText(_) => {
                ApiError::new(ErrorCode::BadAnchor, message).with("why", "not_text")
            }
            AnchorError::NotRow(_) => {
                ApiError::new(ErrorCode::BadAnchor, message).with("why", "not_row")
            }
            AnchorError::OutOfRange(..) => {
                ApiError::new(ErrorCode::BadAnchor, message).with("why", "out_of_range")
            }
            AnchorError::PassageSize => ApiError::new(ErrorCode::BadAnchor, message)
                .with("why", "passage_size")
                .with("max", comments::MAX_QUOTE),
        }
    }
}

impl From<WriteError> for ApiError {
    fn from(e: WriteError) -> Self {
        let message = e.to_string();
        match e {
            WriteError::NoSuchThread(_) => ApiError::new(ErrorCode::NoSuchThread, message),
            WriteError::NoSuchComment(_) => ApiError::new(ErrorCode::NoSuchComment, message),
            WriteError::Automerge(_) => ApiError::new(ErrorCode::Storage, message),
        }
    }
}

/// A thread as the panel shows it: the stored thread and where its anchor
/// is in the card now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreadView {
    #[serde(flatten)]
    pub thread: Thread,
    pub placement: Placement,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentsView {
    /// The comments document (`automerge:` URL): sync it (read-only) to
    /// hear of every change at once.
    pub doc: String,
    pub threads: Vec<ThreadView>,
    /// Open threads per field name now (`summary/ar`, `activities/1`).
    pub open: std::collections::BTreeMap<String, usize>,
}

/// Runs `f` on the comments document of the card as `user`: its result
/// once durable (the document is created on first use).
pub(super) async fn write<T: Send + 'static>(
    hub: &Arc<Hub>,
    c: &Ctx,
    f: impl FnOnce(&mut Automerge) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let out: Arc<Mutex<Option<ApiResult<T>>>> = Arc::new(Mutex::new(None));
    let slot = out.clone();
    edit(hub, c.comments(), &c.who.user.id, move |d| {
        *slot.lock().unwrap() = Some(f(d));
    })
    .await?;
    let r = out.lock().unwrap().take();
    r.unwrap_or_else(|| {
        Err(ApiError::new(
            ErrorCode::Storage,
            "the comments were not written",
        ))
    })
}

/// Every thread of the card with where each is now.
pub(super) async fn views(hub: &Arc<Hub>, c: &Ctx) -> ApiResult<Vec<ThreadView>> {
    Ok(placed(hub, c.info.id)
        .await?
        .into_iter()
        .map(|(thread, placement)| ThreadView { thread, placement })
        .collect())
}

/// Every thread of `card` and where it is now (for the exports too).
pub async fn placed(hub: &Arc<Hub>, card: DocumentId) -> ApiResult<Vec<(Thread, Placement)>> {
    let threads = read(hub, doc_of(&card), comments::threads).await?;
    if threads.is_empty() {
        return Ok(Vec::new());
    }
    Ok(read(hub, card, move |card| {
        threads
            .into_iter()
            .map(|t| {
                let p = comments::anchor::place(card, &t.anchor);
                (t, p)
            })
            .collect()
    })
    .await?)
}

/// One thread and where it is now (placing only that one).
pub(super) async fn view_of(hub: &Arc<Hub>, c: &Ctx, id: &str) -> ApiResult<ThreadView> {
    let thread = stored(hub, c, id).await?;
    let anchor = thread.anchor.clone();
    let placement = read(hub, c.info.id, move |card| {
        comments::anchor::place(card, &anchor)
    })
    .await?;
    Ok(ThreadView { thread, placement })
}

/// One thread as stored (for the rules).
pub(super) async fn stored(hub: &Arc<Hub>, c: &Ctx, id: &str) -> ApiResult<Thread> {
    let id2 = id.to_owned();
    read(hub, c.comments(), move |d| comments::thread(d, &id2))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NoSuchThread, format!("no thread {id}")))
}

/// The card's threads, each with where it is now, and the open ones per
/// field. Readers of the card (observers included).
#[utoipa::path(get, path = "/api/documents/{doc}/comments",
    responses((status = 200, body = CommentsView), (status = 404, body = ErrorBody)))]
pub async fn list_comments(
    State(hub): State<Arc<Hub>>,
    Caller { acc, who }: Caller,
    Path(doc): Path<String>,
) -> ApiResult<Json<CommentsView>> {
    let c = ctx(&acc, who, &doc).await?;
    // The comments document exists from the first reading on, so that the
    // client can sync it.
    let exists = read(&hub, c.comments(), |d| !d.get_heads().is_empty()).await?;
    if !exists {
        write(&hub, &c, |d| {
            comments::write::init(d, &codraft_schema::edit::Commit::at(crate::clock::now_ms()))
                .map_err(ApiError::from)
        })
        .await?;
    }
    let threads = views(&hub, &c).await?;
    let mut open = std::collections::BTreeMap::new();
    for v in &threads {
        if v.thread.status == comments::Status::Open && !v.placement.orphaned {
            *open.entry(v.placement.field.clone()).or_insert(0) += 1;
        }
    }
    Ok(Json(CommentsView {
        doc: c.comments().to_url(),
        threads,
        open,
    }))
}

/// The body of a comment: trimmed, not empty (unless `may_be_empty`), at
/// most [`comments::MAX_BODY`] characters.
pub(super) fn body_text(s: &str, may_be_empty: bool) -> ApiResult<String> {
    let t = s.trim();
    if t.is_empty() && !may_be_empty {
        return Err(ApiError::new(
            ErrorCode::EmptyComment,
            "a comment needs some text",
        ));
    }
    if t.chars().count() > comments::MAX_BODY {
        return Err(ApiError::new(
            ErrorCode::TooLong,
            format!("at most {} characters", comments::MAX_BODY),
        )
        .with("max", comments::MAX_BODY));
    }
    Ok(t.to_owned())
}

/// The group members a text mentions (`@name`); a name that is no
/// member's is an error.
pub(super) async fn mentions(acc: &Accounts, c: &Ctx, text: &str) -> ApiResult<Vec<String>> {
    let tokens = comments::mentions::tokens(text);
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let members = acc.members(&c.info.group).await?;
    let mut ids = Vec::new();
    for t in tokens {
        let Some(m) = members
            .iter()
            .find(|m| comments::mentions::names(&t, &m.user.name, &m.user.email))
        else {
            return Err(ApiError::new(
                ErrorCode::UnknownMention,
                format!("@{t} is not a member of the group"),
            )
            .with("name", t));
        };
        if !ids.contains(&m.user.id) {
            ids.push(m.user.id.clone());
        }
    }
    Ok(ids)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusBody {
    /// `resolved` or `open` (reopen).
    pub status: comments::Status,
}
