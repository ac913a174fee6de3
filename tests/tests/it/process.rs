//! The revision in the open over the real API: the timeline seeded from
//! the 3 February session, anonymous proposals with a tracking code (a
//! honeypot, a flood throttled, sizes bounded, script kept as text),
//! moderation hiding with a reason, triage to a group and a card, the
//! reasoned response by the group's co-coordinators published on the
//! proposal's page, the synthesis counts; nothing private in public.

use codraft_server::directory::{Role, Sector};
use serde_json::{Value as Json, json};

use crate::access::{GROUP, World, call, person, world};

async fn propose(w: &World, body: Json) -> (u16, Json) {
    call(&w.server, "POST", "/api/public/proposals", None, Some(body)).await
}

async fn track(w: &World, code: &str) -> (u16, Json) {
    call(
        &w.server,
        "GET",
        &format!("/api/public/proposals/{code}"),
        None,
        None,
    )
    .await
}

#[tokio::test]
async fn anyone_proposes_the_secretariat_moderates_and_assigns_and_the_group_answers_in_public() {
    let w = world().await;
    // The timeline: six phases, in public.
    let (s, t) = call(&w.server, "GET", "/api/public/timeline", None, None).await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t.as_array().unwrap().len(), 6);
    assert_eq!(t[2]["start"], "2026-03-01");

    // An anonymous proposal in Arabic, with script in it and an e-mail.
    let text = "نشر معطيات الصفقات العمومية <script>alert(1)</script>";
    let (s, b) = propose(&w, json!({"text": text, "region": "الرباط سلا القنيطرة", "theme": "الشفافية", "lang": "ar", "email": "citoyen@example.org"})).await;
    assert_eq!(s, 201, "{b}");
    let code = b["code"].as_str().unwrap().to_owned();
    let (s, p) = track(&w, &code).await;
    assert_eq!(s, 200);
    assert_eq!(
        p["text"], text,
        "kept as written: the pages show it as text"
    );
    assert!(
        !p.to_string().contains("citoyen@example.org"),
        "no e-mail in public: {p}"
    );
    assert!(p["response"].is_null());
    // Lower case is the same code.
    assert_eq!(track(&w, &code.to_lowercase()).await.0, 200);
    let (s, b) = track(&w, "AAAAA-AAAAA").await;
    assert_eq!((s, b["error"].as_str()), (404, Some("no_such_proposal")));

    // A robot fills the honeypot: told it worked, nothing kept.
    let (s, b) = propose(
        &w,
        json!({"text": "spam", "website": "http://spam.example"}),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(track(&w, b["code"].as_str().unwrap()).await.0, 404);
    // Empty, too long, a language not of the three.
    let (s, b) = propose(&w, json!({"text": "  "})).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("empty_text")));
    let (s, b) = propose(&w, json!({"text": "x".repeat(4001)})).await;
    assert_eq!((s, b["params"]["max"].as_u64()), (400, Some(4000)));
    let (s, _) = propose(&w, json!({"text": "x", "lang": "en"})).await;
    assert_eq!(s, 400);

    // The secretariat (a writer of the secretariat group) moderates.
    let hajar = person(
        &w.server,
        "hajar@x.org",
        Sector::Administration,
        false,
        Some(("secretariat", Role::Member)),
    )
    .await;
    let abuse = propose(&w, json!({"text": "insultes"})).await.1["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let hide = format!("/api/proposals/{abuse}/hide");
    let (s, _) = call(
        &w.server,
        "POST",
        &hide,
        w.member.token.as_deref(),
        Some(json!({"reason": "x"})),
    )
    .await;
    assert_eq!(s, 403, "a member does not moderate");
    let (s, b) = call(
        &w.server,
        "POST",
        &hide,
        hajar.token.as_deref(),
        Some(json!({"reason": " "})),
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("reason_needed")));
    let (s, _) = call(
        &w.server,
        "POST",
        &hide,
        hajar.token.as_deref(),
        Some(json!({"reason": "propos injurieux"})),
    )
    .await;
    assert_eq!(s, 200);
    let (_, t) = track(&w, &abuse).await;
    assert_eq!(t["hidden"], "propos injurieux");
    assert!(t["text"].is_null(), "hidden content is not shown: {t}");
    let (_, list) = call(&w.server, "GET", "/api/public/proposals", None, None).await;
    assert!(!list.to_string().contains("insultes"), "{list}");
    assert_eq!(list["synthesis"]["received"], 2);
    assert_eq!(list["synthesis"]["hidden"], 1);
    assert_eq!(list["synthesis"]["by_decision"]["pending"], 1);

    // A proposal from a regional consultation, entered by the secretariat.
    let (s, b) = call(
        &w.server,
        "POST",
        "/api/proposals",
        hajar.token.as_deref(),
        Some(json!({"text": "Budget citoyen régional", "region": "Souss-Massa", "lang": "fr"})),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let regional = b["code"].as_str().unwrap().to_owned();
    let (s, _) = call(
        &w.server,
        "POST",
        "/api/proposals",
        w.member.token.as_deref(),
        Some(json!({"text": "x"})),
    )
    .await;
    assert_eq!(s, 403);
    let (_, all) = call(
        &w.server,
        "GET",
        "/api/proposals",
        hajar.token.as_deref(),
        None,
    )
    .await;
    let mine = all
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code.as_str())
        .unwrap();
    assert_eq!(
        mine["email"], "citoyen@example.org",
        "the secretariat has the e-mail for follow-up"
    );
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == regional.as_str() && p["source"] == "consultation")
    );

    // A consultation's proposals from CSV: all, or none with the bad line named.
    let (s, b) = call(
        &w.server,
        "POST",
        "/api/proposals/import",
        hajar.token.as_deref(),
        Some(json!({"csv": "text,region\nok,Rabat\n,Fès\n"})),
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str(), b["params"]["line"].as_u64()),
        (400, Some("bad_line"), Some(3)),
        "{b}"
    );
    let (s, b) = call(&w.server, "POST", "/api/proposals/import", hajar.token.as_deref(), Some(json!({"csv": "text,region,theme\n\"Ouvrir, publier\",Drâa-Tafilalet,Eau\nRegistre,Oriental,\n"}))).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["codes"].as_array().unwrap().len(), 2);
    let (_, t) = track(&w, b["codes"][0].as_str().unwrap()).await;
    assert_eq!(
        (t["text"].as_str(), t["source"].as_str()),
        (Some("Ouvrir, publier"), Some("consultation"))
    );
    let (s, _) = call(
        &w.server,
        "POST",
        "/api/proposals/import",
        w.member.token.as_deref(),
        Some(json!({"csv": "text\nx\n"})),
    )
    .await;
    assert_eq!(s, 403);

    // Triage: to the group and its card; a duplicate merged into it.
    let assign = format!("/api/proposals/{code}/assign");
    let (s, b) = call(
        &w.server,
        "POST",
        &assign,
        hajar.token.as_deref(),
        Some(json!({"group": "nowhere"})),
    )
    .await;
    assert_eq!(s, 404, "{b}");
    let (s, b) = call(
        &w.server,
        "POST",
        &assign,
        hajar.token.as_deref(),
        Some(json!({"group": GROUP, "card": w.doc.to_url()})),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["card"], w.doc.to_url().as_str());
    let (s, b) = call(
        &w.server,
        "POST",
        &format!("/api/proposals/{regional}/duplicate"),
        hajar.token.as_deref(),
        Some(json!({"of": code})),
    )
    .await;
    assert_eq!((s, b["duplicate_of"].as_str()), (200, Some(code.as_str())));

    // The reasoned response: the group's co-coordinator, Arabic and French.
    let respond = format!("/api/proposals/{code}/respond");
    let reason = json!({"ar": "أدمج في البطاقة كنشاط", "fr": "Intégrée à la fiche comme activité"});
    let (s, _) = call(
        &w.server,
        "POST",
        &respond,
        w.member.token.as_deref(),
        Some(json!({"decision": "activity_of_card", "reason": reason})),
    )
    .await;
    assert_eq!(s, 403, "a member does not respond");
    let (s, b) = call(
        &w.server,
        "POST",
        &respond,
        w.coord.token.as_deref(),
        Some(json!({"decision": "activity_of_card", "reason": {"ar": "سبب"}})),
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("reasons_needed")));
    let (s, b) = call(
        &w.server,
        "POST",
        &respond,
        w.coord.token.as_deref(),
        Some(json!({"decision": "activity_of_card", "reason": reason})),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let (_, p) = track(&w, &code).await;
    assert_eq!(p["response"]["decision"], "activity_of_card");
    assert_eq!(
        p["response"]["reason"]["fr"],
        "Intégrée à la fiche comme activité"
    );
    assert_eq!(p["response"]["by_name"], "coord");
    let (_, list) = call(&w.server, "GET", "/api/public/proposals", None, None).await;
    assert_eq!(list["synthesis"]["by_decision"]["activity_of_card"], 1);
    assert_eq!(list["synthesis"]["by_region"]["Souss-Massa"], 1);
    // The co-coordinator's list holds their group's proposals, no e-mail.
    let (s, theirs) = call(
        &w.server,
        "GET",
        "/api/proposals",
        w.coord.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["email"].is_null())
    );
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == code.as_str() && p["can_respond"] == true)
    );

    // The timeline's dates: the secretariat only, valid dates.
    let phase = json!({"title": {"fr": "Collecte"}, "start": "2026-03-01", "end": "2026-05-15"});
    let (s, _) = call(
        &w.server,
        "PUT",
        "/api/timeline/2",
        w.coord.token.as_deref(),
        Some(phase.clone()),
    )
    .await;
    assert_eq!(s, 403);
    let (s, b) = call(
        &w.server,
        "PUT",
        "/api/timeline/2",
        hajar.token.as_deref(),
        Some(json!({"title": {"fr": "x"}, "start": "2026-05-01", "end": "2026-04-01"})),
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("date_needed")));
    let (s, t) = call(
        &w.server,
        "PUT",
        "/api/timeline/2",
        hajar.token.as_deref(),
        Some(phase),
    )
    .await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t[2]["end"], "2026-05-15");
}

