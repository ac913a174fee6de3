//! Several server instances on one real `redis-server`: clients spread
//! across them converge and see each other's presence; an instance
//! restarted after missing changes catches up; Redis stopped and started
//! again: instances go not-ready, refuse writes with an error, recover, and
//! nothing acknowledged is lost.

use std::time::Duration;

use automerge::ReadDoc;

use codraft_protocol::presence::PresenceMessage;
use codraft_protocol::{EphemeralMessage, Message};
use codraft_server::Config;
use codraft_tests::redis::RedisServer;
use codraft_tests::{TestClient, TestServer};

use crate::{append_title, card, title};

async fn instances(redis: &RedisServer, n: usize) -> (Vec<TestServer>, Vec<tempfile::TempDir>) {
    let mut servers = Vec::new();
    let mut dirs = Vec::new();
    for _ in 0..n {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::for_tests(dir.path().to_owned());
        config.idle_unload = Duration::from_secs(2);
        servers.push(TestServer::start_redis(config, &redis.url()).await.unwrap());
        dirs.push(dir);
    }
    (servers, dirs)
}

async fn converge(clients: &mut [TestClient], id: codraft_protocol::DocumentId) {
    for _ in 0..200 {
        for c in clients.iter_mut() {
            c.pump_for(Duration::from_millis(20)).await.unwrap();
        }
        let heads: Vec<_> = clients.iter().map(|c| c.doc(id).get_heads()).collect();
        if heads.windows(2).all(|w| w[0] == w[1]) {
            return;
        }
    }
    panic!("clients on different instances did not converge");
}

#[tokio::test]
async fn three_instances_serve_one_document_and_its_presence() {
    let redis = RedisServer::start().unwrap();
    let (servers, _dirs) = instances(&redis, 3).await;
    let mut a = TestClient::connect(&servers[0].url(), "a").await.unwrap();
    let id = a.create(card).await.unwrap();
    a.wait_saved(id).await.unwrap();
    let mut b = TestClient::connect(&servers[1].url(), "b").await.unwrap();
    b.open(id).await.unwrap();
    let mut c = TestClient::connect(&servers[2].url(), "c").await.unwrap();
    c.open(id).await.unwrap();
    assert_eq!(title(b.doc(id)), title(a.doc(id)));

    // Concurrent edits on three instances.
    a.edit(id, append_title(" — A")).await.unwrap();
    b.edit(id, append_title(" — B")).await.unwrap();
    c.edit(id, append_title(" — C")).await.unwrap();
    let mut all = vec![a, b, c];
    converge(&mut all, id).await;
    let t = title(all[0].doc(id));
    for s in [" — A", " — B", " — C"] {
        assert!(t.contains(s), "{t}");
    }
    for c in all.iter_mut() {
        c.wait_saved(id).await.unwrap();
    }

    // Presence from instance 1 reaches instance 3.
    let update = PresenceMessage::Update {
        channel: "field".into(),
        value: codraft_protocol::presence::Value::Text("title".into()),
    };
    let sender = all[0].peer.clone();
    all[0]
        .send(&Message::Ephemeral(EphemeralMessage {
            sender_id: sender.clone(),
            target_id: "server".into(),
            document_id: id,
            session_id: "redis-test".into(),
            count: 1,
            data: update.encode(),
        }))
        .await
        .unwrap();
    all[2]
        .pump_until(|c| c.ephemeral.iter().any(|e| e.sender_id == sender))
        .await
        .unwrap();
    all[1]
        .pump_until(|c| c.ephemeral.iter().any(|e| e.sender_id == sender))
        .await
        .unwrap();
    assert_eq!(all[0].ephemeral.len(), 0, "not echoed to its sender");
}

#[tokio::test]
async fn an_instance_restarted_after_missing_changes_catches_up() {
    let redis = RedisServer::start().unwrap();
    let (mut servers, _dirs) = instances(&redis, 2).await;
    let mut a = TestClient::connect(&servers[0].url(), "a").await.unwrap();
    let id = a.create(card).await.unwrap();
    a.wait_saved(id).await.unwrap();
    // Instance 2 holds the document open, then goes away.
    let mut b = TestClient::connect(&servers[1].url(), "b").await.unwrap();
    b.open(id).await.unwrap();
    drop(b);
    servers.pop().unwrap().stop().await.unwrap();
    // Many changes while it is gone (enough to compact on instance 1).
    for i in 0..200 {
        let s: &'static str = Box::leak(format!(" {i}").into_boxed_str());
        a.edit(id, append_title(s)).await.unwrap();
    }
    a.wait_saved(id).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let again = TestServer::start_redis(Config::for_tests(dir.path().to_owned()), &redis.url())
        .await
        .unwrap();
    let mut b = TestClient::connect(&again.url(), "b2").await.unwrap();
    b.open(id).await.unwrap();
    b.pump_until(|b| b.doc(id).get_heads() == a.doc(id).get_heads())
        .await
        .unwrap();
    assert!(title(b.doc(id)).ends_with(" 199"));

    // Live: an open document on the restarted instance follows new changes.
    a.edit(id, append_title(" live")).await.unwrap();
    b.pump_until(|b| title(b.doc(id)).ends_with(" live"))
        .await
        .unwrap();
}

