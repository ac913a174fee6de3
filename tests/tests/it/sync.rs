use codraft_protocol::{DocumentId, EphemeralMessage, Message};
use codraft_tests::{TestClient, TestServer};

use crate::{append_title, author, card, title};

#[tokio::test]
async fn create_then_second_client_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (a, id) = author(&server, "a").await;

    let mut b = TestClient::connect(&server.url(), "b").await.unwrap();
    b.open(id).await.unwrap();
    assert_eq!(b.doc(id).get_heads(), a.doc(id).get_heads());
    assert_eq!(title(b.doc(id)), "الاستراتيجية الوطنية للتنمية المستدامة");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn concurrent_edits_converge() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (mut a, id) = author(&server, "a").await;
    let mut b = TestClient::connect(&server.url(), "b").await.unwrap();
    b.open(id).await.unwrap();

    // Both edit before hearing of the other's change.
    a.edit(id, append_title(" — ⵜⴰⵎⵙⵙⵓⴷⵓⵜ")).await.unwrap();
    b.edit(id, append_title(" (révision 2026)")).await.unwrap();
    for _ in 0..50 {
        a.pump_for(std::time::Duration::from_millis(20))
            .await
            .unwrap();
        b.pump_for(std::time::Duration::from_millis(20))
            .await
            .unwrap();
        if a.doc(id).get_heads() == b.doc(id).get_heads() && a.is_saved(id) && b.is_saved(id) {
            break;
        }
    }
    assert_eq!(a.doc(id).get_heads(), b.doc(id).get_heads());
    let t = title(a.doc(id));
    assert_eq!(t, title(b.doc(id)));
    assert!(
        t.contains("ⵜⴰⵎⵙⵙⵓⴷⵓⵜ") && t.contains("révision 2026"),
        "{t}"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn unknown_document_request_gets_doc_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut a = TestClient::connect(&server.url(), "a").await.unwrap();
    let missing = DocumentId::random();
    let err = a.open(missing).await.unwrap_err();
    assert!(err.to_string().contains("unavailable"), "{err}");
    assert_eq!(a.unavailable, vec![missing]);
    assert!(!a.closed, "the connection stays open");
    // ... and it still works for other documents.
    let id = a.create(card).await.unwrap();
    a.wait_saved(id).await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test]
