//! What each person wants by e-mail: for each kind of notification, at
//! once, in a daily digest, or not at all; and the language of their
//! e-mails. Stored as JSON in the directory; everything has a default, so
//! a person who never chose gets e-mails at once, in Arabic.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::inbox::NoteKind;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    #[default]
    Immediate,
    Digest,
    Off,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Prefs {
    /// `ar`, `fr` or `zgh`.
    pub lang: Option<String>,
    /// Per kind of notification (`mentioned`, `replied`, …); a kind not
    /// listed is sent at once.
    pub email: BTreeMap<String, Delivery>,
}

impl Prefs {
    pub fn from_json(s: Option<&str>) -> Prefs {
        s.and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }

    pub fn delivery(&self, kind: NoteKind) -> Delivery {
        let key = serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.email.get(&key).copied().unwrap_or_default()
    }

    pub fn lang(&self) -> codraft_schema::Lang {
        self.lang
            .as_deref()
            .and_then(codraft_schema::Lang::parse)
            .unwrap_or(codraft_schema::Lang::Ar)
    }
}

/// When the next daily digest goes: 08:00 in Morocco (07:00 UTC) after
/// `now_ms`.
pub fn next_digest_ms(now_ms: i64) -> i64 {
    const DAY: i64 = 24 * 3600 * 1000;
    const AT: i64 = 7 * 3600 * 1000;
    let today = now_ms - now_ms.rem_euclid(DAY) + AT;
    if today > now_ms { today } else { today + DAY }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_not_chosen_is_sent_at_once_in_arabic() {
        let p = Prefs::from_json(Some(
            r#"{"email": {"replied": "digest", "mentioned": "off"}}"#,
        ));
        assert_eq!(p.delivery(NoteKind::Replied), Delivery::Digest);
        assert_eq!(p.delivery(NoteKind::Mentioned), Delivery::Off);
        assert_eq!(p.delivery(NoteKind::Invited), Delivery::Immediate);
        assert_eq!(p.lang(), codraft_schema::Lang::Ar);
        assert_eq!(Prefs::from_json(Some("not json")), Prefs::default());
    }

    #[test]
    fn the_digest_goes_at_eight_in_morocco() {
        let day = 24 * 3600 * 1000;
        let seven = 7 * 3600 * 1000;
        assert_eq!(next_digest_ms(10 * day), 10 * day + seven);
        assert_eq!(next_digest_ms(10 * day + seven), 11 * day + seven);
        assert_eq!(next_digest_ms(10 * day + seven + 1), 11 * day + seven);
    }
}
