//! Unit tests of the parent module.

use super::*;
use crate::demo;

fn codes(card: &Card) -> Vec<(&'static str, String)> {
    validate(card)
        .into_iter()
        .map(|i| (i.code, i.field))
        .collect()
}

#[test]
fn a_blank_card_lists_what_it_needs() {
    let card = Card::from_json(&blank_card("open_justice")).unwrap();
    let issues = validate(&card);
    assert!(!is_complete(&issues));
    let c = codes(&card);
    for want in [
        ("missing_text", "title/ar".to_string()),
        ("missing_text", "title/fr".to_string()),
        ("missing", "lead".to_string()),
        ("missing", "start".to_string()),
        ("no_core_value", "values".to_string()),
        ("no_activity", "activities".to_string()),
        ("no_indicator", "indicators".to_string()),
        ("contact_missing", "contacts/government".to_string()),
        ("no_decision", "revision/decision".to_string()),
    ] {
        assert!(c.contains(&want), "{want:?} not in {c:?}");
    }
    // Amazigh text is optional.
    assert!(!c.iter().any(|(_, f)| f == "title/zgh"));
}

#[test]
fn the_demo_cards_are_complete() {
    // MO0054 is the demo's unfinished draft.
    for (_, card) in demo::cards() {
        let card = Card::from_json(&card).unwrap();
        if card.number == "MO0054" {
            assert!(!is_complete(&validate(&card)));
            continue;
        }
        let issues = validate(&card);
        let required: Vec<String> = issues
            .iter()
            .filter(|i| i.severity == Severity::Required)
            .map(|i| i.message(Lang::Fr))
            .collect();
        assert!(required.is_empty(), "{}: {required:?}", card.number);
    }
}

#[test]
fn activity_rows_are_named_by_number_in_each_language() {
    let (_, json) = demo::cards().remove(0);
    let mut card = Card::from_json(&json).unwrap();
    card.activities[2].end.clear();
    let issues = validate(&card);
    let i = issues
        .iter()
        .find(|i| i.field == "activities/2/end")
        .expect("activity 3 has no end date");
    assert_eq!(
        i.message(Lang::Fr),
        "Activité 3 : « Fin » n'est pas renseigné"
    );
    assert_eq!(i.message(Lang::Ar), "النشاط 3: «النهاية» غير معبأ");
    assert_eq!(i.message(Lang::Zgh), "ⵜⴰⵡⵓⵔⵉ 3: «ⵜⴰⴳⵉⵔⴰ» ⵓⵔ ⵉⵜⵜⵓⵙⵎⵖⵔ");
}

#[test]
fn civil_society_asks_for_a_qualitative_indicator() {
    let (_, json) = demo::cards().remove(0);
    let mut card = Card::from_json(&json).unwrap();
    for x in &mut card.indicators {
        x.kind = "quantitative".into();
    }
    let issues = validate(&card);
    let i = issues
        .iter()
        .find(|i| i.code == "no_qualitative_indicator")
        .unwrap();
    assert_eq!(i.message(Lang::Fr), "Aucun indicateur qualitatif");
    assert!(!is_complete(&issues));
}

#[test]
fn dates_order_emails_and_justifications_are_checked() {
    let (_, json) = demo::cards().remove(0);
    let mut card = Card::from_json(&json).unwrap();
    card.activities[0].start = "2029-01-01".into();
    card.activities[0].end = "2028-01-01".into();
    card.contacts.civil_society.email = "not an email".into();
    card.values.get_mut("transparency").unwrap().on = true;
    card.values.get_mut("transparency").unwrap().why.clear();
    card.title.fr.text = "  ".into();
    let c = codes(&card);
    assert!(
        c.contains(&("activity_end_before_start", "activities/0/end".into())),
        "{c:?}"
    );
    assert!(
        c.contains(&("activity_outside", "activities/0/end".into())),
        "{c:?}"
    );
    assert!(
        c.contains(&("bad_email", "contacts/civilSociety/email".into())),
        "{c:?}"
    );
    assert!(c.contains(&(
        "value_without_justification",
        "values/transparency/why".into()
    )));
    assert!(c.contains(&("missing_text", "title/fr".into())));
    let i = validate(&card)
        .into_iter()
        .find(|i| i.field == "title/fr")
        .unwrap();
    assert_eq!(i.message(Lang::Ar), "«العنوان» بدون نص بالفرنسية");
}

#[test]
fn rows_follow_their_order_keys_in_messages_and_exports_and_keep_their_paths() {
    let (_, mut json) = crate::demo::cards().remove(0);
    let rows = json["activities"].as_array().unwrap().len();
    assert!(rows >= 3);
    // The last row moved to the top by its key alone, its title emptied.
    json["activities"][rows - 1]["order"] = serde_json::json!(-1.0);
    json["activities"][rows - 1]["title"] = serde_json::json!("");
    let order = crate::card::row_order(json["activities"].as_array().unwrap());
    assert_eq!(order[0], rows - 1);
    assert_eq!(order[1..], (0..rows - 1).collect::<Vec<_>>()[..]);
    let card = Card::from_json(&json).unwrap();
    let issues = validate(&card);
    let i = issues
        .iter()
        .find(|i| i.field == format!("activities/{}/title", rows - 1))
        .expect("the emptied title, by its list index");
    assert_eq!(i.n, Some(1), "shown as the first row");
    let md = crate::export::markdown(&card, crate::lang::Lang::Fr, None);
    let fr = |v: &serde_json::Value| {
        crate::card::Multi::of_json(v)
            .best(crate::lang::Lang::Fr)
            .unwrap()
            .1
            .to_owned()
    };
    let first = fr(&json["activities"][0]["deliverable"]);
    let moved = fr(&json["activities"][rows - 1]["deliverable"]);
    assert!(
        md.find(&moved).unwrap() < md.find(&first).unwrap(),
        "the export follows the order"
    );
}

/// Day of use: rows' titles, deliverables and labels are multilingual; a
/// cell written in one language only is counted as untranslated (not
/// blocking), and a plain text from before is read in its script's language.
#[test]
fn untranslated_row_cells_are_counted_and_old_plain_cells_still_read() {
    let (_, mut json) = crate::demo::cards().remove(0);
    json["activities"][0]["title"] =
        serde_json::json!({ "ar": { "text": "ورشة" }, "fr": { "text": "" } });
    json["indicators"][0]["label"] = serde_json::json!("Nombre d'ateliers");
    let card = Card::from_json(&json).unwrap();
    assert_eq!(card.indicators[0].label.fr.text, "Nombre d'ateliers");
    let issues = validate(&card);
    let row = issues
        .iter()
        .find(|i| i.field == "activities/0/title/fr")
        .expect("the French title is missing");
    assert_eq!(row.code, "activity_untranslated");
    assert_eq!(row.severity, Severity::Recommended);
    assert_eq!(
        row.message(Lang::Fr),
        "Activité 1 : « Activité » n'est pas traduit en Français"
    );
    assert!(
        issues
            .iter()
            .any(|i| i.field == "indicators/0/label/ar" && i.code == "indicator_untranslated")
    );
    // Empty in every language: missing, as before.
    json["activities"][0]["title"] = Multi::blank();
    let issues = validate(&Card::from_json(&json).unwrap());
    assert!(
        issues
            .iter()
            .any(|i| i.field == "activities/0/title" && i.code == "activity_missing")
    );
}
