//! Unit tests of the parent module.

use super::*;

fn c() -> Commit {
    Commit::at(0)
}

fn p(keys: &[&str]) -> Vec<Key> {
    keys.iter()
        .map(|k| k.parse().map(Key::Seq).unwrap_or(Key::Map(k.to_string())))
        .collect()
}

fn card() -> Automerge {
    from_json(
        &json!({ "ogpId": "MO0059", "title": { "ar": "خدمات عمومية", "fr": "Services publics", "zgh": "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ" }, "activities": [], "budget": 1200000 }),
        1_700_000_000_000,
    )
    .unwrap()
}

#[test]
fn json_in_json_out() {
    let doc = card();
    let j = read(&doc, &[]).unwrap();
    assert_eq!(j["title"]["zgh"], "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ");
    assert_eq!(j["budget"], 1200000);
    assert_eq!(read(&doc, &p(&["title", "ar"])).unwrap(), "خدمات عمومية");
    assert!(matches!(
        read(&doc, &p(&["nope"])),
        Err(EditError::NotFound(_))
    ));
    assert!(matches!(
        read(&doc, &p(&["budget", "x"])),
        Err(EditError::WrongKind(..))
    ));
}

#[test]
fn lists_insert_move_delete() {
    let mut doc = card();
    let acts = p(&["activities"]);
    for (i, t) in ["دليل", "Formation", "ⴰⵙⵍⵎⴷ"].iter().enumerate() {
        insert(
            &mut doc,
            &acts,
            i,
            &json!({ "title": t, "end": null }),
            &c(),
        )
        .unwrap();
    }
    move_item(&mut doc, &acts, 2, 0, &c()).unwrap();
    let titles: Vec<Json> = read(&doc, &acts)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].clone())
        .collect();
    assert_eq!(
        titles,
        vec![json!("ⴰⵙⵍⵎⴷ"), json!("دليل"), json!("Formation")]
    );
    delete(&mut doc, &acts, &Key::Seq(1), &c()).unwrap();
    assert_eq!(read(&doc, &acts).unwrap().as_array().unwrap().len(), 2);
    put(
        &mut doc,
        &p(&["activities", "0"]),
        &Key::Map("end".into()),
        &json!("2026-06-30"),
        &c(),
    )
    .unwrap();
    assert_eq!(
        read(&doc, &p(&["activities", "0", "end"])).unwrap(),
        "2026-06-30"
    );
}

#[test]
fn text_positions_are_utf16_units() {
    let mut doc = card();
    let fr = p(&["title", "fr"]);
    // "😀" is two UTF-16 units: JS offsets after it are one more than
    // code point offsets.
    splice(&mut doc, &fr, 0, 0, "😀 ", &c()).unwrap();
    splice(&mut doc, &fr, 3, 0, "Les ", &c()).unwrap();
    assert_eq!(read(&doc, &fr).unwrap(), "😀 Les Services publics");
    splice(&mut doc, &fr, 0, 3, "", &c()).unwrap();
    assert_eq!(read(&doc, &fr).unwrap(), "Les Services publics");
    assert!(matches!(
        splice(&mut doc, &fr, 999, 0, "x", &c()),
        Err(EditError::OutOfRange(999))
    ));
    assert_eq!(utf16_to_chars("a😀b", 3).unwrap(), 2);
    assert!(
        utf16_to_chars("a😀b", 2).is_err(),
        "inside a surrogate pair"
    );
    assert_eq!(chars_to_utf16("a😀b", 2), 3);
}

