//! A card's history as edit sessions: consecutive changes by one verified
//! user with small gaps between them, read from the audit log newest
//! first, a page at a time.

use std::collections::BTreeSet;

use serde::Serialize;
use utoipa::ToSchema;

use crate::directory::{AuditEntry, ChangeSummary, Sector};

/// Changes further apart than this start a new session.
pub const SESSION_GAP_MS: i64 = 10 * 60 * 1000;

/// One person's stretch of editing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Session {
    pub user: String,
    pub user_name: String,
    pub sector: Sector,
    pub from_ms: i64,
    pub to_ms: i64,
    pub changes: usize,
    /// Its first and last change (hex): the difference it made runs from
    /// before the first to after the last.
    pub first_change: String,
    pub last_change: String,
    /// Sections touched (`summary`, `activities`), in card order.
    pub sections: Vec<String>,
    /// Languages touched.
    pub langs: Vec<String>,
    pub fields: Vec<String>,
    pub added: u32,
    pub removed: u32,
    /// A suggestion of `user`'s that this person accepted (its own
    /// session).
    pub accepted_by: Option<codraft_schema::review::summary::AcceptedBy>,
}

impl Session {
    fn start(e: &AuditEntry) -> Self {
        Session {
            user: e.user.clone(),
            user_name: e.user_name.clone(),
            sector: e.sector,
            from_ms: e.time_ms,
            to_ms: e.time_ms,
            changes: 0,
            first_change: e.change.clone(),
            last_change: e.change.clone(),
            sections: Vec::new(),
            langs: Vec::new(),
            fields: Vec::new(),
            added: 0,
            removed: 0,
            accepted_by: e.summary.accepted_by.clone(),
        }
    }

    /// Takes an older entry into the session.
    fn take(&mut self, e: &AuditEntry, total: &mut ChangeSummary) {
        self.changes += 1;
        self.from_ms = e.time_ms;
        self.first_change = e.change.clone();
        total.absorb(&e.summary);
    }

    fn finish(&mut self, total: ChangeSummary) {
        use codraft_schema::review::{lang_of, section_of};
        let mut sections: Vec<String> = total
            .fields
            .iter()
            .map(|f| section_of(f).to_owned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        sections.sort_by_key(|s| {
            codraft_schema::fields::CARD
                .iter()
                .position(|f| f.path.split('/').next() == Some(s))
                .unwrap_or(usize::MAX)
        });
        self.sections = sections;
        self.langs = total
            .fields
            .iter()
            .filter_map(|f| lang_of(f).map(str::to_owned))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        self.added = total.added;
        self.removed = total.removed;
        self.fields = total.fields;
    }
}

/// Groups entries (newest first) into sessions. The last session may be
/// cut by the end of the entries: the caller reads one entry more than it
/// shows to know.
pub fn sessions(entries: &[AuditEntry]) -> Vec<(Session, String)> {
    let mut out: Vec<(Session, ChangeSummary, String)> = Vec::new();
    for e in entries {
        let joins = out.last().is_some_and(|(s, _, _)| {
            s.user == e.user
                && s.accepted_by == e.summary.accepted_by
                && s.from_ms - e.time_ms <= SESSION_GAP_MS
        });
        if !joins {
            out.push((
                Session::start(e),
                ChangeSummary::default(),
                e.cursor.clone(),
            ));
        }
        let (s, total, cursor) = out.last_mut().expect("pushed");
        s.take(e, total);
        *cursor = e.cursor.clone();
    }
    out.into_iter()
        .map(|(mut s, total, cursor)| {
            s.finish(total);
            (s, cursor)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: i64, user: &str, minute: i64, fields: &[&str]) -> AuditEntry {
        AuditEntry {
            cursor: n.to_string(),
            change: format!("c{n}"),
            user: user.into(),
            user_name: user.into(),
            sector: Sector::Other,
            time_ms: minute * 60_000,
            summary: ChangeSummary {
                fields: fields.iter().map(|f| f.to_string()).collect(),
                added: 2,
                removed: 1,
                accepted_by: None,
            },
        }
    }

    #[test]
    fn changes_group_by_person_and_gap() {
        // Newest first: Amina at 60-61, Salma at 30-32 and again at 5.
        let e = [
            entry(6, "amina", 61, &["summary/fr"]),
            entry(5, "amina", 60, &["problem/ar"]),
            entry(4, "salma", 32, &["problem/ar"]),
            entry(3, "salma", 31, &["activities/0/title"]),
            entry(2, "salma", 30, &["problem/ar"]),
            entry(1, "salma", 5, &["title/fr"]),
        ];
        let s = sessions(&e);
        assert_eq!(s.len(), 3);
        let (amina, cursor) = &s[0];
        assert_eq!(
            (amina.user.as_str(), amina.changes, cursor.as_str()),
            ("amina", 2, "5")
        );
        assert_eq!(amina.sections, vec!["summary", "problem"]);
        assert_eq!(amina.langs, vec!["ar", "fr"]);
        assert_eq!(
            (amina.first_change.as_str(), amina.last_change.as_str()),
            ("c5", "c6")
        );
        let salma = &s[1].0;
        assert_eq!(
            (salma.changes, salma.from_ms, salma.to_ms),
            (3, 30 * 60_000, 32 * 60_000)
        );
        assert_eq!((salma.added, salma.removed), (6, 3));
        assert_eq!(salma.sections, vec!["problem", "activities"]);
        assert_eq!(s[2].0.changes, 1);
    }
}