async fn ephemeral_is_relayed_once_to_every_other_peer_with_original_sender() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (mut a, id) = author(&server, "a").await;
    let mut b = TestClient::connect(&server.url(), "b").await.unwrap();
    b.open(id).await.unwrap();
    let mut c = TestClient::connect(&server.url(), "c").await.unwrap();
    c.open(id).await.unwrap();

    let server_peer = a.server.clone();
    let e = |count| {
        Message::Ephemeral(EphemeralMessage {
            sender_id: "a".into(),
            target_id: server_peer.clone(),
            document_id: id,
            session_id: "s1".into(),
            count,
            data: vec![0xa0],
        })
    };
    a.send(&e(1)).await.unwrap();
    a.send(&e(1)).await.unwrap(); // duplicate: dropped
    a.send(&e(2)).await.unwrap();
    for client in [&mut b, &mut c] {
        client.pump_until(|c| c.ephemeral.len() >= 2).await.unwrap();
        client
            .pump_for(std::time::Duration::from_millis(200))
            .await
            .unwrap();
        let counts: Vec<u64> = client.ephemeral.iter().map(|e| e.count).collect();
        assert_eq!(counts, vec![1, 2], "duplicates dropped");
        assert!(client.ephemeral.iter().all(|e| e.sender_id.as_str() == "a"));
        assert!(client.ephemeral.iter().all(|e| e.target_id == client.peer));
    }
    a.pump_for(std::time::Duration::from_millis(200))
        .await
        .unwrap();
    assert!(a.ephemeral.is_empty(), "not echoed to the sender");

    // JS clients relay what they receive back into the mesh, keeping the
    // original sender: the server recognises the echo and drops it.
    let echo = b.ephemeral[1].clone();
    b.send(&Message::Ephemeral(echo)).await.unwrap();
    c.pump_for(std::time::Duration::from_millis(200))
        .await
        .unwrap();
    a.pump_for(std::time::Duration::from_millis(50))
        .await
        .unwrap();
    assert_eq!(c.ephemeral.len(), 2, "echo dropped");
    assert!(a.ephemeral.is_empty(), "echo dropped");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_second_join_with_the_same_peer_id_replaces_the_first_socket() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (mut first, id) = author(&server, "same").await;
    let mut second = TestClient::connect(&server.url(), "same").await.unwrap();
    first.wait_closed().await.unwrap();
    second.open(id).await.unwrap();
    assert_eq!(title(second.doc(id)), title(first.doc(id)));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn unsupported_protocol_version_gets_error_then_close() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message as Frame;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (mut ws, _) = tokio_tungstenite::connect_async(server.url())
        .await
        .unwrap();
    let join = Message::Join {
        sender_id: "future".into(),
        peer_metadata: None,
        supported_protocol_versions: Some(vec!["2".into()]),
    };
    ws.send(Frame::Binary(codraft_protocol::encode(&join).into()))
        .await
        .unwrap();
    assert_eq!(
        crate::errors_until_close(&mut ws).await,
        vec!["unsupported protocol version".to_owned()]
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn unknown_message_types_and_advisory_messages_are_tolerated() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (mut a, id) = author(&server, "a").await;
    let server_peer = a.server.clone();
    for m in [
        Message::Unknown {
            message_type: "future-feature".into(),
            sender_id: Some("a".into()),
        },
        Message::Leave {
            sender_id: "a".into(),
        },
        Message::RemoteSubscriptionChange {
            sender_id: "a".into(),
            target_id: server_peer.clone(),
            add: Some(vec!["3760df37-a4c6-4f66-9ecd-732039a9385d".into()]),
            remove: None,
        },
        Message::RemoteHeadsChanged {
            sender_id: "a".into(),
            target_id: server_peer.clone(),
            document_id: id,
            new_heads: vec![],
        },
    ] {
        a.send(&m).await.unwrap();
    }
    // Still connected and syncing.
    a.edit(id, append_title(" ok")).await.unwrap();
    a.wait_saved(id).await.unwrap();
    assert!(!a.closed && a.errors.is_empty(), "{:?}", a.errors);
    server.stop().await.unwrap();
}

/// The value of a metric in `/metrics` (the test server's token).
async fn metric(server: &TestServer, name: &str) -> f64 {
    let (status, _, body) = crate::http::get_with(
        &server.http("/metrics"),
        &[("Authorization", "Bearer metrics-secret")],
    )
    .await;
    assert_eq!(status, 200);
    crate::http::metric_value(&String::from_utf8(body).unwrap(), name)
}

