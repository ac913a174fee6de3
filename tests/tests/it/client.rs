//! The client core (what the WASM client runs) against the real server.

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ROOT, ReadDoc};
use codraft_client::{ClientEvent, SaveState};
use codraft_protocol::DocumentId;
use codraft_protocol::presence::Value;
use codraft_tests::TestServer;
use codraft_tests::driver::{Driven, now_ms};

use crate::{card, title};

fn new_card() -> Automerge {
    let mut doc = Automerge::new();
    doc.transact(card).unwrap();
    doc
}

fn type_into_title(s: &'static str) -> impl FnOnce(&mut Automerge) {
    move |doc| {
        doc.transact::<_, _, AutomergeError>(|tx| {
            let (_, t) = tx.get(ROOT, "title")?.unwrap();
            let len = tx.length(&t);
            tx.splice_text(&t, len, 0, s)?;
            Ok(())
        })
        .unwrap();
    }
}

fn saved(d: &Driven, id: DocumentId) -> bool {
    d.client.save_state(id) == Some(SaveState::Saved)
}

#[tokio::test]
async fn two_clients_converge_with_patches_and_save_states() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut a = Driven::connect(&server.url(), "a").await.unwrap();
    let id = DocumentId::random();
    let out = a.client.add(id, new_card());
    a.apply(out).await.unwrap();
    assert!(a.saw(|e| *e
        == ClientEvent::SaveState {
            doc: id,
            state: SaveState::Saving
        }));
    a.pump_until(|d| saved(d, id)).await.unwrap();

    let mut b = Driven::connect(&server.url(), "b").await.unwrap();
    let out = b.client.open(id);
    b.apply(out).await.unwrap();
    b.pump_until(|d| d.saw(|e| *e == ClientEvent::Ready(id)))
        .await
        .unwrap();
    assert_eq!(
        title(b.client.doc(id).unwrap()),
        title(a.client.doc(id).unwrap())
    );

    let out = b
        .client
        .change(id, type_into_title(" — ⵜⴰⵎⵙⵙⵓⴷⵓⵜ"))
        .unwrap();
    b.apply(out).await.unwrap();
    b.pump_until(|d| saved(d, id)).await.unwrap();
    a.pump_until(|d| d.saw(|e| matches!(e, ClientEvent::Changed { doc, patches } if *doc == id && !patches.is_empty())))
        .await
        .unwrap();
    assert_eq!(
        title(a.client.doc(id).unwrap()),
        title(b.client.doc(id).unwrap())
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn offline_edits_merge_after_reconnect() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut a = Driven::connect(&server.url(), "a").await.unwrap();
    let id = DocumentId::random();
    let out = a.client.add(id, new_card());
    a.apply(out).await.unwrap();
    a.pump_until(|d| saved(d, id)).await.unwrap();
    let mut b = Driven::connect(&server.url(), "b").await.unwrap();
    let out = b.client.open(id);
    b.apply(out).await.unwrap();
    b.pump_until(|d| d.saw(|e| *e == ClientEvent::Ready(id)))
        .await
        .unwrap();

    let delay = b.disconnect().await.unwrap();
    assert!(delay >= Duration::from_millis(50));
    let out = b
        .client
        .change(id, type_into_title(" (hors ligne)"))
        .unwrap();
    b.apply(out).await.unwrap();
    assert_eq!(b.client.save_state(id), Some(SaveState::Offline));
    let out = a.client.change(id, type_into_title(" (en ligne)")).unwrap();
    a.apply(out).await.unwrap();
    a.pump_until(|d| saved(d, id)).await.unwrap();

    b.reconnect().await.unwrap();
    assert_eq!(b.online_events(), 2);
    b.pump_until(|d| saved(d, id) && title(d.client.doc(id).unwrap()).contains("(en ligne)"))
        .await
        .unwrap();
    a.pump_until(|d| title(d.client.doc(id).unwrap()).contains("(hors ligne)"))
        .await
        .unwrap();
    assert_eq!(
        a.client.doc(id).unwrap().get_heads(),
        b.client.doc(id).unwrap().get_heads()
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn unknown_documents_are_reported_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut a = Driven::connect(&server.url(), "a").await.unwrap();
    let id = DocumentId::random();
    let out = a.client.open(id);
    a.apply(out).await.unwrap();
    a.pump_until(|d| d.saw(|e| *e == ClientEvent::Unavailable(id)))
        .await
        .unwrap();
    server.stop().await.unwrap();
}

#[tokio::test]
async fn presence_appears_updates_and_goes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut a = Driven::connect(&server.url(), "a").await.unwrap();
    let id = DocumentId::random();
    let out = a.client.add(id, new_card());
    a.apply(out).await.unwrap();
    a.pump_until(|d| saved(d, id)).await.unwrap();
    let mut b = Driven::connect(&server.url(), "b").await.unwrap();
    let out = b.client.open(id);
    b.apply(out).await.unwrap();
    b.pump_until(|d| d.saw(|e| *e == ClientEvent::Ready(id)))
        .await
        .unwrap();

    let out = a
        .client
        .set_presence(id, "user", Value::Text("Amina".into()), now_ms())
        .unwrap();
    a.apply(out).await.unwrap();
    let out = a
        .client
        .set_presence(id, "field", Value::Text("title".into()), now_ms())
        .unwrap();
    a.apply(out).await.unwrap();
    let a_peer = a.client.peer_id().clone();
    let field_of_a = |d: &Driven| {
        d.client.presence(id).and_then(|p| {
            p.peers()
                .get(&a_peer)
                .and_then(|s| s.state.get("field").cloned())
        })
    };
    b.pump_until(|d| field_of_a(d) == Some(Value::Text("title".into())))
        .await
        .unwrap();
    // A newcomer to A gets A's snapshot back, so B learns A's whole state,
    // and A learns of B.
    a.pump_until(|d| d.saw(|e| matches!(e, ClientEvent::PresenceChanged { .. })))
        .await
        .unwrap();

    let out = a
        .client
        .set_presence(id, "field", Value::Text("indicators".into()), now_ms())
        .unwrap();
    a.apply(out).await.unwrap();
    // Throttled updates go out at a tick.
    tokio::time::sleep(Duration::from_millis(60)).await;
    let out = a.client.tick(now_ms());
    a.apply(out).await.unwrap();
    b.pump_until(|d| field_of_a(d) == Some(Value::Text("indicators".into())))
        .await
        .unwrap();

    // Leaving the page says goodbye: B forgets A at once.
    let out = a.client.leave_all();
    a.apply(out).await.unwrap();
    b.pump_until(|d| {
        d.client
            .presence(id)
            .is_some_and(|p| !p.peers().contains_key(&a_peer))
    })
    .await
    .unwrap();
    // A comes back with an update, then closes the document: goodbye again.
    let out = a
        .client
        .set_presence(id, "field", Value::Text("budget".into()), now_ms() + 1000)
        .unwrap();
    a.apply(out).await.unwrap();
    b.pump_until(|d| field_of_a(d) == Some(Value::Text("budget".into())))
        .await
        .unwrap();
    let out = a.client.close(id);
    a.apply(out).await.unwrap();
    b.pump_until(|d| {
        d.client
            .presence(id)
            .is_some_and(|p| !p.peers().contains_key(&a_peer))
    })
    .await
    .unwrap();
    server.stop().await.unwrap();
}

