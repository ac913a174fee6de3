//! The three languages of Codraft.

use serde::{Deserialize, Serialize};

/// A language of the interface and of a card's texts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Arabic, right to left; the default.
    #[default]
    Ar,
    /// French.
    Fr,
    /// Amazigh in Tifinagh (`zgh-Tfng-MA`).
    Zgh,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ar, Lang::Fr, Lang::Zgh];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Fr => "fr",
            Lang::Zgh => "zgh",
        }
    }

    /// The BCP 47 tag for `lang=` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ar => "ar-MA",
            Lang::Fr => "fr-MA",
            Lang::Zgh => "zgh-Tfng-MA",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::Fr | Lang::Zgh => "ltr",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ar" => Some(Lang::Ar),
            "fr" => Some(Lang::Fr),
            "zgh" => Some(Lang::Zgh),
            _ => None,
        }
    }
}

const MONTHS_AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_ZGH: [&str; 12] = [
    "ⵢⴰⵏⵏⴰⵢⵔ",
    "ⴱⵕⴰⵢⵕ",
    "ⵎⴰⵕⵚ",
    "ⵉⴱⵔⵉⵔ",
    "ⵎⴰⵢⵢⵓ",
    "ⵢⵓⵏⵢⵓ",
    "ⵢⵓⵍⵢⵓⵣ",
    "ⵖⵓⵛⵜ",
    "ⵛⵓⵜⴰⵏⴱⵉⵔ",
    "ⴽⵜⵓⴱⵕ",
    "ⵏⵓⵡⴰⵏⴱⵉⵔ",
    "ⴷⵓⵊⴰⵏⴱⵉⵔ",
];

/// An ISO date (`2026-02-03`) as people write it: `3 فبراير 2026` with the
/// month names of Morocco and digits 0-9, `3 février 2026`, `3 ⴱⵕⴰⵢⵕ 2026`.
/// Anything that is not an ISO date comes back as it is.
pub fn format_date(iso: &str, lang: Lang) -> String {
    if !crate::card::is_date(iso) {
        return iso.to_string();
    }
    let (y, m, d) = (
        &iso[0..4],
        iso[5..7].parse::<usize>().unwrap_or(1),
        iso[8..10].parse::<u32>().unwrap_or(1),
    );
    format!("{d} {} {y}", months(lang)[m - 1])
}

/// The month names of `lang`, January first (as [`format_date`] writes them).
pub fn months(lang: Lang) -> &'static [&'static str; 12] {
    match lang {
        Lang::Ar => &MONTHS_AR,
        Lang::Fr => &MONTHS_FR,
        Lang::Zgh => &MONTHS_ZGH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_use_moroccan_month_names_and_western_digits() {
        assert_eq!(format_date("2026-02-03", Lang::Ar), "3 فبراير 2026");
        assert_eq!(format_date("2026-08-15", Lang::Ar), "15 غشت 2026");
        assert_eq!(format_date("2026-02-03", Lang::Fr), "3 février 2026");
        assert_eq!(format_date("2026-02-03", Lang::Zgh), "3 ⴱⵕⴰⵢⵕ 2026");
        assert_eq!(format_date("soon", Lang::Fr), "soon");
    }
}
