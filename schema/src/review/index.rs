//! An index of every character each text ever held, so that a difference
//! costs what the difference holds, not what the history holds.
//!
//! Automerge reads a text *as it was* by walking every operation the text
//! ever had (deleted characters included), so a field edited for 200,000
//! changes is slow to read as of yesterday. This index keeps, per text,
//! every element in document order — deleted ones too — with the change
//! that inserted it and the changes that deleted it. The text as it was at
//! a point whose difference from now is the change set `S` is then: the
//! characters visible now that no change of `S` inserted, and the
//! characters a change of `S` deleted that no change of `S` inserted and
//! no change outside `S` deleted — placed by their order in the index.
//!
//! The order is Automerge's (RGA): an element goes right after the one it
//! was typed after, past any elements there with a greater operation id.
//! It is kept in chunks of at most [`CHUNK`] elements, so an insertion
//! costs a lookup and a short copy. The index is built once from the
//! document's changes and brought up to date with the changes since
//! ([`TextIndex::update`]); a property test holds it to Automerge's own
//! historical reads.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use automerge::legacy::{ElementId, Key as LegacyKey, ObjectId, OpType};
use automerge::{ActorId, Automerge, ChangeHash, ObjType, ScalarValue};

use super::{OpKey, key_of_legacy};

/// Elements per chunk before it splits.
pub const CHUNK: usize = 256;

#[derive(Debug, Clone)]
struct Elem {
    id: OpKey,
    /// The character, `None` for elements that are not characters (marks).
    ch: Option<String>,
    /// The change that inserted it (index into `TextIndex::changes`).
    by: u32,
    /// The changes that deleted it.
    deleted: Vec<u32>,
}

/// Automerge's order of operation ids: counter, then actor.
fn cmp_id(a: &OpKey, b: &OpKey) -> Ordering {
    a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1))
}

#[derive(Debug, Default, Clone)]
struct Seq {
    /// Chunk ids in document order.
    order: Vec<u32>,
    /// Chunk id → its place in `order`.
    rank: Vec<u32>,
    chunks: Vec<Vec<Elem>>,
    /// Element → its chunk.
    at: HashMap<OpKey, u32>,
}

impl Seq {
    fn position(&self, id: &OpKey) -> Option<(u32, u32)> {
        let c = *self.at.get(id)?;
        let off = self.chunks[c as usize].iter().position(|e| e.id == *id)?;
        Some((self.rank[c as usize], off as u32))
    }

    fn get(&self, id: &OpKey) -> Option<&Elem> {
        let c = *self.at.get(id)?;
        self.chunks[c as usize].iter().find(|e| e.id == *id)
    }

    fn get_mut(&mut self, id: &OpKey) -> Option<&mut Elem> {
        let c = *self.at.get(id)?;
        self.chunks[c as usize].iter_mut().find(|e| e.id == *id)
    }

    /// Inserts `e` after `after` (`None`: at the start), past the elements
    /// there with a greater id. `false` if `after` is unknown.
    fn insert(&mut self, after: Option<&OpKey>, e: Elem) -> bool {
        let (mut r, mut off) = match after {
            None => (0usize, 0usize),
            Some(a) => match self.position(a) {
                Some((r, o)) => (r as usize, o as usize + 1),
                None => return false,
            },
        };
        loop {
            while r < self.order.len() && off >= self.chunks[self.order[r] as usize].len() {
                r += 1;
                off = 0;
            }
            if r == self.order.len() {
                break;
            }
            let next = &self.chunks[self.order[r] as usize][off];
            if cmp_id(&next.id, &e.id) == Ordering::Greater {
                off += 1;
            } else {
                break;
            }
        }
        if self.order.is_empty() {
            self.chunks.push(Vec::new());
            self.order.push(0);
            self.rank.push(0);
        }
        if r == self.order.len() {
            r -= 1;
            off = self.chunks[self.order[r] as usize].len();
        }
        let c = self.order[r];
        self.at.insert(e.id.clone(), c);
        self.chunks[c as usize].insert(off, e);
        if self.chunks[c as usize].len() > CHUNK {
            self.split(r);
        }
        true
    }

    fn split(&mut self, r: usize) {
        let c = self.order[r] as usize;
        let half = self.chunks[c].len() / 2;
        let moved = self.chunks[c].split_off(half);
        let n = self.chunks.len() as u32;
        for e in &moved {
            self.at.insert(e.id.clone(), n);
        }
        self.chunks.push(moved);
        self.order.insert(r + 1, n);
        self.rank.push(0);
        for (i, id) in self.order.iter().enumerate() {
            self.rank[*id as usize] = i as u32;
        }
    }
}

