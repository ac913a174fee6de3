//! Unit tests of the parent module.

use super::*;
use crate::demo;

fn mo0056() -> Card {
    Card::from_json(&demo::cards().remove(0).1).unwrap()
}

#[test]
fn markdown_in_arabic_french_and_amazigh() {
    let card = mo0056();
    let ar = markdown(&card, Lang::Ar, None);
    assert!(
        ar.starts_with("# \u{2068}MO0056\u{2069} — إعداد الاستراتيجية الوطنية"),
        "{ar}"
    );
    assert!(ar.contains("## الإشكالية (التحدي)\n\nضعف إشراك المواطنين"));
    assert!(ar.contains("- **تاريخ البداية:** 1 شتنبر 2024\n"), "{ar}");
    assert!(ar.contains("- [x] الشفافية: "));
    assert!(ar.contains("- [ ] الإدماج\n"));
    assert!(ar.contains("| 3 | إحداث لوحة قيادة مفتوحة"), "{ar}");
    assert!(ar.contains("البطاقة مكتملة"));

    let fr = markdown(&card, Lang::Fr, None);
    assert!(fr.contains("## Problème (défi)\n\nFaible association des citoyens"));
    assert!(fr.contains("- **Date de fin:** 30 juin 2028\n"));
    assert!(
        fr.contains("| # | Activité | Livrable vérifiable | Début | Fin | Responsable | État |")
    );
    assert!(fr.contains("Reportée"));

    // MO0056 has an Amazigh title but no Amazigh problem statement: the
    // Amazigh export says so and falls back to Arabic.
    let zgh = markdown(&card, Lang::Zgh, None);
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
    card.activities[0].title = crate::card::Multi::from_plain("a | b\nc");
    let md = markdown(&card, Lang::Fr, None);
    assert!(md.contains("| 1 | a \\| b<br>c |"), "{md}");
}

#[test]
fn html_is_a_printable_page_in_the_right_direction() {
    let card = mo0056();
    let ar = html(&card, Lang::Ar, Some("/fonts.css"), None);
    assert!(ar.starts_with("<!doctype html>\n<html lang=\"ar-MA\" dir=\"rtl\">"));
    assert!(ar.contains("<link rel=\"stylesheet\" href=\"/fonts.css\">"));
    assert!(ar.contains("@media print"));
    assert!(ar.contains("<h2>الأنشطة (المراحل)</h2>"));
    let fr = html(&card, Lang::Fr, None, None);
    assert!(fr.contains("<html lang=\"fr-MA\" dir=\"ltr\">"));
    assert!(fr.contains(
        "<td dir=\"auto\">Publication du projet de stratégie pour commentaires publics</td>"
    ));
    let zgh = html(&card, Lang::Zgh, None, None);
    assert!(zgh.contains("<html lang=\"zgh-Tfng-MA\" dir=\"ltr\">"));
    assert!(zgh.contains("<p dir=\"auto\" lang=\"ar-MA\">ضعف إشراك"));
}

#[test]
fn html_escapes_what_people_type() {
    let mut card = mo0056();
    card.lead = "<script>alert('x')</script> & co".into();
    let page = html(&card, Lang::Fr, Some("\"><script>"), None);
    assert!(!page.contains("<script>"));
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
}

/// Hardening finding 16: the Markdown export passed raw HTML through.
#[test]
fn finding_16_markdown_export_escapes_raw_html() {
    let mut card = mo0056();
    card.lead = "<script>alert(1)</script>".into();
    card.activities[0].title = crate::card::Multi::from_plain("<img src=x onerror=alert(1)>");
    card.title.fr.text = "[clic](javascript:alert(1)) & <b>".into();
    let md = markdown(&card, Lang::Fr, None);
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
    let fr = markdown(&card, Lang::Fr, None);
    assert!(fr.contains("## Ce qui manque à la fiche"));
    assert!(fr.contains("- Aucune activité"));
    assert!(fr.contains("- Aucun indicateur"));
}

/// Day of use: the Markdown carried 65 invisible direction marks per file,
/// copied along with every value. Only a value whose direction is not the
/// page's is isolated now.
#[test]
fn markdown_isolates_only_what_runs_the_other_way() {
    let card = mo0056();
    let fr = markdown(&card, Lang::Fr, None);
    let ar = markdown(&card, Lang::Ar, None);
    for (page, md, rtl) in [("fr", &fr, false), ("ar", &ar, true)] {
        let marks = md.matches('\u{2068}').count();
        assert_eq!(marks, md.matches('\u{2069}').count(), "{page}: balanced");
        let isolated: Vec<&str> = md
            .split('\u{2068}')
            .skip(1)
            .filter_map(|s| s.split('\u{2069}').next())
            .collect();
        for v in &isolated {
            assert_eq!(
                super::markdown::first_strong_rtl(v),
                Some(!rtl),
                "{page}: {v:?} runs the page's way and needs no isolate"
            );
        }
    }
    // The dates, the choices, the page's own words: no marks.
    assert!(!ar.contains("\u{2068}1 شتنبر"));
    // The Arabic ministry's name in the French page is isolated; the
    // French dates are not.
    assert!(
        fr.contains("\u{2068}وزارة") || fr.contains("\u{2068}ال"),
        "{fr}"
    );
    assert!(!fr.contains("\u{2068}30 juin"));
}

#[test]
fn the_budget_reads_in_dirhams_grouped_as_each_language_writes_it() {
    assert_eq!(
        amount(2_500_000.0, Lang::Fr),
        "2\u{202F}500\u{202F}000\u{00A0}MAD"
    );
    assert_eq!(amount(2_500_000.0, Lang::Ar), "2.500.000\u{00A0}درهم");
    assert_eq!(amount(950.0, Lang::Zgh), "950\u{00A0}ⴷⵔⵀⵎ");
    let fr = markdown(&mo0056(), Lang::Fr, None);
    assert!(fr.contains("2\u{202F}500\u{202F}000\u{00A0}MAD"), "{fr}");
    assert!(!fr.contains("2500000"));
}

#[test]
fn exports_say_when_they_were_made_which_version_and_number_their_pages() {
    let card = mo0056();
    let heads = [automerge::ChangeHash([0xab; 32])];
    let imprint = Imprint::at("2026-12-01", &heads);
    assert_eq!(imprint.version, "abababab");
    let fr = markdown(&card, Lang::Fr, Some(&imprint));
    assert!(
        fr.contains("_Exporté le 1 décembre 2026 · version abababab_"),
        "{fr}"
    );
    let ar = html(&card, Lang::Ar, None, Some(&imprint));
    assert!(
        ar.contains("<p class=\"imprint\">صُدّر في 1 دجنبر 2026 · النسخة abababab</p>"),
        "{ar}"
    );
    assert!(PRINT_CSS.contains("counter(page)") && PRINT_CSS.contains("counter(pages)"));
    // The number comes first, isolated, in the page's direction.
    assert!(ar.contains("<h1><bdi>MO0056</bdi> — <bdi>إعداد"), "{ar}");
}
