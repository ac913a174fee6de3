//! The real JS clients (`@automerge/automerge-repo` and
//! `@automerge/automerge-repo-network-websocket` 2.5 from npm, run by Node)
//! through our server, together with the native client.

use automerge::ReadDoc;
use codraft_protocol::DocumentId;
use codraft_tests::{TestClient, TestServer, node};

use crate::{author, card, title};

/// Pulls `"key":"value"` out of the script's one JSON line.
fn field<'a>(json: &'a str, key: &str) -> &'a str {
    let at = json
        .find(&format!("\"{key}\":\""))
        .unwrap_or_else(|| panic!("{key} in {json}"));
    let rest = &json[at + key.len() + 4..];
    &rest[..rest.find('"').unwrap()]
}

#[tokio::test]
async fn js_clients_create_find_edit_converge_and_see_presence() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();

    // A document from the native client that the JS client will open and edit.
    let (mut native, native_doc) = author(&server, "native").await;

    let out = node::run("interop.mjs", &[&server.url(), &native_doc.to_url()])
        .await
        .unwrap();
    let line = out.lines().last().unwrap();
    assert!(
        line.contains("\"native\":{\"title\":\"الاستراتيجية الوطنية للتنمية المستدامة\"}"),
        "{line}"
    );

    // What the JS clients made is on our server, readable by the native client.
    let js_doc = DocumentId::from_url(field(line, "url")).unwrap();
    let mut reader = TestClient::connect(&server.url(), "reader").await.unwrap();
    reader.open(js_doc).await.unwrap();
    let heads: Vec<String> = reader
        .doc(js_doc)
        .get_heads()
        .iter()
        .map(|h| h.to_string())
        .collect();
    for h in &heads {
        assert!(
            line.contains(h.as_str()),
            "JS heads {line} vs ours {heads:?}"
        );
    }
    // automerge 3 JS stores strings as text objects.
    let (_, obj) = reader
        .doc(js_doc)
        .get(automerge::ROOT, "titleZgh")
        .unwrap()
        .unwrap();
    assert_eq!(reader.doc(js_doc).text(&obj).unwrap(), "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵜⵓⴳⴷⵓⵎⵉⵏ");

    // And the JS edit to the native document reached the native client.
    native
        .pump_until(|c| {
            c.doc(native_doc)
                .get(automerge::ROOT, "fromJs")
                .unwrap()
                .is_some()
        })
        .await
        .unwrap();
    assert_eq!(
        title(native.doc(native_doc)),
        "الاستراتيجية الوطنية للتنمية المستدامة"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn js_presence_and_the_client_core_see_each_other() {
    use codraft_client::ClientEvent;
    use codraft_protocol::presence::Value;
    use codraft_tests::driver::{Driven, now_ms};

    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut rust = Driven::connect(&server.url(), "rust").await.unwrap();
    let id = DocumentId::random();
    let mut doc = automerge::Automerge::new();
    doc.transact(card).unwrap();
    let out = rust.client.add(id, doc);
    rust.apply(out).await.unwrap();
    rust.pump_until(|d| d.client.save_state(id) == Some(codraft_client::SaveState::Saved))
        .await
        .unwrap();
    for (channel, value) in [("user", "Amina (Rust)"), ("field", "title")] {
        let out = rust
            .client
            .set_presence(id, channel, Value::Text(value.into()), now_ms())
            .unwrap();
        rust.apply(out).await.unwrap();
    }

    let url = server.url();
    let doc_url = id.to_url();
    let js = tokio::spawn(async move { node::run("presence.mjs", &[&url, &doc_url]).await });
    let js_user = |d: &Driven| {
        d.client.presence(id).is_some_and(|p| {
            p.peers()
                .values()
                .any(|s| s.state.get("user") == Some(&Value::Text("Youssef (JS)".into())))
        })
    };
    rust.pump_until(js_user).await.unwrap();
    assert!(rust.saw(|e| matches!(e, ClientEvent::PresenceChanged { .. })));
    // The JS edit arrives as a patch.
    rust.pump_until(|d| d.saw(|e| matches!(e, ClientEvent::Changed { doc, .. } if *doc == id)))
        .await
        .unwrap();
    let (_, obj) = rust
        .client
        .doc(id)
        .unwrap()
        .get(automerge::ROOT, "editedByJs")
        .unwrap()
        .unwrap();
    assert_eq!(
        rust.client.doc(id).unwrap().text(&obj).unwrap(),
        "تعديل من جافاسكريبت"
    );
    // Keep answering (and ticking) until the JS side has seen us.
    while !js.is_finished() {
        rust.pump_for(std::time::Duration::from_millis(50))
            .await
            .unwrap();
        let out = rust.client.tick(now_ms());
        rust.apply(out).await.unwrap();
    }
    let out = js.await.unwrap().unwrap();
    assert!(out.contains("saw the Rust peer"), "{out}");
    server.stop().await.unwrap();
}

/// With accounts on: the JS clients authenticate with an API token in the
/// sync URL and edit a document the API created; presence still flows.
#[tokio::test]
async fn js_clients_work_with_an_api_token() {
    use codraft_server::directory::{NewUser, Role, Sector};
    let dir = tempfile::tempdir().unwrap();
    let mut config = codraft_server::Config::for_tests(dir.path().to_owned());
    config.open_access = false;
    let server = TestServer::start_with(config).await.unwrap();
    let acc = server.accounts();
    let user = acc
        .create_user(NewUser {
            email: "script@x.org".into(),
            name: "Script".into(),
            organisation: "Org".into(),
            sector: Sector::CivilSociety,
            password_hash: codraft_server::accounts::hash_password("unused password").unwrap(),
            admin: false,
        })
        .await
        .unwrap();
    acc.set_role("disability_inclusion", &user.id, Role::Member)
        .await
        .unwrap();
    let (_, token) = codraft_server::http::tokens::mint(acc, &user.id, "interop")
        .await
        .unwrap();
    let doc = codraft_server::http::documents::create_card(
        &server.running.state.api,
        "disability_inclusion",
        &user.id,
    )
    .await
    .unwrap();
    let url = format!("{}?token={token}", server.url());
    let out = node::run(
        "interop.mjs",
        &[&url, &format!("--existing={}", doc.id.to_url())],
    )
    .await
    .unwrap();
    let line = out.lines().last().unwrap();
    assert_eq!(field(line, "url"), doc.id.to_url());
    // The JS edits are on the server, and recorded against the token's user.
    let mut reader = TestClient::connect(&url, "reader").await.unwrap();
    reader.open(doc.id).await.unwrap();
    let json = codraft_schema::edit::read(reader.doc(doc.id), &[]).unwrap();
    assert_eq!(json["ogpId"], "MO0059");
    assert_eq!(json["titleZgh"], "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵜⵓⴳⴷⵓⵎⵉⵏ");
    let audit = acc.audit(doc.id).await.unwrap();
    assert!(
        !audit.is_empty() && audit.iter().all(|e| e.user == user.id),
        "{audit:?}"
    );
    // Without the token: refused before any document is touched.
    let err = TestClient::connect(&server.url(), "anonymous")
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("401"), "{err:#}");
}
