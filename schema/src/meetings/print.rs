//! The minutes as a printable HTML page (the browser prints it to PDF):
//! the Markdown of [`super::minutes`] drawn as headings, lists and
//! paragraphs, every text escaped, in the language's direction.

use super::Meeting;
use crate::export::{PRINT_CSS, esc};
use crate::lang::Lang;

/// Inline `**bold**` (the Markdown's only emphasis), on escaped text.
fn inline(s: &str) -> String {
    let e = esc(s);
    let mut out = String::new();
    for (i, part) in e.split("**").enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<strong>{part}</strong>"));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The minutes of `m` in `lang` as a standalone page; `stylesheet`: an
/// optional URL linked before the page's own styles (the fonts).
pub fn html(m: &Meeting, lang: Lang, stylesheet: Option<&str>) -> String {
    let md = super::minutes::markdown(m, lang);
    let title = md
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('#')
        .trim();
    let link = stylesheet
        .map(|h| format!("<link rel=\"stylesheet\" href=\"{}\">", esc(h)))
        .unwrap_or_default();
    let mut out = format!(
        "<!doctype html>\n<html lang=\"{}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n{link}<style>{PRINT_CSS}</style>\n</head>\n<body>\n<article class=\"minutes\">\n",
        lang.tag(),
        lang.dir(),
        esc(title),
    );
    let mut list: Option<&str> = None;
    let close = |out: &mut String, list: &mut Option<&str>| {
        if let Some(tag) = list.take() {
            out.push_str(&format!("</{tag}>\n"));
        }
    };
    for line in md.lines() {
        let l = line.trim_end();
        let numbered = l
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if let Some(item) = l.strip_prefix("- ") {
            if list != Some("ul") {
                close(&mut out, &mut list);
                out.push_str("<ul>\n");
                list = Some("ul");
            }
            out.push_str(&format!("<li dir=\"auto\">{}</li>\n", inline(item)));
            continue;
        }
        if let (Some((_, item)), false) = (numbered, l.starts_with('#')) {
            if list != Some("ol") {
                close(&mut out, &mut list);
                out.push_str("<ol>\n");
                list = Some("ol");
            }
            out.push_str(&format!("<li dir=\"auto\">{}</li>\n", inline(item)));
            continue;
        }
        close(&mut out, &mut list);
        if l.is_empty() {
            continue;
        }
        let level = l.chars().take_while(|c| *c == '#').count();
        if (1..=3).contains(&level) {
            out.push_str(&format!(
                "<h{level} dir=\"auto\">{}</h{level}>\n",
                inline(l[level..].trim())
            ));
        } else {
            out.push_str(&format!("<p dir=\"auto\">{}</p>\n", inline(l)));
        }
    }
    close(&mut out, &mut list);
    out.push_str("</article>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printable_minutes_are_right_to_left_in_arabic_and_escaped() {
        let mut m = super::super::demo::february_2026();
        m.outcomes.push("<script>alert(1)</script>".into());
        let ar = html(&m, Lang::Ar, Some("/fonts/fonts.css"));
        assert!(ar.contains("<html lang=\"ar-MA\" dir=\"rtl\">"));
        assert!(ar.contains("إكرام حيبي"));
        assert!(ar.contains("&lt;script&gt;"));
        assert!(!ar.contains("<script>"));
        assert!(ar.contains("<link rel=\"stylesheet\" href=\"/fonts/fonts.css\">"));
        let fr = html(&m, Lang::Fr, None);
        assert!(fr.contains("<html lang=\"fr-MA\" dir=\"ltr\">"));
        assert!(fr.contains("<h1 dir=\"auto\">Procès-verbal"));
        // Lists open and close in balance.
        assert_eq!(fr.matches("<ul>").count(), fr.matches("</ul>").count());
        assert_eq!(fr.matches("<ol>").count(), fr.matches("</ol>").count());
    }
}
