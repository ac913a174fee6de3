use std::sync::Arc;
use std::time::Duration;

use codraft_protocol::{DocMessage, Message};
use codraft_server::Config;
use codraft_server::store::MemoryStore;
use codraft_tests::{TestClient, TestServer};
use tokio_tungstenite::tungstenite::Message as Frame;

use crate::{append_title, author, errors_until_close, title};

/// A client that keeps editing while another misbehaves, to show that the
/// document and every other connection are unharmed.
async fn bystander(server: &TestServer) -> (TestClient, codraft_protocol::DocumentId) {
    author(server, "good").await
}

async fn still_fine(good: &mut TestClient, id: codraft_protocol::DocumentId) {
    good.edit(id, append_title(" ✓")).await.unwrap();
    good.wait_saved(id).await.unwrap();
    assert!(!good.closed);
    assert!(good.errors.is_empty(), "{:?}", good.errors);
}

#[tokio::test]
async fn malformed_frame_gets_error_and_close_others_unaffected() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (mut good, id) = bystander(&server).await;
    let mut bad = TestClient::connect(&server.url(), "bad").await.unwrap();
    bad.open(id).await.unwrap();
    bad.send_frame(Frame::Binary(vec![0xa2, 0x64, b't'].into()))
        .await
        .unwrap();
    let errors = bad.wait_closed().await.unwrap();
    assert!(
        errors.iter().any(|e| e.starts_with("malformed message")),
        "{errors:?}"
    );
    still_fine(&mut good, id).await;
    server.stop().await.unwrap();
}

#[tokio::test]
async fn text_frame_gets_error_and_close() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (mut good, id) = bystander(&server).await;
    let mut bad = TestClient::connect(&server.url(), "bad").await.unwrap();
    bad.send_frame(Frame::Text("{\"type\":\"sync\"}".into()))
        .await
        .unwrap();
    let errors = bad.wait_closed().await.unwrap();
    assert!(
        errors.iter().any(|e| e.contains("text frames")),
        "{errors:?}"
    );
    still_fine(&mut good, id).await;
    server.stop().await.unwrap();
}

#[tokio::test]
async fn message_before_join_is_refused() {
    use futures_util::SinkExt;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (mut ws, _) = tokio_tungstenite::connect_async(server.url())
        .await
        .unwrap();
    let leave = Message::Leave {
        sender_id: "x".into(),
    };
    ws.send(Frame::Binary(codraft_protocol::encode(&leave).into()))
        .await
        .unwrap();
    let texts = errors_until_close(&mut ws).await;
    assert_eq!(
        texts,
        vec!["expected a join message first, got `leave`".to_owned()]
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn oversized_message_gets_error_and_close_others_unaffected() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.max_message_bytes = 64 * 1024;
    config.max_frame_bytes = 64 * 1024;
    let server = TestServer::start_with(config).await.unwrap();
    let (mut good, id) = bystander(&server).await;
    let mut bad = TestClient::connect(&server.url(), "bad").await.unwrap();
    bad.send_frame(Frame::Binary(vec![0u8; 200 * 1024].into()))
        .await
        .unwrap();
    let errors = bad.wait_closed().await.unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("invalid WebSocket message")),
        "{errors:?}"
    );
    still_fine(&mut good, id).await;
    server.stop().await.unwrap();
}

#[tokio::test]
async fn invalid_automerge_data_is_refused_and_the_document_unharmed() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (mut good, id) = bystander(&server).await;
    let mut bad = TestClient::connect(&server.url(), "bad").await.unwrap();
    let junk = Message::Sync(DocMessage {
        sender_id: "bad".into(),
        target_id: bad.server.clone(),
        document_id: id,
        data: vec![0x42, 0xff, 0xff, 0xff],
    });
    bad.send(&junk).await.unwrap();
    let errors = bad.wait_closed().await.unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("invalid automerge sync message")),
        "{errors:?}"
    );
    still_fine(&mut good, id).await;
    let mut late = TestClient::connect(&server.url(), "late").await.unwrap();
    late.open(id).await.unwrap();
    assert_eq!(title(late.doc(id)), title(good.doc(id)));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn handshake_timeout_closes_silent_sockets() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.handshake_timeout = Duration::from_millis(200);
    let server = TestServer::start_with(config).await.unwrap();
    let (mut ws, _) = tokio_tungstenite::connect_async(server.url())
        .await
        .unwrap();
    let texts = errors_until_close(&mut ws).await;
    assert_eq!(
        texts,
        vec!["no join message within the handshake timeout".to_owned()]
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn failed_write_reaches_the_client_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryStore::default();
    let server = TestServer::start_on(
        Config::for_tests(dir.path().to_owned()),
        Arc::new(store.clone()),
    )
    .await
    .unwrap();
    let (mut a, id) = author(&server, "a").await;

    store.fail_writes(true);
    a.edit(id, append_title(" — غير محفوظ")).await.unwrap();
    let errors = a.wait_closed().await.unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("storage failure") && e.contains("not saved")),
        "{errors:?}"
    );
    assert!(
        !a.is_saved(id),
        "the server never advertised the unsaved change"
    );

    // Storage comes back; the client reconnects and its change is saved then.
    store.fail_writes(false);
    let local = a.doc(id).save();
    let mut again = TestClient::connect(&server.url(), "a").await.unwrap();
    let id2 = again.create_from(id, &local).await.unwrap();
    again.wait_saved(id2).await.unwrap();
    let mut reader = TestClient::connect(&server.url(), "reader").await.unwrap();
    reader.open(id).await.unwrap();
    assert!(title(reader.doc(id)).ends_with("— غير محفوظ"));
    server.stop().await.unwrap();
}
