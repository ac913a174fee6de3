//! Regression tests of the hardening review, one per finding, each named
//! after it (`finding_N_…`); each failed on the code before its fix.
//!
//! - [`socket`]: findings on the sync socket (1–8, 19);
//! - [`web`]: findings on HTTP (9–18);
//! - [`backup`]: `codraft admin backup` and `restore`.

mod backup;
mod socket;
mod web;

use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ROOT, ReadDoc};
use codraft_protocol::{DocMessage, DocumentId, Message};
use codraft_tests::TestClient;

/// Automerge sync data that carries one new change made on top of `doc`
/// (writing `text` at the start of the card's `lead`), sent without any
/// negotiation: what an attacker puts in any message that carries sync data.
pub(crate) fn sync_data_with_change(doc: &Automerge, text: &str) -> (Vec<u8>, ChangeHash) {
    let mut fork = doc.fork();
    let mut tx = fork.transaction();
    let lead = match tx.get(ROOT, "lead").unwrap() {
        Some((_, id)) => id,
        None => tx
            .put_object(ROOT, "lead", automerge::ObjType::Text)
            .unwrap(),
    };
    tx.splice_text(&lead, 0, 0, text).unwrap();
    tx.commit();
    let change = fork.get_last_local_change().unwrap().clone();
    let data =
        codraft_sync::access::push_changes(fork.get_heads(), vec![change.raw_bytes().to_vec()]);
    (data, change.hash())
}

/// The same data as a `request` from this client.
pub(crate) fn as_request(c: &TestClient, doc: DocumentId, data: Vec<u8>) -> Message {
    Message::Request(DocMessage {
        sender_id: c.peer.clone(),
        target_id: c.server.clone(),
        document_id: doc,
        data,
    })
}

/// Whether the document a fresh client of `url` syncs holds `hash`.
pub(crate) async fn holds(url: &str, doc: DocumentId, hash: ChangeHash) -> bool {
    let mut check = TestClient::connect(url, &format!("checker-{}", rand_suffix()))
        .await
        .unwrap();
    check.open(doc).await.unwrap();
    check.doc(doc).get_change_by_hash(&hash).is_some()
}

pub(crate) fn rand_suffix() -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{n:x}")
}
