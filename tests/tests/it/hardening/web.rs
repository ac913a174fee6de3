//! Findings on HTTP: sign-in, invitations, headers, origins, paths,
//! metrics, timeouts and connection caps.

use std::time::{Duration, Instant};

use codraft_server::Config;
use codraft_tests::TestServer;
use serde_json::{Value as Json, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::access::{GROUP, call, world, world_with};
use crate::http::{get_with, request};

async fn sign_in_from(
    server: &TestServer,
    from: Option<&str>,
    email: &str,
    password: &str,
) -> (u16, Json) {
    let headers: Vec<(&str, &str)> = from.iter().map(|a| ("X-Forwarded-For", *a)).collect();
    let (status, _, body) = request(
        "POST",
        &server.http("/api/session"),
        &headers,
        Some(&json!({"email": email, "password": password})),
    )
    .await;
    (status, serde_json::from_slice(&body).unwrap_or(Json::Null))
}

/// Finding 9: five failures from one address locked the owner out from
/// every other address for 15 minutes; behind the proxy every client
/// shared one address.
#[tokio::test]
async fn finding_9_nobody_can_lock_an_account_out_from_another_address() {
    let w = world_with(false, |c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]
    })
    .await;
    let attacker = Some("198.51.100.1");
    for _ in 0..5 {
        let (s, _) = sign_in_from(&w.server, attacker, "member@x.org", "wrong password!!").await;
        assert_eq!(s, 401);
    }
    let (s, body) =
        sign_in_from(&w.server, attacker, "member@x.org", "correct horse battery").await;
    assert_eq!(
        (s, body["error"].as_str()),
        (429, Some("rate_limited")),
        "{body}"
    );
    // The owner, from their own address, gets in (after a short wait).
    let started = Instant::now();
    let (s, body) = sign_in_from(
        &w.server,
        Some("203.0.113.9"),
        "member@x.org",
        "correct horse battery",
    )
    .await;
    assert_eq!(s, 200, "the owner was locked out: {body}");
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "no back-off"
    );
    // Many failures from one address still hit the per-address cap, for
    // any account.
    for i in 0..20 {
        sign_in_from(
            &w.server,
            Some("198.51.100.2"),
            &format!("n{i}@x.org"),
            "wrong password!!",
        )
        .await;
    }
    let (s, _) = sign_in_from(
        &w.server,
        Some("198.51.100.2"),
        "coord@x.org",
        "correct horse battery",
    )
    .await;
    assert_eq!(s, 429);
    // An address is taken from X-Forwarded-For only from a trusted proxy.
    let plain = world().await;
    for i in 0..5 {
        let from = format!("198.51.100.{}", 10 + i);
        sign_in_from(
            &plain.server,
            Some(&from),
            "member@x.org",
            "wrong password!!",
        )
        .await;
    }
    let (s, _) = sign_in_from(
        &plain.server,
        Some("198.51.100.99"),
        "member@x.org",
        "correct horse battery",
    )
    .await;
    assert_eq!(s, 429, "a forged X-Forwarded-For escaped the count");
}

/// Finding 10: failed sign-ins leaked memory: one counter per full email,
/// never removed, no length cap.
#[tokio::test]
async fn finding_10_failed_sign_ins_with_huge_emails_keep_nothing() {
    let w = world().await;
    let huge = format!("{}@x.org", "a".repeat(1_900_000));
    for _ in 0..5 {
        let (s, body) = sign_in_from(&w.server, None, &huge, "whatever password").await;
        assert_eq!(
            (s, body["error"].as_str()),
            (401, Some("wrong_credentials"))
        );
    }
    assert_eq!(
        w.server.accounts().limiter.held(),
        0,
        "an over-long email was counted"
    );
    sign_in_from(&w.server, None, "real@x.org", "wrong password!!").await;
    assert_eq!(
        w.server.accounts().limiter.held(),
        3,
        "pair, address, account"
    );
}

