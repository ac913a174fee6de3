//! Findings on the sync socket.

use std::time::Duration;

use codraft_protocol::presence::PresenceMessage;
use codraft_protocol::{DocMessage, DocumentId, EphemeralMessage, Message, encode};
use codraft_server::Config;
use codraft_tests::{TestClient, TestServer};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message as Frame;

use super::{as_request, holds, sync_data_with_change};
use crate::access::{GROUP, World, call, world, world_with, ws_url};

async fn open_as(w: &World, p: &crate::access::Person, peer: &str) -> TestClient {
    let mut c = TestClient::connect(&ws_url(&w.server, p), peer)
        .await
        .unwrap();
    c.open(w.doc).await.unwrap();
    c
}

/// Finding 1 (critical): an observer changed any card by sending its sync
/// data in a `request` instead of a `sync`. Both types are refused alike,
/// unapplied, with the socket closed.
#[tokio::test]
async fn finding_1_an_observer_cannot_write_through_request_or_sync() {
    let w = world().await;
    for kind in ["request", "sync"] {
        let mut obs = open_as(&w, &w.observer, &format!("observer-{kind}")).await;
        let (data, hash) = sync_data_with_change(obs.doc(w.doc), "forged ");
        let m = match kind {
            "request" => as_request(&obs, w.doc, data),
            _ => Message::Sync(DocMessage {
                sender_id: obs.peer.clone(),
                target_id: obs.server.clone(),
                document_id: w.doc,
                data,
            }),
        };
        obs.send(&m).await.unwrap();
        let errors = obs.wait_closed().await.unwrap();
        assert!(
            errors.iter().any(|e| e.starts_with("read-only")),
            "{kind}: {errors:?}"
        );
        assert!(
            !holds(&ws_url(&w.server, &w.coord), w.doc, hash).await,
            "{kind}: the observer's change was applied"
        );
    }
}

/// Finding 2: changes sent as `request` never reached the audit log.
#[tokio::test]
async fn finding_2_changes_sent_as_request_are_audited() {
    let w = world().await;
    let mut member = open_as(&w, &w.member, "member-request").await;
    let (data, hash) = sync_data_with_change(member.doc(w.doc), "par requête ");
    member
        .send(&as_request(&member, w.doc, data))
        .await
        .unwrap();
    member.pump_for(Duration::from_millis(300)).await.unwrap();
    assert!(member.errors.is_empty(), "{:?}", member.errors);
    assert!(holds(&ws_url(&w.server, &w.coord), w.doc, hash).await);
    let path = format!("/api/documents/{}/audit", w.doc.to_url());
    let member_id = w.member.user.as_ref().unwrap().id.clone();
    let mut found = false;
    for _ in 0..50 {
        let (status, log) = call(&w.server, "GET", &path, w.coord.token.as_deref(), None).await;
        assert_eq!(status, 200, "{log}");
        found =
            log.as_array().unwrap().iter().any(|e| {
                e["change"] == hash.to_string().as_str() && e["user"] == member_id.as_str()
            });
        if found {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        found,
        "the change sent as `request` is not in the audit log"
    );
}

/// A raw socket that has joined.
async fn raw(
    url: &str,
    peer: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let join = Message::Join {
        sender_id: peer.into(),
        peer_metadata: Some(Default::default()),
        supported_protocol_versions: Some(vec!["1".into()]),
    };
    ws.send(Frame::Binary(encode(&join).into())).await.unwrap();
    let peer_reply = ws.next().await.unwrap().unwrap();
    assert!(matches!(peer_reply, Frame::Binary(_)));
    ws
}

/// Finding 3: two large changes (to two new cards) stopped `/healthz` and
/// another card's write: Automerge's apply ran on the async workers. A
/// large change now holds up neither the runtime nor another card.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_3_large_changes_do_not_stall_the_server_or_other_cards() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.max_change_bytes = 64 << 20;
    config.max_document_bytes = 64 << 20;
    let server = TestServer::start_with(config).await.unwrap();
    // Two new cards, each created by one large change of incompressible text.
    let mut big = Vec::new();
    for i in 0..2 {
        let text: String = (0..1_500_000u32)
            .map(|n| char::from(b'a' + ((n.wrapping_mul(2_654_435_761) >> 7) % 26) as u8))
            .collect();
        let (data, _) = sync_data_with_change(&automerge::Automerge::new(), &text);
        let mut ws = raw(&server.url(), &format!("big-{i}")).await;
        let m = Message::Sync(DocMessage {
            sender_id: format!("big-{i}").as_str().into(),
            target_id: "server".into(),
            document_id: DocumentId::random(),
            data,
        });
        ws.send(Frame::Binary(encode(&m).into())).await.unwrap();
        big.push(ws);
    }
    // Meanwhile: another card's write is acknowledged, and health answers.
    let (mut small, id) = crate::author(&server, "small").await;
    small.edit(id, crate::card).await.unwrap();
    small.wait_saved(id).await.unwrap();
    assert_eq!(crate::http::get(&server.http("/healthz")).await.0, 200);
    // ... before either large change was acknowledged.
    for ws in &mut big {
        let r = tokio::time::timeout(Duration::from_millis(1), ws.next()).await;
        assert!(
            r.is_err(),
            "a large change was acknowledged before the small one: the test proves nothing"
        );
    }
    // And the large ones complete. On a loaded machine that can take
    // longer than the keepalive's interval: a ping before the answer is
    // no answer (the socket, reading, answers it).
    for ws in &mut big {
        let answer = tokio::time::timeout(Duration::from_secs(120), async {
            loop {
                match ws.next().await {
                    Some(Ok(Frame::Ping(_) | Frame::Pong(_))) => continue,
                    other => return other,
                }
            }
        })
        .await;
        assert!(
            matches!(answer, Ok(Some(Ok(Frame::Binary(_))))),
            "large change not answered: {answer:?}"
        );
    }
    server.stop().await.unwrap();
}

