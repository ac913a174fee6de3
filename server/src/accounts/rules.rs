//! The rules of the domain, as plain functions of what they judge, so that
//! the HTTP handlers and the admin CLI apply the same ones:
//!
//! - the steering committee's rule: a group is co-coordinated by one
//!   representative of the administration and one of civil society, and
//!   keeps both (only a site administrator steps one down, to appoint a
//!   replacement);
//! - what an invitation's acceptance must bring (a name, the invited email,
//!   bounded lengths, a password that passes [`crate::passwords`]).

use crate::directory::{Invitation, Member, Role, Sector, User};
use crate::passwords::PasswordProblem;

/// Longest email address (RFC 5321's path limit).
pub const MAX_EMAIL: usize = 254;
/// Longest name or organisation.
pub const MAX_NAME: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error(
        "a co-coordinator represents the administration or civil society: this person's sector is neither"
    )]
    CoCoordinatorSector,
    #[error(
        "the group already has a co-coordinator from {sector} ({name}): a group has one from the administration and one from civil society"
    )]
    CoCoordinatorTaken { sector: String, name: String },
    #[error(
        "a group keeps its two co-coordinators: only a site administrator may step one down (to appoint another)"
    )]
    CoCoordinatorsKept,
    #[error("a name and an email address are needed")]
    NameAndEmailNeeded,
    #[error("the email, name or organisation is too long")]
    TooLong { max: usize },
    #[error("this invitation is for another email address")]
    InvitationForAnotherEmail,
    #[error(
        "an account already exists for this email address: sign in with it, or use another address"
    )]
    EmailTaken,
    #[error("{0}")]
    Password(#[from] PasswordProblem),
}

/// May `target` get role `new` (`None`: leave the group) among `members`,
/// by someone who is (`by_admin`) or is not a site administrator?
pub fn check_role_change(
    members: &[Member],
    by_admin: bool,
    target: &User,
    new: Option<Role>,
) -> Result<(), RuleError> {
    let current = members
        .iter()
        .find(|m| m.user.id == target.id)
        .map(|m| m.role);
    if new == Some(Role::CoCoordinator) && current != Some(Role::CoCoordinator) {
        if !matches!(target.sector, Sector::Administration | Sector::CivilSociety) {
            return Err(RuleError::CoCoordinatorSector);
        }
        if let Some(m) = members
            .iter()
            .find(|m| m.role == Role::CoCoordinator && m.user.sector == target.sector)
        {
            return Err(RuleError::CoCoordinatorTaken {
                sector: target.sector.as_str().into(),
                name: m.user.name.clone(),
            });
        }
    }
    if current == Some(Role::CoCoordinator) && new != Some(Role::CoCoordinator) && !by_admin {
        return Err(RuleError::CoCoordinatorsKept);
    }
    Ok(())
}

/// What a person accepting an invitation typed.
#[derive(Debug, Clone)]
pub struct AcceptForm<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub organisation: &'a str,
    pub password: &'a str,
}

/// The acceptance checks that need nothing but the invitation and the form.
pub fn check_acceptance(inv: &Invitation, form: &AcceptForm<'_>) -> Result<(), RuleError> {
    if form.name.trim().is_empty() || !form.email.contains('@') {
        return Err(RuleError::NameAndEmailNeeded);
    }
    if form.email.len() > MAX_EMAIL
        || form.name.len() > MAX_NAME
        || form.organisation.len() > MAX_NAME
    {
        return Err(RuleError::TooLong { max: MAX_NAME });
    }
    if inv
        .email
        .as_deref()
        .is_some_and(|e| !e.eq_ignore_ascii_case(form.email.trim()))
    {
        return Err(RuleError::InvitationForAnotherEmail);
    }
    crate::passwords::check(form.password, &[form.email, form.name, form.organisation])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, sector: Sector) -> User {
        User {
            id: id.into(),
            email: format!("{id}@x.org"),
            name: id.into(),
            organisation: String::new(),
            sector,
            admin: false,
        }
    }

    fn member(id: &str, sector: Sector, role: Role) -> Member {
        Member {
            user: person(id, sector),
            role,
        }
    }

    #[test]
    fn one_co_coordinator_from_each_side_and_both_kept() {
        let members = vec![member("amina", Sector::Administration, Role::CoCoordinator)];
        let cs = person("yassine", Sector::CivilSociety);
        assert_eq!(
            check_role_change(&members, false, &cs, Some(Role::CoCoordinator)),
            Ok(())
        );
        let admin2 = person("omar", Sector::Administration);
        assert!(matches!(
            check_role_change(&members, true, &admin2, Some(Role::CoCoordinator)),
            Err(RuleError::CoCoordinatorTaken { .. })
        ));
        let academic = person("salma", Sector::Academia);
        assert_eq!(
            check_role_change(&members, true, &academic, Some(Role::CoCoordinator)),
            Err(RuleError::CoCoordinatorSector)
        );
        let amina = &members[0].user;
        assert_eq!(
            check_role_change(&members, false, amina, Some(Role::Member)),
            Err(RuleError::CoCoordinatorsKept)
        );
        assert_eq!(
            check_role_change(&members, true, amina, None),
            Ok(()),
            "an admin may"
        );
    }

    #[test]
    fn an_acceptance_brings_a_name_the_invited_email_and_a_good_password() {
        let inv = Invitation {
            group: "g".into(),
            role: Role::Member,
            email: Some("nadia@x.org".into()),
            invited_by: "amina".into(),
            expires_ms: 0,
        };
        let form = AcceptForm {
            name: "Nadia",
            email: "Nadia@x.org",
            organisation: "Association",
            password: "a long enough password",
        };
        assert_eq!(check_acceptance(&inv, &form), Ok(()));
        let other = AcceptForm {
            email: "x@y.org",
            ..form.clone()
        };
        assert_eq!(
            check_acceptance(&inv, &other),
            Err(RuleError::InvitationForAnotherEmail)
        );
        let nameless = AcceptForm {
            name: " ",
            ..form.clone()
        };
        assert_eq!(
            check_acceptance(&inv, &nameless),
            Err(RuleError::NameAndEmailNeeded)
        );
        let weak = AcceptForm {
            password: "aaaaaaaaaa",
            ..form
        };
        assert_eq!(
            check_acceptance(&inv, &weak),
            Err(RuleError::Password(PasswordProblem::Weak))
        );
    }
}
