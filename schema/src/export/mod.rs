//! A card as Markdown and as a printable HTML page, in one language.
//!
//! Both are rendered from one outline ([`outline`]) so they always hold the
//! same content. Texts missing in the chosen language fall back to another
//! language, marked "not translated". Inline values are bidi-isolated
//! (U+2068/U+2069 in Markdown, `<bdi>` in HTML) so a French organisation
//! name in an Arabic table keeps its order; paragraphs take `dir="auto"`.

use crate::card::{Card, Multi, VALUES};
use crate::fields::{CARD, Kind, Panel};
use crate::labels::label;
use crate::lang::{Lang, format_date};
use crate::validate::{Severity, validate};

mod html;
pub use html::*;

mod markdown;
pub use markdown::*;

mod shares;
pub use shares::*;

mod comments;
pub use comments::*;

/// A run of text and the language it is in (when it is not the page's).
#[derive(Debug, Clone, PartialEq)]
struct Text {
    text: String,
    /// Set when the text is a fallback from another language.
    from: Option<Lang>,
}

impl Text {
    fn plain(s: impl Into<String>) -> Self {
        Text {
            text: s.into(),
            from: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading(String),
    Para(Text),
    Fields(Vec<(String, String)>),
    Table(Vec<String>, Vec<Vec<Text>>),
    Checks(Vec<(bool, String, String)>),
    List(Vec<String>),
}

struct Outline {
    lang: Lang,
    /// The card's number, shown first and isolated from the title.
    number: String,
    title: String,
    blocks: Vec<Block>,
    /// "Exported on … · version …", when the caller says.
    imprint: Option<String>,
}

/// What an export says of itself: the day it was made (ISO) and the
/// version of the card it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imprint {
    pub date: String,
    pub version: String,
}

impl Imprint {
    /// `version`: the document's heads, shortened.
    pub fn at(date: impl Into<String>, heads: &[automerge::ChangeHash]) -> Self {
        Imprint {
            date: date.into(),
            version: version_of(heads),
        }
    }

