//! Co-coordinators reviewing edits, over the real API and socket: the
//! workflow the server enforces (approvals of the same version validate, a
//! later edit withdraws them, a member cannot validate or publish either
//! through the API or by writing the document), history, differences,
//! versions, restore, review marks, text status, and the bad input each
//! gets a clear error for.

use codraft_protocol::DocumentId;
use codraft_server::directory::{Reviews, Role, Sector};
use codraft_tests::TestClient;
use serde_json::{Value as Json, json};

use crate::access::{GROUP, Person, World, call, person, world, ws_url};

struct Review {
    w: World,
    /// The civil-society co-coordinator (`w.coord` is the administration one).
    yassine: Person,
    /// A writer of the steering committee's secretariat.
    nadia: Person,
    /// A complete card (the demo's first), created by the co-coordinator.
    card: DocumentId,
}

async fn setup() -> Review {
    let w = world().await;
    let store = w.server.store.clone().unwrap();
    setup_in(w, &store).await
}

/// The world's people, two more (the civil-society co-coordinator and a
/// secretariat writer), and a complete card created in `store`.
async fn setup_in(w: World, store: &dyn codraft_server::store::Store) -> Review {
    let yassine = person(
        &w.server,
        "yassine@x.org",
        Sector::CivilSociety,
        false,
        Some((GROUP, Role::CoCoordinator)),
    )
    .await;
    let nadia = person(
        &w.server,
        "nadia@x.org",
        Sector::Administration,
        false,
        Some((codraft_schema::workspace::SECRETARIAT, Role::Member)),
    )
    .await;
    let card = crate::access::demo_card(&w, store, |_| {}).await;
    Review {
        w,
        yassine,
        nadia,
        card,
    }
}