/// Finding 4: no size cap per change or per card, no cap on card
/// creation.
#[tokio::test]
async fn finding_4_changes_and_cards_have_size_limits_and_creation_a_rate() {
    let w = world_with(false, |c| {
        c.max_change_bytes = 16 << 10;
        c.max_document_bytes = 64 << 10;
        c.cards_per_hour = 2;
    })
    .await;
    let noise = |seed: u32, n: usize| -> String {
        (0..n as u32)
            .map(|i| {
                let x = (i ^ seed.wrapping_mul(0x9e37_79b9)).wrapping_mul(2_654_435_761);
                char::from(b'a' + ((x >> 11) % 26) as u8)
            })
            .collect()
    };
    // One change over the change limit: refused, nothing stored.
    let mut m = open_as(&w, &w.member, "too-large").await;
    let (data, hash) = sync_data_with_change(m.doc(w.doc), &noise(1, 40_000));
    m.send(&as_request(&m, w.doc, data)).await.unwrap();
    let errors = m.wait_closed().await.unwrap();
    assert!(
        errors.iter().any(|e| e.starts_with("change-too-large")),
        "{errors:?}"
    );
    assert!(!holds(&ws_url(&w.server, &w.coord), w.doc, hash).await);
    // Changes under it, until the card is full: then refused, nothing stored.
    let mut refused = None;
    for i in 0..20 {
        let mut m = open_as(&w, &w.member, &format!("filler-{i}")).await;
        let (data, hash) = sync_data_with_change(m.doc(w.doc), &noise(i + 2, 12_000));
        m.send(&as_request(&m, w.doc, data)).await.unwrap();
        m.pump_for(Duration::from_millis(300)).await.unwrap();
        if m.errors.iter().any(|e| e.starts_with("document-full")) {
            refused = Some((i, hash));
            break;
        }
        assert!(m.errors.is_empty(), "{:?}", m.errors);
    }
    let (i, hash) = refused.expect("the document size limit was never reached");
    assert!(i >= 2, "refused too early: after {i} changes");
    assert!(!holds(&ws_url(&w.server, &w.coord), w.doc, hash).await);
    // Card creation: two an hour for a member, then 429 with the code.
    let path = format!("/api/groups/{GROUP}/documents");
    let token = w.member.token.as_deref();
    for _ in 0..2 {
        let (status, body) = call(&w.server, "POST", &path, token, Some(json!({}))).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = call(&w.server, "POST", &path, token, Some(json!({}))).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"], "cards_rate_limited");
    assert_eq!(body["params"]["per_hour"], 2);
}

/// Finding 5: joining with someone else's peer id disconnected them.
#[tokio::test]
async fn finding_5_nobody_can_take_another_users_peer_id() {
    let w = world().await;
    let mut victim = open_as(&w, &w.coord, "victim-peer").await;
    let err = TestClient::connect(&ws_url(&w.server, &w.member), "victim-peer")
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("peer-id-in-use"), "{err:#}");
    // The victim is still connected and still syncs.
    victim
        .edit(w.doc, crate::access::title_edit("toujours là "))
        .await
        .unwrap();
    victim.wait_saved(w.doc).await.unwrap();
    assert!(!victim.closed);
    // The same person reconnecting with their own id is fine.
    let again = TestClient::connect(&ws_url(&w.server, &w.coord), "victim-peer").await;
    assert!(again.is_ok());
}

fn ephemeral(sender: &str, session: &str, count: u64, doc: DocumentId, data: Vec<u8>) -> Message {
    Message::Ephemeral(EphemeralMessage {
        sender_id: sender.into(),
        target_id: "server".into(),
        document_id: doc,
        session_id: session.into(),
        count,
        data,
    })
}