/// Every text's elements, as of `heads`.
#[derive(Debug, Default, Clone)]
pub struct TextIndex {
    heads: Vec<ChangeHash>,
    changes: Vec<ChangeHash>,
    change_no: HashMap<ChangeHash, u32>,
    texts: HashMap<OpKey, Seq>,
    /// Each change's deletions in texts: `(text, element)`.
    deletions: HashMap<u32, Vec<(OpKey, OpKey)>>,
}

/// The characters of a text at a point, and now, in one order: what the
/// difference between them is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// Every character visible at either point, in document order.
    pub chars: Vec<MergedChar>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedChar {
    pub ch: String,
    pub before: bool,
    pub after: bool,
    pub inserted_by: ChangeHash,
    /// The change of the set that deleted it, if one did.
    pub deleted_by: Option<ChangeHash>,
}

impl TextIndex {
    /// The index of every text of `doc`, from its whole history.
    pub fn build(doc: &Automerge) -> Self {
        let mut ix = TextIndex::default();
        ix.update(doc);
        ix
    }

    /// The heads the index is at.
    pub fn heads(&self) -> &[ChangeHash] {
        &self.heads
    }

    /// Takes in the changes of `doc` since the index's heads.
    pub fn update(&mut self, doc: &Automerge) {
        let now = doc.get_heads();
        if now == self.heads {
            return;
        }
        for c in doc.get_changes(&self.heads) {
            let hash = c.hash();
            if self.change_no.contains_key(&hash) {
                continue;
            }
            let no = self.changes.len() as u32;
            self.changes.push(hash);
            self.change_no.insert(hash, no);
            let actor: ActorId = c.actor_id().clone();
            let start = c.start_op().get();
            for (i, op) in c.decode().operations.into_iter().enumerate() {
                let id: OpKey = (start + i as u64, actor.clone());
                if let OpType::Make(ObjType::Text) = op.action {
                    self.texts.insert(id.clone(), Seq::default());
                }
                let ObjectId::Id(obj) = &op.obj else { continue };
                let Some(seq) = self.texts.get_mut(&key_of_legacy(obj)) else {
                    continue;
                };
                match (&op.action, op.insert) {
                    (OpType::Delete, _) => {
                        for p in op.pred.iter() {
                            let elem = key_of_legacy(p);
                            if let Some(e) = seq.get_mut(&elem) {
                                e.deleted.push(no);
                                self.deletions
                                    .entry(no)
                                    .or_default()
                                    .push((key_of_legacy(obj), elem));
                            }
                        }
                    }
                    (action, true) => {
                        let after = match &op.key {
                            LegacyKey::Seq(ElementId::Id(a)) => Some(key_of_legacy(a)),
                            _ => None,
                        };
                        let ch = match action {
                            OpType::Put(ScalarValue::Str(s)) => Some(s.to_string()),
                            _ => None,
                        };
                        let e = Elem {
                            id: id.clone(),
                            ch,
                            by: no,
                            deleted: Vec::new(),
                        };
                        seq.insert(after.as_ref(), e);
                    }
                    _ => {}
                }
            }
        }
        self.heads = now;
    }

    /// Does the index know this text (`obj` as `counter@actor`)?
    pub fn has_text(&self, obj: &OpKey) -> bool {
        self.texts.contains_key(obj)
    }

