//! The names of every field and choice of a card, and the validator's
//! messages, in Arabic, French and Amazigh (Tifinagh). The web app, the
//! exports and the validator all read them from here.
//!
//! The Amazigh strings are a first draft in IRCAM-style Standard Moroccan
//! Amazigh; they want a review by a translator (see the README).

use crate::lang::Lang;

mod table;

use table::{LABELS, Row};

/// The label of `key` in `lang`, or the key itself if there is none.
pub fn label(key: &str, lang: Lang) -> &str {
    let index = INDEX.get_or_init(|| {
        let mut rows: Vec<&'static Row> = LABELS.iter().collect();
        rows.sort_unstable_by_key(|r| r.0);
        rows
    });
    index
        .binary_search_by_key(&key, |r| r.0)
        .map(|i| {
            let r = index[i];
            match lang {
                Lang::Ar => r.1,
                Lang::Fr => r.2,
                Lang::Zgh => r.3,
            }
        })
        .unwrap_or(key)
}

/// The rows sorted by key, for binary search (made once).
static INDEX: std::sync::OnceLock<Vec<&'static Row>> = std::sync::OnceLock::new();

/// Every label in `lang`, for the web app.
pub fn all(lang: Lang) -> serde_json::Map<String, serde_json::Value> {
    LABELS
        .iter()
        .map(|r| (r.0.to_string(), label(r.0, lang).into()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_exists_in_every_language_and_keys_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for r in LABELS {
            assert!(seen.insert(r.0), "duplicate label {}", r.0);
            assert!(
                !r.1.is_empty() && !r.2.is_empty() && !r.3.is_empty(),
                "{}",
                r.0
            );
            // Amazigh labels are in Tifinagh (U+2D30..U+2D7F), Latin only for acronyms.
            assert!(
                r.3.chars().any(|c| ('\u{2D30}'..='\u{2D7F}').contains(&c)) || r.3.starts_with('{'),
                "{} has no Tifinagh",
                r.0
            );
            assert!(
                r.1.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) || r.1.starts_with('{'),
                "{}",
                r.0
            );
        }
    }

    #[test]
    fn every_choice_has_a_label() {
        use crate::card::*;
        let keys = VALUES
            .iter()
            .map(|v| format!("value.{v}"))
            .chain(ACTOR_KINDS.iter().map(|v| format!("kind.{v}")))
            .chain(ACTIVITY_STATUSES.iter().map(|v| format!("astatus.{v}")))
            .chain(INDICATOR_KINDS.iter().map(|v| format!("ikind.{v}")))
            .chain(DECISIONS.iter().map(|v| format!("decision.{v}")))
            .chain(COMPLETIONS.iter().map(|v| format!("completion.{v}")))
            .chain(WORKFLOW.iter().map(|v| format!("workflow.{v}")))
            .chain(TEXT_STATUSES.iter().map(|v| format!("status.{v}")))
            .chain(AXES.iter().map(|v| format!("axis.{v}")))
            .chain(
                crate::workspace::GROUPS
                    .iter()
                    .map(|v| format!("group.{v}")),
            )
            .chain(TEXT_SECTIONS.iter().map(|v| v.to_string()));
        for k in keys {
            assert!(LABELS.iter().any(|r| r.0 == k), "no label for {k}");
        }
    }
}
