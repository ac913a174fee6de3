//! The web app: the workspace the server seeds, the built app it serves,
//! and the end-to-end browser test (`tests/js/webapp.mjs`: two people
//! co-draft a card in Chromium).

use std::path::PathBuf;

use codraft_protocol::DocumentId;
use codraft_schema::{Card, Workspace, edit};
use codraft_server::Config;
use codraft_server::seed::WORKSPACE_ID;
use codraft_tests::{TestClient, TestServer, node};

use crate::http::{get, get_with};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

async fn read_workspace(server: &TestServer) -> (TestClient, Workspace) {
    let mut c = TestClient::connect(&server.url(), "reader").await.unwrap();
    c.open(WORKSPACE_ID).await.unwrap();
    let json = edit::read(c.doc(WORKSPACE_ID), &[]).unwrap();
    (c, Workspace::from_json(&json).unwrap())
}

#[tokio::test]
async fn a_new_server_has_the_six_groups_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (status, body) = get(&server.http("/api/workspace")).await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["url"], WORKSPACE_ID.to_url());
    let (_c, ws) = read_workspace(&server).await;
    let ids: Vec<&str> = ws.groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, codraft_schema::workspace::GROUPS);
    assert!(
        ws.groups.iter().all(|g| g.cards.is_empty()),
        "no demo cards without --demo"
    );
}

#[tokio::test]
async fn the_demo_workspace_holds_real_cards_and_survives_restarts_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.demo = true;
    let server = TestServer::start_with(config.clone()).await.unwrap();
    let (mut c, ws) = read_workspace(&server).await;
    let climate = ws
        .groups
        .iter()
        .find(|g| g.id == "climate_environment")
        .unwrap();
    assert_eq!(climate.cards.len(), 1);
    let id = DocumentId::from_url(&climate.cards[0]).unwrap();
    c.open(id).await.unwrap();
    let card = Card::from_json(&edit::read(c.doc(id), &[]).unwrap()).unwrap();
    assert_eq!(card.number, "MO0056");
    assert!(
        card.title
            .fr
            .text
            .contains("Stratégie nationale de développement durable")
    );
    let inclusion = ws
        .groups
        .iter()
        .find(|g| g.id == "disability_inclusion")
        .unwrap();
    let id59 = DocumentId::from_url(&inclusion.cards[0]).unwrap();
    c.open(id59).await.unwrap();
    let mo0059 = Card::from_json(&edit::read(c.doc(id59), &[]).unwrap()).unwrap();
    assert_eq!(mo0059.number, "MO0059");
    assert!(mo0059.title.zgh.text.starts_with('ⴰ'));

    // Someone edits the workspace; a restart (even with --demo) keeps it.
    c.edit(WORKSPACE_ID, |tx| {
        use automerge::ReadDoc;
        use automerge::transaction::Transactable;
        let (_, groups) = tx.get(automerge::ROOT, "groups")?.unwrap();
        tx.delete(&groups, 0)?;
        Ok(())
    })
    .await
    .unwrap();
    c.wait_saved(WORKSPACE_ID).await.unwrap();
    drop(c);
    server.stop().await.unwrap();
    let server = TestServer::start_with(config).await.unwrap();
    let (_c, ws) = read_workspace(&server).await;
    assert_eq!(
        ws.groups.len(),
        5,
        "the restart did not seed over the edited workspace"
    );
}

#[tokio::test]
async fn serves_the_built_app_compressed_or_a_page_saying_how_to_build_it() {
    let dir = tempfile::tempdir().unwrap();
    let web = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.web_dir = web.path().join("missing");
    let server = TestServer::start_with(config.clone()).await.unwrap();
    let (status, body) = get(&server.http("/")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Codraft"), "{body}");
    server.stop().await.unwrap();

    let app = "<!doctype html><title>app</title>".to_string() + &"ⵣ".repeat(2000);
    std::fs::write(web.path().join("index.html"), &app).unwrap();
    std::fs::create_dir(web.path().join("assets")).unwrap();
    std::fs::write(web.path().join("assets/x.wasm"), vec![0u8; 4096]).unwrap();
    config.web_dir = web.path().to_owned();
    let server = TestServer::start_with(config).await.unwrap();
    let (status, body) = get(&server.http("/")).await;
    assert_eq!((status, body), (200, app.clone()));
    let (status, headers, body) = get_with(&server.http("/"), &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(status, 200);
    assert!(
        headers
            .to_ascii_lowercase()
            .contains("content-encoding: gzip"),
        "{headers}"
    );
    assert!(
        body.len() < app.len() / 4,
        "compressed: {} of {} bytes",
        body.len(),
        app.len()
    );
    let (_, headers, _) = get_with(&server.http("/assets/x.wasm"), &[]).await;
    assert!(
        headers
            .to_ascii_lowercase()
            .contains("content-type: application/wasm"),
        "{headers}"
    );
    assert_eq!(get(&server.http("/nothing-here")).await.0, 404);
    // The API and the socket are still the server's, not files.
    assert_eq!(get(&server.http("/healthz")).await, (200, "ok".into()));
}

#[tokio::test]
async fn two_people_co_draft_a_card_in_chromium() {
    let dist = root().join("web/dist");
    assert!(
        dist.join("index.html").exists(),
        "web/dist is missing: ./test.sh builds it (scripts/build-web.sh)"
    );
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists(),
        "the browser test needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    );
    node::require_node().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.demo = true;
    config.web_dir = dist;
    let server = TestServer::start_with(config).await.unwrap();
    let origin = server.http("");
    let artifacts = root().join("tests/artifacts");
    let out = tokio::time::timeout(
        std::time::Duration::from_secs(180),
        tokio::process::Command::new("node")
            .arg(node::js_dir().join("webapp.mjs"))
            .args([origin.trim_end_matches('/'), artifacts.to_str().unwrap()])
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("the web app test finishes within 3 minutes")
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success() && stdout.contains("webapp test passed"),
        "web app test failed: {}\n{stdout}\n{stderr}",
        out.status
    );
    assert!(artifacts.join("two-editors-a.png").exists());
    server.stop().await.unwrap();
}