/// Finding 6: presence in someone else's name: relayed under their id, a
/// forged goodbye too, and a huge `count` suppressed their later messages.
#[tokio::test]
async fn finding_6_presence_speaks_only_for_the_connections_own_peer() {
    let w = world().await;
    let mut victim = open_as(&w, &w.coord, "victim").await;
    let mut watcher = open_as(&w, &w.admin, "watcher").await;
    let mut attacker = open_as(&w, &w.member, "attacker").await;
    let update = PresenceMessage::Update {
        channel: "field".into(),
        value: codraft_protocol::presence::Value::Text("lead".into()),
    };
    attacker
        .send(&ephemeral(
            "victim",
            "victim-session",
            u64::MAX / 2,
            w.doc,
            update.encode(),
        ))
        .await
        .unwrap();
    attacker
        .send(&ephemeral(
            "victim",
            "victim-session",
            u64::MAX / 2 + 1,
            w.doc,
            PresenceMessage::Goodbye.encode(),
        ))
        .await
        .unwrap();
    watcher.pump_for(Duration::from_millis(500)).await.unwrap();
    assert!(
        watcher
            .ephemeral
            .iter()
            .all(|e| e.sender_id.as_str() != "victim"),
        "a forged presence was relayed: {:?}",
        watcher.ephemeral
    );
    assert!(!attacker.closed, "a relayed echo is dropped, not punished");
    // The victim's own presence still gets through, with a small count.
    victim
        .send(&ephemeral(
            "victim",
            "victim-session",
            1,
            w.doc,
            update.encode(),
        ))
        .await
        .unwrap();
    watcher
        .pump_until(|c| c.ephemeral.iter().any(|e| e.sender_id.as_str() == "victim"))
        .await
        .expect("the victim's presence was suppressed");
}

/// Finding 7: an ephemeral payload the server could not parse (an
/// indefinite-length CBOR map) was relayed unstamped, with a forged
/// `__user`.
#[tokio::test]
async fn finding_7_an_unreadable_presence_payload_is_refused_not_relayed() {
    let w = world().await;
    let mut watcher = open_as(&w, &w.admin, "watcher7").await;
    let mut sender = open_as(&w, &w.member, "sender7").await;
    // {_ "__user": {"name": "Ministre"}, "__presence": 1 } in indefinite form.
    let mut data = vec![0xbf, 0x66];
    data.extend_from_slice(b"__user");
    data.extend_from_slice(&[0xa1, 0x64]);
    data.extend_from_slice(b"name");
    data.push(0x68);
    data.extend_from_slice(b"Ministre");
    data.push(0x6a);
    data.extend_from_slice(b"__presence");
    data.extend_from_slice(&[0x01, 0xff]);
    sender
        .send(&ephemeral("sender7", "s7", 1, w.doc, data))
        .await
        .unwrap();
    let errors = sender.wait_closed().await.unwrap();
    assert!(
        errors.iter().any(|e| e.starts_with("unreadable-ephemeral")),
        "{errors:?}"
    );
    watcher.pump_for(Duration::from_millis(300)).await.unwrap();
    assert!(watcher.ephemeral.is_empty(), "{:?}", watcher.ephemeral);
}

/// Finding 8: a socket outlived its session (still writing after the
/// session expired).
#[tokio::test]
async fn finding_8_a_socket_closes_when_its_session_expires() {
    let w = world_with(false, |c| c.session_ttl = Duration::from_secs(2)).await;
    let cookie = crate::webapp::sign_in(&w.server, "member@x.org", "correct horse battery").await;
    let mut req = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        w.server.url(),
    )
    .unwrap();
    req.headers_mut().insert("Cookie", cookie.parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let join = Message::Join {
        sender_id: "expiring".into(),
        peer_metadata: None,
        supported_protocol_versions: None,
    };
    ws.send(Frame::Binary(encode(&join).into())).await.unwrap();
    let started = std::time::Instant::now();
    let errors = tokio::time::timeout(Duration::from_secs(8), crate::errors_until_close(&mut ws))
        .await
        .expect("the socket outlived its session");
    assert!(
        errors.iter().any(|e| e.starts_with("session-expired")),
        "{errors:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "closed before expiry"
    );
}

/// Finding 19: a frame over 16 MiB was refused while messages could be
/// 64 MiB; a client that sends a message as one frame (as `ws` does) could
/// not send what the server said it accepts. Now one frame may be as large
/// as a message.
#[tokio::test]
async fn finding_19_one_frame_may_be_as_large_as_a_message() {
    let defaults = Config::for_tests("/tmp".into());
    assert!(defaults.max_frame_bytes >= defaults.max_message_bytes);
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.max_message_bytes = 4 << 20;
    config.max_frame_bytes = 4 << 20;
    let server = TestServer::start_with(config).await.unwrap();
    let mut ws = raw(&server.url(), "one-frame").await;
    // Nearly the message limit, in one frame: read whole, refused only
    // for what it is (not CBOR), not for its size.
    ws.send(Frame::Binary(vec![0xff; (4 << 20) - 1024].into()))
        .await
        .unwrap();
    let errors = crate::errors_until_close(&mut ws).await;
    assert!(
        errors.iter().any(|e| e.starts_with("malformed")),
        "{errors:?}"
    );
    server.stop().await.unwrap();
}