#[test]
fn code_point_positions_need_no_pass_over_the_text_and_agree_with_utf16_ones() {
    let mut doc = card();
    let fr = p(&["title", "fr"]);
    // "😀" is one code point and two UTF-16 units.
    splice_chars(&mut doc, &fr, (0, 0), "😀 ", Some(16), &c()).unwrap();
    splice_chars(&mut doc, &fr, (2, 0), "Les ", None, &c()).unwrap();
    assert_eq!(read(&doc, &fr).unwrap(), "😀 Les Services publics");
    // A cursor made either way is the same cursor, read either way.
    let by_chars = cursor_at(&doc, &fr, 6).unwrap();
    assert_eq!(by_chars, cursor(&doc, &fr, 7).unwrap());
    assert_eq!(cursor_index(&doc, &fr, &by_chars).unwrap(), 6);
    assert_eq!(cursor_position(&doc, &fr, &by_chars).unwrap(), 7);
    let end = cursor_at(&doc, &fr, 22).unwrap();
    splice_chars(&mut doc, &fr, (22, 0), "!", Some(22), &c()).unwrap();
    assert_eq!(
        cursor_index(&doc, &fr, &end).unwrap(),
        23,
        "the end follows"
    );
    splice_chars(&mut doc, &fr, (0, 2), "", None, &c()).unwrap();
    assert_eq!(read(&doc, &fr).unwrap(), "Les Services publics!");
    // Positions counted on another version of the text (the length the
    // caller knows is not this text's): refused, nothing changes.
    assert_eq!(
        splice_chars(&mut doc, &fr, (3, 0), "x", Some(22), &c()),
        Err(EditError::Stale {
            here: 21,
            expected: 22
        })
    );
    // Past the end, another text's cursor, a map: clear errors.
    assert_eq!(
        splice_chars(&mut doc, &fr, (20, 5), "", None, &c()),
        Err(EditError::OutOfRange(25))
    );
    assert_eq!(cursor_at(&doc, &fr, 99), Err(EditError::OutOfRange(99)));
    let ar = p(&["title", "ar"]);
    assert_eq!(
        cursor_index(&doc, &ar, &by_chars),
        Err(EditError::BadCursor)
    );
    assert!(matches!(
        splice_chars(&mut doc, &p(&["title"]), (0, 0), "x", None, &c()),
        Err(EditError::WrongKind(..))
    ));
    assert_eq!(read(&doc, &fr).unwrap(), "Les Services publics!");
}

proptest::proptest! {
    /// Whatever the text (astral characters included), a splice by code
    /// points makes the same text as the same splice by UTF-16 units.
    #[test]
    fn a_splice_by_code_points_is_the_same_splice_by_utf16_units(
        text in "[a-zé😀ⵣع ]{0,24}",
        at in 0usize..30,
        del in 0usize..6,
        insert in "[😀ⵜx]{0,3}",
    ) {
        let chars: Vec<char> = text.chars().collect();
        let at = at.min(chars.len());
        let del = del.min(chars.len() - at);
        let fr = p(&["title", "fr"]);
        let mut a = card();
        update_text(&mut a, &fr, &text, &c()).unwrap();
        let mut b = a.fork();
        splice_chars(&mut a, &fr, (at, del), &insert, Some(chars.len()), &c()).unwrap();
        let u = |n: usize| chars[..n].iter().map(|ch| ch.len_utf16()).sum::<usize>();
        splice(&mut b, &fr, u(at), u(at + del) - u(at), &insert, &c()).unwrap();
        proptest::prop_assert_eq!(read(&a, &fr).unwrap(), read(&b, &fr).unwrap());
        let cur = cursor_at(&a, &fr, at).unwrap();
        proptest::prop_assert_eq!(cursor_position(&a, &fr, &cur).unwrap(), u(at));
    }
}

#[test]
fn update_text_and_cursors_survive_concurrent_edits() {
    let mut doc = card();
    let ar = p(&["title", "ar"]);
    let cur = cursor(&doc, &ar, 6).unwrap(); // before "عمومية"
    let mut other = doc.fork();
    splice(&mut other, &ar, 0, 0, "تحسين ", &c()).unwrap();
    update_text(&mut doc, &ar, "خدمات عمومية للناطقين بالأمازيغية", &c()).unwrap();
    doc.merge(&mut other).unwrap();
    assert_eq!(
        read(&doc, &ar).unwrap(),
        "تحسين خدمات عمومية للناطقين بالأمازيغية"
    );
    assert_eq!(
        cursor_position(&doc, &ar, &cur).unwrap(),
        12,
        "moved by the insertion before it"
    );
    assert_eq!(
        cursor_position(&doc, &ar, "garbage"),
        Err(EditError::BadCursor)
    );
}

