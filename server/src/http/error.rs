//! The API's one error type: a typed code (which sets the status), the
//! parameters its wording needs, and an English message. Clients word the
//! code and parameters in the person's language; the message is for logs
//! and scripts.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::accounts::rules::RuleError;
use crate::directory::DirectoryError;
use crate::passwords::PasswordProblem;

/// Every code the API answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    WrongCredentials,
    Forbidden,
    NotFound,
    Conflict,
    EmailTaken,
    RateLimited,
    CardsRateLimited,
    PasswordTooShort,
    PasswordTooLong,
    PasswordWeak,
    NameAndEmailNeeded,
    InvitationForAnotherEmail,
    TooLong,
    Storage,
    OpenAccess,
    // Review and workflow.
    NoSuchMove,
    NeedsApprovals,
    ReasonNeeded,
    NotInReview,
    AlreadyApproved,
    StaleVersion,
    Incomplete,
    ApproverSector,
    NoApproval,
    CardLocked,
    UnknownVersion,
    UnknownHeads,
    NoSuchField,
    Busy,
    // Comments and suggestions.
    CommentForbidden,
    NotSuggestion,
    AlreadyDecided,
    UnknownMention,
    NoSuchThread,
    NoSuchComment,
    PassageDeleted,
    SuggestionStale,
    BadAnchor,
    TooManyThreads,
    EmptyComment,
    BadWebhookUrl,
    TooManyWebhooks,
    /// An invitation link unknown, already used or expired.
    InvitationGone,
    // Meetings.
    TitleNeeded,
    DateNeeded,
    BadTime,
    BadLink,
    ItemTitleNeeded,
    BadDuration,
    AgendaOverlap,
    OutsideBody,
    TooMany,
    NotInvited,
    AlreadyBegun,
    WrongStatus,
    MinutesLocked,
    NoSuchEntry,
    EmptyText,
    /// No meeting has taken place yet (the `meeting` point of a history).
    NoMeeting,
    // The revision in the open.
    ProposalsRateLimited,
    NoSuchProposal,
    NotAssigned,
    ReasonsNeeded,
    NoSuchRound,
    /// Scores stay blind until the round closes.
    RoundOpen,
    RoundClosed,
    BadScore,
    ConsultationClosed,
    BadLine,
}

impl ErrorCode {
    pub fn status(self) -> StatusCode {
        use ErrorCode::*;
        match self {
            BadRequest
            | PasswordTooShort
            | PasswordTooLong
            | PasswordWeak
            | NameAndEmailNeeded
            | InvitationForAnotherEmail
            | TooLong
            | ReasonNeeded
            | UnknownHeads
            | UnknownMention
            | BadAnchor
            | EmptyComment
            | BadWebhookUrl
            | TitleNeeded
            | DateNeeded
            | BadTime
            | BadLink
            | ItemTitleNeeded
            | BadDuration
            | AgendaOverlap
            | OutsideBody
            | TooMany
            | EmptyText
            | ReasonsNeeded
            | BadScore
            | BadLine => StatusCode::BAD_REQUEST,
            Unauthorized | WrongCredentials => StatusCode::UNAUTHORIZED,
            Forbidden | ApproverSector | CommentForbidden | NotInvited => StatusCode::FORBIDDEN,
            NotFound | UnknownVersion | NoSuchField | NoSuchThread | NoSuchComment
            | InvitationGone | NoSuchEntry | NoMeeting | NoSuchProposal | NoSuchRound => {
                StatusCode::NOT_FOUND
            }
            Conflict | EmailTaken | NoSuchMove | NeedsApprovals | NotInReview | AlreadyApproved
            | StaleVersion | Incomplete | NoApproval | CardLocked | Busy | NotSuggestion
            | AlreadyDecided | PassageDeleted | SuggestionStale | TooManyThreads
            | TooManyWebhooks | AlreadyBegun | WrongStatus | MinutesLocked | NotAssigned
            | RoundOpen | RoundClosed | ConsultationClosed => StatusCode::CONFLICT,
            RateLimited | CardsRateLimited | ProposalsRateLimited => StatusCode::TOO_MANY_REQUESTS,
            Storage => StatusCode::SERVICE_UNAVAILABLE,
            OpenAccess => StatusCode::NOT_IMPLEMENTED,
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    params: serde_json::Map<String, serde_json::Value>,
}

/// `{"error": code, "message": text, "params": {…}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorCode,
    message: String,
    /// What the code's wording needs (e.g. `{"min": 10}`).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    params: serde_json::Map<String, serde_json::Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            params: serde_json::Map::new(),
        }
    }
    /// Adds a parameter of the code's wording.
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.params.insert(key.into(), value.into());
        self
    }
    pub fn unauthorized(m: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthorized, m)
    }
    pub fn forbidden(m: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, m)
    }
    pub fn not_found(m: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, m)
    }
    pub fn bad_request(m: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, m)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.code.status(),
            Json(ErrorBody {
                error: self.code,
                message: self.message,
                params: self.params,
            }),
        )
            .into_response()
    }
}