    /// The text `obj` now (`present`: its visible elements in order, as the
    /// document lists them) and at the point `S` away from now (`set`: the
    /// changes between that point and now), merged in document order.
    /// `None` if the index does not know the text or an element.
    pub fn merged(
        &self,
        obj: &OpKey,
        present: &[OpKey],
        set: &HashSet<ChangeHash>,
    ) -> Option<Merged> {
        let seq = self.texts.get(obj)?;
        let in_set = |no: u32| set.contains(&self.changes[no as usize]);
        let mut items: Vec<((u32, u32), &Elem, bool)> = Vec::with_capacity(present.len());
        let mut seen: HashSet<&OpKey> = HashSet::with_capacity(present.len());
        for id in present {
            let e = seq.get(id)?;
            seen.insert(&e.id);
            items.push((seq.position(id)?, e, true));
        }
        // Characters the set deleted: candidates for the earlier text.
        for h in set {
            let Some(no) = self.change_no.get(h) else {
                continue;
            };
            for (o, id) in self.deletions.get(no).into_iter().flatten() {
                if o != obj || seen.contains(id) {
                    continue;
                }
                let e = seq.get(id)?;
                seen.insert(&e.id);
                items.push((seq.position(id)?, e, false));
            }
        }
        items.sort_by_key(|(p, _, _)| *p);
        let chars = items
            .into_iter()
            .filter_map(|(_, e, after)| {
                let ch = e.ch.clone()?;
                let inserted_in_set = in_set(e.by);
                let before = !inserted_in_set && (after || e.deleted.iter().all(|d| in_set(*d)));
                if !before && !after {
                    return None;
                }
                let deleted_by = e
                    .deleted
                    .iter()
                    .find(|d| in_set(**d))
                    .map(|d| self.changes[*d as usize]);
                Some(MergedChar {
                    ch,
                    before,
                    after,
                    inserted_by: self.changes[e.by as usize],
                    deleted_by,
                })
            })
            .collect();
        Some(Merged { chars })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::diff::changes_between;
    use crate::review::testing::Script;
    use automerge::{ObjId, ReadDoc};
    use proptest::prelude::*;

    const FIELDS: [&[&str]; 2] = [&["summary", "fr"], &["summary", "ar"]];

    /// One step of a scripted history: who, which field, where, how much
    /// to delete, what to type; `fork`: on a concurrent branch merged after.
    #[derive(Debug, Clone)]
    struct Step {
        user: usize,
        field: usize,
        at: usize,
        del: usize,
        text: String,
        fork: bool,
    }

    fn step() -> impl Strategy<Value = Step> {
        (
            0..3usize,
            0..2usize,
            0..40usize,
            0..6usize,
            "[a-zé ⵜ]{0,5}",
            any::<bool>(),
        )
            .prop_map(|(user, field, at, del, text, fork)| Step {
                user,
                field,
                at,
                del,
                text,
                fork,
            })
    }

    fn apply(s: &mut Script, st: &Step) {
        let path = FIELDS[st.field];
        let len = s.text(path).chars().count();
        let at = st.at.min(len);
        let del = st.del.min(len - at);
        s.replace(&format!("u{}", st.user), path, at, del, &st.text);
    }

    fn obj_of(s: &Script, path: &[&str]) -> ObjId {
        let mut p: Vec<crate::edit::Key> = path
            .iter()
            .map(|k| crate::edit::Key::Map((*k).into()))
            .collect();
        p.push(crate::edit::Key::Map("text".into()));
        crate::edit::resolve(s.doc(), &p).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]

        /// The text at any earlier point, rebuilt from the index and the
        /// present, is Automerge's own historical read; so is the present.
        #[test]
        fn the_index_gives_the_text_as_it_was_at_any_point(steps in proptest::collection::vec(step(), 1..40), cut in 0..40usize) {
            let mut s = Script::new();
            let mut points = vec![s.heads()];
            let mut i = 0;
            while i < steps.len() {
                if steps[i].fork {
                    // Two people edit at once, then merge.
                    let mut other = s.fork();
                    apply(&mut s, &steps[i]);
                    if let Some(next) = steps.get(i + 1) {
                        // Someone else (one actor never edits two branches at once).
                        let mut next = next.clone();
                        next.user = (steps[i].user + 1) % 3;
                        apply(&mut other, &next);
                        i += 1;
                    }
                    s.merge(&mut other);
                } else {
                    apply(&mut s, &steps[i]);
                }
                points.push(s.heads());
                i += 1;
            }
            // Built halfway, then brought up to date: the same as built at once.
            let mut ix = TextIndex::build(s.doc());
            let from = &points[cut.min(points.len() - 1)];
            let now = s.heads();
            let set: HashSet<ChangeHash> = changes_between(s.doc(), from, &now).unwrap().iter().map(|c| c.hash()).collect();
            for path in FIELDS {
                let obj = obj_of(&s, path);
                let key = super::super::key_of(&obj).unwrap();
                let present: Vec<OpKey> = s.doc().list_range(&obj, ..).filter_map(|i| super::super::key_of(&i.id())).collect();
                ix.update(s.doc());
                let m = ix.merged(&key, &present, &set).unwrap();
                let before: String = m.chars.iter().filter(|c| c.before).map(|c| c.ch.as_str()).collect();
                let after: String = m.chars.iter().filter(|c| c.after).map(|c| c.ch.as_str()).collect();
                prop_assert_eq!(after, s.doc().text(&obj).unwrap());
                // Each letter now: the change that inserted it, as Automerge says.
                let now_ids: Vec<ObjId> = s.doc().list_range(&obj, ..).map(|i| i.id()).collect();
                let now_by: Vec<ChangeHash> = m.chars.iter().filter(|c| c.after).map(|c| c.inserted_by).collect();
                for (id, by) in now_ids.iter().zip(&now_by) {
                    prop_assert_eq!(s.doc().hash_for_opid(id), Some(*by));
                }
                // Each letter gone since: deleted by a change of the set.
                for c in m.chars.iter().filter(|c| c.before && !c.after) {
                    prop_assert!(c.deleted_by.is_some_and(|d| set.contains(&d)));
                }
                let expected = if from.is_empty() { String::new() } else { s.doc().text_at(&obj, from).unwrap_or_default() };
                prop_assert_eq!(before, expected);
            }
        }
    }