    fn line(&self, lang: Lang) -> String {
        label("export.imprint", lang)
            .replace("{date}", &format_date(&self.date, lang))
            .replace("{version}", &self.version)
    }
}

/// A version as people can quote it: the first 8 hex digits of each head.
pub fn version_of(heads: &[automerge::ChangeHash]) -> String {
    let mut v: Vec<String> = heads
        .iter()
        .map(|h| h.to_string()[..8].to_owned())
        .collect();
    v.sort();
    v.join("+")
}

/// An amount of dirhams as the language writes it: digits grouped by
/// thousands (`2 500 000 MAD`, `2.500.000 درهم`).
pub fn amount(n: f64, lang: Lang) -> String {
    let digits = format!("{:.0}", n.abs());
    let sep = if lang == Lang::Ar { '.' } else { '\u{202F}' };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    let sign = if n < 0.0 { "-" } else { "" };
    format!("{sign}{grouped}\u{00A0}{}", label("budget.currency", lang))
}

fn multi(m: &Multi, lang: Lang) -> Option<Text> {
    m.best(lang).map(|(l, t)| Text {
        text: t.to_string(),
        from: (l != lang).then_some(l),
    })
}

fn outline(card: &Card, lang: Lang, imprint: Option<&Imprint>) -> Outline {
    let l = |k: &str| label(k, lang).to_string();
    let choice = |prefix: &str, v: &str| {
        if v.is_empty() {
            String::new()
        } else {
            label(&format!("{prefix}.{v}"), lang).to_string()
        }
    };
    let date = |d: &str| format_date(d, lang);
    let title = multi(&card.title, lang).map(|t| t.text).unwrap_or_default();
    let json = serde_json::to_value(card).unwrap_or_default();
    let mut b = Vec::new();
    // The general fields, the sections and the tables as fields::CARD
    // declares them; the follow-up blocks below have their own shapes.
    b.push(Block::Fields(
        CARD.iter()
            .filter(|f| f.panel == Panel::General && f.export)
            .filter(|f| !matches!(f.kind, Kind::Multilingual { .. } | Kind::Table { .. }))
            .map(|f| (l(f.label), cell(f.kind, &json[f.path], lang)))
            .collect(),
    ));
    for f in CARD.iter().filter(|f| f.export && f.group.is_none()) {
        match f.kind {
            Kind::Multilingual { .. } if f.path != "title" => {
                if let Some(t) = multi(card.section(f.path).expect("a section"), lang) {
                    b.push(Block::Heading(l(f.label)));
                    b.push(Block::Para(t));
                }
            }
            Kind::Values => {
                b.push(Block::Heading(l("values")));
                b.push(Block::Checks(
                    VALUES
                        .iter()
                        .map(|v| {
                            let t = card.values.get(*v).cloned().unwrap_or_default();
                            (t.on, choice("value", v), t.why)
                        })
                        .collect(),
                ));
            }
            Kind::Table { columns, .. } => {
                let rows = json[f.path].as_array().cloned().unwrap_or_default();
                // A table nobody filled is left out only if optional.
                if rows.is_empty() && f.need == crate::fields::Need::Recommended {
                    continue;
                }
                let columns: Vec<_> = columns.iter().filter(|c| c.export).collect();
                b.push(Block::Heading(l(f.label)));
                b.push(Block::Table(
                    columns.iter().map(|c| l(c.label)).collect(),
                    crate::card::row_order(&rows)
                        .into_iter()
                        .map(|i| &rows[i])
                        .map(|r| {
                            columns
                                .iter()
                                .map(|c| row_cell(c.kind, &r[c.key], lang))
                                .collect()
                        })
                        .collect(),
                ));
            }
            _ => {}
        }
    }
    b.push(Block::Heading(l("budget")));
    b.push(Block::Fields(vec![
        (
            l("budget.amount"),
            card.budget
                .amount
                .map(|a| amount(a, lang))
                .unwrap_or_default(),
        ),
        (l("budget.source"), card.budget.source.clone()),
        (
            l("budget.funded"),
            l(if card.budget.funded {
                "export.yes"
            } else {
                "export.no"
            }),
        ),
        (l("sdgs"), card.sdgs.clone()),
        (l("proposals"), card.proposals.clone()),
    ]));
    b.push(Block::Heading(l("contacts")));
    for (k, c) in [
        ("contacts.government", &card.contacts.government),
        ("contacts.civilSociety", &card.contacts.civil_society),
    ] {
        b.push(Block::Fields(vec![
            (l(k), c.name.clone()),
            (l("contact.title"), c.title.clone()),
            (l("contact.department"), c.department.clone()),
            (l("contact.email"), c.email.clone()),
            (l("contact.phone"), c.phone.clone()),
        ]));
    }
    b.push(Block::Heading(l("revision")));
    b.push(Block::Fields(vec![
        (
            l("revision.decision"),
            choice("decision", &card.revision.decision),
        ),
        (l("revision.meeting"), date(&card.revision.meeting)),
    ]));
    if let Some(t) = multi(&card.revision.rationale, lang) {
        b.push(Block::Para(t));
    }
    let issues: Vec<String> = validate(card)
        .iter()
        .filter(|i| i.severity == Severity::Required)
        .map(|i| i.message(lang))
        .collect();
    if issues.is_empty() {
        b.push(Block::Para(Text::plain(l("export.complete"))));
    } else {
        b.push(Block::Heading(l("export.incomplete")));
        b.push(Block::List(issues));
    }
    Outline {
        lang,
        number: card.number.clone(),
        title,
        blocks: b,
        imprint: imprint.map(|i| i.line(lang)),
    }
}

/// `s` with each character of `table` replaced by its text.
fn escape(s: &str, table: &[(char, &str)]) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match table.iter().find(|(k, _)| *k == c) {
            Some((_, with)) => o.push_str(with),
            None => o.push(c),
        }
    }
    o
}

/// A table cell as the exports print it: a multilingual one in the
/// page's language, or marked as a fallback; others as [`cell`] does.
fn row_cell(kind: Kind, v: &serde_json::Value, lang: Lang) -> Text {
    match kind {
        Kind::Multilingual { .. } => match Multi::of_json(v).best(lang) {
            Some((l, t)) => Text {
                text: t.to_owned(),
                from: (l != lang).then_some(l),
            },
            None => Text::plain(""),
        },
        _ => Text::plain(cell(kind, v, lang)),
    }
}

/// A field's value as the exports print it: dates in the language's form,
/// choices by their label, numbers without decimals.
fn cell(kind: Kind, v: &serde_json::Value, lang: Lang) -> String {
    let text = v.as_str().unwrap_or("");
    match kind {
        Kind::Date => format_date(text, lang),
        Kind::Choice { labels, .. } if !text.is_empty() => {
            label(&format!("{labels}.{text}"), lang).to_string()
        }
        Kind::Number => v.as_f64().map(|n| format!("{n:.0}")).unwrap_or_default(),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests;
