//! The evidence of co-creation in the exports: per section, the share of
//! the current text each sector wrote (what the OGP Independent Reporting
//! Mechanism asks: how did civil society shape the commitment?).

use crate::labels::label;
use crate::lang::Lang;
use crate::review::attribution::Shares;

const SECTORS: [&str; 4] = ["administration", "civil_society", "academia", "other"];

/// Rows: section label, then the percentage of each sector.
fn rows(shares: &Shares, lang: Lang) -> Vec<(String, Vec<String>)> {
    let order = |s: &str| {
        crate::fields::CARD
            .iter()
            .position(|f| f.path.split('/').next() == Some(s))
            .unwrap_or(usize::MAX)
    };
    let mut sections: Vec<&String> = shares.keys().collect();
    sections.sort_by_key(|s| order(s));
    sections
        .into_iter()
        .filter_map(|section| {
            let m = &shares[section];
            let total: u64 = m.values().sum();
            if total == 0 {
                return None;
            }
            let cells = SECTORS
                .iter()
                .map(|sector| {
                    let n = m.get(*sector).copied().unwrap_or(0)
                        + if *sector == "other" {
                            m.get("unknown").copied().unwrap_or(0)
                        } else {
                            0
                        };
                    format!("{}%", (n * 100 + total / 2) / total)
                })
                .collect();
            Some((label(section, lang).to_owned(), cells))
        })
        .collect()
}

fn header(lang: Lang) -> Vec<String> {
    std::iter::once(label("shares.section", lang).to_owned())
        .chain(
            SECTORS
                .iter()
                .map(|s| label(&format!("sector.{s}"), lang).to_owned()),
        )
        .collect()
}

/// The shares as a Markdown section (empty if there is no text).
pub fn shares_markdown(shares: &Shares, lang: Lang) -> String {
    let rows = rows(shares, lang);
    if rows.is_empty() {
        return String::new();
    }
    let h = header(lang);
    let mut out = format!(
        "\n## {}\n\n| {} |\n|{}\n",
        label("shares.title", lang),
        h.join(" | "),
        "---|".repeat(h.len())
    );
    for (section, cells) in rows {
        out.push_str(&format!("| {section} | {} |\n", cells.join(" | ")));
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The shares as an HTML section (empty if there is no text).
pub fn shares_html(shares: &Shares, lang: Lang) -> String {
    let rows = rows(shares, lang);
    if rows.is_empty() {
        return String::new();
    }
    let th: String = header(lang)
        .iter()
        .map(|h| format!("<th>{}</th>", esc(h)))
        .collect();
    let body: String = rows
        .iter()
        .map(|(s, cells)| {
            let tds: String = cells
                .iter()
                .map(|c| format!("<td><bdi>{c}</bdi></td>"))
                .collect();
            format!("<tr><th>{}</th>{tds}</tr>", esc(s))
        })
        .collect();
    format!(
        "<section class=\"shares\"><h2>{}</h2><table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></section>",
        esc(label("shares.title", lang))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_percentages_per_section_in_the_page_language() {
        let mut s = Shares::new();
        s.entry("problem".into())
            .or_default()
            .insert("civil_society".into(), 30);
        s.entry("problem".into())
            .or_default()
            .insert("administration".into(), 10);
        let md = shares_markdown(&s, Lang::Fr);
        assert!(md.contains("Preuve de co-création"), "{md}");
        assert!(md.contains("| 25% | 75% | 0% | 0% |"), "{md}");
        let html = shares_html(&s, Lang::Ar);
        assert!(
            html.contains("المجتمع المدني") && html.contains("75%"),
            "{html}"
        );
        assert!(shares_markdown(&Shares::new(), Lang::Fr).is_empty());
    }
}
