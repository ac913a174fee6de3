//! Webhooks against a local HTTP receiver started by the test: each event
//! (a stage change, an approval, a comment) arrives signed with the
//! webhook's secret (HMAC-SHA256, verified here); a receiver that answers
//! 500 or hangs gets the delivery again, and the log shows every try.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use serde_json::{Value as Json, json};

use crate::access::{GROUP, World, call, world};

/// What the receiver got, and how it answers: `fail` times with 500,
/// `hang` times by sleeping past the server's timeout, then 200.
#[derive(Debug, Default)]
struct Receiver {
    got: Vec<(HeaderMap, String)>,
    fail: usize,
    hang: usize,
}

type Shared = Arc<Mutex<Receiver>>;

async fn receive(State(r): State<Shared>, headers: HeaderMap, body: String) -> StatusCode {
    let hang = {
        let mut r = r.lock().unwrap();
        r.got.push((headers, body));
        if r.hang > 0 {
            r.hang -= 1;
            true
        } else if r.fail > 0 {
            r.fail -= 1;
            return StatusCode::INTERNAL_SERVER_ERROR;
        } else {
            false
        }
    };
    if hang {
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    StatusCode::OK
}

async fn receiver(fail: usize, hang: usize) -> (String, Shared) {
    let r: Shared = Arc::new(Mutex::new(Receiver {
        fail,
        hang,
        ..Receiver::default()
    }));
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(r.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await });
    (url, r)
}

