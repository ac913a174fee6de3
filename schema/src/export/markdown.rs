//! The card as Markdown (GitHub-flavoured: tables and checkboxes), with
//! people's text made inert.

use super::*;

/// Text written by people, made inert in Markdown: HTML in it shows as
/// text (a renderer would otherwise pass `<script>` or `<img onerror>`
/// through), and `[`/`]` cannot make links.
fn md_text(s: &str) -> String {
    escape(
        s,
        &[
            ('&', "&amp;"),
            ('<', "&lt;"),
            ('>', "&gt;"),
            ('[', "\\["),
            (']', "\\]"),
        ],
    )
}

fn isolate_md(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("\u{2068}{}\u{2069}", md_text(s))
    }
}

fn md_cell(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let cell = md_text(s).replace('|', "\\|").replace('\n', "<br>");
    format!("\u{2068}{cell}\u{2069}")
}

/// The card as Markdown (GitHub-flavoured: tables and checkboxes).
pub fn markdown(card: &Card, lang: Lang) -> String {
    let o = outline(card, lang);
    let untranslated = label("export.untranslated", lang);
    let mut out = format!("# {}\n", isolate_md(&o.title));
    for b in &o.blocks {
        out.push('\n');
        match b {
            Block::Heading(h) => out.push_str(&format!("## {h}\n")),
            Block::Para(t) => {
                if let Some(from) = t.from {
                    out.push_str(&format!(
                        "_({untranslated}: {})_\n\n",
                        label(&format!("lang.{}", from.code()), lang)
                    ));
                }
                out.push_str(&md_text(&t.text));
                out.push('\n');
            }
            Block::Fields(fs) => {
                for (k, v) in fs.iter().filter(|(_, v)| !v.is_empty()) {
                    out.push_str(&format!("- **{k}:** {}\n", isolate_md(v)));
                }
            }
            Block::Table(head, rows) => {
                out.push_str(&format!("| # | {} |\n", head.join(" | ")));
                out.push_str(&format!("|---|{}\n", "---|".repeat(head.len())));
                for (i, r) in rows.iter().enumerate() {
                    let cells: Vec<String> = r.iter().map(|c| md_cell(c)).collect();
                    out.push_str(&format!("| {} | {} |\n", i + 1, cells.join(" | ")));
                }
            }
            Block::Checks(items) => {
                for (on, name, why) in items {
                    let mark = if *on { "x" } else { " " };
                    if why.is_empty() {
                        out.push_str(&format!("- [{mark}] {name}\n"));
                    } else {
                        out.push_str(&format!("- [{mark}] {name}: {}\n", isolate_md(why)));
                    }
                }
            }
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {}\n", md_text(i)));
                }
            }
        }
    }
    out
}
