//! The `codraft` binary: `codraft serve` runs the server; `codraft admin`
//! bootstraps a deployment without the web UI (first administrator, users,
//! memberships, API tokens).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use codraft_server::accounts::{Accounts, hash_password};
use codraft_server::directory::{
    Directory, NewUser, RedisDirectory, Role, Sector, SqliteDirectory,
};
use codraft_server::store::{RedisStore, SqliteStore, Store};
use codraft_server::{AppState, Config};
use tracing_subscriber::EnvFilter;

#[derive(Parser, Debug)]
#[command(
    name = "codraft",
    version,
    about = "Live co-drafting server for open-government commitments"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the server on the embedded SQLite store.
    Serve(Box<Config>),
    /// Manage accounts in a data directory (the server may be running).
    Admin(Admin),
    /// Print the OpenAPI description of the HTTP API (what
    /// `GET /api/openapi.json` serves); the web app's types are generated
    /// from it.
    Openapi,
}

#[derive(Args, Debug)]
struct Admin {
    /// The data directory of the server.
    #[arg(
        long,
        env = "CODRAFT_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    data_dir: PathBuf,
    /// The Redis of a multi-instance deployment (accounts are there).
    #[arg(long, env = "CODRAFT_REDIS_URL", global = true)]
    redis_url: Option<String>,
    #[command(subcommand)]
    action: AdminAction,
}

