//! What a card still needs before it is complete.
//!
//! [`validate`] lists [`Issue`]s, each with a stable `code`, the `field` it
//! is about (a JSON path, so the editor can point at it), and a message in
//! each language ([`Issue::message`]). Required items block completeness;
//! recommended ones (supporting actors, the OGP number before it is
//! assigned) are shown but do not.

use serde::Serialize;

use crate::card::*;
use crate::fields::{CARD, Column, Kind, Need, choices};
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

/// Everything a card lacks, in card order: the required fields and
/// columns of [`crate::fields::CARD`], and the rules that tie fields
/// together (dates in order, a core value, a qualitative indicator, the
/// two contacts, a rationale for any decision but "keep").
pub fn validate(card: &Card) -> Vec<Issue> {
    let mut out = Vec::new();
    if card.schema > SCHEMA_VERSION {
        out.push(Issue::new("newer_schema", "schema", "card"));
    }
    let json = serde_json::to_value(card).unwrap_or_default();
    let at = |path: &str| -> String {
        json.pointer(&format!("/{path}"))
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    for f in CARD {
        match (f.kind, f.need) {
            (Kind::Text { .. }, Need::Required) if at(f.path).is_empty() => {
                out.push(Issue::new("missing", f.path, f.label));
            }
            (Kind::Text { .. }, Need::Recommended) if at(f.path).is_empty() => {
                let code: &'static str = match f.path {
                    "number" => "missing_number",
                    _ => "missing",
                };
                out.push(Issue::new(code, f.path, f.label).recommended());
            }
            (
                Kind::Choice {
                    choices: c,
                    radio: false,
                    ..
                },
                Need::Required,
            ) => {
                let value = at(f.path);
                if value.is_empty() {
                    out.push(Issue::new("missing", f.path, f.label));
                } else if !choices(c).contains(&value.as_str()) {
                    out.push(Issue::new("unknown_choice", f.path, f.label));
                }
            }
            (Kind::Choice { radio: true, .. }, Need::Required) => decision(&mut out, card),
            (Kind::Multilingual { .. }, Need::Required) => {
                multilingual(&mut out, f.path, &multi_at(&json, f.path));
            }
            (Kind::Date, Need::Required) if f.path == "start" => {
                dates(&mut out, "", &card.start, &card.end, None);
            }
            (Kind::Values, Need::Required) => values(&mut out, card),
            (Kind::Table { columns, row, .. }, need) => {
                table(&mut out, f.path, row, columns, &json, need, card);
            }
            _ => {}
        }
    }
    contacts(&mut out, card);
    out
}

/// A multilingual text read from the card's JSON.
fn multi_at(json: &serde_json::Value, path: &str) -> Multi {
    json.pointer(&format!("/{path}"))
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

fn values(out: &mut Vec<Issue>, card: &Card) {
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
}

/// A table's rules: rows present, each row's required columns, choices.
fn table(
    out: &mut Vec<Issue>,
    list: &str,
    row: &str,
    columns: &[Column],
    json: &serde_json::Value,
    need: Need,
    card: &Card,
) {
    let rows = json[list].as_array().cloned().unwrap_or_default();
    match list {
        "actors" => {
            let named =
                |r: &serde_json::Value| !r["organisation"].as_str().unwrap_or("").trim().is_empty();
            if !rows.iter().any(named) && need != Need::Optional {
                out.push(Issue::new("no_actor", "actors", "actors").recommended());
            }
            return;
        }
        "activities" if rows.is_empty() => out.push(Issue::new("no_activity", list, list)),
        "indicators" if rows.is_empty() => out.push(Issue::new("no_indicator", list, list)),
        "indicators" if !card.indicators.iter().any(|x| x.kind == "qualitative") => {
            out.push(Issue::new("no_qualitative_indicator", list, list));
        }
        _ => {}
    }
    let (missing, untranslated): (&'static str, &'static str) = match row {
        "activity" => ("activity_missing", "activity_untranslated"),
        _ => ("indicator_missing", "indicator_untranslated"),
    };
    // Paths name the list index (where the row is in the document); the
    // row number people read is its place on screen.
    let order = crate::card::row_order(&rows);
    let mut place = vec![0; rows.len()];
    for (pos, i) in order.iter().enumerate() {
        place[*i] = pos;
    }
    for (i, r) in rows.iter().enumerate() {
        let shown = place[i];
        let value = |k: &str| r[k].as_str().unwrap_or("").trim().to_owned();
        for c in columns {
            let field = format!("{list}/{i}/{}", c.key);
            match c.kind {
                Kind::Text { .. } if c.need == Need::Required && value(c.key).is_empty() => {
                    out.push(Issue::new(missing, field, c.label).row(shown));
                }
                Kind::Multilingual { .. } => {
                    let m = crate::card::Multi::of_json(&r[c.key]);
                    if m.best(Lang::Ar).is_none() {
                        if c.need == Need::Required {
                            out.push(Issue::new(missing, field, c.label).row(shown));
                        }
                        continue;
                    }
                    // Written, but not in every language of the plan.
                    for lang in [Lang::Ar, Lang::Fr] {
                        if m.get(lang).text.trim().is_empty() {
                            let mut issue = Issue::new(
                                untranslated,
                                format!("{field}/{}", lang.code()),
                                c.label,
                            )
                            .row(shown)
                            .recommended();
                            issue.lang = Some(lang);
                            out.push(issue);
                        }
                    }
                }
                Kind::Choice { choices: ch, .. } => {
                    let v = value(c.key);
                    let empty_ok = c.need != Need::Required;
                    let fine = choices(ch).contains(&v.as_str()) || (v.is_empty() && empty_ok);
                    if !fine {
                        out.push(Issue::new("unknown_choice", field, c.label).row(shown));
                    }
                }
                _ => {}
            }
        }
        if list == "activities" {
            activity_dates(out, card, i, shown);
        }
    }
}

fn activity_dates(out: &mut Vec<Issue>, card: &Card, i: usize, shown: usize) {
    let a = &card.activities[i];
    dates(
        out,
        &format!("activities/{i}/"),
        &a.start,
        &a.end,
        Some(shown),
    );
    let within = |d: &str| {
        !is_date(d)
            || ((!is_date(&card.start) || d >= card.start.as_str())
                && (!is_date(&card.end) || d <= card.end.as_str()))
    };
    if !within(&a.start) || !within(&a.end) {
        out.push(
            Issue::new(
                "activity_outside",
                format!("activities/{i}/end"),
                "activity",
            )
            .row(shown),
        );
    }
}

/// Each side's contact needs a name and a valid email (a rule on the
/// group, not on one field).
fn contacts(out: &mut Vec<Issue>, card: &Card) {
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
}

fn decision(out: &mut Vec<Issue>, card: &Card) {
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
        multilingual(out, "revision/rationale", &card.revision.rationale);
    }
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
mod tests;
