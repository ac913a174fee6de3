//! The open comments and suggestions of a card in its exports (the "with
//! comments" option): per thread, where it is, the passage it quotes, and
//! every comment with its author; a suggestion with the text it proposes.

use crate::comments::{Placement, Status, Thread, ThreadKind};
use crate::labels::label;
use crate::lang::Lang;

/// A field's name in `lang`: its section, row (by its place in the card
/// `card`, as the exports show rows) and language.
fn field_label(field: &str, lang: Lang, card: &serde_json::Value) -> String {
    let parts: Vec<&str> = field.split('/').collect();
    let mut out = vec![label(parts[0], lang).to_owned()];
    if let Some(row) = parts.iter().find_map(|p| p.parse::<usize>().ok()) {
        let place = card[parts[0]]
            .as_array()
            .and_then(|rows| crate::card::row_order(rows).iter().position(|i| *i == row))
            .unwrap_or(row);
        out.push(format!("{} {}", label("export.row", lang), place + 1));
    }
    if let Some(l) = parts.iter().find(|p| matches!(**p, "ar" | "fr" | "zgh")) {
        out.push(label(&format!("lang.{l}"), lang).to_owned());
    }
    out.join(" — ")
}

fn open(threads: &[(Thread, Placement)]) -> Vec<&(Thread, Placement)> {
    threads
        .iter()
        .filter(|(t, _)| t.status == Status::Open)
        .collect()
}

/// The open threads as a Markdown section (empty if none).
pub fn comments_markdown(
    threads: &[(Thread, Placement)],
    lang: Lang,
    card: &serde_json::Value,
) -> String {
    let open = open(threads);
    if open.is_empty() {
        return String::new();
    }
    let mut out = format!("\n## {}\n", label("comments.title", lang));
    for (t, p) in open {
        out.push_str(&format!("\n### {}\n\n", field_label(&p.field, lang, card)));
        let quote = t.anchor.quote.replace('\n', " ");
        if !quote.is_empty() {
            out.push_str(&format!("> {quote}\n\n"));
        }
        if p.orphaned {
            out.push_str(&format!("*{}*\n\n", label("comments.orphaned", lang)));
        }
        if t.kind == ThreadKind::Suggestion {
            out.push_str(&format!(
                "**{} {}:** {}\n\n",
                label("comments.suggestion", lang),
                t.author.name,
                t.replacement
            ));
        }
        for c in t
            .comments
            .iter()
            .filter(|c| !c.deleted && !c.body.is_empty())
        {
            out.push_str(&format!(
                "- **{}**: {}\n",
                c.author.name,
                c.body.replace('\n', " ")
            ));
        }
    }
    out
}

/// The open threads as an HTML section (empty if none).
pub fn comments_html(
    threads: &[(Thread, Placement)],
    lang: Lang,
    card: &serde_json::Value,
) -> String {
    let open = open(threads);
    if open.is_empty() {
        return String::new();
    }
    let esc = super::html::esc;
    let mut out = format!(
        "<section class=\"comments\"><h2>{}</h2>",
        esc(label("comments.title", lang))
    );
    for (t, p) in open {
        out.push_str(&format!(
            "<article><h3>{}</h3>",
            esc(&field_label(&p.field, lang, card))
        ));
        if !t.anchor.quote.is_empty() {
            out.push_str(&format!(
                "<blockquote dir=\"auto\">{}</blockquote>",
                esc(&t.anchor.quote)
            ));
        }
        if p.orphaned {
            out.push_str(&format!(
                "<p><em>{}</em></p>",
                esc(label("comments.orphaned", lang))
            ));
        }
        if t.kind == ThreadKind::Suggestion {
            out.push_str(&format!(
                "<p><strong>{} {}:</strong> <ins dir=\"auto\">{}</ins></p>",
                esc(label("comments.suggestion", lang)),
                esc(&t.author.name),
                esc(&t.replacement)
            ));
        }
        out.push_str("<ul>");
        for c in t
            .comments
            .iter()
            .filter(|c| !c.deleted && !c.body.is_empty())
        {
            out.push_str(&format!(
                "<li><strong>{}</strong>: <span dir=\"auto\">{}</span></li>",
                esc(&c.author.name),
                esc(&c.body)
            ));
        }
        out.push_str("</ul></article>");
    }
    out.push_str("</section>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comments::{Anchor, Comment, Person};

    fn thread(status: Status, body: &str) -> (Thread, Placement) {
        let who = Person {
            id: "k".into(),
            name: "Karim".into(),
            sector: "other".into(),
        };
        let t = Thread {
            id: "t".into(),
            anchor: Anchor {
                field: "summary/ar".into(),
                quote: "المجتمع المدني".into(),
                ..Anchor::default()
            },
            status,
            author: who.clone(),
            comments: vec![Comment {
                author: who,
                body: body.into(),
                ..Comment::default()
            }],
            ..Thread::default()
        };
        let p = Placement {
            field: "summary/ar".into(),
            start: 0,
            end: 0,
            text: String::new(),
            orphaned: false,
            stale: false,
        };
        (t, p)
    }

    #[test]
    fn only_open_threads_are_exported_with_quote_and_author() {
        let threads = vec![
            thread(Status::Open, "من هي <الجمعيات>؟"),
            thread(Status::Resolved, "closed one"),
        ];
        let md = comments_markdown(&threads, Lang::Fr, &serde_json::Value::Null);
        assert!(md.contains("## Commentaires ouverts"), "{md}");
        assert!(md.contains("> المجتمع المدني"));
        assert!(md.contains("**Karim**: من هي <الجمعيات>؟"));
        assert!(!md.contains("closed one"));
        let html = comments_html(&threads, Lang::Ar, &serde_json::Value::Null);
        assert!(html.contains("&lt;الجمعيات&gt;"), "escaped: {html}");
        assert!(!html.contains("closed one"));
        assert_eq!(
            comments_markdown(&threads[1..], Lang::Ar, &serde_json::Value::Null),
            ""
        );
    }
}

#[cfg(test)]
mod places {
    use super::*;

    /// Day of use: a comment on a moved row was labelled by its list index.
    #[test]
    fn a_row_is_named_by_its_place_not_its_list_index() {
        let card = serde_json::json!({ "activities": [
            { "order": 2048.0 }, { "order": 1024.0 }, { "order": 3072.0 },
        ] });
        assert_eq!(
            field_label("activities/0/title/fr", Lang::Fr, &card),
            format!(
                "{} — {} 2 — Français",
                label("activities", Lang::Fr),
                label("export.row", Lang::Fr)
            )
        );
        assert!(field_label("activities/1/deliverable", Lang::Fr, &card).contains(" 1"));
    }
}
