//! The web app: the groups and demo the server seeds, the built app it
//! serves, and the end-to-end browser test (`tests/js/webapp.mjs`: people
//! co-draft a card in Chromium).

use std::path::PathBuf;

use codraft_protocol::DocumentId;
use codraft_schema::{Card, edit};
use codraft_server::Config;
use codraft_tests::{TestClient, TestServer, node};
use serde_json::{Value as Json, json};

use crate::http::{get, get_with, request};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `web/dist`, which the test command builds before the tests run.
pub(crate) fn built_web_app() -> PathBuf {
    let dist = root().join("web/dist");
    assert!(
        dist.join("index.html").exists(),
        "web/dist is missing: ./test.sh builds it (scripts/build-web.sh)"
    );
    dist
}

fn secured(dir: &std::path::Path, demo: bool) -> Config {
    let mut config = Config::for_tests(dir.to_owned());
    config.open_access = false;
    config.demo = demo;
    config
}

/// Signs in; returns the session cookie (`codraft_session=...`).
pub(crate) async fn sign_in(server: &TestServer, email: &str, password: &str) -> String {
    let (status, headers, body) = request(
        "POST",
        &server.http("/api/session"),
        &[],
        Some(&json!({"email": email, "password": password})),
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let line = headers
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap();
    line.split_once(':')
        .unwrap()
        .1
        .trim()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn groups(server: &TestServer, cookie: &str) -> Json {
    let (status, _, body) = request(
        "GET",
        &server.http("/api/groups"),
        &[("Cookie", cookie)],
        None,
    )
    .await;
    assert_eq!(status, 200);
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test]
async fn a_new_server_has_the_groups_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(secured(dir.path(), false))
        .await
        .unwrap();
    let mut ids = server.accounts().groups().await.unwrap();
    ids.sort();
    // The six thematic groups, the steering committee and its secretariat.
    let mut want: Vec<&str> = codraft_schema::workspace::GROUPS.to_vec();
    want.extend(codraft_schema::workspace::OTHER_GROUPS);
    want.sort();
    assert_eq!(ids, want);
    assert!(server.accounts().users().await.unwrap().is_empty());
    assert!(server.accounts().documents().await.unwrap().is_empty());
    // Nothing without signing in.
    assert_eq!(get(&server.http("/api/groups")).await.0, 401);
}

#[tokio::test]
async fn the_demo_holds_real_cards_and_a_restart_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(secured(dir.path(), true))
        .await
        .unwrap();
    let cookie = sign_in(
        &server,
        "amina@example.org",
        codraft_server::seed::DEMO_PASSWORD,
    )
    .await;
    let gs = groups(&server, &cookie).await;
    let climate = gs
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "climate_environment")
        .unwrap();
    assert_eq!(climate["role"], "co_coordinator");
    assert_eq!(climate["co_coordinators"].as_array().unwrap().len(), 2);
    let id = DocumentId::from_url(climate["documents"][0]["id"].as_str().unwrap()).unwrap();
    let amina = server
        .accounts()
        .user_by_email("amina@example.org")
        .await
        .unwrap()
        .unwrap()
        .0;
    let (_, token) = codraft_server::http::tokens::mint(server.accounts(), &amina.id, "t")
        .await
        .unwrap();
    let mut c = TestClient::connect(&format!("{}?token={token}", server.url()), "reader")
        .await
        .unwrap();
    c.open(id).await.unwrap();
    let card = Card::from_json(&edit::read(c.doc(id), &[]).unwrap()).unwrap();
    assert_eq!(card.number, "MO0056");
    assert!(
        card.title
            .fr
            .text
            .contains("Stratégie nationale de développement durable")
    );
    let inclusion = gs
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "disability_inclusion")
        .unwrap();
    let id59 = DocumentId::from_url(inclusion["documents"][0]["id"].as_str().unwrap()).unwrap();
    c.open(id59).await.unwrap();
    let mo0059 = Card::from_json(&edit::read(c.doc(id59), &[]).unwrap()).unwrap();
    assert_eq!(mo0059.number, "MO0059");
    assert!(mo0059.title.zgh.text.starts_with('ⴰ'));
    drop(c);
    let docs = server.accounts().documents().await.unwrap().len();
    server.stop().await.unwrap();
    let server = TestServer::start_with(secured(dir.path(), true))
        .await
        .unwrap();
    assert_eq!(
        server.accounts().documents().await.unwrap().len(),
        docs,
        "no second demo"
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
async fn the_built_app_is_served_precompressed_at_build_time() {
    let dist = built_web_app();
    let wasm = std::fs::read_dir(dist.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "wasm"))
        .expect("the WASM client in web/dist/assets");
    let name = wasm.file_name().unwrap().to_str().unwrap().to_owned();
    let raw = std::fs::read(&wasm).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.web_dir = dist.clone();
    let server = TestServer::start_with(config).await.unwrap();
    for (encoding, ext) in [("br", "br"), ("gzip", "gz")] {
        let stored = std::fs::read(dist.join("assets").join(format!("{name}.{ext}")))
            .unwrap_or_else(|e| panic!("{name}.{ext} (web/scripts/compress.mjs): {e}"));
        assert!(
            stored.len() < raw.len() / 2,
            "{ext}: {} of {} bytes",
            stored.len(),
            raw.len()
        );
        let (status, headers, body) = get_with(
            &server.http(&format!("/assets/{name}")),
            &[("Accept-Encoding", encoding)],
        )
        .await;
        assert_eq!(status, 200);
        let headers = headers.to_ascii_lowercase();
        assert!(
            headers.contains(&format!("content-encoding: {encoding}")),
            "{headers}"
        );
        assert!(
            headers.contains("content-type: application/wasm"),
            "{headers}"
        );
        assert!(
            body == stored,
            "{encoding}: the file compressed at build time is sent as it is"
        );
    }
    // A browser that takes neither gets the file itself.
    let (_, _, body) = get_with(&server.http(&format!("/assets/{name}")), &[]).await;
    assert_eq!(body.len(), raw.len());
    server.stop().await.unwrap();
}

