//! What a card still needs before it is complete.
//!
//! [`validate`] lists [`Issue`]s, each with a stable `code`, the `field` it
//! is about (a JSON path, so the editor can point at it), and a message in
//! each language ([`Issue::message`]). Required items block completeness;
//! recommended ones (supporting actors, the OGP number before it is
//! assigned) are shown but do not.

use serde::Serialize;

use crate::card::*;
use crate::labels::label;
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Required,
    Recommended,
}

/// One thing missing or wrong in a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Stable identifier, e.g. `activity_missing`.
    pub code: &'static str,
    /// JSON path of the field, `/`-separated (`activities/2/end`).
    pub field: String,
    pub severity: Severity,
    /// Label key of the field the message names.
    label: String,
    /// 1-based row number for activities and indicators.
    n: Option<usize>,
    lang: Option<Lang>,
}

impl Issue {
    fn new(code: &'static str, field: impl Into<String>, label: impl Into<String>) -> Self {
        Issue {
            code,
            field: field.into(),
            severity: Severity::Required,
            label: label.into(),
            n: None,
            lang: None,
        }
    }

    fn row(mut self, i: usize) -> Self {
        self.n = Some(i + 1);
        self
    }

    fn recommended(mut self) -> Self {
        self.severity = Severity::Recommended;
        self
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let mut m = label(&format!("issue.{}", self.code), lang).to_string();
        m = m.replace("{field}", label(&self.label, lang));
        if let Some(n) = self.n {
            m = m.replace("{n}", &n.to_string());
        }
        if let Some(l) = self.lang {
            m = m.replace("{lang}", label(&format!("lang.{}", l.code()), lang));
        }
        m
    }
}

/// Everything a card lacks, in card order.
pub fn validate(card: &Card) -> Vec<Issue> {
    let mut out = Vec::new();
    if card.schema > SCHEMA_VERSION {
        out.push(Issue::new("newer_schema", "schema", "card"));
    }
    if card.number.trim().is_empty() {
        out.push(Issue::new("missing_number", "number", "number").recommended());
    }
    for (field, value, choices) in [
        ("axis", &card.axis, &AXES[..]),
        ("group", &card.group, &crate::workspace::GROUPS[..]),
    ] {
        if value.trim().is_empty() {
            out.push(Issue::new("missing", field, field));
        } else if !choices.contains(&value.as_str()) {
            out.push(Issue::new("unknown_choice", field, field));
        }
    }
    multilingual(&mut out, "title", &card.title);
    multilingual(&mut out, "summary", &card.summary);
    if card.lead.trim().is_empty() {
        out.push(Issue::new("missing", "lead", "lead"));
    }
    if card.actors.iter().all(|a| a.organisation.trim().is_empty()) {
        out.push(Issue::new("no_actor", "actors", "actors").recommended());
    }
    dates(&mut out, "", &card.start, &card.end, None);
    for s in ["problem", "causes", "solution", "results", "contribution"] {
        multilingual(&mut out, s, card.section(s).expect("a section"));
    }
    let ticked = |v: &str| card.values.get(v).is_some_and(|t| t.on);
    if !CORE_VALUES.iter().any(|v| ticked(v)) {
        out.push(Issue::new("no_core_value", "values", "values"));
    }
    for v in VALUES {
        if ticked(v) && card.values[v].why.trim().is_empty() {
            out.push(Issue::new(
                "value_without_justification",
                format!("values/{v}/why"),
                format!("value.{v}"),
            ));
        }
    }
    activities(&mut out, card);
    indicators(&mut out, card);
    for (who, c) in [
        ("government", &card.contacts.government),
        ("civilSociety", &card.contacts.civil_society),
    ] {
        let label = format!("contacts.{who}");
        if c.name.trim().is_empty() || c.email.trim().is_empty() {
            out.push(Issue::new(
                "contact_missing",
                format!("contacts/{who}"),
                label,
            ));
        } else if !is_email(c.email.trim()) {
            out.push(Issue::new(
                "bad_email",
                format!("contacts/{who}/email"),
                label,
            ));
        }
    }
    let d = card.revision.decision.trim();
    if d.is_empty() {
        out.push(Issue::new(
            "no_decision",
            "revision/decision",
            "revision.decision",
        ));
    } else if !DECISIONS.contains(&d) {
        out.push(Issue::new(
            "unknown_choice",
            "revision/decision",
            "revision.decision",
        ));
    } else if d != "keep" {
        multilingual(&mut out, "revision/rationale", &card.revision.rationale);
    }
    out
}

