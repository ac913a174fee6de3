use codraft_protocol::DocumentId;
use codraft_sync::{ChunkKind, DocSession, Mode, StoredChunk};
use codraft_tests::{TestClient, TestServer};

use crate::{append_title, author, card, title};

const LONG: &str = "المشاركة المواطنة والشفافية في الحكامة الترابية، ⵜⴰⵎⵙⵙⵓⴷⵓⵜ ⵏ ⵓⵏⴰⵎⵓⵏ, participation citoyenne et transparence de la gouvernance territoriale. ";

/// Reads a document straight from the SQLite file, as another process would.
fn read_from_file(dir: &std::path::Path, id: DocumentId) -> (Vec<StoredChunk>, DocSession) {
    let conn = rusqlite::Connection::open(dir.join("codraft.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare("SELECT kind, data FROM chunks WHERE doc_id = ?1 ORDER BY id")
        .unwrap();
    let chunks: Vec<StoredChunk> = stmt
        .query_map([id.to_string()], |r| {
            Ok(StoredChunk {
                kind: if r.get::<_, i64>(0)? == 0 {
                    ChunkKind::Snapshot
                } else {
                    ChunkKind::Incremental
                },
                bytes: r.get(1)?,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let s = DocSession::load(id, "reader".into(), Mode::Server, &chunks).unwrap();
    (chunks, s)
}

#[tokio::test]
async fn saved_means_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut a = TestClient::connect(&server.url(), "a").await.unwrap();
    let id = a.create(card).await.unwrap();
    for word in [" ⴰ", " ب", " c"] {
        a.edit(id, append_title(word)).await.unwrap();
        a.wait_saved(id).await.unwrap();
        // The moment the server's heads include the change, the file has it.
        let (_, on_disk) = read_from_file(dir.path(), id);
        assert_eq!(on_disk.doc().get_heads(), a.doc(id).get_heads());
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn restart_on_the_same_data_directory_keeps_every_document() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut a = TestClient::connect(&server.url(), "a").await.unwrap();
    let mut docs = vec![];
    for _ in 0..5 {
        let id = a.create(card).await.unwrap();
        // Enough text that the increments outgrow the snapshot: compaction runs.
        for _ in 0..60 {
            a.edit(id, append_title(LONG)).await.unwrap();
        }
        a.wait_saved(id).await.unwrap();
        docs.push((id, a.doc(id).get_heads(), title(a.doc(id))));
    }
    let (chunks, _) = read_from_file(dir.path(), docs[0].0);
    assert!(
        chunks.iter().any(|c| c.kind == ChunkKind::Snapshot),
        "compaction wrote a snapshot"
    );
    assert!(
        chunks.len() < 30,
        "compaction removed increments: {} chunks",
        chunks.len()
    );
    server.stop().await.unwrap();

    let server = TestServer::start(dir.path()).await.unwrap();
    let mut b = TestClient::connect(&server.url(), "b").await.unwrap();
    for (id, heads, t) in docs {
        b.open(id).await.unwrap();
        assert_eq!(b.doc(id).get_heads(), heads);
        assert_eq!(title(b.doc(id)), t);
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_damaged_document_is_an_error_never_an_empty_document() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let (a, id) = author(&server, "a").await;
    let saved = a.doc(id).save();
    server.stop().await.unwrap();

    // Damage the stored chunk behind the server's back.
    let conn = rusqlite::Connection::open(dir.path().join("codraft.sqlite3")).unwrap();
    conn.execute(
        "UPDATE chunks SET data = X'856f4a83deadbeef' WHERE doc_id = ?1",
        [id.to_string()],
    )
    .unwrap();
    let before = stored_bytes(&conn, id);

    let server = TestServer::start(dir.path()).await.unwrap();
    let mut b = TestClient::connect(&server.url(), "b").await.unwrap();
    let err = b.open(id).await.unwrap_err();
    assert!(
        b.errors.iter().any(|e| e.contains("storage failure")),
        "{err}: {:?}",
        b.errors
    );
    // A client holding the document syncs it: it must not be stored over the damage.
    let mut c = TestClient::connect(&server.url(), "c").await.unwrap();
    c.create_from(id, &saved).await.unwrap();
    c.wait_closed().await.unwrap();
    assert!(
        c.errors.iter().any(|e| e.contains("storage failure")),
        "{:?}",
        c.errors
    );
    server.stop().await.unwrap();
    let after = stored_bytes(&conn, id);
    assert_eq!(before, after, "stored data untouched");
}

/// The raw bytes stored for a document.
fn stored_bytes(conn: &rusqlite::Connection, id: DocumentId) -> Vec<Vec<u8>> {
    conn.prepare("SELECT data FROM chunks WHERE doc_id = ?1")
        .unwrap()
        .query_map([id.to_string()], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}
