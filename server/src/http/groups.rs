//! Thematic groups and their members, under the steering committee's
//! co-coordinator rule ([`crate::accounts::rules`]).

use std::sync::Arc;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::error::{ApiError, ApiResult, Body, ErrorBody};
use super::extract::{Caller, Writer};
use crate::accounts::Accounts;
use crate::accounts::rules::check_role_change;
use crate::directory::{Credential, DocInfo, Member, Role, User};

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/groups", get(list_groups).post(create_group))
        .route("/api/groups/{group}/members", get(list_members))
        .route(
            "/api/groups/{group}/members/{user}",
            put(set_member).delete(remove_member),
        )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    id: String,
    /// The caller's role, if any.
    role: Option<Role>,
    co_coordinators: Vec<User>,
    members: usize,
    /// The group's cards, if the caller may read them (its meetings'
    /// minutes are listed with its meetings).
    documents: Vec<DocInfo>,
}

#[utoipa::path(get, path = "/api/groups", responses((status = 200, body = Vec<GroupView>)))]
async fn list_groups(Caller { acc, who }: Caller) -> ApiResult<Json<Vec<GroupView>>> {
    let docs = acc.documents().await?;
    let mut out = Vec::new();
    for g in acc.groups().await? {
        let members = acc.members(&g).await?;
        let role = acc.role(&g, &who.user.id);
        // The committee's secretariat reads every group's cards (it adopts
        // and publishes them).
        let reads = role.is_some() || who.user.admin || acc.is_secretariat(&who.user.id);
        out.push(GroupView {
            co_coordinators: members
                .iter()
                .filter(|m| m.role == Role::CoCoordinator)
                .map(|m| m.user.clone())
                .collect(),
            members: members.len(),
            documents: if reads {
                docs.iter()
                    .filter(|d| d.group == g && d.kind == "card")
                    .cloned()
                    .collect()
            } else {
                vec![]
            },
            id: g,
            role,
        });
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewGroup {
    id: String,
}

/// Creates a thematic group (site administrators).
#[utoipa::path(post, path = "/api/groups", request_body = NewGroup, responses((status = 201), (status = 403, body = ErrorBody)))]
async fn create_group(
    Writer { acc, who }: Writer,
    Body(b): Body<NewGroup>,
) -> ApiResult<StatusCode> {
    if !who.user.admin {
        return Err(ApiError::forbidden(
            "only a site administrator manages groups",
        ));
    }
    if b.id.is_empty()
        || !b
            .id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit())
    {
        return Err(ApiError::bad_request(
            "a group id is lowercase letters, digits and _",
        ));
    }
    acc.create_group(&b.id).await?;
    Ok(StatusCode::CREATED)
}

pub async fn group_exists(acc: &Accounts, group: &str) -> ApiResult<()> {
    if acc.groups().await?.iter().any(|g| g == group) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("no group {group:?}")))
    }
}

/// `who` may see the group's `what` (its members, or a site administrator).
pub async fn check_reader(
    acc: &Accounts,
    who: &Credential,
    group: &str,
    what: &str,
) -> ApiResult<()> {
    let may = who.user.admin || acc.role(group, &who.user.id).is_some();
    check(
        acc,
        may,
        group,
        format!("only the group's members see its {what}"),
    )
    .await
}

/// `who` may manage `group` (to `what`).
pub async fn check_manager(
    acc: &Accounts,
    who: &Credential,
    group: &str,
    what: &str,
) -> ApiResult<()> {
    let may = manages(acc, who, group);
    check(
        acc,
        may,
        group,
        format!("only the group's co-coordinators and site administrators {what}"),
    )
    .await
}

/// The group exists (else 404), and then `may` (else 403 with `why`).
async fn check(acc: &Accounts, may: bool, group: &str, why: String) -> ApiResult<()> {
    group_exists(acc, group).await?;
    if may {
        Ok(())
    } else {
        Err(ApiError::forbidden(why))
    }
}

/// May `c` manage the members of `group`?
pub fn manages(acc: &Accounts, c: &Credential, group: &str) -> bool {
    c.user.admin || acc.role(group, &c.user.id) == Some(Role::CoCoordinator)
}

#[utoipa::path(get, path = "/api/groups/{group}/members", responses((status = 200, body = Vec<Member>), (status = 403, body = ErrorBody)))]
async fn list_members(
    Caller { acc, who }: Caller,
    Path(group): Path<String>,
) -> ApiResult<Json<Vec<Member>>> {
    check_reader(&acc, &who, &group, "members").await?;
    Ok(Json(acc.members(&group).await?))
}

async fn find_user(acc: &Accounts, key: &str) -> ApiResult<User> {
    if key.contains('@') {
        if let Some((u, _)) = acc.user_by_email(key).await? {
            return Ok(u);
        }
    } else if let Some(u) = acc.user(key).await? {
        return Ok(u);
    }
    Err(ApiError::not_found(format!("no account {key:?}")))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetRole {
    role: Role,
}

/// Adds a person to a group or changes their role (`{user}`: id or email).
#[utoipa::path(put, path = "/api/groups/{group}/members/{user}", request_body = SetRole,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn set_member(
    Writer { acc, who }: Writer,
    Path((group, user)): Path<(String, String)>,
    Body(b): Body<SetRole>,
) -> ApiResult<Json<Member>> {
    check_manager(&acc, &who, &group, "manage members").await?;
    let target = find_user(&acc, &user).await?;
    let members = acc.members(&group).await?;
    check_role_change(&members, who.user.admin, &target, Some(b.role))?;
    acc.set_role(&group, &target.id, b.role).await?;
    Ok(Json(Member {
        user: target,
        role: b.role,
    }))
}

/// Removes a person from a group; their live sockets close.
#[utoipa::path(delete, path = "/api/groups/{group}/members/{user}", responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn remove_member(
    Writer { acc, who }: Writer,
    Path((group, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    check_manager(&acc, &who, &group, "manage members").await?;
    let target = find_user(&acc, &user).await?;
    let members = acc.members(&group).await?;
    check_role_change(&members, who.user.admin, &target, None)?;
    if acc.remove_member(&group, &target.id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("not a member of this group"))
    }
}