/// Whether nothing required is missing.
pub fn is_complete(issues: &[Issue]) -> bool {
    issues.iter().all(|i| i.severity != Severity::Required)
}

fn multilingual(out: &mut Vec<Issue>, field: &str, m: &Multi) {
    let label = field.replace('/', ".");
    for lang in [Lang::Ar, Lang::Fr] {
        if m.get(lang).text.trim().is_empty() {
            let mut i = Issue::new("missing_text", format!("{field}/{}", lang.code()), &label);
            i.lang = Some(lang);
            out.push(i);
        }
    }
}

fn dates(out: &mut Vec<Issue>, prefix: &str, start: &str, end: &str, row: Option<usize>) {
    let (missing, bad, order, label) = match row {
        None => ("missing", "bad_date", "end_before_start", ""),
        Some(_) => (
            "activity_missing",
            "activity_bad_date",
            "activity_end_before_start",
            "activity.",
        ),
    };
    let with_row = |i: Issue| match row {
        Some(r) => i.row(r),
        None => i,
    };
    for (name, v) in [("start", start), ("end", end)] {
        let (field, label) = (format!("{prefix}{name}"), format!("{label}{name}"));
        if v.trim().is_empty() {
            out.push(with_row(Issue::new(missing, field, label)));
        } else if !is_date(v.trim()) {
            out.push(with_row(Issue::new(bad, field, label)));
        }
    }
    if is_date(start) && is_date(end) && end < start {
        out.push(with_row(Issue::new(order, format!("{prefix}end"), "end")));
    }
}

fn activities(out: &mut Vec<Issue>, card: &Card) {
    if card.activities.is_empty() {
        out.push(Issue::new("no_activity", "activities", "activities"));
    }
    for (i, a) in card.activities.iter().enumerate() {
        let at = |f: &str| format!("activities/{i}/{f}");
        for (f, v) in [("title", &a.title), ("deliverable", &a.deliverable)] {
            if v.trim().is_empty() {
                out.push(Issue::new("activity_missing", at(f), format!("activity.{f}")).row(i));
            }
        }
        dates(out, &format!("activities/{i}/"), &a.start, &a.end, Some(i));
        let within = |d: &str| {
            !is_date(d)
                || ((!is_date(&card.start) || d >= card.start.as_str())
                    && (!is_date(&card.end) || d <= card.end.as_str()))
        };
        let outside = !within(&a.start) || !within(&a.end);
        if outside {
            out.push(Issue::new("activity_outside", at("end"), "activity").row(i));
        }
        if a.responsible.trim().is_empty() {
            out.push(
                Issue::new(
                    "activity_missing",
                    at("responsible"),
                    "activity.responsible",
                )
                .row(i),
            );
        }
        if !a.status.is_empty() && !ACTIVITY_STATUSES.contains(&a.status.as_str()) {
            out.push(Issue::new("unknown_choice", at("status"), "activity.status").row(i));
        }
    }
}

fn indicators(out: &mut Vec<Issue>, card: &Card) {
    if card.indicators.is_empty() {
        out.push(Issue::new("no_indicator", "indicators", "indicators"));
    } else if !card.indicators.iter().any(|x| x.kind == "qualitative") {
        out.push(Issue::new(
            "no_qualitative_indicator",
            "indicators",
            "indicators",
        ));
    }
    for (i, x) in card.indicators.iter().enumerate() {
        for (f, v) in [
            ("label", &x.label),
            ("target", &x.target),
            ("verification", &x.verification),
        ] {
            if v.trim().is_empty() {
                out.push(
                    Issue::new(
                        "indicator_missing",
                        format!("indicators/{i}/{f}"),
                        format!("indicator.{f}"),
                    )
                    .row(i),
                );
            }
        }
        if !INDICATOR_KINDS.contains(&x.kind.as_str()) {
            out.push(
                Issue::new(
                    "unknown_choice",
                    format!("indicators/{i}/kind"),
                    "indicator.kind",
                )
                .row(i),
            );
        }
    }
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
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
}
