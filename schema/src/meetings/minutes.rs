//! A meeting's minutes as Markdown, in the shape of the steering
//! committee's minutes: title, date and format, participants by
//! organisation (the secretariat's department first, then each
//! administration, then civil society), the organisations absent, the
//! agenda, the discussion of each item with its conclusions, the main
//! outcomes, decisions and action items. Headings in the language asked;
//! what people wrote stays as written.

use super::*;
use crate::labels::label;
use crate::lang::{Lang, format_date};

fn side_heading(side: Side, lang: Lang) -> &'static str {
    match side {
        Side::Secretariat | Side::Administration => label("minutes.administrations", lang),
        Side::CivilSociety => label("minutes.civil_society", lang),
        Side::Academia => label("minutes.academia", lang),
    }
}

/// The participants' lines: `- {honorific} {name}، {function}`.
fn person(p: &Participant) -> String {
    let name = format!("{} {}", p.honorific, p.name);
    let name = name.trim();
    if p.function.is_empty() {
        format!("- {name}\n")
    } else {
        format!("- {name}، {}\n", p.function)
    }
}

pub fn markdown(m: &Meeting, lang: Lang) -> String {
    let title = m.title.best(lang).map(|(_, t)| t).unwrap_or_default();
    let mut out = format!("# {} — {title}\n\n", label("minutes.title", lang));
    let format_key = format!("minutes.format.{}", m.format.as_str());
    let format = label(&format_key, lang);
    out.push_str(&format!(
        "**{}:** {} ({format})\n\n",
        label("minutes.when", lang),
        format_date(&m.date, lang)
    ));
    out.push_str(&format!("## {}\n\n", label("minutes.participants", lang)));
    let present: Vec<&Participant> = m.present().collect();
    // The secretariat's department, then each administration in the order
    // they come, then civil society and academia as one list each.
    let mut orgs: Vec<(&str, Side)> = Vec::new();
    for p in &present {
        if matches!(p.side, Side::Secretariat | Side::Administration)
            && !orgs.iter().any(|(o, _)| *o == p.organisation)
        {
            orgs.push((&p.organisation, p.side));
        }
    }
    orgs.sort_by_key(|(_, s)| *s != Side::Secretariat);
    for (org, _) in &orgs {
        out.push_str(&format!("### {org}\n\n"));
        for p in present.iter().filter(|p| p.organisation == *org) {
            out.push_str(&person(p));
        }
        out.push('\n');
    }
    for side in [Side::CivilSociety, Side::Academia] {
        let people: Vec<&&Participant> = present.iter().filter(|p| p.side == side).collect();
        if people.is_empty() {
            continue;
        }
        out.push_str(&format!("### {}\n\n", side_heading(side, lang)));
        for p in people {
            out.push_str(&person(p));
        }
        out.push('\n');
    }
    let excused: Vec<&Participant> = m
        .participants
        .iter()
        .filter(|p| p.attendance == Attendance::Excused)
        .collect();
    if !excused.is_empty() {
        out.push_str(&format!("## {}\n\n", label("minutes.excused", lang)));
        for p in excused {
            out.push_str(&person(p));
        }
        out.push('\n');
    }
    if !m.absent.is_empty() {
        out.push_str(&format!("## {}\n\n", label("minutes.absent", lang)));
        for side in [Side::Administration, Side::CivilSociety, Side::Academia] {
            let orgs: Vec<&String> = m
                .absent
                .iter()
                .filter(|(s, _)| {
                    *s == side || (side == Side::Administration && *s == Side::Secretariat)
                })
                .map(|(_, o)| o)
                .collect();
            if orgs.is_empty() {
                continue;
            }
            out.push_str(&format!("### {}\n\n", side_heading(side, lang)));
            for o in orgs {
                out.push_str(&format!("- {o}\n"));
            }
            out.push('\n');
        }
    }
    out.push_str(&format!("## {}\n\n", label("minutes.agenda", lang)));
    for (i, item) in m.agenda.iter().enumerate() {
        let t = item.title.best(lang).map(|(_, t)| t).unwrap_or_default();
        out.push_str(&format!("{}. {t}\n", i + 1));
    }
    out.push_str(&format!("\n## {}\n", label("minutes.discussed", lang)));
    for (i, item) in m.agenda.iter().enumerate() {
        let t = item.title.best(lang).map(|(_, t)| t).unwrap_or_default();
        out.push_str(&format!("\n### {}. {t}\n\n", i + 1));
        if !item.discussion.trim().is_empty() {
            out.push_str(item.discussion.trim());
            out.push_str("\n\n");
        }
        if !item.conclusions.is_empty() {
            out.push_str(&format!("**{}:**\n\n", label("minutes.conclusions", lang)));
            for c in &item.conclusions {
                out.push_str(&format!("- {c}\n"));
            }
        }
    }
    let list = |out: &mut String, key: &str, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        out.push_str(&format!("\n## {}\n\n", label(key, lang)));
        for i in items {
            out.push_str(&format!("- {i}\n"));
        }
    };
    list(&mut out, "minutes.outcomes", m.outcomes.clone());
    list(
        &mut out,
        "minutes.decisions",
        m.decisions
            .iter()
            .map(|d| {
                let key = format!("minutes.decision.{}", decision_key(d.kind));
                format!("{} ({})", d.text, label(&key, lang))
            })
            .collect(),
    );
    list(
        &mut out,
        "minutes.actions",
        m.actions
            .iter()
            .map(|a| {
                let due = a
                    .due
                    .as_deref()
                    .map(|d| format!(" — {}", format_date(d, lang)))
                    .unwrap_or_default();
                format!("{} — {}{due}", a.text, a.owner)
            })
            .collect(),
    );
    out
}

