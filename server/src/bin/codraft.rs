//! The `codraft` binary: `codraft serve` runs the server.

use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use codraft_server::store::SqliteStore;
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
    /// Run the sync server on the embedded SQLite store.
    Serve(Config),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn")),
        )
        .init();
    let Cli { command } = Cli::parse();
    match command {
        Command::Serve(config) => serve(config).await,
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let store = SqliteStore::open(&config.data_dir, config.sqlite_sync)
        .with_context(|| format!("opening the data directory {}", config.data_dir.display()))?;
    tracing::info!(db = %store.path().display(), "embedded store open");
    let state = AppState::new(config, Arc::new(store.clone()));
    let running = codraft_server::app::start(state.clone())
        .await
        .with_context(|| format!("listening on {}", state.config.listen))?;
    println!(
        "Codraft is running: open http://{}/ (sync endpoint ws://{}/sync)",
        running.addr, running.addr
    );
    let shutdown = state.shutdown.clone();
    tokio::spawn(async move {
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
        shutdown.cancel();
    });
    running.shutdown_when_cancelled().await?;
    store.close();
    tracing::info!("stopped");
    Ok(())
}