#[tokio::test]
async fn changes_from_another_tab_merge_offline_and_then_sync() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut tab1 = Driven::connect(&server.url(), "tab1").await.unwrap();
    let id = DocumentId::random();
    let out = tab1.client.add(id, new_card());
    tab1.apply(out).await.unwrap();
    tab1.pump_until(|d| saved(d, id)).await.unwrap();
    let mut tab2 = Driven::connect(&server.url(), "tab2").await.unwrap();
    let out = tab2.client.open(id);
    tab2.apply(out).await.unwrap();
    tab2.pump_until(|d| d.saw(|e| *e == ClientEvent::Ready(id)))
        .await
        .unwrap();

    // Both offline; tab1's change reaches tab2 as bytes (BroadcastChannel in
    // the browser) and shows up as patches.
    tab1.disconnect().await.unwrap();
    tab2.disconnect().await.unwrap();
    let before = tab1.client.doc(id).unwrap().get_heads();
    let out = tab1
        .client
        .change(id, type_into_title(" (onglet 1)"))
        .unwrap();
    tab1.apply(out).await.unwrap();
    let bytes = tab1.client.doc(id).unwrap().save_after(&before);
    let out = tab2.client.merge(id, &bytes).unwrap();
    assert!(
        out.events
            .iter()
            .any(|e| matches!(e, ClientEvent::Changed { .. }))
    );
    tab2.apply(out).await.unwrap();
    assert_eq!(
        title(tab2.client.doc(id).unwrap()),
        title(tab1.client.doc(id).unwrap())
    );
    assert!(
        tab2.client.merge(id, b"not automerge").is_err(),
        "garbage is refused"
    );

    // Whichever tab reconnects first saves the change.
    tab2.reconnect().await.unwrap();
    tab2.pump_until(|d| saved(d, id)).await.unwrap();
    let mut reader = Driven::connect(&server.url(), "reader").await.unwrap();
    let out = reader.client.open(id);
    reader.apply(out).await.unwrap();
    reader
        .pump_until(|d| d.saw(|e| *e == ClientEvent::Ready(id)))
        .await
        .unwrap();
    assert!(title(reader.client.doc(id).unwrap()).ends_with("(onglet 1)"));
    server.stop().await.unwrap();
}