#[test]
fn commits_carry_time_and_message() {
    let mut doc = card();
    let commit = Commit {
        time_ms: 1_767_225_600_000,
        message: Some("مراجعة العنوان".into()),
    };
    update_text(
        &mut doc,
        &p(&["title", "fr"]),
        "Services publics en amazighe",
        &commit,
    )
    .unwrap();
    let last = doc.get_changes(&[]).last().cloned().unwrap();
    assert_eq!(
        last.message().map(|m| m.to_string()).as_deref(),
        Some("مراجعة العنوان")
    );
    assert_eq!(last.timestamp(), 1_767_225_600);
}

#[test]
fn remote_changes_become_json_patches() {
    let mut a = card();
    let mut b = a.fork();
    let before = a.get_heads();
    splice(&mut b, &p(&["title", "zgh"]), 0, 0, "ⴰ", &c()).unwrap();
    insert(
        &mut b,
        &p(&["activities"]),
        0,
        &json!({ "title": "x" }),
        &c(),
    )
    .unwrap();
    put(&mut b, &[], &Key::Map("budget".into()), &json!(5), &c()).unwrap();
    a.merge(&mut b).unwrap();
    let patches: Vec<Json> = a
        .diff(&before, &a.get_heads())
        .iter()
        .map(|x| patch_to_json(&a, x))
        .collect();
    assert!(
        patches.contains(
            &json!({ "action": "splice", "path": ["title", "zgh"], "index": 0, "remove": 0, "insert": "ⴰ" })
        ),
        "{patches:?}"
    );
    assert!(
        patches.contains(&json!({ "action": "put", "path": ["budget"], "value": 5 })),
        "{patches:?}"
    );
    assert!(
        patches
            .iter()
            .any(|x| x["action"] == "insert" && x["path"] == json!(["activities", 0])),
        "{patches:?}"
    );
}

/// The page's side of a text patch: the splice by code points, checked
/// against the length it says the text has after it.
fn apply_splice(text: &mut Vec<char>, patch: &Json) {
    let at = patch["index"].as_u64().unwrap() as usize;
    let remove = patch["remove"].as_u64().unwrap() as usize;
    let insert: Vec<char> = patch["insert"].as_str().unwrap().chars().collect();
    text.splice(at..at + remove, insert);
    assert_eq!(
        text.len() as u64,
        patch["length"].as_u64().unwrap(),
        "{patch}"
    );
}

#[test]
fn keystrokes_into_one_text_in_one_batch_are_splices_where_they_land() {
    let mut a = card();
    let mut b = a.fork();
    let before = a.get_heads();
    let was: Vec<char> = a
        .text(resolve(&a, &p(&["title", "zgh"])).unwrap())
        .unwrap()
        .chars()
        .collect();
    // Apart, so that Automerge gives one patch each; one erases.
    for (at, del, k) in [
        (0, 0, "ⵜ"),
        (10, 0, "ⴰ"),
        (5, 0, "ⵎ"),
        (2, 1, ""),
        (3, 2, "😀"),
    ] {
        splice(&mut b, &p(&["title", "zgh"]), at, del, k, &c()).unwrap();
    }
    put(&mut b, &[], &Key::Map("budget".into()), &json!(7), &c()).unwrap();
    a.merge(&mut b).unwrap();
    let patches = patches_to_json(&a, &a.diff(&before, &a.get_heads()));
    let splices: Vec<&Json> = patches.iter().filter(|p| p["action"] == "splice").collect();
    assert!(splices.len() >= 3, "{patches:?}");
    let mut text = was;
    for s in &splices {
        assert_eq!(s["path"], json!(["title", "zgh"]));
        apply_splice(&mut text, s);
    }
    let now = a.text(resolve(&a, &p(&["title", "zgh"])).unwrap()).unwrap();
    assert!(now.contains('😀') && now != "ⵜⵜⵉⵏⴰⵎⴼⵓⵜⵉⵏⴰ", "{now}");
    assert_eq!(text.into_iter().collect::<String>(), now);
    assert!(patches.contains(&json!({ "action": "put", "path": ["budget"], "value": 7 })));
}
