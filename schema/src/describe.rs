//! The card described for a page, as JSON: every field in order with its
//! choices resolved to their values, the choice lists, and every label and
//! month name in the three languages. The WASM client gives the same
//! pieces one by one (`cardFields`, `cardChoices`, `cardLabels`,
//! `formatDate`); the server serves them together (`GET /api/schema/card`)
//! so that a page can lay a card out before the WASM client is in.

use serde_json::{Map, Value as Json, json};

use crate::{Lang, card, fields, labels, lang};

/// Every field of the card, in order (`fields::CARD`), each `choices`
/// name replaced by its values (in fields and table columns).
pub fn card_fields() -> Json {
    let mut v = serde_json::to_value(fields::CARD).unwrap_or_default();
    resolve_choices(&mut v);
    v
}

fn resolve_choices(v: &mut Json) {
    match v {
        Json::Array(items) => items.iter_mut().for_each(resolve_choices),
        Json::Object(map) => {
            if let Some(Json::String(name)) = map.get("choices") {
                let values = fields::choices(name);
                map.insert("choices".into(), json!(values));
            }
            map.values_mut().for_each(resolve_choices);
        }
        _ => {}
    }
}

/// The choices of every select and checkbox group of the card.
pub fn card_choices() -> Json {
    json!({
        "values": card::VALUES,
        "coreValues": card::CORE_VALUES,
        "actorKinds": card::ACTOR_KINDS,
        "activityStatuses": card::ACTIVITY_STATUSES,
        "indicatorKinds": card::INDICATOR_KINDS,
        "decisions": card::DECISIONS,
        "completions": card::COMPLETIONS,
        "workflow": card::WORKFLOW,
        "textStatuses": card::TEXT_STATUSES,
        "axes": card::AXES,
        "groups": crate::workspace::GROUPS,
        "textSections": card::TEXT_SECTIONS,
        "schemaVersion": card::SCHEMA_VERSION,
    })
}

/// `{fields, choices, labels: {ar, fr, zgh}, months: {ar, fr, zgh}}`.
pub fn card() -> Json {
    let per_lang = |f: &dyn Fn(Lang) -> Json| {
        Json::Object(
            Lang::ALL
                .iter()
                .map(|l| (l.code().to_string(), f(*l)))
                .collect::<Map<_, _>>(),
        )
    };
    json!({
        "fields": card_fields(),
        "choices": card_choices(),
        "labels": per_lang(&|l| Json::Object(labels::all(l))),
        "months": per_lang(&|l| json!(lang::months(l))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_names_every_field_in_each_language_with_its_choices() {
        let d = card();
        let fields = d["fields"].as_array().unwrap();
        assert_eq!(fields.len(), fields::CARD.len());
        // A choice list is given by its values, not its name.
        let stage = fields.iter().find(|f| f["path"] == "workflow").unwrap();
        assert_eq!(stage["choices"], json!(card::WORKFLOW));
        for l in Lang::ALL {
            let labels = d["labels"][l.code()].as_object().unwrap();
            for f in fields::CARD {
                assert!(
                    labels.contains_key(f.label),
                    "{} lacks {:?}",
                    l.code(),
                    f.label
                );
            }
            assert_eq!(d["months"][l.code()][1], lang::months(l)[1]);
        }
        assert_eq!(d["labels"]["fr"], Json::Object(labels::all(Lang::Fr)));
    }
}
