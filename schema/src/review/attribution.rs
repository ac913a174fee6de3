//! Who wrote the text as it is: each character → the change that inserted
//! it (`hash_for_opid`) → its author (the caller's audit log), and the
//! share of each sector per section — the evidence of co-creation.

use std::collections::BTreeMap;

use automerge::{ActorId, Automerge, ChangeHash, ObjId, ObjType, ReadDoc, ValueRef};
use serde::Serialize;

use super::{field_name, section_of};

/// Finds the change of an operation id, remembering the last change's range
/// of operation counters: characters typed together come from one change,
/// so a run of them costs one lookup.
#[derive(Debug)]
pub struct Attributor<'a> {
    doc: &'a Automerge,
    last: Option<(ActorId, u64, u64, ChangeHash)>,
}

impl<'a> Attributor<'a> {
    pub fn new(doc: &'a Automerge) -> Self {
        Attributor { doc, last: None }
    }

    /// The change that made the operation `id`.
    pub fn change_of(&mut self, id: &ObjId) -> Option<ChangeHash> {
        let ObjId::Id(counter, actor, _) = id else {
            return None;
        };
        if let Some((a, start, end, h)) = &self.last
            && a == actor
            && (*start..=*end).contains(counter)
        {
            return Some(*h);
        }
        let hash = self.doc.hash_for_opid(id)?;
        if let Some(meta) = self.doc.get_change_meta_by_hash(&hash) {
            self.last = Some((actor.clone(), meta.start_op, meta.max_op, hash));
        }
        Some(hash)
    }
}

/// A text value's string (one character of a text object).
pub(crate) fn char_of(v: &ValueRef<'_>) -> String {
    match v {
        ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) => s.to_string(),
        _ => "\u{FFFC}".into(),
    }
}

/// A run of characters by one author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub text: String,
    /// The author, if the audit log knows the change.
    pub by: Option<String>,
}

/// The text object `obj` as it is now, in runs of one author each.
pub fn attribute(
    doc: &Automerge,
    obj: &ObjId,
    who: &dyn Fn(&ChangeHash) -> Option<String>,
) -> Vec<Run> {
    let mut at = Attributor::new(doc);
    let mut runs: Vec<Run> = Vec::new();
    for item in doc.list_range(obj, ..) {
        let by = at.change_of(&item.id()).and_then(|h| who(&h));
        let c = char_of(&item.value);
        match runs.last_mut() {
            Some(r) if r.by == by => r.text.push_str(&c),
            _ => runs.push(Run { text: c, by }),
        }
    }
    runs
}

/// Characters of the current text per section and per author group (the
/// caller maps authors to sectors): `section → group → characters`.
pub type Shares = BTreeMap<String, BTreeMap<String, u64>>;

/// How much of each section's current text each group wrote. Walks every
/// text of the card once.
pub fn shares(doc: &Automerge, group_of: &dyn Fn(&ChangeHash) -> Option<String>) -> Shares {
    let mut out = Shares::new();
    let mut at = Attributor::new(doc);
    let mut stack = vec![ObjId::Root];
    while let Some(obj) = stack.pop() {
        match doc.object_type(&obj) {
            Ok(ObjType::Text) => {
                let Some(name) = field_name(doc, &obj, None) else {
                    continue;
                };
                let section = section_of(&name).to_owned();
                for item in doc.list_range(&obj, ..) {
                    let g = at
                        .change_of(&item.id())
                        .and_then(|h| group_of(&h))
                        .unwrap_or_else(|| "unknown".into());
                    *out.entry(section.clone())
                        .or_default()
                        .entry(g)
                        .or_default() += 1;
                }
            }
            Ok(ObjType::Map) | Ok(ObjType::Table) => {
                for item in doc.map_range(&obj, ..) {
                    if matches!(item.value, ValueRef::Object(_)) {
                        stack.push(item.id());
                    }
                }
            }
            Ok(ObjType::List) => {
                for item in doc.list_range(&obj, ..) {
                    if matches!(item.value, ValueRef::Object(_)) {
                        stack.push(item.id());
                    }
                }
            }
            Err(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Key, resolve};
    use crate::review::testing::Script;

    #[test]
    fn each_character_goes_to_the_person_whose_change_inserted_it() {
        let mut s = Script::new();
        s.type_text("salma", &["problem", "ar"], "abc def");
        s.replace("amina", &["problem", "ar"], 4, 0, "XY ");
        let obj = resolve(
            s.doc(),
            &[
                Key::Map("problem".into()),
                Key::Map("ar".into()),
                Key::Map("text".into()),
            ],
        )
        .unwrap();
        let runs = attribute(s.doc(), &obj, &s.who());
        let flat: Vec<(&str, Option<&str>)> = runs
            .iter()
            .map(|r| (r.text.as_str(), r.by.as_deref()))
            .collect();
        assert_eq!(
            flat,
            vec![
                ("abc ", Some("salma")),
                ("XY ", Some("amina")),
                ("def", Some("salma"))
            ]
        );
        let by_sector = shares(s.doc(), &|h| {
            s.who()(h).map(|u| {
                if u == "amina" {
                    "administration".into()
                } else {
                    "civil_society".into()
                }
            })
        });
        assert_eq!(by_sector["problem"]["civil_society"], 7);
        assert_eq!(by_sector["problem"]["administration"], 3);
    }
}
