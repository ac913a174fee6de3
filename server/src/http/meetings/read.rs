//! Readings of meetings: the minutes (now, or a published version) as
//! Markdown or a printable page in any of the three languages, and the
//! caller's own action items across every meeting they can read.

use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use codraft_schema::meetings::ActionStatus;

use super::*;
use crate::meetings::Owner;
use crate::meetings::minutes::{build, texts};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MinutesQuery {
    /// `ar` (default), `fr` or `zgh`.
    pub lang: Option<String>,
    /// `md` (default) or `html`.
    pub format: Option<String>,
    /// A published version's number; the minutes as they are now without.
    pub version: Option<u32>,
}

/// The minutes in the shape of the steering committee's minutes.
#[utoipa::path(get, path = "/api/meetings/{meeting}/minutes", params(MinutesQuery),
    responses((status = 200, body = String), (status = 404, body = ErrorBody)))]
pub async fn minutes(
    State(hub): State<Arc<Hub>>,
    Caller { acc, who }: Caller,
    Path(meeting): Path<String>,
    Query(q): Query<MinutesQuery>,
) -> ApiResult<Response> {
    let c = ctx(&acc, who, &meeting).await?;
    let events = acc.directory().review_events(c.info.id).await?;
    let all = MeetingState::fold(events.iter().map(String::as_str));
    let v = match q.version {
        None => None,
        Some(n) => Some(
            all.versions
                .iter()
                .find(|v| v.version == n)
                .ok_or_else(|| ApiError::new(ErrorCode::UnknownVersion, "no such version"))?,
        ),
    };
    let state = match v {
        Some(v) => state_at(&events, v),
        None => all.clone(),
    };
    let heads = v.map(|v| v.heads.clone());
    render(
        &hub,
        c.info.id,
        &state,
        heads,
        q.lang.as_deref(),
        q.format.as_deref(),
    )
    .await
}

/// The record as it was when version `v` was published.
pub(crate) fn state_at(events: &[String], v: &Version) -> MeetingState {
    MeetingState::fold(
        events[..v.upto.min(events.len())]
            .iter()
            .map(String::as_str),
    )
}

/// The minutes of `doc` — the record `state`, the texts at `heads` (now
/// without) — as Markdown (`md`, the default) or a printable page (`html`)
/// in `lang` (Arabic by default).
pub(crate) async fn render(
    hub: &Arc<Hub>,
    doc: DocumentId,
    state: &MeetingState,
    heads: Option<Vec<String>>,
    lang: Option<&str>,
    format: Option<&str>,
) -> ApiResult<Response> {
    let t = crate::hub::actor::read(hub, doc, move |d| texts(d, heads.as_deref())).await?;
    let m = build(state, &t);
    let lang =
        codraft_schema::Lang::parse(lang.unwrap_or("ar")).unwrap_or(codraft_schema::Lang::Ar);
    match format.unwrap_or("md") {
        "md" => Ok((
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            codraft_schema::meetings::minutes::markdown(&m, lang),
        )
            .into_response()),
        "html" => Ok((
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            codraft_schema::meetings::print::html(&m, lang, Some("/fonts/fonts.css")),
        )
            .into_response()),
        other => Err(ApiError::bad_request(format!(
            "format {other:?}: md or html"
        ))),
    }
}

/// An action item of mine, with its meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyAction {
    #[serde(flatten)]
    pub action: ActionRecord,
    pub meeting: String,
    pub meeting_title: Titles,
    pub meeting_date: String,
    pub body: String,
    /// Open past its due date.
    pub overdue: bool,
}

fn today(now_ms: i64) -> String {
    crate::meetings::civil_date(now_ms)
}

/// The action items owned by the caller, open ones first, overdue ones
/// flagged (their home page shows them).
#[utoipa::path(get, path = "/api/me/actions", responses((status = 200, body = Vec<MyAction>)))]
pub async fn my_actions(Caller { acc, who }: Caller) -> ApiResult<Json<Vec<MyAction>>> {
    let today = today(crate::clock::now_ms());
    let mut out = Vec::new();
    for info in acc.meetings().await? {
        if acc.access_of(&who, &info.id) == crate::auth::Access::None {
            continue;
        }
        let s = acc.meeting_state(info.id).await?;
        for a in &s.actions {
            if !matches!(&a.owner, Owner::Person { user, .. } if *user == who.user.id) {
                continue;
            }
            let overdue = a.status == ActionStatus::Open
                && a.due.as_deref().is_some_and(|d| d < today.as_str());
            out.push(MyAction {
                action: a.clone(),
                meeting: info.id.to_url(),
                meeting_title: s.plan.title.clone(),
                meeting_date: s.plan.date.clone(),
                body: info.group.clone(),
                overdue,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.action.status != ActionStatus::Open, &a.action.due)
            .cmp(&(b.action.status != ActionStatus::Open, &b.action.due))
    });
    Ok(Json(out))
}

#[cfg(test)]
mod tests {
    #[test]
    fn today_is_the_civil_date() {
        assert_eq!(super::today(0), "1970-01-01");
        // 2026-02-03T09:00:00Z
        assert_eq!(super::today(1_770_109_200_000), "2026-02-03");
        assert_eq!(super::today(951_782_400_000), "2000-02-29");
    }
}
