//! Meetings over the real API and socket: attendance from announced
//! absences (with their time) and the server's own sight of who is in the
//! live page, two-key approval of a version that publishes and locks the
//! minutes, a correction that keeps the published version, action items
//! on their owner's list, bad input with clear errors, and the seeded
//! 3 February 2026 session exported as its minutes list it.

use automerge::ReadDoc;
use automerge::transaction::Transactable;
use codraft_protocol::DocumentId;
use codraft_server::directory::{Role, Sector};
use codraft_tests::{TestClient, TestServer};
use serde_json::{Value as Json, json};

use crate::access::{GROUP, Person, World, call, person, world, ws_url};

struct Meeting {
    w: World,
    yassine: Person,
    id: String,
}

/// A date `days` from today (UTC), ISO.
fn date_in(days: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    codraft_server::meetings::civil_date(now + days * codraft_server::meetings::DAY_MS)
}

fn plan(date: &str) -> Json {
    json!({
        "title": {"ar": "اجتماع المجموعة", "fr": "Réunion du groupe"},
        "date": date,
        "time": "10:00",
        "format": "remote",
        "link": "https://visio.example.org/groupe",
        "agenda": [
            {"title": {"fr": "Méthodologie"}, "presenter": "Secrétariat", "minutes": 30, "start": "10:00"},
            {"title": {"fr": "Cartes"}, "presenter": "Coordination", "minutes": 45, "start": "10:30"}
        ]
    })
}

