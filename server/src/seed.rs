//! What a new server starts with: the six thematic groups, the secretariat
//! and the steering committee (always, when accounts are on) and, with
//! `--demo`, demo accounts (password [`DEMO_PASSWORD`]), the demo cards of
//! `codraft_schema::demo`, each in its group, the committee's members
//! (Amina and Yassine co-coordinate it) and its approved session of
//! 3 February 2026. Nothing that exists is touched: the demo is added only
//! to a directory with no accounts yet.

use codraft_schema::{demo, workspace};

use crate::accounts::{Accounts, hash_password};
use crate::cards::CardError;
use crate::directory::{DirectoryError, NewUser, Role, Sector};
use crate::meetings::demo::DemoMeetingError;
use crate::store::Store;

/// The demo accounts' password (`./run.sh` prints it).
pub const DEMO_PASSWORD: &str = "codraft-demo";

/// A demo account: email, name, organisation, sector, site admin?, role
/// in every group.
pub type DemoUser = (
    &'static str,
    &'static str,
    &'static str,
    Sector,
    bool,
    Option<Role>,
);

/// The demo secretariat of the steering committee (a member of the
/// `secretariat` group only).
pub const SECRETARIAT_DEMO: (&str, &str, &str) = (
    "hajar@example.org",
    "Hajar",
    "Secrétariat du comité de pilotage",
);

pub const DEMO_USERS: [DemoUser; 5] = [
    (
        "admin@example.org",
        "Admin",
        "Codraft",
        Sector::Administration,
        true,
        None,
    ),
    (
        "amina@example.org",
        "Amina",
        "وزارة الانتقال الرقمي وإصلاح الإدارة",
        Sector::Administration,
        false,
        Some(Role::CoCoordinator),
    ),
    (
        "yassine@example.org",
        "Yassine",
        "جمعية من أجل الشباب بالقنيطرة",
        Sector::CivilSociety,
        false,
        Some(Role::CoCoordinator),
    ),
    (
        "salma@example.org",
        "Salma",
        "Université Mohammed V",
        Sector::Academia,
        false,
        Some(Role::Member),
    ),
    (
        "karim@example.org",
        "Karim",
        "Citoyen",
        Sector::Other,
        false,
        Some(Role::Observer),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Card(#[from] CardError),
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    #[error(transparent)]
    Meeting(#[from] DemoMeetingError),
    #[error("hashing the demo password: {0}")]
    Password(String),
}

/// With accounts: the six groups if missing, and with `demo`, on a
/// directory with no accounts yet, the demo accounts and cards.
pub async fn ensure(
    accounts: Option<&Accounts>,
    store: &dyn Store,
    demo: bool,
    now_ms: i64,
) -> Result<(), SeedError> {
    let Some(accounts) = accounts else {
        if demo {
            tracing::warn!("--demo needs accounts: ignored in open-access mode");
        }
        return Ok(());
    };
    let groups = accounts.groups().await?;
    for g in workspace::GROUPS.into_iter().chain(workspace::OTHER_GROUPS) {
        if !groups.iter().any(|x| x == g) {
            accounts.create_group(g).await?;
        }
    }
    accounts.seed_process(now_ms).await?;
    if !demo || !accounts.users().await?.is_empty() {
        return Ok(());
    }
    let hash = hash_password(DEMO_PASSWORD).map_err(SeedError::Password)?;
    let mut author = String::new();
    let mut ids = Vec::new();
    for (email, name, organisation, sector, admin, role) in DEMO_USERS {
        let u = accounts
            .create_user(NewUser {
                email: email.into(),
                name: name.into(),
                organisation: organisation.into(),
                sector,
                password_hash: hash.clone(),
                admin,
            })
            .await?;
        if let Some(role) = role {
            for g in workspace::GROUPS {
                accounts.set_role(g, &u.id, role).await?;
            }
        }
        if author.is_empty() && !admin {
            author = u.id.clone();
        }
        ids.push(u);
    }
    let secretariat = accounts
        .create_user(NewUser {
            email: SECRETARIAT_DEMO.0.into(),
            name: SECRETARIAT_DEMO.1.into(),
            organisation: SECRETARIAT_DEMO.2.into(),
            sector: Sector::Administration,
            password_hash: hash.clone(),
            admin: false,
        })
        .await?;
    accounts
        .set_role(workspace::SECRETARIAT, &secretariat.id, Role::Member)
        .await?;
    // The committee: Amina (the administration-reform department, which
    // holds the secretariat) and Yassine (civil society) co-coordinate it.
    let committee = [
        (&ids[1], Role::CoCoordinator),
        (&ids[2], Role::CoCoordinator),
        (&ids[3], Role::Member),
        (&ids[4], Role::Member),
        (&secretariat, Role::Member),
    ];
    for (u, role) in committee {
        accounts
            .set_role(workspace::STEERING_COMMITTEE, &u.id, role)
            .await?;
    }
    for (group, card) in demo::cards() {
        crate::cards::create(store, accounts, group, &author, &card, now_ms).await?;
    }
    crate::meetings::demo::february_2026(store, accounts, &secretariat, &ids[1], &ids[2]).await?;
    tracing::info!("demo accounts and cards created (password {DEMO_PASSWORD:?})");
    Ok(())
}
