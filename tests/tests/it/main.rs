//! Integration tests against a real server on a free loopback port. One test
//! binary; each module says what belongs in it.

/// Accounts, roles and access: the authorization matrix, revocation.
mod access;
/// The WASM client in Chromium.
mod browser;
/// The client core that the WASM client runs, against the real server.
mod client;
/// Comments, suggestions, mentions and the inbox.
mod comments;
/// The deploy files (compose, proxy, Dockerfile, systemd), parsed and checked.
mod deploy;
/// A card drawn before the WASM client is in: the server's copy, the
/// card's description, words typed on the copy merged.
mod draft;
/// Durability: restart on the same data directory, compaction, load failures.
mod durability;
/// Bad input: malformed, text, oversized frames, unknown documents, storage
/// failures. Each gets a clear error and harms nothing else.
mod errors;
/// The hardening review's findings, one regression test each; backups.
mod hardening;
/// Webhooks: signed deliveries, retries, the delivery log.
mod hooks;
/// HTTP endpoints: health, readiness, metrics.
mod http;
/// The real JS automerge-repo clients through our server.
mod interop;
/// Keepalive, idle unload, shutdown.
mod lifecycle;
/// E-mail through a real SMTP server: invitations, notifications, retries.
mod mail;
/// Meetings: attendance, decisions, action items, approved minutes.
mod meetings;
/// The revision in the open: timeline, public proposals, responses.
mod process;
/// Several instances on one real redis-server.
mod redis;
/// Reviewing edits: the workflow the server enforces, approvals, history,
/// differences, versions, restore, review marks, text status.
mod review;
/// The shape of the code: no import cycle in server/src, no `any` in the
/// web app, generated API types.
mod structure;
/// Sync through the server: handshake, create, find, converge, relay.
mod sync;
/// The web app: seeded workspace, static files, two editors in Chromium.
mod webapp;

use automerge::transaction::Transactable;
use automerge::{AutomergeError, ObjType, ROOT, ReadDoc};

/// A card-like document: a title text in Arabic and a list.
pub fn card(tx: &mut automerge::transaction::Transaction<'_>) -> Result<(), AutomergeError> {
    let t = tx.put_object(ROOT, "title", ObjType::Text)?;
    tx.splice_text(&t, 0, 0, "الاستراتيجية الوطنية للتنمية المستدامة")?;
    tx.put_object(ROOT, "activities", ObjType::List)?;
    tx.put(ROOT, "ogpId", "MO0056")?;
    Ok(())
}

pub fn title(doc: &automerge::Automerge) -> String {
    let (_, t) = doc.get(ROOT, "title").unwrap().unwrap();
    doc.text(&t).unwrap()
}

pub fn append_title(
    s: &'static str,
) -> impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), AutomergeError> {
    move |tx| {
        let (_, t) = tx.get(ROOT, "title")?.unwrap();
        let len = tx.length(&t);
        tx.splice_text(&t, len, 0, s)?;
        Ok(())
    }
}

/// Connects as `peer`, creates a card and waits until the server saved it.
pub async fn author(
    server: &codraft_tests::TestServer,
    peer: &str,
) -> (codraft_tests::TestClient, codraft_protocol::DocumentId) {
    let mut c = codraft_tests::TestClient::connect(&server.url(), peer)
        .await
        .unwrap();
    let id = c.create(card).await.unwrap();
    c.wait_saved(id).await.unwrap();
    (c, id)
}

/// The `error` messages a raw socket receives until the server closes it.
pub async fn errors_until_close<S>(ws: &mut S) -> Vec<String>
where
    S: futures_util::Stream<
            Item = Result<
                tokio_tungstenite::tungstenite::Message,
                tokio_tungstenite::tungstenite::Error,
            >,
        > + Unpin,
{
    use futures_util::StreamExt;
    let mut texts = vec![];
    while let Some(Ok(f)) = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next())
        .await
        .expect("the server closes the connection")
    {
        let tokio_tungstenite::tungstenite::Message::Binary(b) = f else {
            continue;
        };
        if let codraft_protocol::Message::Error { message, .. } =
            codraft_protocol::decode(&b).unwrap()
        {
            texts.push(message);
        }
    }
    texts
}