/// A change the server refuses (here: over its size limit) is dropped by
/// the client core: the document goes back to what the server has, the UI
/// is told why, and the refused change is neither kept nor sent again.
#[tokio::test]
async fn a_refused_change_is_dropped_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = codraft_server::Config::for_tests(dir.path().to_owned());
    config.max_change_bytes = 4_000;
    let server = TestServer::start_with(config).await.unwrap();
    let mut a = Driven::connect(&server.url(), "a").await.unwrap();
    let id = DocumentId::random();
    let out = a.client.add(id, new_card());
    a.apply(out).await.unwrap();
    a.pump_until(|d| saved(d, id)).await.unwrap();
    let before = title(a.client.doc(id).unwrap());
    // Random text, so that compression does not bring it under the limit.
    let mut x: u64 = 7;
    let big: String = (0..20_000)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            char::from(b'a' + (x >> 59) as u8 % 26)
        })
        .collect();
    let big: &'static str = Box::leak(big.into_boxed_str());
    let out = a.client.change(id, type_into_title(big)).unwrap();
    a.apply(out).await.unwrap();
    a.pump_until(|d| d.saw(|e| matches!(e, ClientEvent::Refused { doc, why } if *doc == id && why.starts_with("change-too-large"))))
        .await
        .unwrap();
    assert_eq!(
        title(a.client.doc(id).unwrap()),
        before,
        "the refused text is gone"
    );
    assert_eq!(a.client.save_state(id), Some(SaveState::Saved));
    // What comes next is accepted, and nothing of the refused text went.
    a.reconnect().await.unwrap();
    let out = a.client.change(id, type_into_title(" ensuite")).unwrap();
    a.apply(out).await.unwrap();
    a.pump_until(|d| saved(d, id)).await.unwrap();
    let mut b = Driven::connect(&server.url(), "b").await.unwrap();
    let out = b.client.open(id);
    b.apply(out).await.unwrap();
    b.pump_until(|d| d.saw(|e| *e == ClientEvent::Ready(id)))
        .await
        .unwrap();
    let t = title(b.client.doc(id).unwrap());
    assert_eq!(t, format!("{before} ensuite"));
}

fn type_at(at: usize, s: &'static str) -> impl FnOnce(&mut Automerge) {
    move |doc| {
        doc.transact::<_, _, AutomergeError>(|tx| {
            let (_, t) = tx.get(ROOT, "title")?.unwrap();
            tx.splice_text(&t, at, 0, s)?;
            Ok(())
        })
        .unwrap();
    }
}

