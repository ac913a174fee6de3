//! # The revision in the open: the server's record of it
//!
//! The revision's timeline (the six phases the 3 February 2026 session
//! adopted, with their dates) and the proposals — from the public form,
//! no account needed, or entered by the secretariat from regional
//! consultations — with their moderation, triage and reasoned response.
//! One append-only log of [`ProcessEvent`]s the server writes (kept like a
//! card's review log, under [`log_id`]); [`Process`] is its fold. A
//! proposer's e-mail is in the server's record only, never in any public
//! answer nor in any synced document.
//!
//! - this file: the records and their fold;
//! - [`rules`]: limits, who may do what, what a response needs.

use std::collections::BTreeMap;

use codraft_protocol::DocumentId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::meetings::Titles;
use crate::review::Stamp;

pub mod rules;
pub mod scoring;
#[cfg(test)]
mod tests;

/// Where the process log is kept.
pub fn log_id() -> DocumentId {
    let d = Sha256::digest(b"codraft revision process");
    let mut id = [0u8; 16];
    id.copy_from_slice(&d[..16]);
    DocumentId::from_bytes(id)
}

/// One phase of the revision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Phase {
    pub title: Titles,
    /// ISO dates.
    pub start: String,
    pub end: String,
}

/// How a proposal reached the process.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    #[default]
    Online,
    /// A regional consultation, entered by the secretariat.
    Consultation,
}

/// What a proposer gives (everything but the text optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Submission {
    pub name: String,
    pub organisation: String,
    pub region: String,
    pub theme: String,
    /// `ar`, `fr` or `zgh`.
    pub lang: String,
    pub text: String,
    /// For follow-up only: never published.
    pub email: String,
    /// A comment on a published draft during the public consultation: the
    /// card (`automerge:` URL).
    pub about: Option<String>,
}

/// The decision a proposal gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    NewCommitment,
    MergedIntoCard,
    ActivityOfCard,
    OutOfScope,
    NotFeasible,
    Deferred,
}

/// The reasoned response, in Arabic and French at least.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Response {
    pub decision: Decision,
    pub reason: Titles,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// One entry of the process log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ProcessEvent {
    /// A phase of the timeline set (the seed, or the secretariat).
    Phase {
        index: usize,
        phase: Phase,
        by: String,
        at_ms: i64,
    },
    Submitted {
        code: String,
        source: Source,
        submission: Submission,
        at_ms: i64,
        /// The secretariat member who entered it (consultations).
        by: Option<String>,
    },
    /// Hidden from the public (abuse), with the reason recorded.
    Hidden {
        code: String,
        reason: String,
        #[serde(flatten)]
        stamp: Stamp,
    },
    Shown {
        code: String,
        #[serde(flatten)]
        stamp: Stamp,
    },
    /// Assigned to a thematic group, and to a card or a new commitment.
    Assigned {
        code: String,
        group: String,
        card: Option<String>,
        #[serde(flatten)]
        stamp: Stamp,
    },
    /// A duplicate of another proposal (merged into it).
    Duplicate {
        code: String,
        of: String,
        #[serde(flatten)]
        stamp: Stamp,
    },
    Responded {
        code: String,
        response: Response,
    },
    /// A scoring round opened with its grid.
    RoundOpened {
        id: String,
        name: String,
        grid: scoring::Grid,
        by: String,
        at_ms: i64,
    },
    /// A member's score (blind until the round closes).
    Scored {
        round: String,
        code: String,
        score: scoring::Score,
    },
    RoundClosed {
        id: String,
        by: String,
        at_ms: i64,
    },
    /// The public consultation on the draft plan open until a date
    /// (`None`: closed).
    Consultation {
        until: Option<String>,
        by: String,
        at_ms: i64,
    },
}

/// A proposal as the record holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Proposal {
    pub code: String,
    pub source: Source,
    #[serde(skip)]
    pub submission: Submission,
    pub at_ms: i64,
    pub hidden: Option<String>,
    pub group: Option<String>,
    pub card: Option<String>,
    pub duplicate_of: Option<String>,
    pub response: Option<Response>,
    /// Changes since submission that a score may predate (triage).
    #[serde(skip)]
    pub rev: usize,
}

/// The process log, folded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Process {
    pub phases: BTreeMap<usize, Phase>,
    pub proposals: Vec<Proposal>,
    pub rounds: Vec<scoring::Round>,
    /// The public consultation's last day, while it is open.
    pub consultation: Option<String>,
    pub len: usize,
}

