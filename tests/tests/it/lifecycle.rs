use std::time::Duration;

use codraft_server::Config;
use codraft_tests::{TestClient, TestServer};

use crate::{append_title, author, card, title};

#[tokio::test]
async fn a_peer_that_does_not_answer_pings_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.ping_interval = Duration::from_millis(150);
    let server = TestServer::start_with(config).await.unwrap();
    let mut live = TestClient::connect(&server.url(), "live").await.unwrap();
    let mut dead = TestClient::connect(&server.url(), "dead").await.unwrap();
    // `live` keeps reading (tungstenite answers pings as it reads); `dead`
    // reads nothing for a while, so it sends no pong.
    live.pump_for(Duration::from_millis(800)).await.unwrap();
    assert!(!live.closed);
    assert_eq!(
        server.running.state.hub.metrics.connections.get(),
        1,
        "dead peer removed"
    );
    dead.pump_for(Duration::from_millis(200)).await.unwrap();
    assert!(dead.closed);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn idle_documents_are_unloaded_and_reload_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.idle_unload = Duration::from_millis(100);
    let server = TestServer::start_with(config).await.unwrap();
    let state = server.running.state.clone();
    let (a, id) = author(&server, "a").await;
    assert_eq!(state.hub.documents.open_count(), 1);
    drop(a);
    let mut waited = 0;
    while state.hub.documents.open_count() > 0 {
        assert!(waited < 50, "document never unloaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
    }
    assert_eq!(state.hub.metrics.open_documents.get(), 0);
    let mut b = TestClient::connect(&server.url(), "b").await.unwrap();
    b.open(id).await.unwrap();
    assert_eq!(title(b.doc(id)), "الاستراتيجية الوطنية للتنمية المستدامة");
    server.stop().await.unwrap();
}

/// The document's actor asks the session about a batch's senders only
/// (not every peer) whether it keeps them: a peer answered
/// `doc-unavailable`, still connected, must not hold the document open.
#[tokio::test]
async fn a_peer_answered_unavailable_does_not_keep_the_document_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.idle_unload = Duration::from_millis(100);
    let server = TestServer::start_with(config).await.unwrap();
    let state = server.running.state.clone();
    let mut a = TestClient::connect(&server.url(), "a").await.unwrap();
    let missing = codraft_protocol::DocumentId::random();
    assert!(a.open(missing).await.is_err());
    assert_eq!(a.unavailable, vec![missing]);
    let mut waited = 0;
    while state.hub.documents.open_count() > 0 {
        assert!(
            waited < 50,
            "the unavailable document stayed open for its peer"
        );
        a.pump_for(Duration::from_millis(50)).await.unwrap();
        waited += 1;
    }
    assert!(!a.closed, "the connection stays open");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_slow_client_is_disconnected_not_silently_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.outbound_queue = 2;
    let server = TestServer::start_with(config).await.unwrap();
    let (mut writer, id) = author(&server, "writer").await;
    let mut slow = TestClient::connect(&server.url(), "slow").await.unwrap();
    slow.open(id).await.unwrap();
    // `slow` stops reading; `writer` sends large changes until the socket
    // buffers and the queue are full.
    let metrics = server.running.state.hub.metrics.clone();
    let mut edits = 0;
    while metrics.slow_client_disconnects.get() == 0 {
        assert!(edits < 400, "never detected as slow");
        // 256 KiB of incompressible bytes per change.
        let mut x = edits as u64 + 1;
        let blob: Vec<u8> = (0..256 * 1024)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 56) as u8
            })
            .collect();
        writer
            .edit(id, move |tx| {
                use automerge::transaction::Transactable;
                tx.put(automerge::ROOT, "attachment", blob)?;
                Ok(())
            })
            .await
            .unwrap();
        writer.wait_saved(id).await.unwrap();
        edits += 1;
    }
    eprintln!("slow client detected after {edits} large edits");
    assert!(metrics.slow_client_disconnects.get() >= 1);
    slow.wait_closed().await.unwrap();
    assert!(!writer.closed);
    // It reconnects and catches up.
    let mut back = TestClient::connect(&server.url(), "slow").await.unwrap();
    back.open(id).await.unwrap();
    assert_eq!(back.doc(id).get_heads(), writer.doc(id).get_heads());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn graceful_shutdown_closes_clients_and_keeps_their_saved_work() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut a = TestClient::connect(&server.url(), "a").await.unwrap();
    let id = a.create(card).await.unwrap();
    a.edit(id, append_title(" ✔")).await.unwrap();
    a.wait_saved(id).await.unwrap();
    let heads = a.doc(id).get_heads();
    server.stop().await.unwrap();
    a.wait_closed().await.unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut b = TestClient::connect(&server.url(), "b").await.unwrap();
    b.open(id).await.unwrap();
    assert_eq!(b.doc(id).get_heads(), heads);
    server.stop().await.unwrap();
}
