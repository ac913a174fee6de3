//! Comments, suggestions and the inbox over the real API and socket:
//! observers comment without writing the content, every comment is stamped
//! with its verified author, threads live in a comments document each
//! reader syncs read-only, anchors follow edits and are orphaned when their
//! passage goes, suggestions are accepted (as their author's change,
//! accepted by a co-coordinator), rejected or stale, mentions reach the
//! inbox, and bad input gets a clear error.

use codraft_protocol::DocumentId;
use codraft_server::directory::{Role, Sector};
use codraft_tests::TestClient;
use serde_json::{Value as Json, json};

use crate::access::{GROUP, Person, World, call, person, world, ws_url};

struct Card {
    w: World,
    yassine: Person,
    id: DocumentId,
}

async fn setup() -> Card {
    let w = world().await;
    let store = w.server.store.clone().unwrap();
    setup_in(w, &store).await
}

/// The world's people, a civil-society co-coordinator, and the demo's
/// first card (with a known French summary) created in `store`.
async fn setup_in(w: World, store: &dyn codraft_server::store::Store) -> Card {
    let yassine = person(
        &w.server,
        "yassine@x.org",
        Sector::CivilSociety,
        false,
        Some((GROUP, Role::CoCoordinator)),
    )
    .await;
    let id = crate::access::demo_card(&w, store, |j| {
        j["summary"]["fr"]["text"] = json!("Publier les données des marchés publics");
    })
    .await;
    Card { w, yassine, id }
}

impl Card {
    async fn req(&self, p: &Person, method: &str, what: &str, body: Option<Json>) -> (u16, Json) {
        let path = format!("/api/documents/{}/comments{what}", self.id.to_url());
        call(&self.w.server, method, &path, p.token.as_deref(), body).await
    }
    async fn list(&self, p: &Person) -> Json {
        let (s, b) = self.req(p, "GET", "", None).await;
        assert_eq!(s, 200, "{b}");
        b
    }
    /// A thread on `summary/fr` from `start` to `end`.
    async fn open(&self, p: &Person, start: usize, end: usize, body: &str) -> (u16, Json) {
        let b = json!({"anchor": {"kind": "text", "field": "summary/fr", "start": start, "end": end}, "body": body});
        self.req(p, "POST", "", Some(b)).await
    }
    async fn suggest(&self, p: &Person, start: usize, end: usize, new: &str) -> (u16, Json) {
        let b = json!({"anchor": {"kind": "text", "field": "summary/fr", "start": start, "end": end}, "replacement": new});
        self.req(p, "POST", "", Some(b)).await
    }
    async fn splice_fr(&self, p: &Person, at: usize, del: isize, ins: &'static str) {
        let mut c = TestClient::connect(&ws_url(&self.w.server, p), "typist")
            .await
            .unwrap();
        c.open(self.id).await.unwrap();
        c.edit(self.id, move |tx| {
            use automerge::ReadDoc;
            use automerge::transaction::Transactable;
            let (_, s) = tx.get(automerge::ROOT, "summary")?.unwrap();
            let (_, l) = tx.get(&s, "fr")?.unwrap();
            let (_, t) = tx.get(&l, "text")?.unwrap();
            tx.splice_text(&t, at, del, ins)?;
            Ok(())
        })
        .await
        .unwrap();
        c.wait_saved(self.id).await.unwrap();
    }
    async fn summary_fr(&self) -> String {
        let (s, b) = call(
            &self.w.server,
            "GET",
            &format!("/api/documents/{}/at", self.id.to_url()),
            self.w.coord.token.as_deref(),
            None,
        )
        .await;
        assert_eq!(s, 200, "{b}");
        b["summary"]["fr"]["text"].as_str().unwrap().to_owned()
    }
}

fn id(p: &Person) -> String {
    p.user.as_ref().unwrap().id.clone()
}

