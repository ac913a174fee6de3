//! A card drawn before the WASM client is in: the server's copy with its
//! heads and the card's description over HTTP, who may read them, and
//! words typed on that copy merged by the client core with what others
//! wrote since (`Client::change_at`), then undone as one step.

use automerge::ChangeHash;
use codraft_client::{ClientError, ClientEvent, Direction, SaveState};
use codraft_protocol::DocumentId;
use codraft_schema::edit::{self, Commit, Key};
use codraft_tests::driver::{Driven, now_ms};
use serde_json::Value as Json;

use crate::access::{Person, World, call, world, ws_url};

async fn snapshot(w: &World, p: &Person, doc: &str) -> (u16, Json) {
    call(
        &w.server,
        "GET",
        &format!("/api/documents/{doc}/snapshot"),
        p.token.as_deref(),
        None,
    )
    .await
}

fn summary_fr() -> Vec<Key> {
    ["summary", "fr", "text"]
        .into_iter()
        .map(|k| Key::Map(k.into()))
        .collect()
}

fn text_at(doc: &automerge::Automerge, path: &[Key]) -> String {
    edit::read(doc, path)
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn joined(w: &World, p: &Person, name: &str, id: DocumentId) -> Driven {
    let mut d = Driven::connect(&ws_url(&w.server, p), name).await.unwrap();
    let out = d.client.open(id);
    d.apply(out).await.unwrap();
    d.pump_until(|d| d.saw(|e| *e == ClientEvent::Ready(id)))
        .await
        .unwrap();
    d
}

fn saved(d: &Driven, id: DocumentId) -> bool {
    d.client.save_state(id) == Some(SaveState::Saved)
}

#[tokio::test]
async fn the_servers_copy_and_the_cards_description_are_served_to_whoever_may_read() {
    let w = world().await;
    let url = w.doc.to_url();
    // Members and observers read it; the copy is the document, at its heads.
    for p in [&w.member, &w.observer, &w.coord] {
        let (status, body) = snapshot(&w, p, &url).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["doc"]["summary"]["fr"].is_object(), "{body}");
        let heads = body["heads"].as_array().unwrap();
        assert!(!heads.is_empty());
        for h in heads {
            h.as_str().unwrap().parse::<ChangeHash>().unwrap();
        }
    }
    // Nobody else learns that it exists.
    assert_eq!(snapshot(&w, &w.outsider, &url).await.0, 404);
    assert_eq!(snapshot(&w, &w.signed_out, &url).await.0, 401);
    assert_eq!(snapshot(&w, &w.revoked, &url).await.0, 401);
    let (status, body) = snapshot(&w, &w.member, &DocumentId::random().to_url()).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = snapshot(&w, &w.member, "not-an-id").await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_request")));

    // The description needs no account: the form's words in three languages.
    let (status, d) = call(&w.server, "GET", "/api/schema/card", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(d, codraft_schema::describe::card());
    for l in ["ar", "fr", "zgh"] {
        assert!(
            d["labels"][l]["summary"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
            "{l}"
        );
        assert_eq!(d["months"][l].as_array().unwrap().len(), 12);
    }
}

/// Amina's page drew the card from the server's copy; while her client
/// downloaded, Yassine typed at the start of the French summary, and she
/// typed at its end on the copy. Once her client has the card, her words
/// are made on the copy's version and merged: both stay, for both.
#[tokio::test]
async fn words_typed_on_the_servers_copy_merge_with_what_came_since() {
    let w = world().await;
    let id = w.doc;
    let mut yassine = joined(&w, &w.coord, "yassine", id).await;
    let write = |at: usize, s: &'static str| {
        move |doc: &mut automerge::Automerge| {
            edit::splice(doc, &summary_fr(), at, 0, s, &Commit::at(1)).unwrap();
        }
    };
    let out = yassine.client.change(id, write(0, "Le plan.")).unwrap();
    yassine.apply(out).await.unwrap();
    yassine.pump_until(|d| saved(d, id)).await.unwrap();

    let (_, copy) = snapshot(&w, &w.member, &id.to_url()).await;
    let heads: Vec<ChangeHash> = copy["heads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().parse().unwrap())
        .collect();
    let on_copy = copy["doc"]["summary"]["fr"]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(on_copy, "Le plan.");

    let out = yassine.client.change(id, write(0, "Yassine : ")).unwrap();
    yassine.apply(out).await.unwrap();
    yassine.pump_until(|d| saved(d, id)).await.unwrap();

    let mut amina = joined(&w, &w.member, "amina", id).await;
    let typed = format!("{on_copy} Tapé avant le client.");
    let out = amina
        .client
        .change_at(id, &heads, now_ms() as i64, |doc| {
            edit::update_text(doc, &summary_fr(), &typed, &Commit::at(2)).unwrap();
        })
        .unwrap();
    assert!(
        out.events.iter().any(|e| matches!(e, ClientEvent::Changed { doc, patches } if *doc == id && !patches.is_empty())),
        "the page hears the merge as patches"
    );
    amina.apply(out).await.unwrap();
    let both = format!("Yassine : {on_copy} Tapé avant le client.");
    assert_eq!(text_at(amina.client.doc(id).unwrap(), &summary_fr()), both);
    amina.pump_until(|d| saved(d, id)).await.unwrap();
    yassine
        .pump_until(|d| text_at(d.client.doc(id).unwrap(), &summary_fr()) == both)
        .await
        .unwrap();

    // What was typed on the copy is one step of Amina's undo: it goes,
    // Yassine's words stay.
    let (out, done) = amina
        .client
        .undo(id, Direction::Undo, &Commit::at(3))
        .unwrap();
    assert!(done);
    amina.apply(out).await.unwrap();
    let undone = format!("Yassine : {on_copy}");
    assert_eq!(
        text_at(amina.client.doc(id).unwrap(), &summary_fr()),
        undone
    );
    yassine
        .pump_until(|d| text_at(d.client.doc(id).unwrap(), &summary_fr()) == undone)
        .await
        .unwrap();
}

/// A version this client does not hold is refused, and nothing changes.
#[tokio::test]
async fn words_on_an_unknown_version_are_refused_and_change_nothing() {
    let w = world().await;
    let id = w.doc;
    let mut amina = joined(&w, &w.member, "amina", id).await;
    let before = amina.client.doc(id).unwrap().get_heads();
    let unknown = ChangeHash([7; 32]);
    let r = amina.client.change_at(id, &[unknown], 0, |doc| {
        edit::update_text(doc, &summary_fr(), "perdu ?", &Commit::at(1)).unwrap();
    });
    assert!(matches!(r, Err(ClientError::UnknownHeads(_))), "{r:?}");
    assert_eq!(amina.client.doc(id).unwrap().get_heads(), before);
    let other = DocumentId::random();
    assert!(matches!(
        amina.client.change_at(other, &before, 0, |_| {}),
        Err(ClientError::NotOpen(d)) if d == other
    ));
}