fn decision_key(k: DecisionKind) -> &'static str {
    match k {
        DecisionKind::Adopt => "adopt",
        DecisionKind::Revise => "revise",
        DecisionKind::Keep => "keep",
        DecisionKind::Drop => "drop",
        DecisionKind::Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_february_session_lists_everyone_the_minutes_list() {
        let m = demo::february_2026();
        let md = markdown(&m, Lang::Ar);
        // Each participant of the minutes, by name, in the participants' part.
        let (participants, rest) = md.split_once("## الغائبون").unwrap();
        let listed = demo::listed(demo::MINUTES_AR);
        let names = listed.names;
        assert_eq!(names.len(), 23, "{names:?}");
        assert_eq!(m.present().count(), 23);
        for n in &names {
            assert!(
                participants.contains(n.as_str()),
                "{n} missing from the participants"
            );
        }
        // Organisations as headings, the secretariat's department first.
        for org in [
            "وزارة العدل",
            "وكالة التنمية الرقمية",
            "الوزارة المنتدبة لدى رئيس الحكومة المكلفة بالعلاقات مع البرلمان",
        ] {
            assert!(participants.contains(&format!("### {org}")), "{org}");
        }
        assert!(
            participants.find("### وزارة الانتقال الرقمي وإصلاح الإدارة")
                < participants.find("### وزارة العدل")
        );
        // The absent bodies, as the minutes list them.
        let absent = listed.absent;
        assert_eq!(absent.len(), 6);
        let (absent_part, after) = rest.split_once("## جدول الأعمال").unwrap();
        for a in &absent {
            assert!(
                absent_part.contains(a.as_str()),
                "{a} missing from the absent"
            );
        }
        // Two items, six phases, four outcomes.
        assert!(
            after.contains("1. التداول واعتماد منهجية")
                && after.contains("2. المجموعات الموضوعاتية")
        );
        assert_eq!(demo::PHASES.len(), 6);
        assert!(after.contains("6. المصادقة واعتماد خطة العمل الوطنية الثالثة المراجعة"));
        let outcomes = after.split_once("## أهم مخرجات اللقاء").unwrap().1;
        assert_eq!(
            outcomes
                .lines()
                .filter(|l| l.starts_with("- "))
                .take(4)
                .count(),
            4
        );
        assert!(outcomes.contains("الإعلان عن الأعضاء المتغيبين"));
    }

    #[test]
    fn headings_in_french_and_amazigh_and_an_excused_person_listed_apart() {
        let mut m = demo::february_2026();
        m.participants[20].attendance = Attendance::Excused;
        let fr = markdown(&m, Lang::Fr);
        assert!(fr.contains("3 février 2026 (à distance)"), "{fr}");
        assert!(
            fr.contains("## Participants")
                && fr.contains("## Excusés")
                && fr.contains("## Absents")
        );
        let excused = fr
            .split_once("## Excusés")
            .unwrap()
            .1
            .split_once("## Absents")
            .unwrap()
            .0;
        assert!(excused.contains("السويدي صلاح"));
        let zgh = markdown(&m, Lang::Zgh);
        assert!(zgh.contains("ⴱⵕⴰⵢⵕ"), "Amazigh month: {zgh}");
    }
}
