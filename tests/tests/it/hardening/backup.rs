//! `codraft admin backup` while the server runs, and `restore` into a new
//! directory that then serves the same cards and accounts.

use codraft_tests::{TestClient, TestServer};

use super::{holds, sync_data_with_change};
use crate::access::{cli, world};

#[tokio::test]
async fn a_backup_taken_while_serving_restores_into_a_new_directory() {
    let w = world().await;
    // An edit, acknowledged (so durable) before the backup.
    let url = crate::access::ws_url(&w.server, &w.member);
    let mut m = TestClient::connect(&url, "before-backup").await.unwrap();
    m.open(w.doc).await.unwrap();
    let (data, hash) = sync_data_with_change(m.doc(w.doc), "sauvegardé ");
    m.send(&super::as_request(&m, w.doc, data)).await.unwrap();
    m.pump_for(std::time::Duration::from_millis(300))
        .await
        .unwrap();
    assert!(holds(&url, w.doc, hash).await);

    // The backup, while the server runs and a client stays connected.
    let backups = tempfile::tempdir().unwrap();
    let to = backups.path().join("b1");
    let out = cli(
        &w.server.data_dir,
        &["backup", "--to", to.to_str().unwrap()],
    );
    assert!(
        out.contains("codraft.sqlite3") && out.contains("directory.sqlite3"),
        "{out}"
    );
    // A second backup into the same place is refused, the first untouched.
    let again = std::process::Command::new(codraft_tests::codraft_bin())
        .args(["admin", "--data-dir"])
        .arg(&w.server.data_dir)
        .args(["backup", "--to"])
        .arg(&to)
        .output()
        .unwrap();
    assert!(!again.status.success());

    // Restored into a fresh directory, a server there has the same card,
    // with the edit, and the same accounts and tokens.
    let fresh = tempfile::tempdir().unwrap();
    let data = fresh.path().join("data");
    let out = cli(&data, &["restore", "--from", to.to_str().unwrap()]);
    assert!(out.contains("restored"), "{out}");
    let mut config = codraft_server::Config::for_tests(data.clone());
    config.open_access = false;
    let restored = TestServer::start_with(config).await.unwrap();
    let url2 = format!(
        "{}?token={}",
        restored.url(),
        w.member.token.as_deref().unwrap()
    );
    assert!(
        holds(&url2, w.doc, hash).await,
        "the restored card lacks the edit"
    );
    let mut a = TestClient::connect(&url, "compare-a").await.unwrap();
    a.open(w.doc).await.unwrap();
    let mut b = TestClient::connect(&url2, "compare-b").await.unwrap();
    b.open(w.doc).await.unwrap();
    assert_eq!(
        codraft_schema::edit::read(a.doc(w.doc), &[]).unwrap(),
        codraft_schema::edit::read(b.doc(w.doc), &[]).unwrap()
    );
    // Restoring over data is refused.
    let over = std::process::Command::new(codraft_tests::codraft_bin())
        .args(["admin", "--data-dir"])
        .arg(&data)
        .args(["restore", "--from"])
        .arg(&to)
        .output()
        .unwrap();
    assert!(!over.status.success());
    assert!(String::from_utf8_lossy(&over.stderr).contains("already holds data"));
    restored.stop().await.unwrap();
}
