use codraft_tests::TestServer;

use crate::author;

async fn get(url: &str) -> (u16, String) {
    // A tiny HTTP/1.0 GET, to keep an HTTP client out of the dependencies.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    s.write_all(format!("GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).await.unwrap();
    let status = buf[9..12].parse().unwrap();
    let body = buf
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    assert_eq!(get(&server.http("/healthz")).await, (200, "ok".into()));
    assert_eq!(get(&server.http("/readyz")).await.0, 200);

    let (_connected, _id) = author(&server, "a").await;

    let (status, body) = get(&server.http("/metrics")).await;
    assert_eq!(status, 200);
    let value = |name: &str| -> f64 {
        body.lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
            .unwrap_or_else(|| panic!("{name} missing in\n{body}"))
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(value("codraft_connections"), 1.0);
    assert_eq!(value("codraft_open_documents"), 1.0);
    assert!(value("codraft_messages_in_total") >= 2.0);
    assert!(value("codraft_messages_out_total") >= 2.0);
    assert!(value("codraft_bytes_in_total") > 100.0);
    assert!(value("codraft_persist_seconds_count") >= 1.0);
    assert!(body.contains("codraft_persist_seconds_bucket"));
    server.stop().await.unwrap();
}
