//! The WASM client in a real browser (Debian's Chromium, driven by
//! playwright-core from `tests/js/browser.mjs`) against a real server, which
//! this test restarts when the script asks.

use std::path::PathBuf;
use std::process::Stdio;

use codraft_server::Config;
use codraft_tests::{TestServer, node};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn wasm_client_in_chromium_edits_syncs_reconnects_and_keeps_offline_work() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let pkg = root.join("client-wasm/pkg");
    assert!(
        pkg.join("codraft_client_bg.wasm").exists(),
        "client-wasm/pkg is missing: ./test.sh builds it (cargo build --target wasm32-unknown-unknown, then wasm-bindgen --target web)"
    );
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists(),
        "the browser test needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    );
    node::require_node().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.listen = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let mut server = Some(TestServer::start_with(config.clone()).await.unwrap());
    let url = server.as_ref().unwrap().url();

    let artifacts = root.join("tests/artifacts");
    let mut child = tokio::process::Command::new("node")
        .arg(node::js_dir().join("browser.mjs"))
        .args([
            url.as_str(),
            pkg.to_str().unwrap(),
            artifacts.to_str().unwrap(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs");
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut passed = false;
    let mut restarts = 0;
    let run = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            println!("browser: {line}");
            match line.trim() {
                "restart-server" => {
                    server.take().unwrap().stop().await.unwrap();
                    server = Some(TestServer::start_with(config.clone()).await.unwrap());
                    restarts += 1;
                    stdin.write_all(b"restarted\n").await.unwrap();
                }
                "browser test passed" => passed = true,
                _ => {}
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(120), run)
        .await
        .expect("the browser test finishes within 2 minutes");
    let status = child.wait().await.unwrap();
    assert!(
        status.success() && passed,
        "browser script failed: {status}"
    );
    assert_eq!(restarts, 1);
    assert!(
        artifacts.join("wasm-client.png").exists(),
        "screenshot saved"
    );
    if let Err(e) = server.take().unwrap().stop().await {
        panic!("stopping the server: {e:?}");
    }
}
