//! The open comments and suggestions of a card in its exports (the "with
//! comments" option): per thread, where it is, the passage it quotes, and
//! every comment with its author; a suggestion with the text it proposes.

use crate::comments::{Placement, Status, Thread, ThreadKind};
use crate::labels::label;
use crate::lang::Lang;

/// A field's name in `lang`: its section, row and language.
fn field_label(field: &str, lang: Lang) -> String {
    let parts: Vec<&str> = field.split('/').collect();
    let mut out = vec![label(parts[0], lang).to_owned()];
    if let Some(row) = parts.iter().find_map(|p| p.parse::<usize>().ok()) {
        out.push(format!("{} {}", label("export.row", lang), row + 1));
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
pub fn comments_markdown(threads: &[(Thread, Placement)], lang: Lang) -> String {
    let open = open(threads);
    if open.is_empty() {
        return String::new();
    }
    let mut out = format!("\n## {}\n", label("comments.title", lang));
    for (t, p) in open {
        out.push_str(&format!("\n### {}\n\n", field_label(&p.field, lang)));
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
pub fn comments_html(threads: &[(Thread, Placement)], lang: Lang) -> String {
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
            esc(&field_label(&p.field, lang))
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
        let md = comments_markdown(&threads, Lang::Fr);
        assert!(md.contains("## Commentaires ouverts"), "{md}");
        assert!(md.contains("> المجتمع المدني"));
        assert!(md.contains("**Karim**: من هي <الجمعيات>؟"));
        assert!(!md.contains("closed one"));
        let html = comments_html(&threads, Lang::Ar);
        assert!(html.contains("&lt;الجمعيات&gt;"), "escaped: {html}");
        assert!(!html.contains("closed one"));
        assert_eq!(comments_markdown(&threads[1..], Lang::Ar), "");
    }
}
