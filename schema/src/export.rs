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
    Table(Vec<String>, Vec<Vec<String>>),
    Checks(Vec<(bool, String, String)>),
    List(Vec<String>),
}

struct Outline {
    lang: Lang,
    title: String,
    blocks: Vec<Block>,
}

fn multi(m: &Multi, lang: Lang) -> Option<Text> {
    m.best(lang).map(|(l, t)| Text {
        text: t.to_string(),
        from: (l != lang).then_some(l),
    })
}

fn outline(card: &Card, lang: Lang) -> Outline {
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
                    rows.iter()
                        .map(|r| {
                            columns
                                .iter()
                                .map(|c| cell(c.kind, &r[c.key], lang))
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
                .map(|a| format!("{a:.0}"))
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
        title: if card.number.is_empty() {
            title
        } else {
            format!("{} — {title}", card.number)
        },
        blocks: b,
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

/// First strong direction of a text, as `dir="auto"` would pick it.
/// Text written by people, made inert in Markdown: HTML in it shows as
/// text (a renderer would otherwise pass `<script>` or `<img onerror>`
/// through), and `[`/`]` cannot make links.
fn md_text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '[' => o.push_str("\\["),
            ']' => o.push_str("\\]"),
            c => o.push(c),
        }
    }
    o
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

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// The printable page's own styles (inline: the page is a blob the browser
/// opens). Public so that the server's Content-Security-Policy can allow
/// exactly this style by its hash.
pub const PRINT_CSS: &str = "
body{font-family:'Noto Sans Arabic','Noto Sans Tifinagh','Noto Sans',system-ui,sans-serif;margin:2rem auto;max-inline-size:60rem;padding-inline:1rem;line-height:1.6;color:#111}
h1{font-size:1.5rem;border-block-end:2px solid #0a5c36;padding-block-end:.5rem}
h2{font-size:1.1rem;color:#0a5c36;margin-block-start:1.5rem;break-after:avoid}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:bold}dd{margin:0}
table{border-collapse:collapse;inline-size:100%;font-size:.9rem}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:start;vertical-align:top}
tr{break-inside:avoid}.untranslated{font-style:italic;color:#666}.checks{list-style:none;padding-inline-start:0}
p{white-space:pre-wrap}
@media print{body{margin:0}a{color:inherit}}
";

/// The card as a standalone, printable HTML page (the browser prints it to
/// PDF). `stylesheet` is an optional URL linked before the page's own
/// styles: the web app passes its self-hosted font faces.
pub fn html(card: &Card, lang: Lang, stylesheet: Option<&str>) -> String {
    let o = outline(card, lang);
    let untranslated = label("export.untranslated", lang);
    let link = stylesheet
        .map(|h| format!("<link rel=\"stylesheet\" href=\"{}\">", esc(h)))
        .unwrap_or_default();
    let mut out = format!(
        "<!doctype html>\n<html lang=\"{}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n{link}<style>{PRINT_CSS}</style>\n</head>\n<body>\n<article>\n<h1 dir=\"auto\">{}</h1>\n",
        o.lang.tag(),
        o.lang.dir(),
        esc(&o.title),
        esc(&o.title),
    );
    for b in &o.blocks {
        match b {
            Block::Heading(h) => out.push_str(&format!("<h2>{}</h2>\n", esc(h))),
            Block::Para(t) => {
                if let Some(from) = t.from {
                    out.push_str(&format!(
                        "<p class=\"untranslated\">({untranslated}: {})</p>\n<p dir=\"auto\" lang=\"{}\">{}</p>\n",
                        esc(label(&format!("lang.{}", from.code()), lang)),
                        from.tag(),
                        esc(&t.text)
                    ));
                } else {
                    out.push_str(&format!("<p dir=\"auto\">{}</p>\n", esc(&t.text)));
                }
            }
            Block::Fields(fs) => {
                out.push_str("<dl>\n");
                for (k, v) in fs.iter().filter(|(_, v)| !v.is_empty()) {
                    out.push_str(&format!(
                        "<dt>{}</dt><dd><bdi>{}</bdi></dd>\n",
                        esc(k),
                        esc(v)
                    ));
                }
                out.push_str("</dl>\n");
            }
            Block::Table(head, rows) => {
                out.push_str("<table>\n<thead><tr><th>#</th>");
                for h in head {
                    out.push_str(&format!("<th>{}</th>", esc(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for (i, r) in rows.iter().enumerate() {
                    out.push_str(&format!("<tr><td>{}</td>", i + 1));
                    for c in r {
                        out.push_str(&format!("<td dir=\"auto\">{}</td>", esc(c)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Checks(items) => {
                out.push_str("<ul class=\"checks\">\n");
                for (on, name, why) in items {
                    let mark = if *on { "☑" } else { "☐" };
                    out.push_str(&format!("<li>{mark} {}", esc(name)));
                    if !why.is_empty() {
                        out.push_str(&format!(": <bdi>{}</bdi>", esc(why)));
                    }
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    out.push_str(&format!("<li>{}</li>\n", esc(i)));
                }
                out.push_str("</ul>\n");
            }
        }
    }
    out.push_str("</article>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    fn mo0056() -> Card {
        Card::from_json(&demo::cards().remove(0).1).unwrap()
    }

    #[test]
    fn markdown_in_arabic_french_and_amazigh() {
        let card = mo0056();
        let ar = markdown(&card, Lang::Ar);
        assert!(
            ar.starts_with("# \u{2068}MO0056 — إعداد الاستراتيجية الوطنية"),
            "{ar}"
        );
        assert!(ar.contains("## الإشكالية (التحدي)\n\nضعف إشراك المواطنين"));
        assert!(
            ar.contains("- **تاريخ البداية:** \u{2068}1 شتنبر 2024\u{2069}"),
            "{ar}"
        );
        assert!(ar.contains("- [x] الشفافية: "));
        assert!(ar.contains("- [ ] الإدماج\n"));
        assert!(ar.contains("| 3 | \u{2068}إحداث لوحة قيادة مفتوحة"), "{ar}");
        assert!(ar.contains("البطاقة مكتملة"));

        let fr = markdown(&card, Lang::Fr);
        assert!(fr.contains("## Problème (défi)\n\nFaible association des citoyens"));
        assert!(fr.contains("- **Date de fin:** \u{2068}30 juin 2028\u{2069}"));
        assert!(
            fr.contains(
                "| # | Activité | Livrable vérifiable | Début | Fin | Responsable | État |"
            )
        );
        assert!(fr.contains("Reportée"));

        // MO0056 has an Amazigh title but no Amazigh problem statement: the
        // Amazigh export says so and falls back to Arabic.
        let zgh = markdown(&card, Lang::Zgh);
        assert!(zgh.contains("ⴰⵙⵏⵓⴷⵙ ⵏ ⵜⵙⵜⵔⴰⵜⵉⵊⵉⵜ"), "{zgh}");
        assert!(
            zgh.contains("## ⵜⴰⵎⵓⴽⵔⵉⵙⵜ\n\n_(ⵓⵔ ⵉⵜⵜⵓⵙⵓⵖⵍ: ⵜⴰⵄⵔⴰⴱⵜ)_\n\nضعف إشراك"),
            "{zgh}"
        );
        assert!(zgh.contains("1 ⵛⵓⵜⴰⵏⴱⵉⵔ 2024"));
    }

    #[test]
    fn table_cells_cannot_break_the_table() {
        let mut card = mo0056();
        card.activities[0].title = "a | b\nc".into();
        let md = markdown(&card, Lang::Fr);
        assert!(md.contains("| 1 | \u{2068}a \\| b<br>c\u{2069} |"), "{md}");
    }

    #[test]
    fn html_is_a_printable_page_in_the_right_direction() {
        let card = mo0056();
        let ar = html(&card, Lang::Ar, Some("/fonts.css"));
        assert!(ar.starts_with("<!doctype html>\n<html lang=\"ar-MA\" dir=\"rtl\">"));
        assert!(ar.contains("<link rel=\"stylesheet\" href=\"/fonts.css\">"));
        assert!(ar.contains("@media print"));
        assert!(ar.contains("<h2>الأنشطة (المراحل)</h2>"));
        let fr = html(&card, Lang::Fr, None);
        assert!(fr.contains("<html lang=\"fr-MA\" dir=\"ltr\">"));
        assert!(fr.contains(
            "<td dir=\"auto\">Publication du projet de stratégie pour commentaires publics</td>"
        ));
        let zgh = html(&card, Lang::Zgh, None);
        assert!(zgh.contains("<html lang=\"zgh-Tfng-MA\" dir=\"ltr\">"));
        assert!(zgh.contains("<p dir=\"auto\" lang=\"ar-MA\">ضعف إشراك"));
    }

    #[test]
    fn html_escapes_what_people_type() {
        let mut card = mo0056();
        card.lead = "<script>alert('x')</script> & co".into();
        let page = html(&card, Lang::Fr, Some("\"><script>"));
        assert!(!page.contains("<script>"));
        assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
    }

    /// Hardening finding 16: the Markdown export passed raw HTML through.
    #[test]
    fn finding_16_markdown_export_escapes_raw_html() {
        let mut card = mo0056();
        card.lead = "<script>alert(1)</script>".into();
        card.activities[0].title = "<img src=x onerror=alert(1)>".into();
        card.title.fr.text = "[clic](javascript:alert(1)) & <b>".into();
        let md = markdown(&card, Lang::Fr);
        for raw in ["<script>", "<img", "<b>", "[clic](javascript"] {
            assert!(!md.contains(raw), "{raw} passed through:\n{md}");
        }
        assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
        assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"), "{md}");
        assert!(
            md.contains("\\[clic\\](javascript:alert(1)) &amp; &lt;b&gt;"),
            "{md}"
        );
    }

    #[test]
    fn an_incomplete_card_lists_what_is_missing() {
        let card = Card::from_json(&demo::cards().remove(3).1).unwrap();
        let fr = markdown(&card, Lang::Fr);
        assert!(fr.contains("## Ce qui manque à la fiche"));
        assert!(fr.contains("- Aucune activité"));
        assert!(fr.contains("- Aucun indicateur"));
    }
}
