//! The scoring grid: the committee opens a round with its gates (yes/no)
//! and weighted criteria (0–4); each member scores individually and
//! **blind** — nobody reads another's scores, in any answer, until the
//! round closes; then per proposal the weighted mean, the spread, the
//! means by sector and disagreement between sectors. A score given before
//! the proposal changed (reassigned, marked duplicate) is stale.
//!
//! Scores are in the server's process log only, never in a synced
//! document (Automerge keeps every past state readable to whoever syncs).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::directory::Sector;
use crate::meetings::Titles;

/// The highest score of a criterion.
pub const MAX_SCORE: u8 = 4;
/// Sector means further apart than this are a disagreement.
pub const DISAGREEMENT: f64 = 1.0;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Criterion {
    pub title: Titles,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Grid {
    pub gates: Vec<Titles>,
    pub criteria: Vec<Criterion>,
}

/// One member's score of one proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Score {
    pub by: String,
    pub sector: Sector,
    pub gates: Vec<bool>,
    pub scores: Vec<u8>,
    pub at_ms: i64,
    /// The proposal's revision when scored.
    pub proposal_rev: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Round {
    pub id: String,
    pub name: String,
    pub grid: Grid,
    pub open: bool,
    /// Proposal code → member → score.
    #[serde(skip)]
    pub scores: BTreeMap<String, BTreeMap<String, Score>>,
}

/// The grid the OGP standards and the 3 February session suggest.
pub fn default_grid() -> Grid {
    let t = |ar: &str, fr: &str, zgh: &str| Titles {
        ar: ar.into(),
        fr: fr.into(),
        zgh: zgh.into(),
    };
    let c = |title, weight| Criterion { title, weight };
    Grid {
        gates: vec![
            t(
                "مرتبط بقيمة من قيم الحكومة المنفتحة",
                "Relève d’une valeur du gouvernement ouvert",
                "ⵉⵇⵇⵏ ⵖⵔ ⵢⴰⵜ ⵜⵏⴰⴹⵜ ⵏ OGP",
            ),
            t(
                "ضمن اختصاص الحكومة",
                "Dans la compétence du gouvernement",
                "ⴳ ⵜⵣⵎⵔⵜ ⵏ ⵜⵏⴱⴰⴹⵜ",
            ),
            t("قابل للتحقق", "Vérifiable", "ⵉⵜⵜⵓⵙⵙⵉⴼⴹ"),
            t("غير مكرر", "Pas un doublon", "ⵓⵔ ⵉⴳⵉ ⴰⵎⵙⵙⵓⵖⵍ"),
        ],
        criteria: vec![
            c(t("الأثر", "Impact", "ⴰⵙⵍⴽⵉⵎ"), 3),
            c(
                t("الارتباط بالحكومة المنفتحة", "Pertinence OGP", "ⴰⵣⴷⴰⵢ ⴷ OGP"),
                2,
            ),
            c(t("قابلية التنفيذ", "Faisabilité", "ⵜⴰⵣⵎⵔⵜ ⵏ ⵓⵙⴽⴰⵔ"), 2),
            c(
                t(
                    "استعداد الإدارة المسؤولة",
                    "Volonté de l’administration pilote",
                    "ⵜⵉⵔⵉⵜ ⵏ ⵜⵏⴱⴰⴹⵜ",
                ),
                2,
            ),
            c(t("الموارد", "Ressources", "ⵉⵙⵖⴰⵏ"), 1),
            c(
                t(
                    "الانسجام مع الأولويات الوطنية وأهداف التنمية المستدامة",
                    "Priorités nationales et ODD",
                    "ⵜⵉⵣⵡⵓⵔⵉ ⵜⵉⵏⴰⵎⵓⵔⵉⵏ ⴷ ODD",
                ),
                1,
            ),
            c(t("الإدماج", "Inclusion", "ⴰⵙⵎⴷⵢ"), 1),
        ],
    }
}

/// A proposal's results once the round closed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = ScoreResult)]
pub struct Result {
    pub code: String,
    pub scorers: usize,
    /// Weighted mean over the criteria (0–4), of all scorers.
    pub mean: f64,
    /// Highest minus lowest scorer's weighted mean.
    pub spread: f64,
    /// Scorers who passed every gate.
    pub gates_passed: usize,
    pub by_sector: BTreeMap<String, f64>,
    /// Two sectors' means further apart than [`DISAGREEMENT`].
    pub disagreement: bool,
    pub stale: usize,
}

fn weighted(grid: &Grid, s: &Score) -> f64 {
    let total: u32 = grid.criteria.iter().map(|c| c.weight).sum();
    if total == 0 {
        return 0.0;
    }
    let sum: u32 = grid
        .criteria
        .iter()
        .zip(&s.scores)
        .map(|(c, v)| c.weight * u32::from(*v))
        .sum();
    f64::from(sum) / f64::from(total)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The results of one proposal's scores (`rev`: the proposal's revision
/// now, for staleness).
pub fn result(grid: &Grid, code: &str, scores: &BTreeMap<String, Score>, rev: usize) -> Result {
    let means: Vec<(Sector, f64)> = scores
        .values()
        .map(|s| (s.sector, weighted(grid, s)))
        .collect();
    let n = means.len();
    let mean = if n == 0 {
        0.0
    } else {
        means.iter().map(|(_, m)| m).sum::<f64>() / n as f64
    };
    let max = means.iter().map(|(_, m)| *m).fold(f64::MIN, f64::max);
    let min = means.iter().map(|(_, m)| *m).fold(f64::MAX, f64::min);
    let mut sectors: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for (sector, m) in &means {
        let e = sectors.entry(sector.as_str().to_owned()).or_default();
        e.0 += m;
        e.1 += 1;
    }
    let by_sector: BTreeMap<String, f64> = sectors
        .into_iter()
        .map(|(k, (sum, c))| (k, round2(sum / c as f64)))
        .collect();
    let vals: Vec<f64> = by_sector.values().copied().collect();
    let disagreement = vals
        .iter()
        .any(|a| vals.iter().any(|b| (a - b).abs() > DISAGREEMENT));
    Result {
        code: code.to_owned(),
        scorers: n,
        mean: round2(mean),
        spread: if n == 0 { 0.0 } else { round2(max - min) },
        gates_passed: scores
            .values()
            .filter(|s| s.gates.iter().all(|g| *g))
            .count(),
        by_sector,
        disagreement,
        stale: scores.values().filter(|s| s.proposal_rev != rev).count(),
    }
}

/// A score must fill the grid: one answer per gate, one 0–4 per criterion.
pub fn valid(grid: &Grid, gates: &[bool], scores: &[u8]) -> bool {
    gates.len() == grid.gates.len()
        && scores.len() == grid.criteria.len()
        && scores.iter().all(|s| *s <= MAX_SCORE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(by: &str, sector: Sector, scores: Vec<u8>, rev: usize) -> Score {
        Score {
            by: by.into(),
            sector,
            gates: vec![true; 4],
            scores,
            at_ms: 0,
            proposal_rev: rev,
        }
    }

    #[test]
    fn weighted_means_spread_sectors_and_disagreement() {
        let grid = default_grid();
        let mut s = BTreeMap::new();
        s.insert(
            "a".to_owned(),
            score("a", Sector::Administration, vec![4; 7], 1),
        );
        s.insert(
            "b".to_owned(),
            score("b", Sector::CivilSociety, vec![1; 7], 1),
        );
        s.insert("c".to_owned(), score("c", Sector::Academia, vec![2; 7], 0));
        let r = result(&grid, "X", &s, 1);
        assert_eq!(r.scorers, 3);
        assert_eq!(r.mean, 2.33);
        assert_eq!(r.spread, 3.0);
        assert_eq!(r.by_sector["administration"], 4.0);
        assert!(r.disagreement, "4 against 1");
        assert_eq!(r.stale, 1, "scored before the proposal changed");
        assert_eq!(r.gates_passed, 3);
        // Weights count: impact (3) at 4, the rest at 0 → 12/12 * ... = 1.0.
        let mut one = BTreeMap::new();
        let mut v = vec![0; 7];
        v[0] = 4;
        one.insert("a".to_owned(), score("a", Sector::Administration, v, 1));
        assert_eq!(result(&grid, "Y", &one, 1).mean, 1.0);
        assert!(!valid(&grid, &[true; 4], &[5; 7]));
        assert!(!valid(&grid, &[true; 3], &[1; 7]));
        assert!(valid(&grid, &[true; 4], &[1; 7]));
    }
}