#[tokio::test]
async fn a_flood_of_proposals_from_one_address_is_throttled() {
    let w = world().await;
    for i in 0..5 {
        let (s, b) = propose(&w, json!({"text": format!("proposition {i}")})).await;
        assert_eq!(s, 201, "{b}");
    }
    let (s, b) = propose(&w, json!({"text": "une de trop"})).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (429, Some("proposals_rate_limited")),
        "{b}"
    );
    assert_eq!(b["params"]["per_hour"], 5);
    let (_, list) = call(&w.server, "GET", "/api/public/proposals", None, None).await;
    assert_eq!(
        list["synthesis"]["received"], 5,
        "nothing of the flood kept"
    );
    // Signed-in work is not slowed: the editors' API still answers.
    let (s, _) = call(
        &w.server,
        "GET",
        "/api/groups",
        w.member.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(s, 200);
}

/// POSTs to a card's review API as `token`'s person.
async fn review_post(w: &World, card: &str, token: Option<&str>, what: &str, body: Json) -> Json {
    let path = format!("/api/documents/{}/{what}", card.replace(':', "%3A"));
    let (s, b) = call(&w.server, "POST", &path, token, Some(body)).await;
    assert_eq!(s, 200, "{what}: {b}");
    b
}

async fn get_text(w: &World, path: &str) -> (u16, String) {
    let (s, _, bytes) = crate::http::request("GET", &w.server.http(path), &[], None).await;
    (s, String::from_utf8(bytes).unwrap())
}