async fn setup() -> Meeting {
    let w = world().await;
    let yassine = person(
        &w.server,
        "yassine@x.org",
        Sector::CivilSociety,
        false,
        Some((GROUP, Role::CoCoordinator)),
    )
    .await;
    let (s, b) = call(
        &w.server,
        "POST",
        &format!("/api/bodies/{GROUP}/meetings"),
        w.coord.token.as_deref(),
        Some({
            let mut p = plan(&date_in(7));
            p["functions"] = json!({yassine.user.as_ref().unwrap().id.clone(): "الممثل الرئيسي"});
            p
        }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let id = b["id"].as_str().unwrap().to_owned();
    Meeting { w, yassine, id }
}

impl Meeting {
    async fn req(&self, p: &Person, method: &str, what: &str, body: Option<Json>) -> (u16, Json) {
        let path = format!("/api/meetings/{}{what}", urlencode(&self.id));
        call(&self.w.server, method, &path, p.token.as_deref(), body).await
    }
    async fn ok(&self, p: &Person, what: &str, body: Json) -> Json {
        let (s, b) = self.req(p, "POST", what, Some(body)).await;
        assert_eq!(s, 200, "{what}: {b}");
        b
    }
    async fn view(&self, p: &Person) -> Json {
        let (s, b) = self.req(p, "GET", "", None).await;
        assert_eq!(s, 200, "{b}");
        b
    }
    fn doc(&self) -> DocumentId {
        DocumentId::from_url(&self.id).unwrap()
    }
    async fn minutes(&self, p: &Person, query: &str) -> (u16, String) {
        let path = format!("/api/meetings/{}/minutes?{query}", urlencode(&self.id));
        let auth = format!("Bearer {}", p.token.as_deref().unwrap());
        let (s, _, bytes) = crate::http::request(
            "GET",
            &self.w.server.http(&path),
            &[("Authorization", auth.as_str())],
            None,
        )
        .await;
        (s, String::from_utf8(bytes).unwrap())
    }
}

fn urlencode(s: &str) -> String {
    s.replace(':', "%3A")
}

fn row<'a>(view: &'a Json, p: &Person) -> &'a Json {
    let id = &p.user.as_ref().unwrap().id;
    view["attendance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["user"] == id.as_str())
        .unwrap_or_else(|| panic!("{id} not invited: {view}"))
}

/// Types `text` at the end of the agenda item's minutes, through the
/// socket, as `p`.
async fn type_minutes(m: &Meeting, p: &Person, item: &str, text: &'static str) -> TestClient {
    let mut c = TestClient::connect(&ws_url(&m.w.server, p), "minutes")
        .await
        .unwrap();
    c.open(m.doc()).await.unwrap();
    let item = item.to_owned();
    c.edit(m.doc(), move |tx| {
        let (_, items) = tx.get(automerge::ROOT, "items")?.unwrap();
        let (_, t) = tx.get(&items, item.as_str())?.unwrap();
        let len = tx.length(&t);
        tx.splice_text(&t, len, 0, text)?;
        Ok(())
    })
    .await
    .unwrap();
    c.wait_saved(m.doc()).await.unwrap();
    c
}

/// The card's difference "since the last meeting", as its co-coordinator.
async fn card_diff(w: &World) -> (u16, Json) {
    let path = format!(
        "/api/documents/{}/diff?from=meeting",
        urlencode(&w.doc.to_url())
    );
    call(&w.server, "GET", &path, w.coord.token.as_deref(), None).await
}

#[tokio::test]
async fn attendance_comes_from_announced_absences_and_the_servers_sight_of_the_live_page() {
    let m = setup().await;
    let w = &m.w;
    let v = m.view(&w.coord).await;
    assert_eq!(v["status"], "scheduled");
    // Every member of the body is invited, with their organisation.
    assert_eq!(v["attendance"].as_array().unwrap().len(), 5, "{v}");
    assert_eq!(row(&v, &w.observer)["attendance"], "invited");
    assert_eq!(row(&v, &m.yassine)["function"], "الممثل الرئيسي");
    assert_eq!(row(&v, &m.yassine)["organisation"], "Org");
    // Invitees are told; the organiser who scheduled it is not.
    let (_, inbox) = call(
        &w.server,
        "GET",
        "/api/inbox",
        w.observer.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(inbox["entries"][0]["kind"], "meeting_invited", "{inbox}");
    assert_eq!(inbox["entries"][0]["doc"], m.id.as_str());
    let (_, inbox) = call(
        &w.server,
        "GET",
        "/api/inbox",
        w.coord.token.as_deref(),
        None,
    )
    .await;
    assert!(
        !inbox["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "meeting_invited")
    );

    // The observer announces their absence beforehand, from their account.
    let before = codraft_tests::driver::now_ms() as i64;
    let v = m.ok(&w.observer, "/excuse", json!({})).await;
    let r = row(&v, &w.observer);
    assert_eq!(r["attendance"], "excused");
    let at = r["excused_ms"].as_i64().unwrap();
    assert!(at >= before && at <= before + 60_000, "announced at {at}");
    // Someone outside the body is not told the meeting exists.
    let (s, b) = m.req(&w.outsider, "POST", "/excuse", Some(json!({}))).await;
    assert_eq!((s, b["error"].as_str()), (404, Some("not_found")), "{b}");
    // Being in the live page counts only while the meeting runs.
    let (s, b) = m.req(&w.member, "POST", "/here", Some(json!({}))).await;
    assert_eq!((s, b["error"].as_str()), (409, Some("wrong_status")), "{b}");
    assert_eq!(b["params"]["status"], "scheduled");
    // Only organisers start it.
    let (s, b) = m.req(&w.member, "POST", "/start", Some(json!({}))).await;
    assert_eq!(
        (s, b["params"]["who"].as_str()),
        (403, Some("organisers")),
        "{b}"
    );
    let v = m.ok(&w.coord, "/start", json!({})).await;
    assert_eq!(v["status"], "in_progress");
    assert_eq!(v["clock"]["index"], 0, "the agenda clock at the first item");
    // Too late to announce an absence now.
    let (s, b) = m.req(&w.member, "POST", "/excuse", Some(json!({}))).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (409, Some("already_begun")),
        "{b}"
    );

    // The member opens the live page: the server records them present
    // remotely (their own authenticated request), once.
    let v = m.ok(&w.member, "/here", json!({})).await;
    let r = row(&v, &w.member);
    assert_eq!(r["attendance"], "present_remotely");
    let seen = r["seen_ms"].as_i64().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let v = m.ok(&w.member, "/here", json!({})).await;
    assert_eq!(row(&v, &w.member)["seen_ms"].as_i64(), Some(seen));
    assert!(row(&v, &w.member)["confirmed_by"].is_null());
    // The secretariat (an organiser) confirms; a member may not mark others.
    let key = row(&v, &w.member)["key"].clone();
    let (s, _) = m
        .req(
            &w.member,
            "POST",
            "/attendance",
            Some(json!({"key": key, "attendance": "present"})),
        )
        .await;
    assert_eq!(s, 403);
    let v = m
        .ok(
            &w.coord,
            "/attendance",
            json!({"key": key, "attendance": "present_remotely"}),
        )
        .await;
    assert_eq!(row(&v, &w.member)["confirmed_by"], "coord");
    // The agenda clock moves on; the end makes the unseen absent.
    let v = m.ok(&w.coord, "/item", json!({"index": 1})).await;
    assert_eq!(v["clock"]["index"], 1);
    assert_eq!(v["clock"]["spent_ms"].as_array().unwrap().len(), 1);
    let (s, b) = m
        .req(&w.coord, "POST", "/item", Some(json!({"index": 5})))
        .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (404, Some("no_such_entry")),
        "{b}"
    );
    let v = m.ok(&w.coord, "/end", json!({})).await;
    assert_eq!(v["status"], "ended");
    assert_eq!(row(&v, &m.yassine)["attendance"], "absent");
    assert_eq!(row(&v, &w.observer)["attendance"], "excused");

    // The minutes list them so.
    let (s, md) = m.minutes(&w.coord, "lang=fr").await;
    assert_eq!(s, 200);
    let excused = md.split_once("## Excusés").unwrap().1;
    assert!(excused.contains("observer"), "{md}");
    let participants = md.split_once("## Participants").unwrap().1;
    let participants = participants.split_once("## Excusés").unwrap().0;
    assert!(
        participants.contains("member") && !participants.contains("yassine"),
        "{md}"
    );
}

#[tokio::test]
async fn both_co_coordinators_approving_one_version_publish_and_lock_and_a_correction_keeps_it() {
    let m = setup().await;
    let w = &m.w;
    m.ok(&w.coord, "/start", json!({})).await;
    let mut amina = type_minutes(&m, &w.member, "item2", "La carte MO0056 est revue. ").await;
    // A decision on the card at its exact current version.
    let card = w.doc.to_url();
    let v = m
        .ok(
            &w.member,
            "/decisions",
            json!({"text": "Réviser MO0056", "kind": "revise", "item": "item2", "card": card}),
        )
        .await;
    let d = &v["decisions"][0];
    assert_eq!(d["card"], card.as_str());
    let mut probe = TestClient::connect(&ws_url(&w.server, &w.coord), "card")
        .await
        .unwrap();
    probe.open(w.doc).await.unwrap();
    let card_heads: Vec<String> = probe
        .doc(w.doc)
        .get_heads()
        .iter()
        .map(|h| h.to_string())
        .collect();
    assert_eq!(d["card_heads"], json!(card_heads));
    assert_eq!(d["by"], w.member.user.as_ref().unwrap().id.as_str());
    // "Since the last meeting" on the card: from the version decided on.
    let (s, d) = card_diff(w).await;
    assert_eq!(s, 200, "{d}");
    assert!(
        d["fields"].as_array().unwrap().is_empty(),
        "nothing changed yet: {d}"
    );
    probe
        .edit(w.doc, crate::access::title_edit("Ministère "))
        .await
        .unwrap();
    probe.wait_saved(w.doc).await.unwrap();
    let (_, d) = card_diff(w).await;
    let fields: Vec<&str> = d["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["lead"], "{d}");
    // An action item for Yassine, overdue already.
    let yassine_id = m.yassine.user.as_ref().unwrap().id.clone();
    let v = m
        .ok(
            &w.member,
            "/actions",
            json!({"text": "Envoyer la note", "owner_user": yassine_id, "due": "2026-01-15"}),
        )
        .await;
    let action = v["actions"][0]["id"].as_str().unwrap().to_owned();
    let (s, mine) = call(
        &w.server,
        "GET",
        "/api/me/actions",
        m.yassine.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(mine[0]["text"], "Envoyer la note", "{mine}");
    assert_eq!(mine[0]["overdue"], true);
    assert_eq!(mine[0]["meeting"], m.id.as_str());
    // …and told in his inbox, with a link to the meeting.
    let (_, inbox) = call(
        &w.server,
        "GET",
        "/api/inbox",
        m.yassine.token.as_deref(),
        None,
    )
    .await;
    let note = inbox["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "action_assigned")
        .unwrap_or_else(|| panic!("no note: {inbox}"));
    assert_eq!(note["doc"], m.id.as_str());
    assert_eq!(note["excerpt"], "Envoyer la note");

    // The administration's co-coordinator approves the version they see.
    let v = m.view(&w.coord).await;
    let (heads, rev) = (v["heads"].clone(), v["rev"].clone());
    let (s, b) = m
        .req(
            &w.member,
            "POST",
            "/approve",
            Some(json!({"heads": heads, "rev": rev})),
        )
        .await;
    assert_eq!(
        (s, b["params"]["who"].as_str()),
        (403, Some("co_coordinators"))
    );
    let v = m
        .ok(&w.coord, "/approve", json!({"heads": heads, "rev": rev}))
        .await;
    assert_eq!(v["approvals"][0]["standing"], true);
    // Someone is still typing: the version approved is no longer the one
    // there. Approving the old one is refused; the new one does not stand
    // with an approval of the old.
    amina
        .edit(m.doc(), |tx| {
            let (_, items) = tx.get(automerge::ROOT, "items")?.unwrap();
            let (_, t) = tx.get(&items, "item2")?.unwrap();
            tx.splice_text(&t, 0, 0, "Après discussion : ")?;
            Ok(())
        })
        .await
        .unwrap();
    amina.wait_saved(m.doc()).await.unwrap();
    let (s, b) = m
        .req(
            &m.yassine,
            "POST",
            "/approve",
            Some(json!({"heads": heads, "rev": rev})),
        )
        .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (409, Some("stale_version")),
        "{b}"
    );
    let v = m.view(&m.yassine).await;
    assert_eq!(v["approvals"][0]["standing"], false, "the edit withdrew it");
    let (heads2, rev2) = (v["heads"].clone(), v["rev"].clone());
    let v = m
        .ok(
            &m.yassine,
            "/approve",
            json!({"heads": heads2, "rev": rev2}),
        )
        .await;
    assert_eq!(v["status"], "in_progress", "one standing approval only");
    let v = m
        .ok(&w.coord, "/approve", json!({"heads": heads2, "rev": rev2}))
        .await;
    assert_eq!(v["status"], "published", "{v}");
    assert_eq!(v["versions"][0]["version"], 1);
    assert_eq!(v["versions"][0]["heads"], heads2);
    assert_eq!(v["versions"][0]["approvals"].as_array().unwrap().len(), 2);

    // Locked: the sync path refuses a change to the minutes, the API a
    // decision; the action item's status is follow-up and still moves.
    amina
        .edit(m.doc(), |tx| {
            let (_, items) = tx.get(automerge::ROOT, "items")?.unwrap();
            let (_, t) = tx.get(&items, "item2")?.unwrap();
            tx.splice_text(&t, 0, 0, "X")?;
            Ok(())
        })
        .await
        .unwrap();
    assert!(amina.wait_saved(m.doc()).await.is_err());
    assert!(
        amina.errors.iter().any(|e| e.starts_with("read-only")),
        "{:?}",
        amina.errors
    );
    let (s, b) = m
        .req(
            &w.member,
            "POST",
            "/decisions",
            Some(json!({"text": "x", "kind": "other"})),
        )
        .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (409, Some("minutes_locked")),
        "{b}"
    );
    let v = m
        .ok(
            &m.yassine,
            &format!("/actions/{action}/status"),
            json!({"status": "done"}),
        )
        .await;
    assert_eq!(v["actions"][0]["status"], "done");
    let (_, md1) = m.minutes(&w.coord, "lang=fr&version=1").await;
    assert!(
        md1.contains("Après discussion : La carte MO0056 est revue."),
        "{md1}"
    );
    assert!(md1.contains("Réviser MO0056 (révision)"), "{md1}");

    // A correction: a new version with a reason; the first one stays.
    let (s, b) = m
        .req(
            &w.coord,
            "POST",
            "/correction",
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (400, Some("reason_needed")),
        "{b}"
    );
    let v = m
        .ok(
            &w.coord,
            "/correction",
            json!({"reason": "Le nom de la carte"}),
        )
        .await;
    assert_eq!(v["status"], "correcting");
    let mut again = type_minutes(&m, &w.member, "item1", "Ajout après correction.").await;
    again
        .pump_for(std::time::Duration::from_millis(50))
        .await
        .unwrap();
    let v = m.view(&w.coord).await;
    let (h3, r3) = (v["heads"].clone(), v["rev"].clone());
    m.ok(&w.coord, "/approve", json!({"heads": h3, "rev": r3}))
        .await;
    let v = m
        .ok(&m.yassine, "/approve", json!({"heads": h3, "rev": r3}))
        .await;
    assert_eq!(v["status"], "published");
    assert_eq!(v["versions"].as_array().unwrap().len(), 2);
    assert_eq!(v["versions"][0]["corrected"], "Le nom de la carte");
    let (_, md1) = m.minutes(&w.coord, "lang=fr&version=1").await;
    let (_, md2) = m.minutes(&w.coord, "lang=fr&version=2").await;
    assert!(!md1.contains("Ajout après correction."));
    assert!(md2.contains("Ajout après correction."));
    let (s, _) = m.minutes(&w.coord, "lang=fr&version=9").await;
    assert_eq!(s, 404);
    // The printable page, right to left in Arabic.
    let (s, page) = m.minutes(&w.coord, "lang=ar&format=html").await;
    assert_eq!(s, 200);
    assert!(page.contains("dir=\"rtl\""), "{page}");
}

#[tokio::test]
async fn bad_meeting_input_gets_a_clear_error_and_changes_nothing() {
    let m = setup().await;
    let w = &m.w;
    // No meeting has begun yet: "since the last meeting" says so.
    let path = format!(
        "/api/documents/{}/diff?from=meeting",
        urlencode(&w.doc.to_url())
    );
    let (s, b) = call(&w.server, "GET", &path, w.coord.token.as_deref(), None).await;
    assert_eq!((s, b["error"].as_str()), (404, Some("no_meeting")), "{b}");
    let schedule = |body: Json| {
        let w = &m.w;
        async move {
            call(
                &w.server,
                "POST",
                &format!("/api/bodies/{GROUP}/meetings"),
                w.coord.token.as_deref(),
                Some(body),
            )
            .await
        }
    };
    let mut p = plan("");
    let (s, b) = schedule(p.clone()).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("date_needed")), "{b}");
    p["date"] = json!(date_in(3));
    p["agenda"][1]["start"] = json!("10:15");
    let (s, b) = schedule(p.clone()).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (400, Some("agenda_overlap")),
        "{b}"
    );
    assert_eq!(
        (
            b["params"]["item"].as_u64(),
            b["params"]["previous"].as_u64()
        ),
        (Some(2), Some(1))
    );
    p["agenda"][1]["start"] = json!("10:30");
    p["invite"] = json!([w.outsider.user.as_ref().unwrap().id]);
    let (s, b) = schedule(p.clone()).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("outside_body")), "{b}");
    assert_eq!(b["params"]["name"], "outsider");
    // A member does not schedule; an unknown body is not found.
    let (s, _) = call(
        &w.server,
        "POST",
        &format!("/api/bodies/{GROUP}/meetings"),
        w.member.token.as_deref(),
        Some(plan(&date_in(3))),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = call(
        &w.server,
        "POST",
        "/api/bodies/nowhere/meetings",
        w.coord.token.as_deref(),
        Some(plan(&date_in(3))),
    )
    .await;
    assert_eq!(s, 404);
    // Nothing of that was recorded: one meeting.
    let (s, list) = call(
        &w.server,
        "GET",
        &format!("/api/bodies/{GROUP}/meetings"),
        w.member.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(list["meetings"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(
        list["cadence"]["next_ms"],
        list["meetings"][0]["planned_ms"]
    );
    // An action item for someone outside the body; empty text; bad due date.
    let outsider = w.outsider.user.as_ref().unwrap().id.clone();
    let (s, b) = m
        .req(
            &w.member,
            "POST",
            "/actions",
            Some(json!({"text": "x", "owner_user": outsider})),
        )
        .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("outside_body")), "{b}");
    let (s, b) = m
        .req(
            &w.member,
            "POST",
            "/actions",
            Some(json!({"text": " ", "owner_organisation": "Org"})),
        )
        .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("empty_text")), "{b}");
    let (s, b) = m
        .req(
            &w.member,
            "POST",
            "/actions",
            Some(json!({"text": "x", "owner_organisation": "Org", "due": "demain"})),
        )
        .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("date_needed")), "{b}");
    let (s, b) = m
        .req(
            &w.member,
            "POST",
            "/actions",
            Some(json!({"text": "x", "owner_organisation": "Ailleurs"})),
        )
        .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("outside_body")), "{b}");
    // Approving before the meeting ran; a malformed body; an unknown meeting.
    let (s, b) = m
        .req(
            &w.coord,
            "POST",
            "/approve",
            Some(json!({"heads": [], "rev": 0})),
        )
        .await;
    assert_eq!((s, b["error"].as_str()), (409, Some("wrong_status")), "{b}");
    let (s, b) = m
        .req(&w.coord, "POST", "/approve", Some(json!({"heads": "x"})))
        .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("bad_request")), "{b}");
    let (s, _) = call(
        &w.server,
        "GET",
        &format!("/api/meetings/{}", urlencode(&w.doc.to_url())),
        w.coord.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(s, 404, "a card is not a meeting");
    let v = m.view(&w.coord).await;
    assert!(v["decisions"].as_array().unwrap().is_empty());
    assert!(v["actions"].as_array().unwrap().is_empty());
    // An agenda item links cards and proposals that exist.
    let (_, b) = call(
        &w.server,
        "POST",
        "/api/public/proposals",
        None,
        Some(json!({"text": "Un registre ouvert"})),
    )
    .await;
    let code = b["code"].as_str().unwrap().to_owned();
    let mut p = plan(&date_in(9));
    p["agenda"][0]["cards"] = json!([w.doc.to_url()]);
    p["agenda"][0]["proposals"] = json!([code.to_lowercase()]);
    let (s, v) = schedule(p.clone()).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["plan"]["agenda"][0]["cards"], json!([w.doc.to_url()]));
    assert_eq!(v["plan"]["agenda"][0]["proposals"], json!([code]));
    p["agenda"][0]["proposals"] = json!(["AAAAA-AAAAA"]);
    let (s, b) = schedule(p.clone()).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (404, Some("no_such_proposal")),
        "{b}"
    );
    p["agenda"][0]["proposals"] = json!([]);
    p["agenda"][0]["cards"] = json!([DocumentId::random().to_url()]);
    let (s, _) = schedule(p).await;
    assert_eq!(s, 404, "an unknown card");

    // The plan changes until the meeting starts, not after.
    let mut p = plan(&date_in(8));
    p["agenda"][0]["id"] = json!("item1");
    let v = m.ok(&w.coord, "/plan", p.clone()).await;
    assert_eq!(v["plan"]["date"], date_in(8));
    m.ok(&w.coord, "/start", json!({})).await;
    let (s, b) = m.req(&w.coord, "POST", "/plan", Some(p)).await;
    assert_eq!((s, b["error"].as_str()), (409, Some("wrong_status")), "{b}");
}