#[tokio::test]
async fn redis_down_means_not_ready_and_refused_writes_then_recovery_loses_nothing() {
    let mut redis = RedisServer::start().unwrap();
    let (servers, _dirs) = instances(&redis, 2).await;
    let mut a = TestClient::connect(&servers[0].url(), "a").await.unwrap();
    let id = a.create(card).await.unwrap();
    a.wait_saved(id).await.unwrap();
    a.edit(id, append_title(" acknowledged")).await.unwrap();
    a.wait_saved(id).await.unwrap();
    let acknowledged = a.doc(id).save();

    redis.stop();
    let (status, body) = crate::http::get(&servers[0].http("/readyz")).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("redis"), "{body}");
    // A write now is refused with an error, never acknowledged.
    a.edit(id, append_title(" while down")).await.unwrap();
    let errors = a.wait_closed().await.unwrap();
    assert!(errors.iter().any(|e| e.contains("not saved")), "{errors:?}");
    assert!(!a.is_saved(id));
    let pending = a.doc(id).save();

    redis.restart().unwrap();
    let mut ready = false;
    for _ in 0..100 {
        if crate::http::get(&servers[0].http("/readyz")).await.0 == 200 {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "instance ready again once Redis is back");
    // The client reconnects (to the other instance) with its copy and sends
    // what was refused; everyone converges, nothing acknowledged is lost.
    let mut a2 = TestClient::connect(&servers[1].url(), "a").await.unwrap();
    a2.create_from(id, &pending).await.unwrap();
    a2.wait_saved(id).await.unwrap();
    let mut reader = TestClient::connect(&servers[0].url(), "reader")
        .await
        .unwrap();
    reader.open(id).await.unwrap();
    reader
        .pump_until(|r| title(r.doc(id)).contains(" while down"))
        .await
        .unwrap();
    let t = title(reader.doc(id));
    assert!(
        t.contains(" acknowledged") && t.contains(" while down"),
        "{t}"
    );
    // Everything acknowledged is there: merging it in adds nothing.
    let mut merged = reader.doc(id).clone();
    let before = merged.get_heads();
    merged
        .merge(&mut automerge::Automerge::load(&acknowledged).unwrap())
        .unwrap();
    assert_eq!(
        merged.get_heads(),
        before,
        "an acknowledged change was lost"
    );
}

struct Instance {
    child: tokio::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

async fn spawn_instance(redis: &RedisServer) -> Instance {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let child = tokio::process::Command::new(codraft_tests::codraft_bin())
        .args([
            "serve",
            "--open-access",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--redis-url", &redis.url()])
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if crate::http::try_get(&format!("http://127.0.0.1:{port}/readyz")).await == Some(200) {
            return Instance {
                child,
                port,
                _dir: dir,
            };
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("codraft instance did not become ready");
}

#[tokio::test]
async fn an_instance_killed_mid_edit_loses_nothing_acknowledged() {
    let redis = RedisServer::start().unwrap();
    let mut one = spawn_instance(&redis).await;
    let two = spawn_instance(&redis).await;
    let url = |p: u16| format!("ws://127.0.0.1:{p}/sync");
    let mut a = TestClient::connect(&url(one.port), "a").await.unwrap();
    let id = a.create(card).await.unwrap();
    a.wait_saved(id).await.unwrap();
    let mut watcher = TestClient::connect(&url(two.port), "w").await.unwrap();
    watcher.open(id).await.unwrap();
    // Edits, each acknowledged; then more in flight when the instance dies.
    for i in 0..20 {
        let s: &'static str = Box::leak(format!(" a{i}").into_boxed_str());
        a.edit(id, append_title(s)).await.unwrap();
        a.wait_saved(id).await.unwrap();
    }
    let acknowledged = a.doc(id).get_heads();
    a.edit(id, append_title(" in-flight")).await.unwrap();
    one.child.start_kill().unwrap(); // SIGKILL
    one.child.wait().await.unwrap();
    // The client reconnects to the other instance with its copy.
    let saved = a.doc(id).save();
    drop(a);
    let mut a = TestClient::connect(&url(two.port), "a").await.unwrap();
    a.create_from(id, &saved).await.unwrap();
    a.wait_saved(id).await.unwrap();
    watcher
        .pump_until(|w| title(w.doc(id)).ends_with(" in-flight"))
        .await
        .unwrap();
    let mut fresh = TestClient::connect(&url(two.port), "fresh").await.unwrap();
    fresh.open(id).await.unwrap();
    fresh
        .pump_until(|f| title(f.doc(id)).ends_with(" in-flight"))
        .await
        .unwrap();
    let doc = fresh.doc(id);
    for h in acknowledged {
        assert!(
            doc.get_change_by_hash(&h).is_some(),
            "acknowledged change {h} lost"
        );
    }
}
