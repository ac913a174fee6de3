//! The commitment card: the OGP commitment template as Morocco's action
//! plans use it (see `shared/domain.md`), as one Automerge document.
//!
//! The document is plain JSON-shaped data: maps, lists, text, numbers and
//! booleans. Every string is collaborative Automerge text (see [`crate::edit`]),
//! so two people typing in the same field merge character by character.
//! These types read that JSON; every field has a default so that a card
//! being drafted (or written by an older or newer app) always reads.

use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};

use crate::lang::Lang;

/// The version of the card and workspace documents this code writes.
pub const SCHEMA_VERSION: u32 = 1;

/// OGP values; the first three are the core ones (a card needs one).
pub const VALUES: [&str; 5] = [
    "transparency",
    "participation",
    "accountability",
    "technology",
    "inclusion",
];
pub const CORE_VALUES: [&str; 3] = ["transparency", "participation", "accountability"];
pub const ACTOR_KINDS: [&str; 7] = [
    "government",
    "civil_society",
    "academic",
    "private",
    "multilateral",
    "parliament",
    "local_government",
];
pub const ACTIVITY_STATUSES: [&str; 4] = ["not_started", "in_progress", "done", "delayed"];
pub const INDICATOR_KINDS: [&str; 2] = ["quantitative", "qualitative"];
pub const DECISIONS: [&str; 6] = [
    "keep",
    "modify",
    "add_activities",
    "remove_activities",
    "new",
    "drop",
];
pub const COMPLETIONS: [&str; 4] = ["not_started", "limited", "substantial", "complete"];
pub const WORKFLOW: [&str; 5] = ["draft", "group_review", "validated", "adopted", "published"];
pub const TEXT_STATUSES: [&str; 2] = ["draft", "validated"];
/// The plan's five axes.
pub const AXES: [&str; 5] = [
    "transparency_participation",
    "civic_space",
    "equal_access",
    "open_justice",
    "open_territories",
];
/// The multilingual long-text sections, in card order.
pub const TEXT_SECTIONS: [&str; 8] = [
    "title",
    "summary",
    "problem",
    "causes",
    "baseline",
    "solution",
    "results",
    "contribution",
];

/// One language's version of a text, with its own status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LangText {
    pub text: String,
    /// `draft` or `validated`.
    pub status: String,
}

/// A free text drafted in Arabic and French, optionally Amazigh.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Multi {
    pub ar: LangText,
    pub fr: LangText,
    pub zgh: LangText,
}

impl Multi {
    pub fn get(&self, lang: Lang) -> &LangText {
        match lang {
            Lang::Ar => &self.ar,
            Lang::Fr => &self.fr,
            Lang::Zgh => &self.zgh,
        }
    }

    /// The text in `lang` if there is one, else in the first language that
    /// has one (with that language), else `None`.
    pub fn best(&self, lang: Lang) -> Option<(Lang, &str)> {
        std::iter::once(lang)
            .chain(Lang::ALL)
            .map(|l| (l, self.get(l).text.trim()))
            .find(|(_, t)| !t.is_empty())
    }

    /// A text written before rows were multilingual: it goes into the
    /// language its script shows (Arabic letters: Arabic; Tifinagh:
    /// Amazigh; anything else: French).
    pub fn from_plain(s: &str) -> Self {
        let mut m = Multi::default();
        let lang = match s.chars().find(|c| c.is_alphabetic()).map(|c| c as u32) {
            Some(0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFEFF) => Lang::Ar,
            Some(0x2D30..=0x2D7F) => Lang::Zgh,
            _ => Lang::Fr,
        };
        let t = match lang {
            Lang::Ar => &mut m.ar,
            Lang::Fr => &mut m.fr,
            Lang::Zgh => &mut m.zgh,
        };
        t.text = s.to_owned();
        t.status = "draft".into();
        m
    }