fn verify(secret: &str, headers: &HeaderMap, body: &str) -> bool {
    let Some(sig) = headers
        .get("x-codraft-signature")
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(hex_sig) = sig.strip_prefix("sha256=") else {
        return false;
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    mac.verify_slice(&hex::decode(hex_sig).unwrap_or_default())
        .is_ok()
}

async fn card(w: &World) -> codraft_protocol::DocumentId {
    let store = w.server.store.clone().unwrap();
    crate::access::demo_card(w, &store, |_| {}).await
}

async fn register(w: &World, url: &str) -> (String, String) {
    let (s, h) = call(
        &w.server,
        "POST",
        &format!("/api/groups/{GROUP}/webhooks"),
        w.coord.token.as_deref(),
        Some(json!({"url": url})),
    )
    .await;
    assert_eq!(s, 201, "{h}");
    (
        h["id"].as_str().unwrap().to_owned(),
        h["secret"].as_str().unwrap().to_owned(),
    )
}

async fn wait_for(r: &Shared, n: usize) -> Vec<(HeaderMap, String)> {
    for _ in 0..300 {
        if r.lock().unwrap().got.len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let got = r.lock().unwrap().got.clone();
    assert!(got.len() >= n, "{} deliveries, {n} expected", got.len());
    got
}

async fn log(w: &World) -> Json {
    let (s, v) = call(
        &w.server,
        "GET",
        &format!("/api/groups/{GROUP}/webhooks"),
        w.coord.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    v
}

#[tokio::test]
async fn each_event_arrives_signed_with_the_webhooks_secret() {
    let w = world().await;
    let doc = card(&w).await;
    let (url, r) = receiver(0, 0).await;
    let (_, secret) = register(&w, &url).await;
    let at = |what: &str| format!("/api/documents/{}/{what}", doc.to_url());
    let (s, b) = call(
        &w.server,
        "POST",
        &at("transition"),
        w.member.token.as_deref(),
        Some(json!({"to": "group_review"})),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let (_, review) = call(
        &w.server,
        "GET",
        &at("review"),
        w.coord.token.as_deref(),
        None,
    )
    .await;
    let (s, b) = call(
        &w.server,
        "POST",
        &at("approve"),
        w.coord.token.as_deref(),
        Some(json!({"heads": review["heads"]})),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = call(
        &w.server,
        "POST",
        &at("comments"),
        w.observer.token.as_deref(),
        Some(json!({"anchor": {"kind": "field", "field": "budget"}, "body": "Quel montant ?"})),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let got = wait_for(&r, 3).await;
    let mut events = Vec::new();
    for (headers, body) in &got {
        assert!(verify(&secret, headers, body), "signature of {body}");
        assert!(!verify("another secret", headers, body));
        let v: Json = serde_json::from_str(body).unwrap();
        assert_eq!(v["data"]["doc"], doc.to_url());
        assert_eq!(headers["x-codraft-event"], v["event"].as_str().unwrap());
        events.push(v["event"].as_str().unwrap().to_owned());
        if v["event"] == "stage_changed" {
            assert_eq!(
                (v["data"]["from"].as_str(), v["data"]["to"].as_str()),
                (Some("draft"), Some("group_review"))
            );
        }
        if v["event"] == "comment" {
            assert_eq!(v["data"]["body"], "Quel montant ?");
            assert_eq!(
                v["data"]["author"]["id"],
                w.observer.user.as_ref().unwrap().id.as_str()
            );
        }
    }
    events.sort();
    assert_eq!(events, ["approved", "comment", "stage_changed"]);
    // The list never shows the secret again; the log shows three successes.
    let v = log(&w).await;
    assert!(v[0].get("secret").is_none(), "{v}");
    let oks = v[0]["log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["ok"] == true)
        .count();
    assert_eq!(oks, 3, "{v}");
}

#[tokio::test]
async fn a_failing_or_hanging_receiver_gets_retries_and_the_log_shows_them() {
    let w = world().await;
    let doc = card(&w).await;
    // Fails twice with 500, then answers.
    let (url, r) = receiver(2, 0).await;
    register(&w, &url).await;
    let at = format!("/api/documents/{}/transition", doc.to_url());
    call(
        &w.server,
        "POST",
        &at,
        w.member.token.as_deref(),
        Some(json!({"to": "group_review"})),
    )
    .await;
    let got = wait_for(&r, 3).await;
    let ids: Vec<String> = got
        .iter()
        .map(|(h, _)| h["x-codraft-delivery"].to_str().unwrap().to_owned())
        .collect();
    assert!(
        ids.iter().all(|i| *i == ids[0]),
        "one delivery, tried again: {ids:?}"
    );
    let mut entries = Json::Null;
    for _ in 0..100 {
        entries = log(&w).await[0]["log"].clone();
        if entries.as_array().is_some_and(|a| a.len() >= 3) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let e = entries.as_array().unwrap();
    // Newest first.
    assert_eq!(
        (
            e[0]["attempt"].as_u64(),
            e[0]["ok"].as_bool(),
            e[0]["status"].as_u64()
        ),
        (Some(3), Some(true), Some(200)),
        "{entries}"
    );
    assert_eq!(
        (
            e[1]["attempt"].as_u64(),
            e[1]["status"].as_u64(),
            e[1]["error"].as_str()
        ),
        (Some(2), Some(500), Some("HTTP 500"))
    );
    assert_eq!(e[2]["attempt"].as_u64(), Some(1));

    // A receiver that hangs past the timeout: logged as such, then delivered.
    let (url, r) = receiver(0, 1).await;
    let group = "digital_governance";
    let (s, _) = call(
        &w.server,
        "POST",
        &format!("/api/groups/{group}/webhooks"),
        w.admin.token.as_deref(),
        Some(json!({"url": url})),
    )
    .await;
    assert_eq!(s, 201);
    w.server
        .accounts()
        .hooks()
        .unwrap()
        .fire(
            group,
            codraft_server::hooks::HookEvent::Comment,
            json!({"test": true}),
        )
        .await;
    wait_for(&r, 2).await;
    let (_, v) = call(
        &w.server,
        "GET",
        &format!("/api/groups/{group}/webhooks"),
        w.admin.token.as_deref(),
        None,
    )
    .await;
    let mut e = v[0]["log"].clone();
    for _ in 0..100 {
        if e.as_array().is_some_and(|a| a.len() >= 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        e = call(
            &w.server,
            "GET",
            &format!("/api/groups/{group}/webhooks"),
            w.admin.token.as_deref(),
            None,
        )
        .await
        .1[0]["log"]
            .clone();
    }
    assert_eq!(
        (e[1]["error"].as_str(), e[1]["status"].as_u64()),
        (Some("timed out"), None),
        "{e}"
    );
    assert_eq!(e[0]["ok"], true, "{e}");
}

#[tokio::test]
async fn webhooks_are_the_co_coordinators_and_bad_urls_are_refused() {
    let w = world().await;
    let path = format!("/api/groups/{GROUP}/webhooks");
    for url in [
        "ftp://x.org/h",
        "not a url",
        "http://",
        "http://user:pw@x.org/h",
        "javascript:alert(1)",
    ] {
        let (s, e) = call(
            &w.server,
            "POST",
            &path,
            w.coord.token.as_deref(),
            Some(json!({"url": url})),
        )
        .await;
        assert_eq!(
            (s, e["error"].as_str()),
            (400, Some("bad_webhook_url")),
            "{url}"
        );
    }
    let (s, _) = call(
        &w.server,
        "POST",
        &path,
        w.member.token.as_deref(),
        Some(json!({"url": "https://x.org/h"})),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = call(&w.server, "GET", &path, w.member.token.as_deref(), None).await;
    assert_eq!(s, 403);
    let (s, _) = call(
        &w.server,
        "POST",
        &path,
        w.coord.token.as_deref(),
        Some(json!({"url": "https://x.org/h", "events": []})),
    )
    .await;
    assert_eq!(s, 400);
    let (s, h) = call(
        &w.server,
        "POST",
        &path,
        w.coord.token.as_deref(),
        Some(json!({"url": "https://x.org/h", "events": ["comment"]})),
    )
    .await;
    assert_eq!((s, h["events"].clone()), (201, json!(["comment"])));
    let id = h["id"].as_str().unwrap();
    let (s, _) = call(
        &w.server,
        "DELETE",
        &format!("{path}/nope"),
        w.coord.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = call(
        &w.server,
        "DELETE",
        &format!("{path}/{id}"),
        w.coord.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(s, 204);
    assert_eq!(log(&w).await, json!([]));
}
