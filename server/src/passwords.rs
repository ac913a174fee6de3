//! The password rule: long enough, not too long to hash, and not common or
//! trivial (`zxcvbn`'s estimate, which knows the common passwords, repeats,
//! sequences and keyboard walks, and the person's own name and email).
//! Refusals carry a code and parameters; the web app words them in Arabic,
//! French and Amazigh.

/// Fewest characters a password has.
pub const MIN_CHARS: usize = 10;
/// Most bytes a password has (argon2 hashes all of it; more is a flood).
pub const MAX_BYTES: usize = 1024;
/// Least `zxcvbn` score (0–4) accepted: 3 is "safely unguessable:
/// moderate protection from offline slow-hash attacks".
const MIN_SCORE: u8 = 3;

/// Why a password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("a password has at least {0} characters")]
    TooShort(usize),
    #[error("a password has at most {0} bytes")]
    TooLong(usize),
    #[error(
        "this password is too common or too easy to guess: choose a longer, less predictable one"
    )]
    Weak,
}

/// Checks a new password; `hints` are what the person typed about
/// themselves (email, name, organisation), which a password must not be
/// built from.
pub fn check(password: &str, hints: &[&str]) -> Result<(), PasswordProblem> {
    if password.len() > MAX_BYTES {
        return Err(PasswordProblem::TooLong(MAX_BYTES));
    }
    if password.trim().chars().count() < MIN_CHARS {
        return Err(PasswordProblem::TooShort(MIN_CHARS));
    }
    let lower: Vec<String> = hints.iter().map(|h| h.to_lowercase()).collect();
    let mut words: Vec<&str> = lower.iter().map(String::as_str).collect();
    words.extend(
        lower
            .iter()
            .flat_map(|h| h.split(['@', '.', ' ', '-', '_'])),
    );
    words.retain(|w| w.chars().count() > 2);
    // Built from the person's own words, whatever surrounds them.
    let mut rest = password.to_lowercase();
    for w in &words {
        rest = rest.replace(w, "");
    }
    if rest.chars().filter(|c| c.is_alphanumeric()).count() < 4 {
        return Err(PasswordProblem::Weak);
    }
    if (zxcvbn::zxcvbn(password, &words).score() as u8) < MIN_SCORE {
        return Err(PasswordProblem::Weak);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hardening finding 14: ten spaces, "aaaaaaaaaa" and "1234567890" were
    /// accepted.
    #[test]
    fn finding_14_common_and_trivial_passwords_are_refused() {
        for weak in [
            "          ",
            "aaaaaaaaaa",
            "1234567890",
            "password123",
            "azertyuiop",
            "qwertyuiop",
            "motdepasse1",
        ] {
            assert!(check(weak, &[]).is_err(), "{weak:?} accepted");
        }
        assert_eq!(
            check("nadia.bennani", &["nadia.bennani@x.org", "Nadia Bennani"]),
            Err(PasswordProblem::Weak),
            "built from the person's own name"
        );
        assert_eq!(check("short", &[]), Err(PasswordProblem::TooShort(10)));
        assert_eq!(
            check(&"x".repeat(2000), &[]),
            Err(PasswordProblem::TooLong(1024))
        );
        for good in [
            "a long enough password",
            "bootstrap password",
            "Tifinagh ⵜⴰⵎⴰⵣⵉⵖⵜ ⴰⵣⵓⵍ",
            "كلمة سر طويلة بما يكفي",
        ] {
            assert_eq!(check(good, &[]), Ok(()), "{good:?} refused");
        }
    }
}