/// Undo takes back one's own words and leaves a peer's concurrent words;
/// the undo and the redo are changes like any other, saved and synced.
#[tokio::test]
async fn undo_takes_back_ones_own_words_and_keeps_a_peers() {
    use codraft_client::Direction;
    use codraft_schema::edit::Commit;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut a = Driven::connect(&server.url(), "a").await.unwrap();
    let id = DocumentId::random();
    let out = a.client.add(id, new_card());
    a.apply(out).await.unwrap();
    a.pump_until(|d| saved(d, id)).await.unwrap();
    let original = title(a.client.doc(id).unwrap());
    let mut b = Driven::connect(&server.url(), "b").await.unwrap();
    let out = b.client.open(id);
    b.apply(out).await.unwrap();
    b.pump_until(|d| d.saw(|e| *e == ClientEvent::Ready(id)))
        .await
        .unwrap();

    // A types a word letter by letter (one step); B types at the end.
    let t0 = now_ms() as i64;
    for (i, w) in ["م", "ش", "ر", "و", "ع", " "].into_iter().enumerate() {
        let out = a
            .client
            .edit(id, t0 + i as i64 * 100, type_at(i, w))
            .unwrap();
        a.apply(out).await.unwrap();
    }
    // A moment later, a second step.
    let out = a
        .client
        .edit(id, t0 + 5_000, type_into_title(" (أ)"))
        .unwrap();
    a.apply(out).await.unwrap();
    let out = b.client.change(id, type_into_title(" 2026")).unwrap();
    b.apply(out).await.unwrap();
    let both = |d: &Driven| title(d.client.doc(id).unwrap()).contains("2026");
    a.pump_until(|d| saved(d, id) && both(d)).await.unwrap();
    b.pump_until(|d| saved(d, id) && title(d.client.doc(id).unwrap()).starts_with("مشروع"))
        .await
        .unwrap();

    // Undo: the latest step first, then the word.
    let (out, done) = a
        .client
        .undo(id, Direction::Undo, &Commit::at(t0 + 6_000))
        .unwrap();
    assert!(done);
    assert!(
        out.events.iter().any(|e| matches!(e, ClientEvent::Changed { doc, patches } if *doc == id && !patches.is_empty())),
        "the UI hears the undo as patches"
    );
    a.apply(out).await.unwrap();
    assert!(!title(a.client.doc(id).unwrap()).contains("(أ)"));
    let (out, _) = a
        .client
        .undo(id, Direction::Undo, &Commit::at(t0 + 6_100))
        .unwrap();
    a.apply(out).await.unwrap();
    let expect = |s: &str| {
        s.starts_with(&original) && s.matches("2026").count() == 1 && !s.contains("مشروع")
    };
    assert!(
        expect(&title(a.client.doc(id).unwrap())),
        "{}",
        title(a.client.doc(id).unwrap())
    );
    b.pump_until(|d| expect(&title(d.client.doc(id).unwrap())))
        .await
        .unwrap();
    assert_eq!(title(b.client.doc(id).unwrap()), format!("{original} 2026"));

    // Nothing of B's is ever undone by A: A has nothing left.
    let (_, done) = a
        .client
        .undo(id, Direction::Undo, &Commit::at(t0 + 6_200))
        .unwrap();
    assert!(!done);
    assert!(a.client.can_undo(id, Direction::Redo));
    // Redo puts the word back, for both.
    let (out, done) = a
        .client
        .undo(id, Direction::Redo, &Commit::at(t0 + 6_300))
        .unwrap();
    assert!(done);
    a.apply(out).await.unwrap();
    a.pump_until(|d| saved(d, id)).await.unwrap();
    b.pump_until(|d| title(d.client.doc(id).unwrap()).starts_with("مشروع "))
        .await
        .unwrap();
    // A new edit clears what could be redone.
    let out = a.client.edit(id, t0 + 9_000, type_into_title(".")).unwrap();
    a.apply(out).await.unwrap();
    assert!(!a.client.can_undo(id, Direction::Redo));
    server.stop().await.unwrap();
}

/// Remote keystrokes that arrive together (one animation frame's frames)
/// are one batch: the document takes them in one pass, and the UI hears
/// them as one `Changed` whose patches carry every keystroke.
#[tokio::test]
async fn remote_keystrokes_arriving_together_are_one_batch_with_their_patches() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await.unwrap();
    let mut a = Driven::connect(&server.url(), "a").await.unwrap();
    let id = DocumentId::random();
    let out = a.client.add(id, new_card());
    a.apply(out).await.unwrap();
    a.pump_until(|d| saved(d, id)).await.unwrap();
    let mut b = Driven::connect(&server.url(), "b").await.unwrap();
    let out = b.client.open(id);
    b.apply(out).await.unwrap();
    b.pump_until(|d| d.saw(|e| *e == ClientEvent::Ready(id)))
        .await
        .unwrap();
    let typed = ["ⵜ", "ⴰ", "ⵎ", "ⵖ", "ⵔ"];
    for k in typed {
        let out = a.client.change(id, type_into_title(k)).unwrap();
        a.apply(out).await.unwrap();
        a.pump_for(Duration::from_millis(30)).await.unwrap();
    }
    let frames = b.read_frames(Duration::from_millis(600)).await.unwrap();
    assert!(frames.len() >= typed.len(), "{} frames", frames.len());
    let out = b.client.receive_all(&frames, now_ms());
    let changed: Vec<&Vec<automerge::Patch>> = out
        .events
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Changed { doc, patches } if *doc == id => Some(patches),
            _ => None,
        })
        .collect();
    assert_eq!(changed.len(), 1, "one batch, one Changed: {:?}", out.events);
    let inserted: String = changed[0]
        .iter()
        .filter_map(|p| match &p.action {
            automerge::PatchAction::SpliceText { value, .. } => Some(value.make_string()),
            _ => None,
        })
        .collect();
    assert_eq!(inserted, typed.concat(), "every keystroke in the patches");
    assert_eq!(
        title(b.client.doc(id).unwrap()),
        title(a.client.doc(id).unwrap())
    );
}