#[derive(Subcommand, Debug)]
enum AdminAction {
    /// Create a site administrator (the first account of a deployment).
    CreateAdmin(UserArgs),
    /// Create an account.
    CreateUser(UserArgs),
    /// Give a person a role in a thematic group.
    AddMember {
        #[arg(long)]
        group: String,
        #[arg(long)]
        email: String,
        /// co_coordinator, member or observer.
        #[arg(long)]
        role: String,
    },
    /// Mint an API token for a person (printed once).
    MintToken {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// List the accounts.
    Users,
    /// Back up the data directory (documents and accounts) into a new
    /// directory, while the server runs (SQLite online backup).
    Backup {
        /// Where to write the backup (must not hold one already).
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup into the data directory, which must be empty
    /// (start the server on it afterwards).
    Restore {
        /// The backup directory (`codraft admin backup --to`).
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Args, Debug)]
struct UserArgs {
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    organisation: String,
    /// administration, civil_society, academia or other.
    #[arg(long, default_value = "administration")]
    sector: String,
    /// The password; read from CODRAFT_PASSWORD if not given.
    #[arg(long, env = "CODRAFT_PASSWORD", hide_env_values = true)]
    password: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(log_filter())
        .init();
    let Cli { command } = Cli::parse();
    match command {
        Command::Serve(config) => serve(*config).await,
        Command::Admin(a) => admin(a).await,
        Command::Openapi => {
            println!("{}", codraft_server::http::openapi::json());
            Ok(())
        }
    }
}

/// `RUST_LOG`, else `info,tower_http=warn`; Automerge's spans stay off
/// unless `RUST_LOG` names `automerge`. At `info`, automerge 0.12 opens a
/// span on every change it loads whose fields Debug-print the document's
/// whole change graph: with it on, the server spent half its time there.
fn log_filter() -> EnvFilter {
    let spec = std::env::var("RUST_LOG").unwrap_or_else(|_| "info,tower_http=warn".into());
    let filter = EnvFilter::try_new(&spec).unwrap_or_else(|e| {
        eprintln!("RUST_LOG={spec:?} is not a valid filter ({e}); using info");
        EnvFilter::new("info,tower_http=warn")
    });
    if spec.contains("automerge") {
        filter
    } else {
        filter.add_directive("automerge=warn".parse().expect("a valid directive"))
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let (store, sqlite): (Arc<dyn Store>, Option<SqliteStore>) = match &config.redis_url {
        Some(url) => {
            let instance = format!("codraft-{}", uuid::Uuid::new_v4().simple());
            let store = RedisStore::connect(url, instance.clone())
                .await
                .with_context(|| format!("connecting to Redis at {url}"))?;
            tracing::info!(%instance, "documents and accounts in Redis");
            (Arc::new(store), None)
        }
        None => {
            let store =
                SqliteStore::open(&config.data_dir, config.sqlite_sync).with_context(|| {
                    format!("opening the data directory {}", config.data_dir.display())
                })?;
            tracing::info!(db = %store.path().display(), "embedded store open");
            (Arc::new(store.clone()), Some(store))
        }
    };
    let state = if config.open_access {
        tracing::warn!("open access: no accounts, anyone may read and write every document");
        AppState::new(config, store)
    } else {
        let dir = open_directory(config.redis_url.as_deref(), &config.data_dir).await?;
        let accounts = Accounts::load(dir).await.context("loading the directory")?;
        AppState::with_accounts(config, store, accounts)
    };
    let listener = codraft_server::app::bind(&state)
        .await
        .with_context(|| format!("listening on {}", state.config.listen))?;
    let addr = listener.local_addr()?;
    println!("Codraft is running: open http://{addr}/ (sync endpoint ws://{addr}/sync)");
    if state.config.demo && state.accounts.is_some() {
        println!(
            "Demo accounts (password {:?}): {}",
            codraft_server::seed::DEMO_PASSWORD,
            codraft_server::seed::DEMO_USERS
                .iter()
                .map(|u| u.0)
                .chain([codraft_server::seed::SECRETARIAT_DEMO.0])
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!(
            "The revision in public (no account): http://{addr}/#/public; the steering committee's meetings: http://{addr}/#/meetings/steering_committee"
        );
    }
    codraft_server::app::run(listener, state, async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("SIGTERM handler");
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutting down: closing connections and flushing documents");
    })
    .await?;
    if let Some(s) = sqlite {
        s.close();
    }
    tracing::info!("stopped");
    Ok(())
}

/// Accounts in Redis with `--redis-url`, else in the data directory.
async fn open_directory(
    redis_url: Option<&str>,
    data_dir: &std::path::Path,
) -> anyhow::Result<Arc<dyn Directory>> {
    Ok(match redis_url {
        Some(url) => {
            let instance = format!("codraft-{}", uuid::Uuid::new_v4().simple());
            Arc::new(
                RedisDirectory::connect(url, instance)
                    .await
                    .with_context(|| format!("connecting to Redis at {url}"))?,
            )
        }
        None => Arc::new(SqliteDirectory::open(data_dir).context("opening the directory")?),
    })
}

async fn admin(a: Admin) -> anyhow::Result<()> {
    // Whole files: before anything opens (and so creates) them.
    match &a.action {
        AdminAction::Backup { to } => {
            if a.redis_url.is_some() {
                bail!("with Redis, back up Redis itself (see deploy/README.md)");
            }
            for f in codraft_server::backup::backup(&a.data_dir, to)? {
                println!("wrote {}", f.display());
            }
            return Ok(());
        }
        AdminAction::Restore { from } => {
            for f in codraft_server::backup::restore(from, &a.data_dir)? {
                println!("restored {}", f.display());
            }
            return Ok(());
        }
        _ => {}
    }
    let dir = open_directory(a.redis_url.as_deref(), &a.data_dir).await?;
    // The groups exist before anyone is added to one.
    for g in codraft_schema::workspace::GROUPS
        .into_iter()
        .chain(codraft_schema::workspace::OTHER_GROUPS)
    {
        dir.create_group(g).await?;
    }
    match a.action {
        AdminAction::CreateAdmin(u) => create(&dir, u, true).await,
        AdminAction::CreateUser(u) => create(&dir, u, false).await,
        AdminAction::AddMember { group, email, role } => {
            let role = Role::parse(&role).context("role: co_coordinator, member or observer")?;
            if !dir.groups().await?.contains(&group) {
                bail!("no group {group:?}");
            }
            let (u, _) = dir
                .user_by_email(&email)
                .await?
                .context("no such account")?;
            // The steering committee's rule holds here too (the CLI acts as
            // a site administrator).
            let members = dir.members(&group).await?;
            codraft_server::accounts::rules::check_role_change(&members, true, &u, Some(role))?;
            dir.set_role(&group, &u.id, role).await?;
            println!("{} is {} of {group}", u.email, role.as_str());
            Ok(())
        }
        AdminAction::MintToken { email, name } => {
            let (u, _) = dir
                .user_by_email(&email)
                .await?
                .context("no such account")?;
            let accounts = Accounts::load(dir).await?;
            let (_, token) = codraft_server::http::tokens::mint(&accounts, &u.id, &name).await?;
            println!("{token}");
            Ok(())
        }
        AdminAction::Backup { .. } | AdminAction::Restore { .. } => unreachable!("handled above"),
        AdminAction::Users => {
            for u in dir.users().await? {
                println!(
                    "{}\t{}\t{}\t{}{}",
                    u.id,
                    u.email,
                    u.name,
                    u.sector.as_str(),
                    if u.admin { "\tadmin" } else { "" }
                );
            }
            Ok(())
        }
    }
}

async fn create(dir: &Arc<dyn Directory>, u: UserArgs, admin: bool) -> anyhow::Result<()> {
    let sector = Sector::parse(&u.sector)
        .context("sector: administration, civil_society, academia or other")?;
    codraft_server::passwords::check(&u.password, &[&u.email, &u.name, &u.organisation])
        .map_err(anyhow::Error::new)?;
    let user = dir
        .create_user(NewUser {
            email: u.email,
            name: u.name,
            organisation: u.organisation,
            sector,
            password_hash: hash_password(&u.password).map_err(anyhow::Error::msg)?,
            admin,
        })
        .await?;
    println!(
        "created {} ({}){}",
        user.email,
        user.id,
        if admin { ", site administrator" } else { "" }
    );
    Ok(())
}
