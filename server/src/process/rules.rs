//! What a proposal must satisfy and who may do what with it:
//!
//! - anyone, without an account, proposes (text required, sizes bounded,
//!   a language of the three, an address throttled by the API);
//! - the secretariat (or a site administrator) enters consultation
//!   proposals, hides abusive ones with a reason (and shows them again),
//!   assigns a proposal to a group and a card, marks duplicates, and sets
//!   the timeline;
//! - the co-coordinators of the group a proposal is assigned to give the
//!   reasoned response: a decision and a reason in Arabic and French at
//!   least.

use serde::Serialize;

use super::*;

pub const MAX_TEXT: usize = 4000;
pub const MAX_SHORT: usize = 200;
pub const MAX_REASON: usize = 2000;
/// Public proposals per address and hour.
pub const PER_HOUR: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum ProcessError {
    #[error("a proposal needs its text")]
    TextNeeded,
    #[error("at most {max} characters")]
    TooLong { max: usize },
    #[error("the language is ar, fr or zgh")]
    BadLang,
    #[error("only {who} may do this")]
    Forbidden { who: &'static str },
    #[error("no such proposal")]
    NoSuchProposal,
    #[error("no such group")]
    NoSuchGroup,
    #[error("the proposal is not assigned to a group yet")]
    NotAssigned,
    #[error("a response gives its reason in Arabic and in French")]
    ReasonsNeeded,
    #[error("a date is YYYY-MM-DD, the end after the start")]
    DateNeeded,
    #[error("the public consultation on the draft plan is not open")]
    ConsultationClosed,
    #[error("line {line} of the file: {why}")]
    BadLine { line: usize, why: String },
}

/// The rows of a CSV text (RFC 4180: quoted fields, doubled quotes).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                if row.iter().any(|f: &String| !f.trim().is_empty()) {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
            }
            (c, _) => field.push(c),
        }
    }
    row.push(field);
    if row.iter().any(|f| !f.trim().is_empty()) {
        rows.push(row);
    }
    rows
}

/// The submissions of a consultation's CSV (a header row naming the
/// columns: `text` required; `region`, `theme`, `lang`, `name`,
/// `organisation` optional).
pub fn from_csv(text: &str) -> Result<Vec<Submission>, ProcessError> {
    let rows = csv_rows(text);
    let Some((head, body)) = rows.split_first() else {
        return Ok(Vec::new());
    };
    let col = |name: &str| {
        head.iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let Some(text_col) = col("text") else {
        return Err(ProcessError::BadLine {
            line: 1,
            why: "no \"text\" column".into(),
        });
    };
    if body.len() > 2000 {
        return Err(ProcessError::BadLine {
            line: 2002,
            why: "at most 2000 proposals per file".into(),
        });
    }
    let get =
        |r: &[String], c: Option<usize>| c.and_then(|i| r.get(i)).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for (i, r) in body.iter().enumerate() {
        let mut s = Submission {
            text: get(r, Some(text_col)),
            region: get(r, col("region")),
            theme: get(r, col("theme")),
            lang: get(r, col("lang")),
            name: get(r, col("name")),
            organisation: get(r, col("organisation")),
            ..Submission::default()
        };
        check_submission(&mut s).map_err(|e| ProcessError::BadLine {
            line: i + 2,
            why: e.to_string(),
        })?;
        out.push(s);
    }
    Ok(out)
}

/// Who asks.
#[derive(Debug, Clone)]
pub struct Who {
    pub user: String,
    pub admin: bool,
    pub secretariat: bool,
}

impl Who {
    pub fn runs_the_process(&self) -> bool {
        self.admin || self.secretariat
    }
}

fn len(s: &str, max: usize) -> Result<(), ProcessError> {
    if s.chars().count() > max {
        Err(ProcessError::TooLong { max })
    } else {
        Ok(())
    }
}

/// Checks a submission (public or entered); trims it.
pub fn check_submission(s: &mut Submission) -> Result<(), ProcessError> {
    for f in [
        &mut s.name,
        &mut s.organisation,
        &mut s.region,
        &mut s.theme,
        &mut s.lang,
        &mut s.text,
        &mut s.email,
    ] {
        *f = f.trim().to_owned();
    }
    if s.text.is_empty() {
        return Err(ProcessError::TextNeeded);
    }
    len(&s.text, MAX_TEXT)?;
    for f in [&s.name, &s.organisation, &s.region, &s.theme, &s.email] {
        len(f, MAX_SHORT)?;
    }
    if s.lang.is_empty() {
        s.lang = "ar".into();
    }
    if !matches!(s.lang.as_str(), "ar" | "fr" | "zgh") {
        return Err(ProcessError::BadLang);
    }
    Ok(())
}

pub fn check_secretariat(w: &Who) -> Result<(), ProcessError> {
    if w.runs_the_process() {
        Ok(())
    } else {
        Err(ProcessError::Forbidden { who: "secretariat" })
    }
}

pub fn check_phase(p: &Phase) -> Result<(), ProcessError> {
    let ok = |d: &str| crate::meetings::parse_date(d).is_some();
    if !ok(&p.start) || !ok(&p.end) || p.end < p.start {
        return Err(ProcessError::DateNeeded);
    }
    for t in [&p.title.ar, &p.title.fr, &p.title.zgh] {
        len(t, MAX_SHORT)?;
    }
    Ok(())
}

/// May `w` (`coordinates(group)`: are they a co-coordinator of it?)
/// respond to `p` with `reason`?
pub fn check_response(
    p: &Proposal,
    w: &Who,
    coordinates: impl Fn(&str) -> bool,
    reason: &Titles,
) -> Result<(), ProcessError> {
    let Some(group) = &p.group else {
        return Err(ProcessError::NotAssigned);
    };
    if !(coordinates(group) || w.admin) {
        return Err(ProcessError::Forbidden {
            who: "co_coordinators",
        });
    }
    if reason.ar.trim().is_empty() || reason.fr.trim().is_empty() {
        return Err(ProcessError::ReasonsNeeded);
    }
    for r in [&reason.ar, &reason.fr, &reason.zgh] {
        len(r, MAX_REASON)?;
    }
    Ok(())
}