/// Finding 12: a wrong password for a real account took 34.5 ms, an
/// unknown email 0.8 ms: the same work is now done either way.
#[tokio::test]
async fn finding_12_unknown_emails_take_as_long_as_wrong_passwords() {
    let w = world().await;
    let time = |email: &'static str| {
        let server = &w.server;
        async move {
            let mut v = Vec::new();
            for _ in 0..3 {
                let t = Instant::now();
                let (s, _) = sign_in_from(server, None, email, "wrong password!!").await;
                assert_eq!(s, 401);
                v.push(t.elapsed());
            }
            v.sort();
            v[1]
        }
    };
    let known = time("coord@x.org").await;
    let unknown = time("nobody@x.org").await;
    assert!(
        unknown * 3 >= known,
        "unknown email answered in {unknown:?}, a real one in {known:?}"
    );
}

async fn invitation(w: &crate::access::World) -> String {
    let (status, inv) = call(
        &w.server,
        "POST",
        &format!("/api/groups/{GROUP}/invitations"),
        w.coord.token.as_deref(),
        Some(json!({"role": "member"})),
    )
    .await;
    assert_eq!(status, 201, "{inv}");
    inv["token"].as_str().unwrap().to_owned()
}

/// Finding 13: an invitation was used up by a failed acceptance (an
/// existing email: 409 naming that email, and the link was gone).
/// Finding 14 too: trivial passwords were accepted.
#[tokio::test]
async fn finding_13_and_14_a_failed_acceptance_keeps_the_link_and_weak_passwords_are_refused() {
    let w = world().await;
    let token = invitation(&w).await;
    let path = format!("/api/invitations/{token}/accept");
    let accept = |email: &str, password: &str| {
        json!({"name": "Nadia", "email": email, "organisation": "Association",
               "sector": "civil_society", "password": password})
    };
    let (s, body) = call(
        &w.server,
        "POST",
        &path,
        None,
        Some(accept("member@x.org", "a long enough password")),
    )
    .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (409, Some("email_taken")),
        "{body}"
    );
    assert!(
        !body.to_string().contains("member@x.org"),
        "names the account: {body}"
    );
    for weak in ["          ", "aaaaaaaaaa", "1234567890"] {
        let (s, body) = call(
            &w.server,
            "POST",
            &path,
            None,
            Some(accept("nadia@x.org", weak)),
        )
        .await;
        assert_eq!(s, 400, "{weak:?}: {body}");
        assert!(
            body["error"].as_str().unwrap().starts_with("password_"),
            "{body}"
        );
    }
    // The link still works.
    let (s, body) = call(
        &w.server,
        "POST",
        &path,
        None,
        Some(accept("nadia@x.org", "a long enough password")),
    )
    .await;
    assert_eq!(s, 200, "{body}");
}

/// Finding 15: no security headers; a same-site page could frame the app.
#[tokio::test]
async fn finding_15_every_response_carries_the_security_headers() {
    let w = world().await;
    for path in ["/", "/api/me", "/healthz"] {
        let (_, head, _) = get_with(&w.server.http(path), &[]).await;
        let head = head.to_ascii_lowercase();
        for want in [
            "content-security-policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'",
            "frame-ancestors 'none'",
            "x-content-type-options: nosniff",
            "x-frame-options: deny",
            "referrer-policy: no-referrer",
        ] {
            assert!(head.contains(want), "{path}: no {want:?} in\n{head}");
        }
    }
}

/// Finding 17: the Origin check ignored the scheme and trusted `Host`.
#[tokio::test]
async fn finding_17_origins_are_the_configured_ones_never_the_host() {
    let w = world().await;
    let body = json!({"email": "member@x.org", "password": "correct horse battery"});
    let url = w.server.http("/api/session");
    let own = w.server.http("").trim_end_matches('/').to_owned();
    let https = own.replace("http://", "https://");
    for (origin, host, want) in [
        ("http://evil.com", "evil.com", 403),
        (https.as_str(), own.trim_start_matches("http://"), 403),
        (own.as_str(), own.trim_start_matches("http://"), 200),
    ] {
        let (s, _, b) = request_with_host(&url, host, &[("Origin", origin)], &body).await;
        assert_eq!(
            s,
            want,
            "Origin {origin}, Host {host}: {}",
            String::from_utf8_lossy(&b)
        );
    }
    // The socket too.
    let mut req =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "{}?token={}",
            w.server.url(),
            w.member.token.as_deref().unwrap()
        ))
        .unwrap();
    req.headers_mut()
        .insert("Host", "evil.com".parse().unwrap());
    req.headers_mut()
        .insert("Origin", "http://evil.com".parse().unwrap());
    let err = tokio_tungstenite::connect_async(req).await.unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
}