/// Acknowledgements that need no answer wait for their document's next
/// batch instead of waking it (`hub/aside.rs`). Four people take turns
/// typing: most acknowledgements are set aside, and everyone still
/// converges, is told the server saved it, and every sync message is
/// decoded once (now or when a batch takes it).
#[tokio::test]
async fn acknowledgements_set_aside_leave_every_peer_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = codraft_server::Config::for_tests(dir.path().to_owned());
    config.metrics_token = Some("metrics-secret".into());
    let server = TestServer::start_with(config).await.unwrap();
    let (a, id) = author(&server, "amina").await;
    let mut people = vec![a];
    for name in ["yassine", "salma", "karim"] {
        let mut c = TestClient::connect(&server.url(), name).await.unwrap();
        c.open(id).await.unwrap();
        people.push(c);
    }
    let words = [
        " ⵜⴰⵎⵙⵙⵓⴷⵓⵜ",
        " الشفافية",
        " révision",
        " 2026",
        " ⴰⴷⵍⵉⵙ",
        " ميثاق",
    ];
    for (turn, word) in words.into_iter().enumerate() {
        let n = people.len();
        people[turn % n].edit(id, append_title(word)).await.unwrap();
        let mut in_step = false;
        for _ in 0..200 {
            for p in people.iter_mut() {
                p.pump_for(std::time::Duration::from_millis(5))
                    .await
                    .unwrap();
            }
            let heads = people[0].doc(id).get_heads();
            in_step = people
                .iter()
                .all(|p| p.doc(id).get_heads() == heads && p.is_saved(id));
            if in_step {
                break;
            }
        }
        assert!(in_step, "turn {turn}: not everyone converged and saved");
    }
    let t = title(people[3].doc(id));
    assert!(
        t.ends_with("ⵜⴰⵎⵙⵙⵓⴷⵓⵜ الشفافية révision 2026 ⴰⴷⵍⵉⵙ ميثاق"),
        "{t}"
    );
    let set_aside = metric(&server, "codraft_acks_set_aside_total").await;
    assert!(set_aside >= 6.0, "acknowledgements set aside: {set_aside}");
    let received = metric(&server, "codraft_sync_messages_in_total").await;
    let decoded = metric(&server, "codraft_sync_decodes_total").await;
    let waiting = metric(&server, "codraft_acks_waiting").await;
    assert_eq!(decoded + waiting, received);
    for p in &people {
        assert!(!p.closed && p.errors.is_empty(), "{:?}", p.errors);
    }
    server.stop().await.unwrap();
}

/// A busy document gathers what arrives within `fanout_window` of its
/// previous batch and passes it on together (`hub/actor`): one message per
/// peer for several changes. The first change after a quiet moment goes at
/// once. With no window, the two changes typed 300 ms apart below would
/// reach the other person as two messages.
#[tokio::test]
async fn changes_within_the_fanout_window_go_out_together() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = codraft_server::Config::for_tests(dir.path().to_owned());
    config.fanout_window = std::time::Duration::from_secs(3);
    let server = TestServer::start_with(config).await.unwrap();
    let (mut a, id) = author(&server, "amina").await;
    let mut b = TestClient::connect(&server.url(), "yassine").await.unwrap();
    b.open(id).await.unwrap();
    // Whatever is still on its way is handled, then a quiet moment: the
    // last window closes, and nobody has anything left to answer.
    a.pump_for(std::time::Duration::from_millis(100))
        .await
        .unwrap();
    b.pump_for(std::time::Duration::from_millis(100))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(3200)).await;
    b.messages_with_changes = 0;

    // The first change goes at once, well before its window closes.
    a.edit(id, append_title(" ⵜⴰⵎⵙⵙⵓⴷⵓⵜ")).await.unwrap();
    b.pump_for(std::time::Duration::from_millis(1500))
        .await
        .unwrap();
    assert_eq!(b.messages_with_changes, 1, "the first change, at once");
    assert!(title(b.doc(id)).ends_with("ⵜⴰⵎⵙⵙⵓⴷⵓⵜ"));

    // Two more inside the window: one message with both.
    a.edit(id, append_title(" الشفافية")).await.unwrap();
    a.pump_for(std::time::Duration::from_millis(300))
        .await
        .unwrap();
    a.edit(id, append_title(" révision")).await.unwrap();
    b.pump_until(|b| title(b.doc(id)).ends_with("الشفافية révision"))
        .await
        .unwrap();
    assert_eq!(
        b.messages_with_changes, 2,
        "the two changes of the window, in one message"
    );
    a.pump_until(|a| a.is_saved(id)).await.unwrap();
    assert_eq!(a.doc(id).get_heads(), b.doc(id).get_heads());
    assert!(a.errors.is_empty() && b.errors.is_empty());
    server.stop().await.unwrap();
}