impl Process {
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a str>) -> Self {
        let mut p = Process::default();
        for e in events {
            p.len += 1;
            if let Ok(ev) = serde_json::from_str::<ProcessEvent>(e) {
                p.apply(ev);
            }
        }
        p
    }

    pub fn proposal(&self, code: &str) -> Option<&Proposal> {
        self.proposals.iter().find(|p| p.code == code)
    }

    fn proposal_mut(&mut self, code: &str) -> Option<&mut Proposal> {
        self.proposals.iter_mut().find(|p| p.code == code)
    }

    pub fn apply(&mut self, ev: ProcessEvent) {
        use ProcessEvent as E;
        match ev {
            E::Phase { index, phase, .. } => {
                self.phases.insert(index, phase);
            }
            E::Submitted {
                code,
                source,
                submission,
                at_ms,
                ..
            } => self.proposals.push(Proposal {
                code,
                source,
                submission,
                at_ms,
                hidden: None,
                group: None,
                card: None,
                duplicate_of: None,
                response: None,
                rev: 0,
            }),
            E::Hidden { code, reason, .. } => {
                if let Some(p) = self.proposal_mut(&code) {
                    p.hidden = Some(reason);
                }
            }
            E::Shown { code, .. } => {
                if let Some(p) = self.proposal_mut(&code) {
                    p.hidden = None;
                }
            }
            E::Assigned {
                code, group, card, ..
            } => {
                if let Some(p) = self.proposal_mut(&code) {
                    p.group = Some(group);
                    p.card = card;
                    p.rev += 1;
                }
            }
            E::Duplicate { code, of, .. } => {
                if let Some(p) = self.proposal_mut(&code) {
                    p.duplicate_of = Some(of);
                    p.rev += 1;
                }
            }
            E::Responded { code, response } => {
                if let Some(p) = self.proposal_mut(&code) {
                    p.response = Some(response);
                }
            }
            E::RoundOpened { id, name, grid, .. } => self.rounds.push(scoring::Round {
                id,
                name,
                grid,
                open: true,
                scores: BTreeMap::new(),
            }),
            E::Scored { round, code, score } => {
                if let Some(r) = self.rounds.iter_mut().find(|r| r.id == round && r.open) {
                    r.scores
                        .entry(code)
                        .or_default()
                        .insert(score.by.clone(), score);
                }
            }
            E::Consultation { until, .. } => self.consultation = until,
            E::RoundClosed { id, .. } => {
                if let Some(r) = self.rounds.iter_mut().find(|r| r.id == id) {
                    r.open = false;
                }
            }
        }
    }

    /// Is the public consultation open on `today` (ISO)?
    pub fn consulting(&self, today: &str) -> bool {
        self.consultation.as_deref().is_some_and(|u| today <= u)
    }

    /// The phase whose dates hold `today` (ISO), if any.
    pub fn current(&self, today: &str) -> Option<usize> {
        self.phases
            .iter()
            .find(|(_, p)| p.start.as_str() <= today && today <= p.end.as_str())
            .map(|(i, _)| *i)
    }
}

/// A tracking code: 10 characters a person can read out and type
/// (no 0/O, 1/I/L).
pub fn new_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let bytes = uuid::Uuid::new_v4();
    let b = bytes.as_bytes();
    let s: String = b
        .iter()
        .take(10)
        .map(|x| ALPHABET[(*x as usize) % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &s[..5], &s[5..])
}

/// The six phases of the revision as the 3 February 2026 session adopted
/// them, with their dates.
pub fn seeded_phases() -> Vec<Phase> {
    let p = |ar: &str, fr: &str, zgh: &str, start: &str, end: &str| Phase {
        title: Titles {
            ar: ar.into(),
            fr: fr.into(),
            zgh: zgh.into(),
        },
        start: start.into(),
        end: end.into(),
    };
    vec![
        p(
            "المرحلة التحضيرية: المنهجية والجدول الزمني",
            "Préparation : méthodologie et calendrier publiés",
            "ⴰⵙⵡⵊⴷ: ⵜⴰⵎⵏⵀⴰⵍⵜ ⴷ ⵓⵙⵎⵙⵜⴰ ⵏ ⵡⴰⴽⵓⴷ",
            "2026-02-01",
            "2026-02-28",
        ),
        p(
            "تحديد المحاور الموضوعاتية بناء على تقييم الإدارات",
            "Axes thématiques à partir de l’auto-évaluation des administrations",
            "ⵉⵎⵓⵔⴰ ⵉⵙⵏⵜⵉⵍⵏ ⵙⴳ ⵓⵙⵙⵉⴼⴹ ⵏ ⵜⵏⴱⴰⴹⵉⵏ",
            "2026-02-15",
            "2026-03-15",
        ),
        p(
            "جمع الأفكار والمقترحات عبر البوابة واللقاءات الجهوية",
            "Collecte des idées et propositions en ligne et en régions",
            "ⴰⵙⵎⵓⵏ ⵏ ⵜⵉⵡⵏⴳⵉⵎⵉⵏ ⴷ ⵉⵙⵓⵎⵔⵏ",
            "2026-03-01",
            "2026-04-30",
        ),
        p(
            "تحليل المقترحات وتحديد الأولويات بشبكة التقييم",
            "Analyse et priorisation des propositions (grille de notation)",
            "ⴰⵙⵙⵉⴼⴹ ⵏ ⵉⵙⵓⵎⵔⵏ ⴷ ⵉⵣⵡⵓⵔⴰ",
            "2026-05-01",
            "2026-05-31",
        ),
        p(
            "الصياغة المشتركة لبطاقات الالتزامات",
            "Co-rédaction des fiches d’engagement",
            "ⴰⵙⴰⵔⵓ ⴰⵎⵢⴰⵡⴰⵙ ⵏ ⵜⴽⴰⵔⴹⵉⵡⵉⵏ",
            "2026-05-15",
            "2026-06-15",
        ),
        p(
            "مشاورات عمومية والمصادقة والإحالة",
            "Consultation publique, adoption et transmission",
            "ⴰⵎⵙⴰⵡⴰⵍ ⴰⵎⴰⵜⴰⵢ, ⴰⵙⵏⴼⵍ ⴷ ⵓⵣⵏ",
            "2026-06-01",
            "2026-06-30",
        ),
    ]
}