    /// A cell as the card's JSON has it: the three languages, or a plain
    /// text from before rows were multilingual.
    pub fn of_json(v: &Json) -> Self {
        match v {
            Json::String(s) => Multi::from_plain(s),
            v => serde_json::from_value(v.clone()).unwrap_or_default(),
        }
    }

    /// An empty text in each language, as a new row holds.
    pub fn blank() -> Json {
        json!({ "ar": { "text": "", "status": "draft" }, "fr": { "text": "", "status": "draft" },
                "zgh": { "text": "", "status": "draft" } })
    }
}

/// A row's multilingual cell: the three languages, or (a card from before
/// rows were multilingual) one plain text, read by [`Multi::from_plain`].
fn multi_or_plain<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Multi, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Plain(String),
        Multi(Multi),
    }
    Ok(match Option::<Either>::deserialize(d)? {
        Some(Either::Plain(s)) => Multi::from_plain(&s),
        Some(Either::Multi(m)) => m,
        None => Multi::default(),
    })
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Actor {
    /// Where the row is shown ([`row_order`]); none: by its list index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<f64>,
    pub organisation: String,
    pub kind: String,
    pub role: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Activity {
    /// Where the row is shown ([`row_order`]); none: by its list index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<f64>,
    #[serde(deserialize_with = "multi_or_plain")]
    pub title: Multi,
    #[serde(deserialize_with = "multi_or_plain")]
    pub deliverable: Multi,
    pub start: String,
    pub end: String,
    pub responsible: String,
    pub status: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Indicator {
    /// Where the row is shown ([`row_order`]); none: by its list index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<f64>,
    #[serde(deserialize_with = "multi_or_plain")]
    pub label: Multi,
    pub kind: String,
    pub unit: String,
    pub baseline: String,
    pub target: String,
    pub verification: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ValueTick {
    pub on: bool,
    pub why: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Budget {
    /// Moroccan dirhams.
    pub amount: Option<f64>,
    pub source: String,
    pub funded: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    pub name: String,
    pub title: String,
    pub department: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Contacts {
    pub government: Contact,
    pub civil_society: Contact,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Revision {
    pub decision: String,
    pub rationale: Multi,
    pub meeting: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Assessment {
    pub completion: String,
    pub percent: Option<f64>,
    pub narrative: String,
    pub evidence: String,
}

/// A commitment card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Card {
    pub schema: u32,
    pub kind: String,
    /// OGP id, e.g. `MO0056`, once assigned.
    pub number: String,
    pub axis: String,
    pub group: String,
    pub title: Multi,
    pub summary: Multi,
    pub lead: String,
    pub actors: Vec<Actor>,
    pub start: String,
    pub end: String,
    pub problem: Multi,
    pub causes: Multi,
    pub baseline: Multi,
    pub solution: Multi,
    pub results: Multi,
    pub contribution: Multi,
    pub values: std::collections::BTreeMap<String, ValueTick>,
    pub activities: Vec<Activity>,
    pub indicators: Vec<Indicator>,
    pub budget: Budget,
    pub sdgs: String,
    pub contacts: Contacts,
    pub proposals: String,
    pub revision: Revision,
    pub assessment: Assessment,
    pub workflow: String,
}

impl Card {
    /// Reads a card from the JSON of its document.
    pub fn from_json(v: &Json) -> Result<Card, serde_json::Error> {
        serde_json::from_value(v.clone())
    }

    /// A multilingual section by name (one of [`TEXT_SECTIONS`]).
    pub fn section(&self, name: &str) -> Option<&Multi> {
        Some(match name {
            "title" => &self.title,
            "summary" => &self.summary,
            "problem" => &self.problem,
            "causes" => &self.causes,
            "baseline" => &self.baseline,
            "solution" => &self.solution,
            "results" => &self.results,
            "contribution" => &self.contribution,
            _ => return None,
        })
    }
}

fn multi() -> Json {
    let t = json!({ "text": "", "status": "draft" });
    json!({ "ar": t, "fr": t, "zgh": t })
}

/// A multilingual text with the given Arabic and French versions.
pub fn multi_with(ar: &str, fr: &str, zgh: &str) -> Json {
    let t = |s: &str| json!({ "text": s, "status": "draft" });
    json!({ "ar": t(ar), "fr": t(fr), "zgh": t(zgh) })
}

fn contact() -> Json {
    json!({ "name": "", "title": "", "department": "", "email": "", "phone": "" })
}

/// A blank activity row.
/// The gap between the order keys of rows added one after another.
pub const ORDER_STEP: f64 = 1024.0;

/// A table's rows in the order people see them: by their `order` key (a
/// number; a row without one sits where its list index puts it, as
/// `index × ORDER_STEP`), then by list index. Moving a row changes its
/// key, never its content: words typed into a row while it moves stay.
pub fn row_order(rows: &[Json]) -> Vec<usize> {
    let key = |i: usize| {
        rows[i]
            .get("order")
            .and_then(Json::as_f64)
            .unwrap_or(i as f64 * ORDER_STEP)
    };
    let mut idx: Vec<usize> = (0..rows.len()).collect();
    idx.sort_by(|a, b| {
        key(*a)
            .partial_cmp(&key(*b))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    idx
}

pub fn blank_activity() -> Json {
    json!({ "title": Multi::blank(), "deliverable": Multi::blank(), "start": "", "end": "",
            "responsible": "", "status": "not_started", "evidence": "" })
}

/// A blank indicator row.
pub fn blank_indicator(kind: &str) -> Json {
    json!({ "label": Multi::blank(), "kind": kind, "unit": "", "baseline": "", "target": "",
            "verification": "" })
}

/// A blank supporting actor row.
pub fn blank_actor() -> Json {
    json!({ "organisation": "", "kind": "civil_society", "role": "" })
}

/// The JSON of a new, empty card in a thematic group: every field present,
/// so editors only ever put into existing places.
pub fn blank_card(group: &str) -> Json {
    let mut values = serde_json::Map::new();
    for v in VALUES {
        values.insert(v.into(), json!({ "on": false, "why": "" }));
    }
    let mut card = json!({
        "schema": SCHEMA_VERSION,
        "kind": "card",
        "number": "",
        "axis": "",
        "group": group,
        "lead": "",
        "actors": [],
        "start": "",
        "end": "",
        "values": values,
        "activities": [],
        "indicators": [],
        "budget": { "amount": null, "source": "", "funded": false },
        "sdgs": "",
        "contacts": { "government": contact(), "civilSociety": contact() },
        "proposals": "",
        "revision": { "decision": "", "rationale": multi(), "meeting": "" },
        "assessment": { "completion": "not_started", "percent": null, "narrative": "", "evidence": "" },
        "workflow": "draft",
    });
    for s in TEXT_SECTIONS {
        card[s] = multi();
    }
    card
}

/// Dates are ISO `YYYY-MM-DD` text (what `<input type="date">` gives).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_card_reads_back_with_every_field() {
        let card = Card::from_json(&blank_card("open_justice")).unwrap();
        assert_eq!(card.schema, SCHEMA_VERSION);
        assert_eq!(card.group, "open_justice");
        assert_eq!(card.values.len(), VALUES.len());
        assert_eq!(card.title.ar.status, "draft");
        assert_eq!(card.workflow, "draft");
    }

    #[test]
    fn a_partial_card_still_reads() {
        let card = Card::from_json(&json!({ "title": { "fr": { "text": "Justice" } } })).unwrap();
        assert_eq!(card.title.fr.text, "Justice");
        assert_eq!(card.title.best(Lang::Ar), Some((Lang::Fr, "Justice")));
        assert!(card.activities.is_empty());
    }

    #[test]
    fn dates() {
        assert!(is_date("2026-02-03"));
        assert!(!is_date("2026-13-03"));
        assert!(!is_date("03/02/2026"));
        assert!(!is_date(""));
    }
}
