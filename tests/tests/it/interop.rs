//! The real JS clients (`@automerge/automerge-repo` and
//! `@automerge/automerge-repo-network-websocket` 2.5 from npm, run by Node)
//! through our server, together with the native client.

use automerge::ReadDoc;
use codraft_protocol::DocumentId;
use codraft_tests::{TestClient, TestServer, node};

use crate::{author, title};

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