impl Review {
    async fn req(&self, p: &Person, method: &str, what: &str, body: Option<Json>) -> (u16, Json) {
        call(
            &self.w.server,
            method,
            &format!("/api/documents/{}/{what}", self.card.to_url()),
            p.token.as_deref(),
            body,
        )
        .await
    }
    async fn post(&self, p: &Person, what: &str, body: Json) -> (u16, Json) {
        self.req(p, "POST", what, Some(body)).await
    }
    async fn get(&self, p: &Person, what: &str) -> Json {
        let (status, body) = self.req(p, "GET", what, None).await;
        assert_eq!(status, 200, "GET {what}: {body}");
        body
    }
    async fn review(&self, p: &Person) -> Json {
        self.get(p, "review").await
    }
    async fn heads(&self) -> Json {
        self.review(&self.w.coord).await["heads"].clone()
    }
    /// `p` types `text` at the end of a language of a section, over the socket.
    async fn type_in(
        &self,
        p: &Person,
        section: &'static str,
        lang: &'static str,
        text: &'static str,
    ) {
        let mut c = TestClient::connect(&ws_url(&self.w.server, p), "typist")
            .await
            .unwrap();
        c.open(self.card).await.unwrap();
        c.edit(self.card, move |tx| {
            use automerge::ReadDoc;
            use automerge::transaction::Transactable;
            let (_, s) = tx.get(automerge::ROOT, section)?.unwrap();
            let (_, l) = tx.get(&s, lang)?.unwrap();
            let (_, t) = tx.get(&l, "text")?.unwrap();
            let end = tx.length(&t);
            tx.splice_text(&t, end, 0, text)?;
            Ok(())
        })
        .await
        .unwrap();
        c.wait_saved(self.card).await.unwrap();
    }
    async fn stage(&self) -> String {
        self.review(&self.w.coord).await["stage"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// The review once the card reached `stage` (the edit's audit row, and
/// what it sets off, are recorded just after the edit is acknowledged).
async fn wait_for_stage(r: &Review, stage: &str) -> Json {
    for _ in 0..100 {
        let v = r.review(&r.w.coord).await;
        if v["stage"] == stage {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!(
        "the card never reached {stage}: {}",
        r.review(&r.w.coord).await
    );
}

fn code(r: &(u16, Json)) -> (u16, &str) {
    (r.0, r.1["error"].as_str().unwrap_or(""))
}

#[tokio::test]
async fn approvals_of_the_same_version_validate_and_a_later_edit_withdraws_them() {
    let r = setup().await;
    let (amina, yassine, salma, karim) = (&r.w.coord, &r.yassine, &r.w.member, &r.w.observer);
    // Approvals are taken in group review only.
    let h = r.heads().await;
    assert_eq!(
        code(&r.post(amina, "approve", json!({"heads": h})).await),
        (409, "not_in_review")
    );
    // An observer cannot send it; a member can.
    assert_eq!(
        r.post(karim, "transition", json!({"to": "group_review"}))
            .await
            .0,
        403
    );
    assert_eq!(
        r.post(salma, "transition", json!({"to": "group_review"}))
            .await
            .0,
        200
    );
    // Nobody validates by transition; a member cannot approve.
    assert_eq!(
        code(
            &r.post(amina, "transition", json!({"to": "validated"}))
                .await
        ),
        (409, "needs_approvals")
    );
    assert_eq!(
        code(&r.post(salma, "approve", json!({"heads": h})).await),
        (403, "forbidden")
    );
    assert_eq!(
        code(&r.post(karim, "approve", json!({"heads": h})).await),
        (403, "forbidden")
    );

    // Amina approves what she sees; twice is refused.
    let h = r.heads().await;
    assert_eq!(r.post(amina, "approve", json!({"heads": h})).await.0, 200);
    assert_eq!(
        code(&r.post(amina, "approve", json!({"heads": h})).await),
        (409, "already_approved")
    );

    // Salma edits: Amina's approval no longer stands; an approval of the
    // old version is refused.
    r.type_in(salma, "summary", "fr", " Ajout de Salma").await;
    assert_eq!(
        code(&r.post(yassine, "approve", json!({"heads": h})).await),
        (409, "stale_version")
    );
    let view = r.review(amina).await;
    assert_eq!(view["approvals"][0]["standing"], false, "{view}");
    // Amina sees what changed since her approval, in Salma's name.
    let d = r.get(amina, "diff?from=approval").await;
    let seg = d["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "summary/fr")
        .and_then(|f| {
            f["segments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["kind"] == "inserted")
                .cloned()
        })
        .unwrap_or_else(|| panic!("{d}"));
    assert!(seg["text"].as_str().unwrap().contains("Salma"), "{seg}");
    let salma_id = salma.user.as_ref().unwrap().id.as_str();
    assert_eq!(seg["by"], salma_id);
    assert_eq!(d["authors"][salma_id]["name"], "member");

    // Writing "validated" into the document's own field confers nothing.
    let mut c = TestClient::connect(&ws_url(&r.w.server, salma), "forger")
        .await
        .unwrap();
    c.open(r.card).await.unwrap();
    c.edit(r.card, |tx| {
        use automerge::transaction::Transactable;
        tx.put(automerge::ROOT, "workflow", "published")?;
        Ok(())
    })
    .await
    .unwrap();
    c.wait_saved(r.card).await.unwrap();
    assert_eq!(r.stage().await, "group_review");

    // Both approve the same (current) version: validated.
    let h = r.heads().await;
    let one = r.post(yassine, "approve", json!({"heads": h})).await;
    assert_eq!(
        (one.0, one.1["stage"].as_str()),
        (200, Some("group_review")),
        "{}",
        one.1
    );
    let two = r.post(amina, "approve", json!({"heads": h})).await;
    assert_eq!(
        (two.0, two.1["stage"].as_str()),
        (200, Some("validated")),
        "{}",
        two.1
    );

    // Salma edits the validated card: both approvals are withdrawn, the
    // card is back in group review (recorded as her doing), and each
    // approver sees the difference since their approval.
    r.type_in(salma, "problem", "fr", " Après validation.")
        .await;
    let view = wait_for_stage(&r, "group_review").await;
    let standing: Vec<bool> = view["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["standing"].as_bool().unwrap())
        .collect();
    assert_eq!(standing, vec![false, false], "{view}");
    let back = view["transitions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (back["from"].as_str(), back["by_name"].as_str()),
        (Some("validated"), Some("member")),
        "{back}"
    );
    for approver in [amina, yassine] {
        let d = r.get(approver, "diff?from=approval").await;
        let fields: Vec<&str> = d["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, vec!["problem/fr"], "{d}");
    }
    // Both approve again: validated; the committee adopts.
    let h = r.heads().await;
    assert_eq!(r.post(yassine, "approve", json!({"heads": h})).await.0, 200);
    assert_eq!(
        r.post(amina, "approve", json!({"heads": h})).await.1["stage"],
        "validated"
    );

    // The secretariat sees every group's cards (to adopt them).
    let (_, groups) = call(
        &r.w.server,
        "GET",
        "/api/groups",
        r.nadia.token.as_deref(),
        None,
    )
    .await;
    let here = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == GROUP)
        .unwrap();
    assert!(
        here["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == r.card.to_url().as_str()),
        "{here}"
    );

    // The committee adopts, the secretariat publishes; nobody else.
    assert_eq!(
        r.post(salma, "transition", json!({"to": "adopted"}))
            .await
            .0,
        403
    );
    assert_eq!(
        r.post(amina, "transition", json!({"to": "adopted"}))
            .await
            .0,
        403
    );
    assert_eq!(
        r.post(&r.nadia, "transition", json!({"to": "adopted"}))
            .await
            .0,
        200
    );
    // Adopted: the text is locked for everyone, socket and API alike.
    let mut late = TestClient::connect(&ws_url(&r.w.server, salma), "late")
        .await
        .unwrap();
    late.open(r.card).await.unwrap();
    late.edit(r.card, crate::access::title_edit("x"))
        .await
        .unwrap();
    assert!(late.wait_saved(r.card).await.is_err());
    assert!(
        late.errors.iter().any(|e| e.starts_with("read-only")),
        "{:?}",
        late.errors
    );
    assert_eq!(
        code(
            &r.post(salma, "restore", json!({"at": "start", "scope": "card"}))
                .await
        ),
        (409, "card_locked")
    );
    assert_eq!(r.heads().await, h, "nothing changed the adopted version");
    assert_eq!(
        r.post(salma, "transition", json!({"to": "published"}))
            .await
            .0,
        403
    );
    assert_eq!(
        r.post(&r.w.admin, "transition", json!({"to": "published"}))
            .await
            .0,
        200
    );

    // Back to draft needs a reason; then the text opens again.
    assert_eq!(
        code(&r.post(amina, "transition", json!({"to": "draft"})).await),
        (400, "reason_needed")
    );
    assert_eq!(
        r.post(salma, "transition", json!({"to": "draft", "reason": "x"}))
            .await
            .0,
        403
    );
    assert_eq!(
        r.post(
            amina,
            "transition",
            json!({"to": "draft", "reason": "the ministry asked for changes"})
        )
        .await
        .0,
        200
    );
    r.type_in(salma, "summary", "fr", " encore").await;

    // Every transition is recorded: who, when, version, reason.
    let view = r.review(amina).await;
    let moves: Vec<(String, String)> = view["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["to"].as_str().unwrap().to_owned(),
                t["by_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        vec![
            ("group_review".into(), "member".into()),
            ("validated".into(), "coord".into()),
            ("group_review".into(), "member".into()),
            ("validated".into(), "coord".into()),
            ("adopted".into(), "nadia".into()),
            ("published".into(), "admin".into()),
            ("draft".into(), "coord".into()),
        ]
    );
    assert_eq!(view["transitions"][3]["heads"], h);
    assert_eq!(view["transitions"][2]["reason"], "edited after validation");
    assert_eq!(
        view["transitions"][6]["reason"],
        "the ministry asked for changes"
    );
}

#[tokio::test]
async fn concurrent_approvals_validate_once() {
    let r = setup().await;
    assert_eq!(
        r.post(&r.w.member, "transition", json!({"to": "group_review"}))
            .await
            .0,
        200
    );
    let h = r.heads().await;
    let (a, b) = tokio::join!(
        r.post(&r.w.coord, "approve", json!({"heads": h})),
        r.post(&r.yassine, "approve", json!({"heads": h}))
    );
    assert_eq!((a.0, b.0), (200, 200), "{} {}", a.1, b.1);
    let view = r.review(&r.w.coord).await;
    assert_eq!(view["stage"], "validated", "{view}");
    let validated = view["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["to"] == "validated")
        .count();
    assert_eq!(validated, 1);
}

#[tokio::test]
async fn history_versions_restore_review_marks_and_text_status() {
    let r = setup().await;
    let (amina, salma) = (&r.w.coord, &r.w.member);
    r.type_in(salma, "problem", "fr", " Une phrase de Salma.")
        .await;
    // History: newest first, the verified author, sector, what was touched.
    let page = r.get(amina, "history").await;
    let s0 = &page["sessions"][0];
    assert_eq!(
        (s0["user_name"].as_str(), s0["sector"].as_str()),
        (Some("member"), Some("academia")),
        "{page}"
    );
    assert_eq!(s0["sections"], json!(["problem"]));
    assert_eq!(s0["langs"], json!(["fr"]));
    assert_eq!(s0["added"], 21);

    // A named version, its export and the card as it was.
    let (st, v) = r
        .post(
            amina,
            "versions",
            json!({"name": "Envoyée au ministère pour la session bilatérale"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let vid = v["event"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        code(&r.post(salma, "versions", json!({"name": "x"})).await),
        (403, "forbidden")
    );
    r.type_in(salma, "problem", "fr", " Puis une autre.").await;
    let then = r.get(amina, &format!("at?at=version:{vid}")).await;
    let text = then["problem"]["fr"]["text"].as_str().unwrap();
    assert!(text.ends_with("Une phrase de Salma."), "{text}");
    let (st, md) = r
        .req(
            amina,
            "GET",
            &format!("export?at=version:{vid}&format=md&lang=fr"),
            None,
        )
        .await;
    assert_eq!(st, 200);
    let _ = md; // Markdown is not JSON: read it as text below.
    let (_, _, bytes) = crate::http::request(
        "GET",
        &r.w.server.http(&format!(
            "/api/documents/{}/export?at=version:{vid}&format=md&lang=fr",
            r.card.to_url()
        )),
        &[(
            "Authorization",
            &format!("Bearer {}", amina.token.as_deref().unwrap()),
        )],
        None,
    )
    .await;
    let md = String::from_utf8(bytes).unwrap();
    assert!(
        md.contains("Une phrase de Salma.") && !md.contains("Puis une autre."),
        "{md}"
    );
    assert!(md.contains("Preuve de co-création"), "{md}");

    // Restore the field to the version: a new change, by whoever restored.
    let (st, done) = r
        .post(
            salma,
            "restore",
            json!({"at": format!("version:{vid}"), "scope": "field", "field": "problem/fr"}),
        )
        .await;
    assert_eq!(st, 200, "{done}");
    assert_eq!(done["changes"].as_array().unwrap().len(), 1);
    let now = r.get(amina, "at").await;
    assert_eq!(now["problem"]["fr"]["text"], then["problem"]["fr"]["text"]);
    let d = r
        .get(amina, &format!("diff?from=version:{vid}&to=now"))
        .await;
    assert!(
        d["fields"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["field"] != "problem/fr"),
        "restored: {d}"
    );

    // Review marks: nothing new right after; one session after Salma types.
    assert_eq!(r.post(salma, "reviewed", json!({})).await.0, 403);
    assert_eq!(r.post(amina, "reviewed", json!({})).await.0, 200);
    assert_eq!(r.review(amina).await["new_sessions"], 0);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    r.type_in(salma, "summary", "ar", " نص").await;
    assert_eq!(r.review(amina).await["new_sessions"], 1);
    let since = r.get(amina, "diff").await; // default: since my review
    assert_eq!(since["fields"].as_array().unwrap().len(), 1, "{since}");
    assert_eq!(since["fields"][0]["field"], "summary/ar");

    // Text status: validating French, then an Arabic change flags it.
    assert_eq!(
        r.post(
            salma,
            "text-status",
            json!({"field": "summary/fr", "status": "validated"})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        r.post(
            amina,
            "text-status",
            json!({"field": "summary/fr", "status": "validated"})
        )
        .await
        .0,
        200
    );
    r.type_in(salma, "summary", "ar", " آخر").await;
    let ts = r.review(amina).await["text_status"].clone();
    assert_eq!(
        (
            ts[0]["field"].as_str(),
            ts[0]["recheck"].as_bool(),
            ts[0]["changed"].as_bool()
        ),
        (Some("summary/fr"), Some(true), Some(false)),
        "{ts}"
    );
    r.type_in(salma, "summary", "fr", " modifié").await;
    assert_eq!(r.review(amina).await["text_status"][0]["changed"], true);

    // Evidence of co-creation: Salma's sector has a share of "problem".
    let shares = r.get(amina, "shares").await;
    assert!(
        shares["problem"]["academia"].as_u64().unwrap() > 0,
        "{shares}"
    );
}

#[tokio::test]
async fn bad_review_requests_get_a_clear_error_and_change_nothing() {
    let r = setup().await;
    let amina = &r.w.coord;
    let before = r.review(amina).await;
    // A point from another card's history.
    let mut c = TestClient::connect(&ws_url(&r.w.server, amina), "other")
        .await
        .unwrap();
    c.open(r.w.doc).await.unwrap();
    let foreign = c.doc(r.w.doc).get_heads()[0].to_string();
    let (st, e) = r
        .req(amina, "GET", &format!("diff?from=heads:{foreign}"), None)
        .await;
    assert_eq!(
        (st, e["error"].as_str()),
        (400, Some("unknown_heads")),
        "{e}"
    );
    assert_eq!(e["params"]["heads"], foreign.as_str());
    assert_eq!(
        code(&r.req(amina, "GET", "diff?from=heads:nothex", None).await),
        (400, "unknown_heads")
    );
    assert_eq!(
        code(&r.req(amina, "GET", "diff?from=version:nope", None).await),
        (404, "unknown_version")
    );
    assert_eq!(
        code(&r.req(amina, "GET", "diff?from=sometime", None).await),
        (400, "bad_request")
    );
    assert_eq!(
        code(
            &r.post(
                amina,
                "restore",
                json!({"at": format!("heads:{foreign}"), "scope": "card"})
            )
            .await
        ),
        (400, "unknown_heads")
    );
    assert_eq!(
        code(
            &r.post(
                amina,
                "restore",
                json!({"at": "start", "scope": "field", "field": "no/such"})
            )
            .await
        ),
        (404, "no_such_field")
    );
    assert_eq!(
        code(
            &r.post(
                amina,
                "restore",
                json!({"at": "now", "scope": "row", "field": "activities/99"})
            )
            .await
        ),
        (404, "no_such_field")
    );
    assert_eq!(
        code(
            &r.post(
                amina,
                "text-status",
                json!({"field": "budget/fr", "status": "validated"})
            )
            .await
        ),
        (404, "no_such_field")
    );
    assert_eq!(
        code(&r.post(amina, "transition", json!({"to": "nowhere"})).await),
        (400, "bad_request")
    );
    assert_eq!(
        code(&r.post(amina, "withdraw", json!({})).await),
        (409, "no_approval")
    );
    // An unknown card, and a card of another group, are not disclosed.
    let (st, _) = call(
        &r.w.server,
        "GET",
        &format!("/api/documents/{}/review", DocumentId::random().to_url()),
        amina.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(st, 404);
    let (st, _) = call(
        &r.w.server,
        "GET",
        &format!("/api/documents/{}/history", r.card.to_url()),
        r.w.outsider.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(st, 404);
    let after = r.review(amina).await;
    assert_eq!(before, after, "nothing changed");
}

/// The compare-and-append both review logs rely on (SQLite and a real
/// redis-server): of two appends expecting the same length, one wins.
#[tokio::test]
async fn review_logs_append_only_at_the_expected_length() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = codraft_server::directory::SqliteDirectory::open(dir.path()).unwrap();
    let redis_server = codraft_tests::redis::RedisServer::start().unwrap();
    let redis = codraft_server::directory::RedisDirectory::connect(&redis_server.url(), "t".into())
        .await
        .unwrap();
    let logs: [&dyn Reviews; 2] = [&sqlite, &redis];
    for log in logs {
        let doc = DocumentId::random();
        assert!(log.review_append(doc, 0, "a".into()).await.unwrap());
        assert!(!log.review_append(doc, 0, "b".into()).await.unwrap());
        assert!(log.review_append(doc, 1, "c".into()).await.unwrap());
        assert_eq!(
            log.review_events(doc).await.unwrap(),
            vec!["a".to_string(), "c".to_string()]
        );
    }
}

async fn on(
    server: &codraft_tests::TestServer,
    card: DocumentId,
    p: &Person,
    method: &str,
    what: &str,
    body: Option<Json>,
) -> (u16, Json) {
    let path = format!("/api/documents/{}/{what}", card.to_url());
    call(server, method, &path, p.token.as_deref(), body).await
}

/// Two instances on one real redis-server: approvals given on either
/// validate the card, the committee adopts it on one, and the other
/// instance's sockets see it locked at once.
#[tokio::test]
async fn the_workflow_holds_across_instances_on_redis() {
    let w = crate::access::world_on(true).await;
    let store = codraft_server::store::RedisStore::connect(
        &w.redis.as_ref().unwrap().url(),
        "test-review".into(),
    )
    .await
    .unwrap();
    let r = setup_in(w, &store).await;
    let (w, yassine, nadia, card) = (&r.w, &r.yassine, &r.nadia, r.card);
    let other = w.other.as_ref().unwrap();
    // Both instances know the card (the directory told the second one).
    for _ in 0..100 {
        if on(other, card, &w.member, "GET", "review", None).await.0 == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        on(
            &w.server,
            card,
            &w.member,
            "POST",
            "transition",
            Some(json!({"to": "group_review"}))
        )
        .await
        .0,
        200
    );
    let (_, view) = on(other, card, &w.coord, "GET", "review", None).await;
    assert_eq!(view["stage"], "group_review");
    let h = view["heads"].clone();
    assert_eq!(
        on(
            other,
            card,
            &w.coord,
            "POST",
            "approve",
            Some(json!({"heads": h}))
        )
        .await
        .0,
        200
    );
    let (st, done) = on(
        &w.server,
        card,
        yassine,
        "POST",
        "approve",
        Some(json!({"heads": h})),
    )
    .await;
    assert_eq!(
        (st, done["stage"].as_str()),
        (200, Some("validated")),
        "{done}"
    );
    assert_eq!(
        on(
            other,
            card,
            nadia,
            "POST",
            "transition",
            Some(json!({"to": "adopted"}))
        )
        .await
        .0,
        200
    );
    // The first instance's sockets refuse writes to the adopted card.
    let mut refused = false;
    for _ in 0..50 {
        let mut c = TestClient::connect(&ws_url(&w.server, &w.member), "late")
            .await
            .unwrap();
        c.open(card).await.unwrap();
        c.edit(card, crate::access::title_edit("x")).await.unwrap();
        if c.wait_saved(card).await.is_err() {
            assert!(
                c.errors.iter().any(|e| e.starts_with("read-only")),
                "{:?}",
                c.errors
            );
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(refused, "the first instance never saw the card adopted");
    let (_, view) = on(&w.server, card, &w.coord, "GET", "review", None).await;
    assert_eq!(view["stage"], "adopted");
}

/// Regression: the server's printable export linked its own styles as if
/// they were a stylesheet's address; it links the self-hosted fonts, and
/// its styles are inline.
#[tokio::test]
async fn export_links_the_fonts_not_the_styles() {
    let r = setup().await;
    let path = format!(
        "/api/documents/{}/export?format=html&lang=ar",
        r.card.to_url().replace(':', "%3A")
    );
    let auth = format!("Bearer {}", r.w.coord.token.as_deref().unwrap());
    let (s, _, bytes) = crate::http::request(
        "GET",
        &r.w.server.http(&path),
        &[("Authorization", auth.as_str())],
        None,
    )
    .await;
    assert_eq!(s, 200);
    let html = String::from_utf8(bytes).unwrap();
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"/fonts/fonts.css\">"),
        "{html}"
    );
    assert_eq!(html.matches("<link").count(), 1, "one link: the fonts");
    assert!(html.contains("<style>"), "the page's own styles inline");
}