#[tokio::test]
async fn the_public_repository_holds_published_versions_with_fingerprints_and_nothing_unpublished()
{
    use sha2::Digest;
    let w = world().await;
    let store = w.server.store.clone().unwrap();
    let card = crate::access::demo_card(&w, &store, |_| {}).await.to_url();
    let yassine = person(
        &w.server,
        "yassine@x.org",
        Sector::CivilSociety,
        false,
        Some((GROUP, Role::CoCoordinator)),
    )
    .await;
    // A draft is not public.
    let (_, cards) = call(&w.server, "GET", "/api/public/cards", None, None).await;
    assert_eq!(cards, json!([]), "no draft in public");
    assert_eq!(
        call(
            &w.server,
            "GET",
            &format!("/api/public/cards/{}/versions/1", card.replace(':', "%3A")),
            None,
            None
        )
        .await
        .0,
        404
    );

    // Through the workflow to publication.
    review_post(
        &w,
        &card,
        w.coord.token.as_deref(),
        "transition",
        json!({"to": "group_review"}),
    )
    .await;
    let (_, v) = call(
        &w.server,
        "GET",
        &format!("/api/documents/{}/review", card.replace(':', "%3A")),
        w.coord.token.as_deref(),
        None,
    )
    .await;
    let heads = v["heads"].clone();
    review_post(
        &w,
        &card,
        w.coord.token.as_deref(),
        "approve",
        json!({"heads": heads}),
    )
    .await;
    review_post(
        &w,
        &card,
        yassine.token.as_deref(),
        "approve",
        json!({"heads": heads}),
    )
    .await;
    review_post(
        &w,
        &card,
        w.admin.token.as_deref(),
        "transition",
        json!({"to": "adopted"}),
    )
    .await;
    review_post(
        &w,
        &card,
        w.admin.token.as_deref(),
        "transition",
        json!({"to": "published"}),
    )
    .await;

    let (s, cards) = call(&w.server, "GET", "/api/public/cards", None, None).await;
    assert_eq!(s, 200);
    let c = &cards[0];
    assert_eq!(c["id"], card.as_str());
    let v1 = &c["versions"][0];
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["heads"], heads);
    let approvers: Vec<&str> = v1["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["by_name"].as_str().unwrap())
        .collect();
    assert_eq!(approvers, vec!["coord", "yassine"]);
    assert_eq!(v1["adopted_by"], "admin");
    // The fingerprint is the SHA-256 of the downloadable canonical JSON.
    let path = format!("/api/public/cards/{}/versions/1", card.replace(':', "%3A"));
    let (s, body) = get_text(&w, &path).await;
    assert_eq!(s, 200);
    assert_eq!(
        hex::encode(sha2::Sha256::digest(body.as_bytes())),
        v1["sha256"].as_str().unwrap()
    );
    let (s, md) = get_text(&w, &format!("{path}?format=md&lang=fr")).await;
    assert_eq!(s, 200);
    let number = c["number"].as_str().unwrap();
    assert!(!number.is_empty() && md.contains(number), "{number}: {md}");
    let (s, diff) = call(&w.server, "GET", &format!("{path}/diff"), None, None).await;
    assert_eq!(s, 200);
    assert!(
        !diff.as_array().unwrap().is_empty(),
        "the first version's difference from nothing"
    );

    // A draft edit after publication does not change the published version.
    review_post(
        &w,
        &card,
        w.coord.token.as_deref(),
        "transition",
        json!({"to": "draft", "reason": "une correction"}),
    )
    .await;
    let mut client =
        codraft_tests::TestClient::connect(&crate::access::ws_url(&w.server, &w.member), "editor")
            .await
            .unwrap();
    let id = codraft_protocol::DocumentId::from_url(&card).unwrap();
    client.open(id).await.unwrap();
    client
        .edit(id, crate::access::title_edit("BROUILLON "))
        .await
        .unwrap();
    client.wait_saved(id).await.unwrap();
    let (_, again) = get_text(&w, &path).await;
    assert_eq!(again, body, "version 1 is immutable");
    assert!(!again.contains("BROUILLON"));
    let (_, cards) = call(&w.server, "GET", "/api/public/cards", None, None).await;
    assert_eq!(cards[0]["versions"][0]["sha256"], v1["sha256"]);
    assert!(
        !cards.to_string().contains("BROUILLON"),
        "no draft text in public"
    );

    // The public consultation on the draft plan: comments on a published
    // card while it is open; they enter the proposals.
    let comment = json!({"text": "أقترح مؤشرا إضافيا", "about": card});
    let (s, b) = call(
        &w.server,
        "POST",
        "/api/public/proposals",
        None,
        Some(comment.clone()),
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (409, Some("consultation_closed")),
        "{b}"
    );
    let hajar = person(
        &w.server,
        "hajar@x.org",
        Sector::Administration,
        false,
        Some(("secretariat", Role::Member)),
    )
    .await;
    let (s, _) = call(
        &w.server,
        "POST",
        "/api/consultation",
        w.coord.token.as_deref(),
        Some(json!({"until": "2099-12-31"})),
    )
    .await;
    assert_eq!(s, 403, "the secretariat opens it");
    let (s, _) = call(
        &w.server,
        "POST",
        "/api/consultation",
        hajar.token.as_deref(),
        Some(json!({"until": "2099-12-31"})),
    )
    .await;
    assert_eq!(s, 200);
    let (s, b) = call(
        &w.server,
        "POST",
        "/api/public/proposals",
        None,
        Some(comment),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let (_, t) = call(
        &w.server,
        "GET",
        &format!("/api/public/proposals/{}", b["code"].as_str().unwrap()),
        None,
        None,
    )
    .await;
    assert_eq!(t["about"], card.as_str());
    let other = crate::access::demo_card(&w, &store, |_| {}).await.to_url();
    let (s, _) = call(
        &w.server,
        "POST",
        "/api/public/proposals",
        None,
        Some(json!({"text": "x", "about": other})),
    )
    .await;
    assert_eq!(s, 404, "an unpublished card takes no public comment");
    let (_, list) = call(&w.server, "GET", "/api/public/proposals", None, None).await;
    assert_eq!(list["consultation"], "2099-12-31");
    call(
        &w.server,
        "POST",
        "/api/consultation",
        hajar.token.as_deref(),
        Some(json!({"until": null})),
    )
    .await;

    // Open data: CSV (a formula is defused), the JSON Schema, the feed.
    let (s, _) = call(
        &w.server,
        "POST",
        "/api/public/proposals",
        None,
        Some(json!({"text": "=HYPERLINK(\"x\")", "region": "Fès-Meknès"})),
    )
    .await;
    assert_eq!(s, 201);
    let (s, csv) = get_text(&w, "/api/public/proposals.csv").await;
    assert_eq!(s, 200);
    assert!(csv.starts_with("code,received,source,region"), "{csv}");
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    let (s, schema) = call(
        &w.server,
        "GET",
        "/api/public/proposals.schema.json",
        None,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["$defs"]["PublicProposal"].is_object());
    assert!(!schema.to_string().contains("#/components/"));
    let (s, atom) = get_text(&w, "/api/public/feed.atom").await;
    assert_eq!(s, 200);
    assert!(
        atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
            && atom.contains("versions/1"),
        "{atom}"
    );
}

#[tokio::test]
async fn approved_minutes_are_public_and_a_correction_in_progress_is_not() {
    let w = world().await;
    let yassine = person(
        &w.server,
        "yassine@x.org",
        Sector::CivilSociety,
        false,
        Some((GROUP, Role::CoCoordinator)),
    )
    .await;
    let plan = json!({"title": {"fr": "Réunion publique"}, "date": "2026-11-20", "time": "10:00", "agenda": [{"title": {"fr": "Point"}, "minutes": 30}]});
    let (s, m) = call(
        &w.server,
        "POST",
        &format!("/api/bodies/{GROUP}/meetings"),
        w.coord.token.as_deref(),
        Some(plan),
    )
    .await;
    assert_eq!(s, 201, "{m}");
    let id = m["id"].as_str().unwrap().to_owned();
    let at = |what: &str| format!("/api/meetings/{}{what}", id.replace(':', "%3A"));
    let public = format!(
        "/api/public/meetings/{}/minutes?lang=fr",
        id.replace(':', "%3A")
    );
    assert_eq!(
        get_text(&w, &public).await.0,
        404,
        "not public before approval"
    );
    let (_, listed) = call(&w.server, "GET", "/api/public/meetings", None, None).await;
    assert_eq!(listed, json!([]));
    call(
        &w.server,
        "POST",
        &at("/start"),
        w.coord.token.as_deref(),
        Some(json!({})),
    )
    .await;
    let (_, v) = call(&w.server, "GET", &at(""), w.coord.token.as_deref(), None).await;
    let body = json!({"heads": v["heads"], "rev": v["rev"]});
    call(
        &w.server,
        "POST",
        &at("/approve"),
        w.coord.token.as_deref(),
        Some(body.clone()),
    )
    .await;
    let (_, v) = call(
        &w.server,
        "POST",
        &at("/approve"),
        yassine.token.as_deref(),
        Some(body),
    )
    .await;
    assert_eq!(v["status"], "published", "{v}");
    let (s, md) = get_text(&w, &public).await;
    assert_eq!(s, 200);
    assert!(md.contains("Réunion publique"), "{md}");
    let (_, listed) = call(&w.server, "GET", "/api/public/meetings", None, None).await;
    assert_eq!(listed[0]["versions"], json!([1]));
    // A correction under way: the public still reads version 1.
    call(
        &w.server,
        "POST",
        &at("/correction"),
        w.coord.token.as_deref(),
        Some(json!({"reason": "titre"})),
    )
    .await;
    let (s, _) = call(
        &w.server,
        "POST",
        &at("/decisions"),
        w.member.token.as_deref(),
        Some(json!({"text": "Décision en brouillon", "kind": "other"})),
    )
    .await;
    assert_eq!(s, 200);
    let (_, md) = get_text(&w, &public).await;
    assert!(
        !md.contains("Décision en brouillon"),
        "the draft of a correction is not public: {md}"
    );
    let (s, page) = get_text(&w, &format!("{public}&format=html")).await;
    assert_eq!(s, 200);
    assert!(page.contains("<!doctype html>"));
}

#[tokio::test]
async fn members_score_blind_until_the_round_closes_then_sectors_are_compared() {
    let w = world().await;
    let c = codraft_schema::workspace::STEERING_COMMITTEE;
    let hajar = person(
        &w.server,
        "hajar@x.org",
        Sector::Administration,
        false,
        Some(("secretariat", Role::Member)),
    )
    .await;
    let adm = person(
        &w.server,
        "adm@x.org",
        Sector::Administration,
        false,
        Some((c, Role::Member)),
    )
    .await;
    let cs = person(
        &w.server,
        "cs@x.org",
        Sector::CivilSociety,
        false,
        Some((c, Role::Member)),
    )
    .await;
    let aca = person(
        &w.server,
        "aca@x.org",
        Sector::Academia,
        false,
        Some((c, Role::Member)),
    )
    .await;
    let code = call(
        &w.server,
        "POST",
        "/api/public/proposals",
        None,
        Some(json!({"text": "Registre des bénéficiaires effectifs"})),
    )
    .await
    .1["code"]
        .as_str()
        .unwrap()
        .to_owned();
    // Only the secretariat opens a round; the default grid: 4 gates, 7 criteria.
    let (s, _) = call(
        &w.server,
        "POST",
        "/api/rounds",
        adm.token.as_deref(),
        Some(json!({"name": "Mai 2026"})),
    )
    .await;
    assert_eq!(s, 403);
    let (s, r) = call(
        &w.server,
        "POST",
        "/api/rounds",
        hajar.token.as_deref(),
        Some(json!({"name": "Mai 2026"})),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let round = r["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (
            r["grid"]["gates"].as_array().unwrap().len(),
            r["grid"]["criteria"].as_array().unwrap().len()
        ),
        (4, 7)
    );
    let score_path = format!("/api/rounds/{round}/scores/{code}");
    let put = |p: &crate::access::Person, v: u8| {
        let body = json!({"gates": [true, true, true, true], "scores": vec![v; 7]});
        let token = p.token.clone();
        let path = score_path.clone();
        let server = &w.server;
        async move { call(server, "PUT", &path, token.as_deref(), Some(body)).await }
    };
    // A score must fill the grid; an outsider of the committee does not score.
    let (s, b) = call(
        &w.server,
        "PUT",
        &score_path,
        adm.token.as_deref(),
        Some(json!({"gates": [true], "scores": [9]})),
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("bad_score")), "{b}");
    assert_eq!(
        put(&w.member, 3).await.0,
        403,
        "a group member outside the committee"
    );
    assert_eq!(put(&adm, 4).await.0, 200);
    assert_eq!(put(&cs, 1).await.0, 200);
    // Blind: each sees only their own, in every answer that carries scores.
    let (_, mine) = call(&w.server, "GET", "/api/rounds", cs.token.as_deref(), None).await;
    let mine_s = mine.to_string();
    assert_eq!(
        mine[0]["mine"][&code]["scores"],
        json!([1, 1, 1, 1, 1, 1, 1])
    );
    assert!(
        !mine_s.contains("[4,4,4,4,4,4,4]")
            && !mine_s.contains(adm.user.as_ref().unwrap().id.as_str()),
        "another's score leaked: {mine_s}"
    );
    let (_, sec) = call(
        &w.server,
        "GET",
        "/api/rounds",
        hajar.token.as_deref(),
        None,
    )
    .await;
    assert!(
        sec[0]["mine"].as_object().unwrap().is_empty(),
        "the secretariat sees no one's scores either: {sec}"
    );
    let (s, b) = call(
        &w.server,
        "GET",
        &format!("/api/rounds/{round}/results"),
        hajar.token.as_deref(),
        None,
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (409, Some("round_open")));
    for path in [
        "/api/public/proposals",
        "/api/proposals",
        &format!("/api/public/proposals/{code}"),
    ] {
        let (_, b) = call(&w.server, "GET", path, hajar.token.as_deref(), None).await;
        assert!(
            !b.to_string().contains("\"scores\""),
            "{path} carries scores: {b}"
        );
    }
    // The proposal changes (triage): the academic's score comes after; the
    // two given before are stale.
    call(
        &w.server,
        "POST",
        &format!("/api/proposals/{code}/assign"),
        hajar.token.as_deref(),
        Some(json!({"group": GROUP})),
    )
    .await;
    assert_eq!(put(&aca, 2).await.0, 200);
    let (_, r) = call(&w.server, "GET", "/api/rounds", adm.token.as_deref(), None).await;
    assert_eq!(r[0]["stale"], json!([code]));
    // Closed: the results, by sector, the disagreement flagged.
    let (s, res) = call(
        &w.server,
        "POST",
        &format!("/api/rounds/{round}/close"),
        hajar.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(s, 200, "{res}");
    let x = &res[0];
    assert_eq!(x["scorers"], 3);
    assert_eq!(x["mean"], 2.33);
    assert_eq!(x["by_sector"]["administration"], 4.0);
    assert_eq!(x["by_sector"]["civil_society"], 1.0);
    assert_eq!(x["disagreement"], true);
    assert_eq!(x["stale"], 2);
    assert_eq!(put(&cs, 3).await.1["error"], "round_closed");
    let (s, _) = call(
        &w.server,
        "GET",
        &format!("/api/rounds/{round}/results"),
        cs.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(s, 200);
}
