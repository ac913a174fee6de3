use super::rules::*;
use super::*;

fn sub(text: &str) -> Submission {
    Submission {
        text: text.into(),
        region: " Rabat-Salé-Kénitra ".into(),
        ..Submission::default()
    }
}

#[test]
fn a_submission_needs_a_text_within_bounds_in_one_of_the_three_languages() {
    let mut s = sub("  نشر بيانات الصفقات العمومية  ");
    assert_eq!(check_submission(&mut s), Ok(()));
    assert_eq!(s.text, "نشر بيانات الصفقات العمومية");
    assert_eq!(
        (s.lang.as_str(), s.region.as_str()),
        ("ar", "Rabat-Salé-Kénitra")
    );
    assert_eq!(
        check_submission(&mut sub("   ")),
        Err(ProcessError::TextNeeded)
    );
    let long = "x".repeat(MAX_TEXT + 1);
    assert_eq!(
        check_submission(&mut sub(&long)),
        Err(ProcessError::TooLong { max: MAX_TEXT })
    );
    let mut s = sub("ok");
    s.lang = "en".into();
    assert_eq!(check_submission(&mut s), Err(ProcessError::BadLang));
}

#[test]
fn the_response_comes_from_the_assigned_groups_co_coordinators_with_reasons_in_arabic_and_french() {
    let stamp = Stamp {
        by: "hajar".into(),
        by_name: "Hajar".into(),
        sector: crate::directory::Sector::Administration,
        at_ms: 1,
        heads: vec![],
    };
    let mut p = Process::default();
    p.apply(ProcessEvent::Submitted {
        code: "ABCDE-FGHJK".into(),
        source: Source::Online,
        submission: sub("x"),
        at_ms: 1,
        by: None,
    });
    let amina = Who {
        user: "amina".into(),
        admin: false,
        secretariat: false,
    };
    let reason = Titles {
        ar: "سبب".into(),
        fr: "Motif".into(),
        zgh: String::new(),
    };
    let coordinates = |g: &str| g == "open_justice";
    assert_eq!(
        check_response(
            p.proposal("ABCDE-FGHJK").unwrap(),
            &amina,
            coordinates,
            &reason
        ),
        Err(ProcessError::NotAssigned)
    );
    p.apply(ProcessEvent::Assigned {
        code: "ABCDE-FGHJK".into(),
        group: "civic_space".into(),
        card: None,
        stamp: stamp.clone(),
    });
    assert_eq!(
        check_response(
            p.proposal("ABCDE-FGHJK").unwrap(),
            &amina,
            coordinates,
            &reason
        ),
        Err(ProcessError::Forbidden {
            who: "co_coordinators"
        })
    );
    p.apply(ProcessEvent::Assigned {
        code: "ABCDE-FGHJK".into(),
        group: "open_justice".into(),
        card: None,
        stamp,
    });
    let p1 = p.proposal("ABCDE-FGHJK").unwrap();
    assert_eq!(check_response(p1, &amina, coordinates, &reason), Ok(()));
    let mut only_ar = reason.clone();
    only_ar.fr.clear();
    assert_eq!(
        check_response(p1, &amina, coordinates, &only_ar),
        Err(ProcessError::ReasonsNeeded)
    );
}

#[test]
fn the_current_phase_is_the_one_whose_dates_hold_today_and_codes_are_readable() {
    let mut p = Process::default();
    for (i, phase) in seeded_phases().into_iter().enumerate() {
        assert_eq!(check_phase(&phase), Ok(()));
        p.apply(ProcessEvent::Phase {
            index: i,
            phase,
            by: "seed".into(),
            at_ms: 0,
        });
    }
    assert_eq!(p.current("2026-04-10"), Some(2));
    assert_eq!(p.current("2027-01-01"), None);
    let code = new_code();
    assert_eq!(code.len(), 11);
    assert!(
        code.chars()
            .all(|c| c == '-' || "23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(c))
    );
    assert_ne!(new_code(), code);
}

#[test]
fn a_consultations_csv_gives_one_proposal_per_row_and_names_a_bad_line() {
    let csv = "text,region,lang\n\"Un budget, citoyen\",Souss-Massa,fr\n\"Dire \"\"oui\"\"\",Oriental,fr\r\n\n";
    let subs = from_csv(csv).unwrap();
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[0].text, "Un budget, citoyen");
    assert_eq!(subs[1].text, "Dire \"oui\"");
    assert_eq!(subs[1].region, "Oriental");
    assert_eq!(
        from_csv("region\nRabat\n"),
        Err(ProcessError::BadLine {
            line: 1,
            why: "no \"text\" column".into()
        })
    );
    assert!(matches!(
        from_csv("text\nok\n,x\n"),
        Err(ProcessError::BadLine { line: 3, .. })
    ));
}
