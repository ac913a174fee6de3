//! One change in a line: which fields it touched and how many characters
//! it added and removed.

use std::collections::{BTreeSet, HashMap};

use automerge::legacy::{ObjectId, OpType};
use automerge::{Automerge, ChangeHash, ReadDoc, ScalarValue};
use serde::{Deserialize, Serialize};

use super::{OpKey, exid, field_name, key_of_legacy};

/// What one change did, in the terms a reviewer reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeSummary {
    /// Field names (`summary/fr`, `activities/0/title`, `start`), sorted.
    pub fields: Vec<String>,
    /// Characters inserted into texts.
    pub added: u32,
    /// Characters (or list items) deleted.
    pub removed: u32,
    /// A suggestion applied: the change is its author's (who delivered it
    /// in the audit log), accepted by this person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_by: Option<AcceptedBy>,
}

/// Who accepted a suggestion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AcceptedBy {
    pub id: String,
    pub name: String,
}

impl ChangeSummary {
    /// Adds another summary's counts and fields (an edit session's total).
    pub fn absorb(&mut self, other: &ChangeSummary) {
        self.added += other.added;
        self.removed += other.removed;
        let mut all: BTreeSet<String> = self.fields.drain(..).collect();
        all.extend(other.fields.iter().cloned());
        self.fields = all.into_iter().collect();
    }
}

/// Summarises the change `hash` of `doc` (empty if the document lacks it).
/// Costs the change's size: it decodes that change and looks up the path of
/// each object it touched.
pub fn summarize(doc: &Automerge, hash: &ChangeHash) -> ChangeSummary {
    let Some(change) = doc.get_change_by_hash(hash) else {
        return ChangeSummary::default();
    };
    summarize_change(doc, &change).0
}

/// Summarises `change` against `doc`, which need not hold it yet (a
/// relaying server's document lags): also says whether every object the
/// change touched was found in `doc` (if not, summarise it once the
/// document holds it).
pub fn summarize_change(doc: &Automerge, change: &automerge::Change) -> (ChangeSummary, bool) {
    let mut resolved = true;
    let decoded = change.decode();
    let mut names: HashMap<OpKey, Option<String>> = HashMap::new();
    let mut fields = BTreeSet::new();
    let (mut added, mut removed) = (0u32, 0u32);
    for op in &decoded.operations {
        let name = match &op.obj {
            ObjectId::Root => match &op.key {
                automerge::legacy::Key::Map(k) => Some(k.to_string()),
                _ => None,
            },
            ObjectId::Id(id) => {
                let key = key_of_legacy(id);
                names
                    .entry(key.clone())
                    .or_insert_with(|| {
                        let name = exid(doc, &key).and_then(|o| field_name(doc, &o, None));
                        resolved &= name.is_some();
                        name
                    })
                    .clone()
            }
        };
        let seq = matches!(op.key, automerge::legacy::Key::Seq(_));
        match &op.action {
            OpType::Put(ScalarValue::Str(s)) if seq && op.insert => {
                added += s.chars().count() as u32
            }
            OpType::Delete if seq => removed += op.pred.len().max(1) as u32,
            _ => {}
        }
        if let Some(n) = name.filter(|n| !n.is_empty()) {
            fields.insert(n);
        }
    }
    let summary = ChangeSummary {
        fields: fields.into_iter().collect(),
        added,
        removed,
        accepted_by: None,
    };
    (summary, resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::testing::*;

    #[test]
    fn a_change_names_its_fields_and_counts_characters() {
        let mut s = Script::new();
        let h1 = s.type_text("salma", &["summary", "fr"], "Un portail ouvert");
        let h2 = s.replace("amina", &["summary", "fr"], 3, 7, "guichet");
        let doc = s.doc();
        let one = summarize(doc, &h1);
        assert_eq!(one.fields, vec!["summary/fr".to_string()]);
        assert_eq!((one.added, one.removed), (17, 0));
        let two = summarize(doc, &h2);
        assert_eq!(two.fields, vec!["summary/fr".to_string()]);
        assert_eq!((two.added, two.removed), (7, 7));
        let mut total = one.clone();
        total.absorb(&two);
        assert_eq!((total.added, total.removed, total.fields.len()), (24, 7, 1));
    }

    #[test]
    fn a_change_is_summarised_against_a_document_that_lags() {
        let mut s = Script::new();
        let h1 = s.type_text("salma", &["summary", "fr"], "Un portail");
        let h2 = s.type_text("amina", &["summary", "fr"], " ouvert");
        let doc = s.doc();
        let lagging = doc.fork_at(&[h1]).unwrap();
        let change = doc.get_change_by_hash(&h2).unwrap();
        let (summary, resolved) = summarize_change(&lagging, &change);
        assert!(resolved, "the text exists in the lagging document");
        assert_eq!(summary, summarize(doc, &h2));
        let (_, resolved) = summarize_change(&Automerge::new(), &change);
        assert!(!resolved, "an empty document knows none of its objects");
    }
}
