//! A scripted history for the tests: several people editing one card,
//! each on their own actor, with forks for concurrent edits.

use std::collections::HashMap;

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ChangeHash, ObjId, ReadDoc};

use crate::edit::{self, Commit, Key};

pub struct Script {
    doc: Automerge,
    pub authors: HashMap<ChangeHash, String>,
    time: i64,
}

fn keys(path: &[&str]) -> Vec<Key> {
    path.iter().map(|k| Key::Map((*k).to_owned())).collect()
}

fn text_path(path: &[&str]) -> Vec<Key> {
    let mut p = keys(path);
    p.push(Key::Map("text".into()));
    p
}

impl Script {
    pub fn new() -> Self {
        let doc = edit::from_json(&crate::card::blank_card("g"), 1_000).unwrap();
        Script {
            doc,
            authors: HashMap::new(),
            time: 1_000_000,
        }
    }

    pub fn doc(&self) -> &Automerge {
        &self.doc
    }

    pub fn doc_mut(&mut self) -> &mut Automerge {
        &mut self.doc
    }

    pub fn heads(&self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    fn act(&mut self, user: &str) -> Commit {
        self.doc
            .set_actor(ActorId::from(format!("actor-{user}").as_bytes()));
        self.time += 60_000;
        Commit::at(self.time)
    }

    fn record(&mut self, user: &str) -> ChangeHash {
        let h = self.doc.get_heads()[0];
        self.authors.insert(h, user.to_owned());
        h
    }

    /// `user` sets the whole text (as the smallest edits).
    pub fn type_text(&mut self, user: &str, path: &[&str], text: &str) -> ChangeHash {
        let c = self.act(user);
        edit::update_text(&mut self.doc, &text_path(path), text, &c).unwrap();
        self.record(user)
    }

    /// `user` replaces `len` characters at `at` (code points) with `text`.
    pub fn replace(
        &mut self,
        user: &str,
        path: &[&str],
        at: usize,
        len: usize,
        text: &str,
    ) -> ChangeHash {
        self.act(user);
        let p = text_path(path);
        let obj = edit::resolve(&self.doc, &p).unwrap();
        let mut tx = self.doc.transaction();
        tx.splice_text(&obj, at, len as isize, text).unwrap();
        tx.commit();
        self.record(user)
    }

    /// `user` puts a plain value at a key of the card.
    pub fn put(&mut self, user: &str, key: &str, value: &str) -> ChangeHash {
        let c = self.act(user);
        edit::put(
            &mut self.doc,
            &[],
            &Key::Map(key.into()),
            &serde_json::json!(value),
            &c,
        )
        .unwrap();
        self.record(user)
    }

    /// A copy to edit concurrently; [`Script::merge`] brings it back.
    pub fn fork(&self) -> Script {
        Script {
            doc: self.doc.fork(),
            authors: self.authors.clone(),
            time: self.time,
        }
    }

    pub fn merge(&mut self, other: &mut Script) {
        self.doc.merge(&mut other.doc).unwrap();
        self.authors.extend(other.authors.drain());
    }

    pub fn text(&self, path: &[&str]) -> String {
        let obj: ObjId = edit::resolve(&self.doc, &text_path(path)).unwrap();
        self.doc.text(&obj).unwrap()
    }

    pub fn who(&self) -> impl Fn(&ChangeHash) -> Option<String> + '_ {
        move |h| self.authors.get(h).cloned()
    }
}
