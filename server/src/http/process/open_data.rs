//! The process as open data: the published proposals as CSV, the JSON
//! Schema of their JSON, and an Atom feed of what was published (card
//! versions, approved minutes, responses to proposals).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::public_minutes::public_meetings;
use super::repository::{card_id, public_card};
use super::*;

fn csv_field(s: &str) -> String {
    // Formula injection in spreadsheets: a leading =, +, - or @ is quoted.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The published proposals as CSV (open data).
#[utoipa::path(get, path = "/api/public/proposals.csv", responses((status = 200, body = String)))]
pub async fn proposals_csv(State(api): State<Arc<Api>>) -> ApiResult<Response> {
    let acc = api.accounts()?;
    let p = acc.process().await?;
    let mut out = String::from(
        "code,received,source,region,theme,lang,text,group,decision,reason_ar,reason_fr\n",
    );
    for x in p.proposals.iter().filter(|x| x.hidden.is_none()) {
        let v = public_view(x);
        let decision = v
            .response
            .as_ref()
            .and_then(|r| serde_json::to_value(r.decision).ok())
            .and_then(|d| d.as_str().map(str::to_owned))
            .unwrap_or_default();
        let reason = |l: fn(&crate::meetings::Titles) -> &String| {
            v.response
                .as_ref()
                .map(|r| l(&r.reason).clone())
                .unwrap_or_default()
        };
        let row = [
            v.code.clone(),
            crate::meetings::civil_date(v.at_ms),
            serde_json::to_value(v.source)
                .ok()
                .and_then(|s| s.as_str().map(str::to_owned))
                .unwrap_or_default(),
            v.region.clone(),
            v.theme.clone(),
            v.lang.clone(),
            v.text.clone(),
            v.group.clone().unwrap_or_default(),
            decision,
            reason(|t| &t.ar),
            reason(|t| &t.fr),
        ];
        out.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response())
}

/// The JSON Schema of `/api/public/proposals` (from the OpenAPI
/// description's components, which are JSON Schema).
#[utoipa::path(get, path = "/api/public/proposals.schema.json", responses((status = 200, body = Object)))]
pub async fn proposals_schema() -> Json<serde_json::Value> {
    let doc: serde_json::Value =
        serde_json::from_str(&crate::http::openapi::json()).unwrap_or_default();
    let defs = doc["components"]["schemas"].clone();
    let mut schema = defs["PublicProposals"].clone();
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema".into();
    schema["title"] = "Codraft public proposals".into();
    schema["$defs"] = defs;
    let text = serde_json::to_string(&schema)
        .unwrap_or_default()
        .replace("#/components/schemas/", "#/$defs/");
    Json(serde_json::from_str(&text).unwrap_or_default())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let day = crate::meetings::civil_date(ms);
    let s = secs.rem_euclid(86_400);
    format!("{day}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// An Atom feed of what was published: card versions, approved minutes,
/// responses to proposals.
#[utoipa::path(get, path = "/api/public/feed.atom", responses((status = 200, body = String)))]
pub async fn feed(State(api): State<Arc<Api>>, State(hub): State<Arc<Hub>>) -> ApiResult<Response> {
    let acc = api.accounts()?;
    let base = api.origins.public().unwrap_or_default();
    let mut entries: Vec<(i64, String, String, String)> = Vec::new();
    for info in acc
        .documents()
        .await?
        .into_iter()
        .filter(|d| d.kind == "card")
    {
        if let Some(c) = public_card(&hub, acc, &info).await? {
            for v in &c.versions {
                let title = format!(
                    "{} — {} v{}",
                    c.number,
                    if c.title.ar.is_empty() {
                        &c.title.fr
                    } else {
                        &c.title.ar
                    },
                    v.version.version
                );
                entries.push((
                    v.version.at_ms,
                    title,
                    format!(
                        "{base}/api/public/cards/{}/versions/{}",
                        c.id, v.version.version
                    ),
                    format!("sha256 {}", v.sha256),
                ));
            }
        }
    }
    for m in public_meetings(State(api.clone())).await?.0 {
        let s = acc.meeting_state(card_id(&m.id)?).await?;
        for v in &s.versions {
            entries.push((
                v.at_ms,
                format!(
                    "{} ({})",
                    crate::meetings::minutes::best_title(&m.title),
                    m.date
                ),
                format!(
                    "{base}/api/public/meetings/{}/minutes?version={}",
                    m.id, v.version
                ),
                String::new(),
            ));
        }
    }
    for p in acc
        .process()
        .await?
        .proposals
        .iter()
        .filter(|p| p.hidden.is_none())
    {
        if let Some(r) = &p.response {
            entries.push((
                r.stamp.at_ms,
                p.code.clone(),
                format!("{base}/#/proposal/{}", p.code),
                r.reason.ar.clone(),
            ));
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    let updated = entries.first().map_or(0, |e| e.0);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>Codraft</title>\n<id>{}/api/public/feed.atom</id>\n<updated>{}</updated>\n",
        esc(&base),
        rfc3339(updated)
    );
    for (at, title, link, summary) in entries.iter().take(100) {
        out.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link href=\"{}\"/><updated>{}</updated><summary>{}</summary></entry>\n",
            esc(title),
            esc(link),
            esc(link),
            rfc3339(*at),
            esc(summary)
        ));
    }
    out.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        out,
    )
        .into_response())
}