/// A request with a `Host` of our choosing.
async fn request_with_host(
    url: &str,
    host: &str,
    headers: &[(&str, &str)],
    body: &Json,
) -> (u16, String, Vec<u8>) {
    let rest = url.strip_prefix("http://").unwrap();
    let (addr, path) = rest.split_once('/').unwrap();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let body = body.to_string();
    s.write_all(
        format!(
            "POST /{path} HTTP/1.0\r\nHost: {host}\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text[9..12].parse().unwrap();
    (status, text, buf)
}

/// Finding 18: `//assets` answered a protocol-relative redirect, and
/// `/metrics` was public.
#[tokio::test]
async fn finding_18_no_open_redirect_and_metrics_not_public() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.web_dir = crate::webapp::built_web_app();
    let server = TestServer::start_with(config).await.unwrap();
    for path in ["//assets", "//evil.com/x", "//assets/"] {
        let (status, head, _) = get_with(&server.http(path), &[]).await;
        assert!(
            !head.to_ascii_lowercase().contains("\nlocation: //"),
            "{path}: protocol-relative redirect\n{head}"
        );
        assert_eq!(status, 404, "{path}\n{head}");
    }
    assert_eq!(crate::http::get(&server.http("/metrics")).await.0, 404);
    server.stop().await.unwrap();

    // Behind a token, or on their own address.
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.metrics_token = Some("s3cret-metrics".into());
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let metrics_addr = free.local_addr().unwrap();
    drop(free);
    config.metrics_listen = Some(metrics_addr);
    let server = TestServer::start_with(config).await.unwrap();
    let url = server.http("/metrics");
    assert_eq!(get_with(&url, &[]).await.0, 401);
    assert_eq!(
        get_with(&url, &[("Authorization", "Bearer wrong")]).await.0,
        401
    );
    let (s, _, body) = get_with(&url, &[("Authorization", "Bearer s3cret-metrics")]).await;
    assert_eq!(s, 200);
    assert!(String::from_utf8_lossy(&body).contains("codraft_connections"));
    let (s, _, body) = get_with(&format!("http://{metrics_addr}/metrics"), &[]).await;
    assert_eq!(s, 200);
    assert!(String::from_utf8_lossy(&body).contains("codraft_connections"));
    server.stop().await.unwrap();
}

/// Reads until the server closes; true if it did within `within`.
async fn closed_within(s: &mut tokio::net::TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

/// Finding 11: no HTTP timeouts or connection cap before sign-in: idle and
/// slowloris connections stayed open, and enough of them made `/healthz`
/// fail.
#[tokio::test]
async fn finding_11_idle_slow_and_excess_connections_are_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.header_timeout = Duration::from_secs(1);
    config.max_unauthenticated = 4;
    let server = TestServer::start_with(config).await.unwrap();
    let addr = server.running.addr;
    // Idle: nothing sent.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    assert!(
        closed_within(&mut idle, Duration::from_secs(4)).await,
        "idle connection kept"
    );
    // Idle after a request on a keep-alive connection.
    let mut kept = tokio::net::TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 64];
    let n = kept.read(&mut first).await.unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    assert!(
        closed_within(&mut kept, Duration::from_secs(4)).await,
        "idle keep-alive connection kept"
    );
    // Slowloris: a header line a byte at a time, never finished.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut cut = false;
    for b in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "
        .iter()
        .cycle()
        .take(40)
    {
        if slow.write_all(&[*b]).await.is_err() {
            cut = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        cut || closed_within(&mut slow, Duration::from_secs(2)).await,
        "slowloris kept"
    );
    // Over the cap of connections not signed in: a 503 at once, and the
    // server answers again once they are gone.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(tokio::net::TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, head, _) = get_with(&server.http("/healthz"), &[]).await;
    assert_eq!(status, 503, "{head}");
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(crate::http::get(&server.http("/healthz")).await.0, 200);
    // A WebSocket (open access: counted as signed in) leaves the cap.
    let mut sockets = Vec::new();
    for i in 0..6 {
        sockets.push(
            codraft_tests::TestClient::connect(&server.url(), &format!("ws-{i}"))
                .await
                .unwrap(),
        );
    }
    assert_eq!(crate::http::get(&server.http("/healthz")).await.0, 200);
    server.stop().await.unwrap();
}