impl From<DirectoryError> for ApiError {
    fn from(e: DirectoryError) -> Self {
        match e {
            DirectoryError::Exists(m) => {
                ApiError::new(ErrorCode::Conflict, format!("{m} already exists"))
            }
            DirectoryError::NotFound(m) => ApiError::not_found(format!("{m} not found")),
            other => {
                tracing::error!(error = %other, "directory failure");
                ApiError::new(ErrorCode::Storage, other.to_string())
            }
        }
    }
}

impl From<PasswordProblem> for ApiError {
    fn from(p: PasswordProblem) -> Self {
        match p {
            PasswordProblem::TooShort(n) => {
                ApiError::new(ErrorCode::PasswordTooShort, p.to_string()).with("min", n)
            }
            PasswordProblem::TooLong(n) => {
                ApiError::new(ErrorCode::PasswordTooLong, p.to_string()).with("max", n)
            }
            PasswordProblem::Weak => ApiError::new(ErrorCode::PasswordWeak, p.to_string()),
        }
    }
}

impl From<RuleError> for ApiError {
    fn from(e: RuleError) -> Self {
        let message = e.to_string();
        match e {
            RuleError::Password(p) => p.into(),
            RuleError::NameAndEmailNeeded => ApiError::new(ErrorCode::NameAndEmailNeeded, message),
            RuleError::TooLong { max } => {
                ApiError::new(ErrorCode::TooLong, message).with("max", max)
            }
            RuleError::InvitationForAnotherEmail => {
                ApiError::new(ErrorCode::InvitationForAnotherEmail, message)
            }
            RuleError::EmailTaken => ApiError::new(ErrorCode::EmailTaken, message),
            RuleError::CoCoordinatorSector => {
                ApiError::new(ErrorCode::Conflict, message).with("rule", "co_coordinator_sector")
            }
            RuleError::CoCoordinatorTaken { sector, name } => {
                ApiError::new(ErrorCode::Conflict, message)
                    .with("rule", "co_coordinator_taken")
                    .with("sector", sector)
                    .with("name", name)
            }
            RuleError::CoCoordinatorsKept => {
                ApiError::new(ErrorCode::Conflict, message).with("rule", "co_coordinators_kept")
            }
        }
    }
}

/// A JSON request body; a malformed one is a `400` in the API's error
/// shape (`{"error": "bad_request", "message": …}`), like every other error.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(e) => Err(ApiError::bad_request(e.body_text())),
        }
    }
}

impl From<crate::review::ReviewError> for ApiError {
    fn from(e: crate::review::ReviewError) -> Self {
        use crate::review::ReviewError as R;
        let message = e.to_string();
        match e {
            R::Forbidden { who } => ApiError::new(ErrorCode::Forbidden, message).with("who", who),
            R::NoSuchMove { from, to } => ApiError::new(ErrorCode::NoSuchMove, message)
                .with("from", from)
                .with("to", to),
            R::NeedsApprovals => ApiError::new(ErrorCode::NeedsApprovals, message),
            R::ReasonNeeded => ApiError::new(ErrorCode::ReasonNeeded, message),
            R::NotInReview { stage } => {
                ApiError::new(ErrorCode::NotInReview, message).with("stage", stage)
            }
            R::AlreadyApproved => ApiError::new(ErrorCode::AlreadyApproved, message),
            R::StaleVersion => ApiError::new(ErrorCode::StaleVersion, message),
            R::Incomplete { missing } => {
                ApiError::new(ErrorCode::Incomplete, message).with("missing", missing)
            }
            R::ApproverSector => ApiError::new(ErrorCode::ApproverSector, message),
            R::NoApproval => ApiError::new(ErrorCode::NoApproval, message),
            R::Locked { stage } => {
                ApiError::new(ErrorCode::CardLocked, message).with("stage", stage)
            }
        }
    }
}

impl From<crate::hub::JobError> for ApiError {
    fn from(e: crate::hub::JobError) -> Self {
        ApiError::new(ErrorCode::Storage, e.to_string())
    }
}
