//! The OpenAPI description of the API (`GET /api/openapi.json`),
//! generated from the handlers and types by `utoipa`; the web app's API
//! types are generated from it (`web/src/api.gen.ts`).

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use super::Api;
use super::documents::{self, NewDocument};
use super::error::{ErrorBody, ErrorCode};
use super::groups::{self, GroupView, NewGroup, SetRole};
use super::invitations::{self, Accept, InvitationLink, Invite};
use super::review;
use super::sessions::{self, GroupRole, Me, SignIn};
use super::tokens::{self, MintedToken, NewToken};
use super::{comments, hooks, inbox, meetings};
use crate::directory::{AuditEntry, DocInfo, Invitation, Member, Role, Sector, TokenInfo, User};

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
{
    Router::new().route("/api/openapi.json", get(openapi))
}

#[derive(OpenApi, Debug)]
#[openapi(
    info(
        title = "Codraft API",
        description = "Accounts, thematic groups, members, invitations, documents, audit, the review of cards (history, differences, versions, approvals, workflow), comments and suggestions, meetings of the bodies (agenda, attendance, decisions, action items, approved minutes), and each person's inbox of Codraft. Documents themselves sync over the WebSocket at /sync (automerge-repo protocol 1)."
    ),
    paths(
        sessions::sign_in,
        sessions::sign_out,
        sessions::me,
        tokens::list_tokens,
        tokens::mint_token,
        tokens::revoke_token,
        tokens::revoke_user,
        groups::list_groups,
        groups::create_group,
        groups::list_members,
        groups::set_member,
        groups::remove_member,
        invitations::invite,
        invitations::show_invitation,
        invitations::accept_invitation,
        documents::list_documents,
        documents::create_document,
        documents::document_info,
        documents::document_audit,
        review::review,
        review::read::history,
        review::read::diff,
        review::read::card_at,
        review::read::export,
        review::read::shares_of,
        review::name_version,
        review::mark_reviewed,
        review::approve,
        review::withdraw,
        review::transition,
        review::set_text_status,
        review::restore,
        comments::list_comments,
        comments::open_thread,
        comments::reply,
        comments::edit_comment,
        comments::delete_comment,
        comments::set_status,
        comments::accept,
        comments::reject,
        inbox::inbox,
        inbox::mark_read,
        inbox::prefs,
        inbox::set_prefs,
        hooks::list_webhooks,
        hooks::add_webhook,
        hooks::remove_webhook,
        meetings::list_meetings,
        meetings::meeting,
        meetings::schedule,
        meetings::replan,
        meetings::excuse,
        meetings::here,
        meetings::mark,
        meetings::start,
        meetings::item,
        meetings::end,
        meetings::decide_on,
        meetings::drop_decision,
        meetings::add_action,
        meetings::action_status,
        meetings::approve_minutes,
        meetings::withdraw_minutes,
        meetings::correct,
        meetings::read::minutes,
        meetings::read::my_actions
    ),
    components(schemas(
        ErrorBody,
        ErrorCode,
        meetings::BodyMeetings,
        meetings::MeetingSummary,
        meetings::MeetingView,
        meetings::AttendanceRow,
        meetings::Clock,
        meetings::MinutesApproval,
        meetings::MeetingAllowed,
        meetings::PlanBody,
        meetings::AgendaInput,
        meetings::MarkBody,
        meetings::ItemBody,
        meetings::DecisionBody,
        meetings::ActionBody,
        meetings::ActionStatusBody,
        meetings::MinutesApproveBody,
        meetings::CorrectionBody,
        meetings::read::MyAction,
        crate::meetings::Plan,
        crate::meetings::Titles,
        crate::meetings::AgendaEntry,
        crate::meetings::Invitee,
        crate::meetings::AbsentOrg,
        crate::meetings::Owner,
        crate::meetings::DecisionRecord,
        crate::meetings::ActionRecord,
        crate::meetings::Status,
        crate::meetings::Version,
        crate::meetings::minutes::Cadence,
        codraft_schema::meetings::Attendance,
        codraft_schema::meetings::Format,
        codraft_schema::meetings::Side,
        codraft_schema::meetings::DecisionKind,
        codraft_schema::meetings::ActionStatus,
        SignIn,
        Me,
        GroupRole,
        User,
        Sector,
        Role,
        NewToken,
        MintedToken,
        TokenInfo,
        GroupView,
        NewGroup,
        Member,
        SetRole,
        Invite,
        InvitationLink,
        Invitation,
        Accept,
        NewDocument,
        DocInfo,
        AuditEntry,
        review::ReviewView,
        review::ApprovalView,
        review::TextStatusView,
        review::Allowed,
        review::ApproveBody,
        review::TransitionBody,
        review::VersionBody,
        review::TextStatusBody,
        review::RestoreBody,
        review::Done,
        review::read::HistoryPage,
        review::read::DiffView,
        review::read::FieldDiffView,
        review::read::SegmentView,
        review::read::Author,
        crate::review::history::Session,
        crate::review::Stage,
        crate::review::Stamp,
        crate::review::TextStatus,
        crate::review::ReviewEvent,
        comments::CommentsView,
        comments::ThreadView,
        comments::NewThread,
        comments::AnchorBody,
        comments::CommentBody,
        comments::StatusBody,
        inbox::InboxView,
        inbox::MarkRead,
        inbox::PrefsView,
        hooks::NewHook,
        hooks::CreatedHook,
        crate::hooks::HookView,
        crate::hooks::HookEvent,
        crate::hooks::LogEntry,
        crate::mail::Prefs,
        crate::mail::Delivery,
        crate::inbox::Entry,
        crate::inbox::Note,
        crate::inbox::NoteKind,
        codraft_schema::comments::Thread,
        codraft_schema::comments::Comment,
        codraft_schema::comments::Anchor,
        codraft_schema::comments::AnchorKind,
        codraft_schema::comments::ThreadKind,
        codraft_schema::comments::Status,
        codraft_schema::comments::Person,
        codraft_schema::comments::Placement,
        codraft_schema::review::summary::AcceptedBy
    ))
)]
pub struct ApiDoc;

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The description as pretty JSON (`codraft openapi`).
pub fn json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
