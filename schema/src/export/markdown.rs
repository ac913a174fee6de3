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

/// A value in a line of the page's language: wrapped in a first-strong
/// isolate (U+2068…U+2069) only where its direction is not the page's,
/// which is where the bidi algorithm would otherwise reorder it with its
/// label; elsewhere no invisible marks to be copied along.
fn isolate_md(s: &str, lang: Lang) -> String {
    isolate(md_text(s), lang)
}

fn isolate(s: String, lang: Lang) -> String {
    if s.is_empty() || first_strong_rtl(&s).is_none_or(|rtl| rtl == (lang.dir() == "rtl")) {
        s
    } else {
        format!("\u{2068}{s}\u{2069}")
    }
}

/// Whether the first letter with a direction reads right to left (`None`:
/// no such letter, as in a number).
pub(super) fn first_strong_rtl(s: &str) -> Option<bool> {
    s.chars().find_map(|c| {
        let rtl = matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF);
        (rtl || c.is_alphabetic()).then_some(rtl)
    })
}

fn md_cell(s: &str, lang: Lang) -> String {
    isolate(md_text(s).replace('|', "\\|").replace('\n', "<br>"), lang)
}

/// The card as Markdown (GitHub-flavoured: tables and checkboxes).
pub fn markdown(card: &Card, lang: Lang, imprint: Option<&Imprint>) -> String {
    let o = outline(card, lang, imprint);
    let untranslated = label("export.untranslated", lang);
    let title = if o.number.is_empty() {
        isolate_md(&o.title, lang)
    } else {
        format!(
            "{} — {}",
            isolate_md(&o.number, lang),
            isolate_md(&o.title, lang)
        )
    };
    let mut out = format!("# {title}\n");
    if let Some(line) = &o.imprint {
        out.push_str(&format!("\n_{}_\n", md_text(line)));
    }
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
                    out.push_str(&format!("- **{k}:** {}\n", isolate_md(v, lang)));
                }
            }
            Block::Table(head, rows) => {
                out.push_str(&format!("| # | {} |\n", head.join(" | ")));
                out.push_str(&format!("|---|{}\n", "---|".repeat(head.len())));
                for (i, r) in rows.iter().enumerate() {
                    let cells: Vec<String> = r
                        .iter()
                        .map(|c| match c.from {
                            Some(from) => format!(
                                "_({untranslated}: {})_ {}",
                                label(&format!("lang.{}", from.code()), lang),
                                md_cell(&c.text, lang)
                            ),
                            None => md_cell(&c.text, lang),
                        })
                        .collect();
                    out.push_str(&format!("| {} | {} |\n", i + 1, cells.join(" | ")));
                }
            }
            Block::Checks(items) => {
                for (on, name, why) in items {
                    let mark = if *on { "x" } else { " " };
                    if why.is_empty() {
                        out.push_str(&format!("- [{mark}] {name}\n"));
                    } else {
                        out.push_str(&format!("- [{mark}] {name}: {}\n", isolate_md(why, lang)));
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