/// Runs a browser script (`tests/js/<script>`) in Debian's Chromium
/// against a server with the demo workspace serving the built app; it
/// passes when the script succeeds and prints `marker`.
async fn browser_script(script: &str, marker: &str) {
    browser_script_with(script, marker, |_| {}).await
}

/// [`browser_script`] on a server whose settings `adjust` changes first.
async fn browser_script_with(script: &str, marker: &str, adjust: impl FnOnce(&mut Config)) {
    let dist = built_web_app();
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists(),
        "the browser test needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    );
    node::require_node().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = secured(dir.path(), true);
    config.web_dir = dist;
    adjust(&mut config);
    let server = TestServer::start_with(config).await.unwrap();
    let origin = server.http("");
    let artifacts = root().join("tests/artifacts");
    let out = tokio::time::timeout(
        std::time::Duration::from_secs(180),
        tokio::process::Command::new("node")
            .arg(node::js_dir().join(script))
            .args([origin.trim_end_matches('/'), artifacts.to_str().unwrap()])
            .kill_on_drop(true)
            .output(),
    )
    .await
    .unwrap_or_else(|_| panic!("{script} finishes within 3 minutes"))
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success() && stdout.contains(marker),
        "{script} failed: {}\n{stdout}\n{stderr}",
        out.status
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn two_people_co_draft_a_card_in_chromium() {
    browser_script("webapp.mjs", "webapp test passed").await;
    assert!(root().join("tests/artifacts/two-editors-a.png").exists());
}

#[tokio::test]
async fn observers_comment_and_members_suggest_in_chromium() {
    browser_script("comments.mjs", "comments test passed").await;
    assert!(
        root()
            .join("tests/artifacts/comments-accepted.png")
            .exists()
    );
}

#[tokio::test]
async fn a_meeting_is_scheduled_held_minuted_and_approved_in_chromium() {
    browser_script("meetings.mjs", "meetings test passed").await;
    assert!(
        root()
            .join("tests/artifacts/meeting-published.png")
            .exists()
    );
}

#[tokio::test]
async fn a_visitor_proposes_and_reads_the_reasoned_response_in_chromium() {
    browser_script("process.mjs", "process test passed").await;
    assert!(
        root()
            .join("tests/artifacts/proposal-answered.png")
            .exists()
    );
}

#[tokio::test]
async fn the_app_opens_offline_with_the_kept_card_in_chromium() {
    // Changes over 40 kB are refused: the script pastes a larger one.
    browser_script_with("offline.mjs", "offline test passed", |c| {
        c.max_change_bytes = 40_000
    })
    .await;
    assert!(root().join("tests/artifacts/offline-card.png").exists());
}

#[tokio::test]
async fn a_card_takes_typing_before_the_client_is_in_and_merges_it_in_chromium() {
    browser_script("draft.mjs", "draft test passed").await;
    assert!(root().join("tests/artifacts/draft-live.png").exists());
}

#[tokio::test]
async fn co_coordinators_review_edits_in_chromium() {
    browser_script("review.mjs", "review test passed").await;
    assert!(root().join("tests/artifacts/review-diff.png").exists());
}

/// The text field's arithmetic (`web/src/chars.ts`) on 100,000 random
/// edits (`tests/js/chars-check.mjs`): the one splice the text box records
/// for a whole new text always rebuilds it and never splits a surrogate
/// pair, and texts without surrogate pairs convert offsets as the full walk
/// does.
#[tokio::test]
async fn the_fields_keystroke_arithmetic_holds_on_random_edits() {
    let out = node::run("chars-check.mjs", &[]).await.unwrap();
    assert!(out.contains("none wrong"), "{out}");
}

/// The text fields' `<codraft-text>` (`web/src/textbox.ts`, a block per
/// paragraph) typed into in Chromium (`tests/js/textbox.mjs`): typing,
/// Enter, Backspace across a line break, a selection over two paragraphs, a
/// paste of lines, an emoji erased whole, an input method's word, edits from
/// elsewhere with the caret kept, the selection kept without the focus,
/// no native undo, read-only; an edit inside a paragraph leaves the other
/// paragraphs' blocks untouched; a long text's paragraphs in groups (a
/// group split as a paste grows it, groups joined by a selection over
/// them typed over).
#[tokio::test]
async fn the_text_box_edits_paragraph_by_paragraph_in_chromium() {
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists(),
        "the browser test needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    );
    let out = node::run("textbox.mjs", &[]).await.unwrap();
    assert!(out.contains("textbox test passed"), "{out}");
}
