//! The approved minutes in public: every meeting with a published version,
//! and the minutes of a published version (never the draft of a
//! correction under way).

use axum::extract::{Path, Query, State};

use axum::response::Response;

use super::repository::card_id;
use super::*;
use crate::meetings::MeetingState;

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicMeeting {
    pub id: String,
    pub body: String,
    pub title: crate::meetings::Titles,
    pub date: String,
    /// Published versions (numbers).
    pub versions: Vec<u32>,
}

/// Every meeting with approved, published minutes.
#[utoipa::path(get, path = "/api/public/meetings", responses((status = 200, body = Vec<PublicMeeting>)))]
pub async fn public_meetings(State(api): State<Arc<Api>>) -> ApiResult<Json<Vec<PublicMeeting>>> {
    let acc = api.accounts()?;
    let mut out = Vec::new();
    for m in acc.meetings().await? {
        let s = acc.meeting_state(m.id).await?;
        let Some(last) = s.versions.last() else {
            continue;
        };
        // The title and date as published (the record up to the version).
        let events = acc.directory().review_events(m.id).await?;
        let at = MeetingState::fold(
            events[..last.upto.min(events.len())]
                .iter()
                .map(String::as_str),
        );
        out.push(PublicMeeting {
            id: m.id.to_url(),
            body: m.group.clone(),
            title: at.plan.title.clone(),
            date: at.plan.date.clone(),
            versions: s.versions.iter().map(|v| v.version).collect(),
        });
    }
    out.sort_by(|a, b| b.date.cmp(&a.date));
    Ok(Json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PublicMinutesQuery {
    pub lang: Option<String>,
    /// `md` (default) or `html`.
    pub format: Option<String>,
    /// A published version (the latest without).
    pub version: Option<u32>,
}

/// A meeting's published minutes (never the draft being corrected).
#[utoipa::path(get, path = "/api/public/meetings/{meeting}/minutes", params(PublicMinutesQuery),
    responses((status = 200, body = String), (status = 404, body = ErrorBody)))]
pub async fn public_minutes(
    State(api): State<Arc<Api>>,
    State(hub): State<Arc<Hub>>,
    Path(meeting): Path<String>,
    Query(q): Query<PublicMinutesQuery>,
) -> ApiResult<Response> {
    let acc = api.accounts()?;
    let id = card_id(&meeting)?;
    if !acc.meetings().await?.iter().any(|m| m.id == id) {
        return Err(ApiError::not_found("no such meeting"));
    }
    let events = acc.directory().review_events(id).await?;
    let all = MeetingState::fold(events.iter().map(String::as_str));
    let v = match q.version {
        Some(n) => all.versions.iter().find(|v| v.version == n),
        None => all.versions.last(),
    }
    .ok_or_else(|| ApiError::not_found("no published minutes"))?
    .clone();
    let s = crate::http::meetings::read::state_at(&events, &v);
    crate::http::meetings::read::render(
        &hub,
        id,
        &s,
        Some(v.heads.clone()),
        q.lang.as_deref(),
        q.format.as_deref(),
    )
    .await
}