#[tokio::test]
async fn an_observer_comments_stamped_as_themselves_and_everyone_sees_it_live() {
    let c = setup().await;
    let doc = c.list(&c.w.member).await["doc"]
        .as_str()
        .unwrap()
        .to_owned();
    let comments = DocumentId::from_url(&doc).unwrap();
    // The member follows the comments document over the socket.
    let mut follower = TestClient::connect(&ws_url(&c.w.server, &c.w.member), "follower")
        .await
        .unwrap();
    follower.open(comments).await.unwrap();
    // A forged author in the body is ignored: the server stamps the caller.
    let body = json!({"anchor": {"kind": "text", "field": "summary/fr", "start": 12, "end": 19},
        "body": "Lesquelles ?", "author": {"id": id(&c.w.coord), "name": "coord"}});
    let (s, t) = c.req(&c.w.observer, "POST", "", Some(body)).await;
    assert_eq!(s, 201, "{t}");
    assert_eq!(t["author"]["id"], id(&c.w.observer));
    assert_eq!(t["comments"][0]["author"]["id"], id(&c.w.observer));
    assert_eq!(t["anchor"]["quote"], "données");
    let tid = t["id"].as_str().unwrap().to_owned();
    follower
        .pump_until(|f| {
            codraft_schema::comments::thread(f.doc(comments), &tid)
                .is_some_and(|t| t.comments[0].body == "Lesquelles ?")
        })
        .await
        .unwrap();
    // Counted on its field.
    assert_eq!(c.list(&c.w.coord).await["open"]["summary/fr"], 1);
    // The observer still cannot suggest, nor write the comments document.
    let (s, e) = c.suggest(&c.w.observer, 0, 7, "Ouvrir").await;
    assert_eq!(
        (s, e["error"].as_str(), e["params"]["rule"].as_str()),
        (403, Some("comment_forbidden"), Some("not_writer"))
    );
    let mut sneaky = TestClient::connect(&ws_url(&c.w.server, &c.w.member), "sneaky")
        .await
        .unwrap();
    sneaky.open(comments).await.unwrap();
    sneaky
        .edit(comments, |tx| {
            use automerge::transaction::Transactable;
            tx.put(automerge::ROOT, "forged", "yes")?;
            Ok(())
        })
        .await
        .unwrap();
    assert!(sneaky.wait_saved(comments).await.is_err());
    assert!(
        sneaky.errors.iter().any(|e| e.starts_with("read-only")),
        "{:?}",
        sneaky.errors
    );
    // An outsider does not learn the card exists.
    let (s, _) = c.req(&c.w.outsider, "GET", "", None).await;
    assert_eq!(s, 404);
    let (s, _) = c.open(&c.w.outsider, 0, 3, "x").await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn replies_edits_deletions_and_resolving_follow_the_rules() {
    let c = setup().await;
    let (_, t) = c.open(&c.w.observer, 0, 7, "Verbe trop vague").await;
    let tid = t["id"].as_str().unwrap().to_owned();
    let first = t["comments"][0]["id"].as_str().unwrap().to_owned();
    let (s, r) = c
        .req(
            &c.w.coord,
            "POST",
            &format!("/{tid}/replies"),
            Some(json!({"body": "D'accord"})),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["comments"][1]["author"]["id"], id(&c.w.coord));
    // Nobody edits or deletes another's comment.
    let path = format!("/{tid}/comments/{first}");
    let (s, e) = c
        .req(&c.w.coord, "PATCH", &path, Some(json!({"body": "changé"})))
        .await;
    assert_eq!((s, e["params"]["rule"].as_str()), (403, Some("not_author")));
    let (s, _) = c.req(&c.w.coord, "DELETE", &path, None).await;
    assert_eq!(s, 403);
    let (s, e) = c
        .req(
            &c.w.observer,
            "PATCH",
            &path,
            Some(json!({"body": "Verbe vague"})),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(e["comments"][0]["body"], "Verbe vague");
    assert!(e["comments"][0]["edited_ms"].is_i64());
    // The observer may not resolve someone else's thread, but the
    // co-coordinator may; reopen works too.
    let (_, other) = c.open(&c.w.member, 8, 11, "article ?").await;
    let oid = other["id"].as_str().unwrap();
    let (s, _) = c
        .req(
            &c.w.observer,
            "POST",
            &format!("/{oid}/status"),
            Some(json!({"status": "resolved"})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, r) = c
        .req(
            &c.w.coord,
            "POST",
            &format!("/{tid}/status"),
            Some(json!({"status": "resolved"})),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str(), r["decided_by"]["id"].as_str()),
        (200, Some("resolved"), Some(id(&c.w.coord).as_str()))
    );
    assert_eq!(c.list(&c.w.coord).await["open"]["summary/fr"], 1);
    let (s, r) = c
        .req(
            &c.w.observer,
            "POST",
            &format!("/{tid}/status"),
            Some(json!({"status": "open"})),
        )
        .await;
    assert_eq!((s, r["status"].as_str()), (200, Some("open")));
    let (s, r) = c.req(&c.w.observer, "DELETE", &path, None).await;
    assert_eq!(s, 200);
    assert_eq!(
        (
            r["comments"][0]["deleted"].as_bool(),
            r["comments"][0]["body"].as_str()
        ),
        (Some(true), Some(""))
    );
    // The reply told the thread's author.
    let (_, inbox) = call(
        &c.w.server,
        "GET",
        "/api/inbox",
        c.w.observer.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(inbox["entries"][0]["kind"], "replied", "{inbox}");
}

#[tokio::test]
async fn a_thread_whose_passage_is_deleted_is_orphaned_with_its_quote() {
    let c = setup().await;
    let (_, t) = c.open(&c.w.observer, 12, 19, "Lesquelles ?").await;
    // Text typed before it moves it; it stays attached.
    c.splice_fr(&c.w.member, 0, 0, "Vite : ").await;
    let v = c.list(&c.w.coord).await;
    let p = &v["threads"][0]["placement"];
    assert_eq!(
        (
            p["start"].as_u64(),
            p["end"].as_u64(),
            p["orphaned"].as_bool()
        ),
        (Some(19), Some(26), Some(false)),
        "{v}"
    );
    // "données " deleted: orphaned, its quote kept.
    c.splice_fr(&c.w.member, 19, 8, "").await;
    let v = c.list(&c.w.coord).await;
    assert_eq!(v["threads"][0]["placement"]["orphaned"], true, "{v}");
    assert_eq!(v["threads"][0]["anchor"]["quote"], t["anchor"]["quote"]);
    assert!(v["open"].get("summary/fr").is_none(), "{v}");
}

#[tokio::test]
async fn suggestions_are_accepted_as_their_authors_change_rejected_or_stale() {
    let c = setup().await;
    assert_eq!(
        c.summary_fr().await,
        "Publier les données des marchés publics"
    );
    let (s, t) = c.suggest(&c.w.member, 0, 7, "Ouvrir").await;
    assert_eq!(s, 201, "{t}");
    assert_eq!(
        (t["kind"].as_str(), t["replacement"].as_str()),
        (Some("suggestion"), Some("Ouvrir"))
    );
    let tid = t["id"].as_str().unwrap().to_owned();
    // Another member may not accept it; a co-coordinator does.
    let other = person(
        &c.w.server,
        "omar@x.org",
        Sector::Academia,
        false,
        Some((GROUP, Role::Member)),
    )
    .await;
    let (s, e) = c.req(&other, "POST", &format!("/{tid}/accept"), None).await;
    assert_eq!(
        (s, e["params"]["rule"].as_str()),
        (403, Some("not_decider"))
    );
    let (s, r) = c
        .req(&c.yassine, "POST", &format!("/{tid}/accept"), None)
        .await;
    assert_eq!((s, r["status"].as_str()), (200, Some("accepted")), "{r}");
    assert_eq!(r["decided_by"]["id"], id(&c.yassine));
    assert_eq!(
        c.summary_fr().await,
        "Ouvrir les données des marchés publics"
    );
    // The history shows the change as the member's, accepted by Yassine.
    let (_, h) = call(
        &c.w.server,
        "GET",
        &format!("/api/documents/{}/history", c.id.to_url()),
        c.w.coord.token.as_deref(),
        None,
    )
    .await;
    let newest = &h["sessions"][0];
    assert_eq!(newest["user"], id(&c.w.member), "{h}");
    assert_eq!(newest["accepted_by"]["id"], id(&c.yassine), "{h}");
    // Accepting twice is refused.
    let (s, e) = c
        .req(&c.yassine, "POST", &format!("/{tid}/accept"), None)
        .await;
    assert_eq!((s, e["error"].as_str()), (409, Some("already_decided")));
    // The member withdraws their own second suggestion.
    let (_, t2) = c.suggest(&c.w.member, 7, 11, " toutes les").await;
    let t2 = t2["id"].as_str().unwrap().to_owned();
    let (s, r) = c
        .req(&c.w.member, "POST", &format!("/{t2}/reject"), None)
        .await;
    assert_eq!((s, r["status"].as_str()), (200, Some("rejected")));
    assert_eq!(
        c.summary_fr().await,
        "Ouvrir les données des marchés publics"
    );
    // A third, whose passage someone changes meanwhile, is stale.
    let (_, t3) = c.suggest(&c.w.member, 23, 30, "contrats").await;
    assert_eq!(t3["anchor"]["quote"], "marchés");
    let t3 = t3["id"].as_str().unwrap().to_owned();
    c.splice_fr(&c.w.coord, 23, 7, "achats").await;
    let v = c.list(&c.w.coord).await;
    let stale = v["threads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == t3.as_str())
        .unwrap();
    assert_eq!(stale["placement"]["stale"], true, "{stale}");
    let (s, e) = c
        .req(&c.yassine, "POST", &format!("/{t3}/accept"), None)
        .await;
    assert_eq!((s, e["error"].as_str()), (409, Some("suggestion_stale")));
    assert_eq!(
        c.summary_fr().await,
        "Ouvrir les données des achats publics"
    );
    // The suggester was told of both decisions.
    let (_, inbox) = call(
        &c.w.server,
        "GET",
        "/api/inbox",
        c.w.member.token.as_deref(),
        None,
    )
    .await;
    let kinds: Vec<&str> = inbox["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        ["suggestion_accepted"],
        "own rejection is not told: {inbox}"
    );
}

#[tokio::test]
async fn a_mention_reaches_the_inbox_and_a_non_member_is_refused() {
    let c = setup().await;
    let (s, t) = c
        .open(&c.w.observer, 0, 7, "@member @Yassine qu'en pensez-vous ?")
        .await;
    assert_eq!(s, 201, "{t}");
    let mentions = t["comments"][0]["mentions"].as_array().unwrap().clone();
    assert_eq!(mentions, [json!(id(&c.w.member)), json!(id(&c.yassine))]);
    let (_, inbox) = call(
        &c.w.server,
        "GET",
        "/api/inbox",
        c.w.member.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(inbox["unread"], 1, "{inbox}");
    let e = &inbox["entries"][0];
    assert_eq!(
        (e["kind"].as_str(), e["by"].as_str(), e["read"].as_bool()),
        (
            Some("mentioned"),
            Some(id(&c.w.observer).as_str()),
            Some(false)
        )
    );
    assert_eq!(e["doc"], c.id.to_url());
    let (s, inbox) = call(
        &c.w.server,
        "POST",
        "/api/inbox/read",
        c.w.member.token.as_deref(),
        Some(json!({})),
    )
    .await;
    assert_eq!((s, inbox["unread"].as_u64()), (200, Some(0)));
    assert_eq!(inbox["entries"][0]["read"], true);
    // Someone else's inbox is theirs alone.
    let (_, other) = call(
        &c.w.server,
        "GET",
        "/api/inbox",
        c.w.outsider.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(other["entries"], json!([]));
    let (s, e) = c.open(&c.w.observer, 0, 7, "@outsider regarde").await;
    assert_eq!(
        (s, e["error"].as_str(), e["params"]["name"].as_str()),
        (400, Some("unknown_mention"), Some("outsider"))
    );
    // An e-mail address is not a mention.
    let (s, _) = c.open(&c.w.observer, 0, 7, "écrire à x@y.org").await;
    assert_eq!(s, 201);
    // Invited to another group: the person with that address is told.
    let email = c.w.member.user.as_ref().unwrap().email.clone();
    let (s, _) = call(
        &c.w.server,
        "POST",
        "/api/groups/digital_governance/invitations",
        c.w.admin.token.as_deref(),
        Some(json!({"role": "observer", "email": email})),
    )
    .await;
    assert_eq!(s, 201);
    let (_, inbox) = call(
        &c.w.server,
        "GET",
        "/api/inbox",
        c.w.member.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(
        (
            inbox["entries"][0]["kind"].as_str(),
            inbox["entries"][0]["group"].as_str()
        ),
        (Some("invited"), Some("digital_governance")),
        "{inbox}"
    );
}

#[tokio::test]
async fn bad_comments_get_clear_errors_and_change_nothing() {
    let c = setup().await;
    let o = &c.w.observer;
    let cases = [
        (
            json!({"anchor": {"kind": "text", "field": "nowhere/fr", "start": 0, "end": 1}, "body": "x"}),
            404,
            "no_such_field",
        ),
        (
            json!({"anchor": {"kind": "text", "field": "summary/fr", "start": 5, "end": 5000}, "body": "x"}),
            400,
            "bad_anchor",
        ),
        (
            json!({"anchor": {"kind": "text", "field": "summary/fr", "start": 5, "end": 5}, "body": "x"}),
            400,
            "bad_anchor",
        ),
        (
            json!({"anchor": {"kind": "row", "field": "summary", "start": 0, "end": 1}, "body": "x"}),
            400,
            "bad_anchor",
        ),
        (
            json!({"anchor": {"kind": "text", "field": "summary/fr", "start": 0, "end": 3}, "body": "   "}),
            400,
            "empty_comment",
        ),
        (
            json!({"anchor": {"kind": "text", "field": "summary/fr", "start": 0, "end": 3}, "body": "x".repeat(4001)}),
            400,
            "too_long",
        ),
        (
            json!({"anchor": {"kind": "sideways", "field": "summary/fr"}, "body": "x"}),
            400,
            "bad_request",
        ),
    ];
    for (body, status, code) in cases {
        let (s, e) = c.req(o, "POST", "", Some(body.clone())).await;
        assert_eq!(
            (s, e["error"].as_str()),
            (status, Some(code)),
            "{body}: {e}"
        );
    }
    let (s, e) = c
        .req(o, "POST", "/nope/replies", Some(json!({"body": "x"})))
        .await;
    assert_eq!((s, e["error"].as_str()), (404, Some("no_such_thread")));
    let (s, e) = c.req(o, "DELETE", "/nope/comments/nada", None).await;
    assert_eq!((s, e["error"].as_str()), (404, Some("no_such_thread")));
    // A whole field and a row are anchors too.
    let (s, f) = c
        .req(
            o,
            "POST",
            "",
            Some(json!({"anchor": {"kind": "field", "field": "budget"}, "body": "Montant ?"})),
        )
        .await;
    assert_eq!(s, 201, "{f}");
    assert_eq!(c.list(o).await["threads"].as_array().unwrap().len(), 1);
}

/// On two instances sharing one Redis: a thread opened on one is listed by
/// the other, a mention lands in the inbox both read, and read marks hold.
#[tokio::test]
async fn comments_and_the_inbox_are_shared_by_instances_on_redis() {
    let w = crate::access::world_on(true).await;
    let store = codraft_server::store::RedisStore::connect(
        &w.redis.as_ref().unwrap().url(),
        "test-comments".into(),
    )
    .await
    .unwrap();
    let c = setup_in(w, &store).await;
    let other = c.w.other.as_ref().unwrap();
    let path = format!("/api/documents/{}/comments", c.id.to_url());
    for _ in 0..100 {
        if call(other, "GET", &path, c.w.member.token.as_deref(), None)
            .await
            .0
            == 200
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (s, t) = c
        .open(&c.w.observer, 0, 7, "@member un verbe plus précis ?")
        .await;
    assert_eq!(s, 201, "{t}");
    let mut listed = Json::Null;
    for _ in 0..100 {
        listed = call(other, "GET", &path, c.w.member.token.as_deref(), None)
            .await
            .1;
        if listed["threads"].as_array().is_some_and(|a| a.len() == 1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(listed["threads"][0]["id"], t["id"], "{listed}");
    let (_, inbox) = call(
        other,
        "GET",
        "/api/inbox",
        c.w.member.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(
        (
            inbox["unread"].as_u64(),
            inbox["entries"][0]["kind"].as_str()
        ),
        (Some(1), Some("mentioned")),
        "{inbox}"
    );
    let id = inbox["entries"][0]["id"].as_i64().unwrap();
    let (s, _) = call(
        other,
        "POST",
        "/api/inbox/read",
        c.w.member.token.as_deref(),
        Some(json!({"id": id})),
    )
    .await;
    assert_eq!(s, 200);
    let (_, inbox) = call(
        &c.w.server,
        "GET",
        "/api/inbox",
        c.w.member.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(
        (
            inbox["unread"].as_u64(),
            inbox["entries"][0]["read"].as_bool()
        ),
        (Some(0), Some(true))
    );
}

#[tokio::test]
async fn exports_list_the_open_comments_when_asked() {
    let c = setup().await;
    let (_, t) = c
        .open(&c.w.observer, 12, 19, "Lesquelles exactement ?")
        .await;
    let (_, done) = c.open(&c.w.observer, 0, 7, "Réglé depuis").await;
    let done = done["id"].as_str().unwrap();
    c.req(
        &c.w.coord,
        "POST",
        &format!("/{done}/status"),
        Some(json!({"status": "resolved"})),
    )
    .await;
    let export = |q: &'static str| {
        let path = format!("/api/documents/{}/export?{q}", c.id.to_url());
        let token = c.w.coord.token.clone();
        let server = &c.w.server;
        async move {
            let auth = format!("Bearer {}", token.unwrap());
            let (s, _, body) = crate::http::request(
                "GET",
                &server.http(&path),
                &[("Authorization", auth.as_str())],
                None,
            )
            .await;
            (s, String::from_utf8(body).unwrap())
        }
    };
    let (s, md) = export("format=md&lang=fr&comments=open").await;
    assert_eq!(s, 200, "{md}");
    assert!(md.contains("## Commentaires ouverts"), "{md}");
    assert!(
        md.contains("> données") && md.contains("**observer**: Lesquelles exactement ?"),
        "{md}"
    );
    assert!(
        !md.contains("Réglé depuis"),
        "resolved threads are not listed"
    );
    let (_, html) = export("format=html&lang=ar&comments=open").await;
    assert!(html.contains("التعليقات المفتوحة") && html.contains("Lesquelles exactement ?"));
    // Regression (export_links_the_fonts_not_the_styles): the page links the
    // self-hosted fonts; its own styles are inline, never a link's address.
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"/fonts/fonts.css\">"),
        "{html}"
    );
    assert_eq!(html.matches("<link").count(), 1, "{html}");
    let (_, plain) = export("format=md&lang=fr").await;
    assert!(!plain.contains("Commentaires ouverts"));
    let (s, _) = export("format=md&comments=some").await;
    assert_eq!(s, 400);
    let _ = t;
}

/// An adopted card's content no longer changes: comments are still open to
/// its readers, suggestions and their acceptance are refused.
#[tokio::test]
async fn a_locked_card_takes_comments_but_no_suggestions() {
    use codraft_server::review::{ReviewEvent, Stage, Stamp};
    let c = setup().await;
    let (_, pending) = c.suggest(&c.w.member, 0, 7, "Ouvrir").await;
    let pending = pending["id"].as_str().unwrap().to_owned();
    let acc = c.w.server.accounts();
    let state = acc.review_state(c.id).await.unwrap();
    let stamp = Stamp {
        by: id(&c.w.admin),
        by_name: "admin".into(),
        sector: Sector::Administration,
        at_ms: codraft_server::clock::now_ms(),
        heads: vec![],
    };
    let adopt = ReviewEvent::Transition {
        from: Stage::Draft,
        to: Stage::Adopted,
        stamp,
        reason: None,
    };
    assert!(acc.append_review(c.id, &state, &adopt).await.unwrap());
    let (s, _) = c
        .open(&c.w.observer, 0, 7, "Toujours ouvert aux commentaires")
        .await;
    assert_eq!(s, 201);
    let (s, e) = c.suggest(&c.w.member, 0, 7, "Ouvrir").await;
    assert_eq!((s, e["error"].as_str()), (409, Some("card_locked")));
    let (s, e) = c
        .req(&c.yassine, "POST", &format!("/{pending}/accept"), None)
        .await;
    assert_eq!((s, e["error"].as_str()), (409, Some("card_locked")));
    // Turning it down is still possible: it changes no content.
    let (s, _) = c
        .req(&c.yassine, "POST", &format!("/{pending}/reject"), None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        c.summary_fr().await,
        "Publier les données des marchés publics"
    );
}

/// Two co-coordinators accepting one suggestion at once: it is applied
/// once, the other is told.
#[tokio::test]
async fn concurrent_accepts_apply_a_suggestion_once() {
    let c = setup().await;
    let (_, t) = c.suggest(&c.w.member, 0, 7, "Ouvrir").await;
    let tid = t["id"].as_str().unwrap().to_owned();
    let path = format!("/{tid}/accept");
    let (a, b) = tokio::join!(
        c.req(&c.yassine, "POST", &path, None),
        c.req(&c.w.coord, "POST", &path, None)
    );
    let mut codes = [a.0, b.0];
    codes.sort();
    assert_eq!(codes, [200, 409], "{a:?} {b:?}");
    assert_eq!(
        c.summary_fr().await,
        "Ouvrir les données des marchés publics"
    );
    let (s, e) = c
        .req(
            &c.w.member,
            "POST",
            "",
            Some(json!({"anchor": {"kind": "text", "field": "summary/fr", "start": 0, "end": 6}, "replacement": "x".repeat(4001)})),
        )
        .await;
    assert_eq!((s, e["error"].as_str()), (400, Some("too_long")));
    // A suggestion is on a passage, not a whole field.
    let (s, e) = c
        .req(
            &c.w.member,
            "POST",
            "",
            Some(json!({"anchor": {"kind": "field", "field": "budget"}, "replacement": "1"})),
        )
        .await;
    assert_eq!((s, e["error"].as_str()), (400, Some("bad_anchor")));
}