#[tokio::test]
async fn the_seeded_february_session_exports_minutes_listing_who_its_minutes_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = codraft_server::config::Config::for_tests(dir.path().to_owned());
    config.open_access = false;
    config.demo = true;
    let server = TestServer::start_with(config).await.unwrap();
    let acc = server.accounts();
    let (amina, _) = acc
        .user_by_email("amina@example.org")
        .await
        .unwrap()
        .unwrap();
    let (_, token) = codraft_server::http::tokens::mint(acc, &amina.id, "t")
        .await
        .unwrap();
    let (s, list) = call(
        &server,
        "GET",
        "/api/bodies/steering_committee/meetings",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 200, "{list}");
    let m = &list["meetings"][0];
    assert_eq!(
        (m["date"].as_str(), m["status"].as_str()),
        (Some("2026-02-03"), Some("published"))
    );
    let id = m["id"].as_str().unwrap();
    let (s, v) = call(
        &server,
        "GET",
        &format!("/api/meetings/{}", urlencode(id)),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        v["versions"][0]["approvals"].as_array().unwrap().len(),
        2,
        "approved by both"
    );
    // The Markdown's participants and absences are the minutes'.
    let auth = format!("Bearer {token}");
    let (s, _, bytes) = crate::http::request(
        "GET",
        &server.http(&format!("/api/meetings/{}/minutes?lang=ar", urlencode(id))),
        &[("Authorization", auth.as_str())],
        None,
    )
    .await;
    assert_eq!(s, 200);
    let md = String::from_utf8(bytes).unwrap();
    let listed = codraft_schema::meetings::demo::listed(codraft_schema::meetings::demo::MINUTES_AR);
    assert_eq!(listed.names.len(), 23);
    assert_eq!(listed.absent.len(), 6);
    let (participants, rest) = md.split_once("## الغائبون").unwrap();
    for n in &listed.names {
        assert!(participants.contains(n.as_str()), "{n} missing: {md}");
    }
    let absent = rest.split_once("## جدول الأعمال").unwrap().0;
    for a in &listed.absent {
        assert!(absent.contains(a.as_str()), "{a} missing: {md}");
    }
    // The organisations as the minutes head them, the agenda and outcomes.
    for org in [
        "### وزارة الانتقال الرقمي وإصلاح الإدارة",
        "### وزارة العدل",
        "### وكالة التنمية الرقمية",
    ] {
        assert!(participants.contains(org), "{org}");
    }
    assert!(md.contains("2. المجموعات الموضوعاتية"));
    assert!(md.contains("6. المصادقة واعتماد خطة العمل الوطنية الثالثة المراجعة"));
    assert!(md.contains("الإعلان عن الأعضاء المتغيبين"));
    let _ = server.stop().await;
}
