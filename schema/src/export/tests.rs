//! Unit tests of the parent module.

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
        fr.contains("| # | Activité | Livrable vérifiable | Début | Fin | Responsable | État |")
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
