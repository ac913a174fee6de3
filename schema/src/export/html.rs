//! The card as a printable HTML page, every text escaped.

use super::*;

pub(crate) fn esc(s: &str) -> String {
    escape(
        s,
        &[
            ('&', "&amp;"),
            ('<', "&lt;"),
            ('>', "&gt;"),
            ('"', "&quot;"),
            ('\'', "&#39;"),
        ],
    )
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
.imprint{color:#555;font-size:.85rem}
@page{margin:1.5cm;@bottom-center{content:counter(page) \" / \" counter(pages);font-size:9pt;color:#555}}
@media print{body{margin:0}a{color:inherit}}
";

/// The card as a standalone, printable HTML page (the browser prints it to
/// PDF). `stylesheet` is an optional URL linked before the page's own
/// styles: the web app passes its self-hosted font faces.
pub fn html(
    card: &Card,
    lang: Lang,
    stylesheet: Option<&str>,
    imprint: Option<&Imprint>,
) -> String {
    let o = outline(card, lang, imprint);
    let untranslated = label("export.untranslated", lang);
    let link = stylesheet
        .map(|h| format!("<link rel=\"stylesheet\" href=\"{}\">", esc(h)))
        .unwrap_or_default();
    let mut out = format!(
        "<!doctype html>\n<html lang=\"{}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n{link}<style>{PRINT_CSS}</style>\n</head>\n<body>\n<article>\n<h1>{}</h1>\n",
        o.lang.tag(),
        o.lang.dir(),
        esc(&if o.number.is_empty() {
            o.title.clone()
        } else {
            format!("{} — {}", o.number, o.title)
        }),
        if o.number.is_empty() {
            format!("<bdi>{}</bdi>", esc(&o.title))
        } else {
            format!(
                "<bdi>{}</bdi> — <bdi>{}</bdi>",
                esc(&o.number),
                esc(&o.title)
            )
        },
    );
    if let Some(line) = &o.imprint {
        out.push_str(&format!("<p class=\"imprint\">{}</p>\n", esc(line)));
    }
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
                        match c.from {
                            Some(from) => out.push_str(&format!(
                                "<td><span class=\"untranslated\">({untranslated}: {})</span> <span dir=\"auto\" lang=\"{}\">{}</span></td>",
                                esc(label(&format!("lang.{}", from.code()), lang)),
                                from.tag(),
                                esc(&c.text)
                            )),
                            None => out.push_str(&format!("<td dir=\"auto\">{}</td>", esc(&c.text))),
                        }
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