    /// A field's difference as what it says: the text before and after.
    /// (Who shows on a changed word follows its first changed letter, and
    /// which letter is first depends on where deleted letters sit among
    /// new ones: the index places them in the document's own order, the
    /// merge of two readings next to them. Who made each letter is checked
    /// letter by letter in the test above.)
    fn meaning(d: &crate::review::diff::Diff) -> Vec<(String, String, String)> {
        use crate::review::diff::Segment;
        let mut out: Vec<_> = d
            .fields
            .iter()
            .map(|f| {
                let (mut before, mut after) = (String::new(), String::new());
                for s in &f.segments {
                    match s {
                        Segment::Same { text } => {
                            before.push_str(text);
                            after.push_str(text);
                        }
                        Segment::Inserted { text, .. } => after.push_str(text),
                        Segment::Deleted { text, .. } => before.push_str(text),
                    }
                }
                (f.field.clone(), before, after)
            })
            .collect();
        out.sort();
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(80))]

        /// The difference read through the index says what the one read
        /// through Automerge's historical reads says.
        #[test]
        fn a_difference_through_the_index_says_the_same(steps in proptest::collection::vec(step(), 1..30), cut in 0..30usize) {
            let mut s = Script::new();
            let mut points = vec![s.heads()];
            for st in &steps {
                apply(&mut s, st);
                points.push(s.heads());
            }
            let ix = TextIndex::build(s.doc());
            let from = &points[cut.min(points.len() - 1)];
            let now = s.heads();
            let who = s.who();
            let plain = crate::review::diff::diff(s.doc(), from, &now, &who).unwrap();
            let fast = crate::review::diff::diff_with(s.doc(), Some(&ix), from, &now, &who).unwrap();
            prop_assert_eq!(meaning(&plain), meaning(&fast));
        }
    }

    #[test]
    fn an_index_built_in_two_steps_is_the_one_built_at_once() {
        let mut s = Script::new();
        s.type_text("amina", &["summary", "fr"], "Publier les données");
        let mut ix = TextIndex::build(s.doc());
        let mid = s.heads();
        s.replace("salma", &["summary", "fr"], 8, 3, "toutes les");
        s.type_text("yassine", &["summary", "ar"], "نشر");
        ix.update(s.doc());
        let once = TextIndex::build(s.doc());
        assert_eq!(ix.heads(), once.heads());
        let obj = obj_of(&s, &["summary", "fr"]);
        let key = super::super::key_of(&obj).unwrap();
        let present: Vec<OpKey> = s
            .doc()
            .list_range(&obj, ..)
            .filter_map(|i| super::super::key_of(&i.id()))
            .collect();
        let set: HashSet<ChangeHash> = changes_between(s.doc(), &mid, &s.heads())
            .unwrap()
            .iter()
            .map(|c| c.hash())
            .collect();
        let a = ix.merged(&key, &present, &set).unwrap();
        assert_eq!(a, once.merged(&key, &present, &set).unwrap());
        let deleted: String = a
            .chars
            .iter()
            .filter(|c| c.before && !c.after)
            .map(|c| c.ch.as_str())
            .collect();
        assert_eq!(deleted, "les");
        assert!(
            a.chars
                .iter()
                .filter(|c| !c.before)
                .all(|c| s.authors[&c.inserted_by] == "salma")
        );
        assert!(
            a.chars
                .iter()
                .filter(|c| !c.after)
                .all(|c| c.deleted_by.is_some_and(|d| s.authors[&d] == "salma"))
        );
    }
}
