use codraft_tests::TestServer;

use crate::author;

/// The status of a GET, or `None` if nothing answers.
pub async fn try_get(url: &str) -> Option<u16> {
    let host = url.strip_prefix("http://")?.split_once('/')?.0.to_owned();
    tokio::net::TcpStream::connect(&host).await.ok()?;
    Some(get(url).await.0)
}

pub async fn get(url: &str) -> (u16, String) {
    let (status, _, body) = get_with(url, &[]).await;
    (status, String::from_utf8_lossy(&body).into_owned())
}

pub async fn get_with(url: &str, headers: &[(&str, &str)]) -> (u16, String, Vec<u8>) {
    request("GET", url, headers, None).await
}

/// A tiny HTTP/1.0 client (to keep one out of the dependencies): status,
/// headers, raw body. `body` goes as JSON.
pub async fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&serde_json::Value>,
) -> (u16, String, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    let mut extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    extra.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    ));
    s.write_all(
        format!("{method} /{path} HTTP/1.0\r\nHost: {host}\r\n{extra}\r\n{body}").as_bytes(),
    )
    .await
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(buf.len());
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head[9..12].parse().unwrap();
    let body = buf.get(split + 4..).unwrap_or_default().to_vec();
    (status, head, body)
}

/// A metric's value in the text of `/metrics`.
pub fn metric_value(body: &str, name: &str) -> f64 {
    body.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .unwrap_or_else(|| panic!("{name} missing in\n{body}"))
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = codraft_server::Config::for_tests(dir.path().to_owned());
    config.metrics_token = Some("metrics-secret".into());
    let server = TestServer::start_with(config).await.unwrap();
    assert_eq!(get(&server.http("/healthz")).await, (200, "ok".into()));
    assert_eq!(get(&server.http("/readyz")).await.0, 200);

    let (_connected, _id) = author(&server, "a").await;

    let (status, _, body) = get_with(
        &server.http("/metrics"),
        &[("Authorization", "Bearer metrics-secret")],
    )
    .await;
    assert_eq!(status, 200);
    let body = String::from_utf8(body).unwrap();
    let value = |name: &str| metric_value(&body, name);
    assert_eq!(value("codraft_connections"), 1.0);
    assert_eq!(value("codraft_open_documents"), 1.0);
    assert!(value("codraft_messages_in_total") >= 2.0);
    assert!(value("codraft_messages_out_total") >= 2.0);
    assert!(value("codraft_bytes_in_total") > 100.0);
    assert!(value("codraft_persist_seconds_count") >= 1.0);
    // Each sync message is decoded once by the document's session (the
    // audit reads what the session reports), or waits set aside for the
    // next batch.
    let received = value("codraft_sync_messages_in_total");
    assert!(received >= 2.0, "{body}");
    let waiting = value("codraft_acks_waiting");
    assert_eq!(
        value("codraft_sync_decodes_total") + waiting,
        received,
        "{body}"
    );
    assert!(body.contains("codraft_persist_seconds_bucket"));
    // The author's first sync was answered: one fan-out timed, in seconds.
    let fanouts = value("codraft_fanout_seconds_count");
    assert!(fanouts >= 1.0, "fan-out not timed");
    let mean = value("codraft_fanout_seconds_sum") / fanouts;
    assert!(mean > 0.0 && mean < 10.0, "fan-out time in seconds: {mean}");
    server.stop().await.unwrap();
}
