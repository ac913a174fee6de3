//! The composition root: builds the sync [`Hub`] and the HTTP [`Api`] from
//! the configuration, the store and the accounts, puts the router together
//! (the API, the sync endpoint, the web app's files, security headers and
//! timeouts), and serves it: [`run`] until a shutdown future resolves, or
//! [`start`] in the background (the tests). Nothing imports this module
//! but the binary and the tests.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::accounts::Accounts;
use crate::auth::{AllowAll, Authorizer};
use crate::config::Config;
use crate::http::{Api, ApiSettings};
use crate::hub::{AuditSink, Hub, SyncSettings};
use crate::security::Origins;
use crate::store::Store;

/// The server's parts. Handlers never see it whole: they extract the
/// [`Hub`] or the [`Api`] (axum `FromRef`).
#[derive(Debug, Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// Everything the sync path needs.
    pub hub: Arc<Hub>,
    /// Everything the HTTP API needs.
    pub api: Arc<Api>,
    /// Accounts, groups and roles; `None` in open-access mode.
    pub accounts: Option<Arc<Accounts>>,
}

impl FromRef<AppState> for Arc<Hub> {
    fn from_ref(s: &AppState) -> Self {
        s.hub.clone()
    }
}

impl FromRef<AppState> for Arc<Api> {
    fn from_ref(s: &AppState) -> Self {
        s.api.clone()
    }
}

impl AppState {
    /// Open access: no accounts (see `Config::open_access`).
    pub fn new(config: Config, store: Arc<dyn Store>) -> Arc<Self> {
        Self::build(config, store, None)
    }

    /// Accounts, groups and roles enforced on every request and message.
    pub fn with_accounts(
        config: Config,
        store: Arc<dyn Store>,
        accounts: Arc<Accounts>,
    ) -> Arc<Self> {
        Self::build(config, store, Some(accounts))
    }

    fn build(config: Config, store: Arc<dyn Store>, accounts: Option<Arc<Accounts>>) -> Arc<Self> {
        let (authorizer, audit): (Arc<dyn Authorizer>, Option<Arc<dyn AuditSink>>) = match &accounts
        {
            Some(a) => (a.clone(), Some(a.clone())),
            None => (Arc::new(AllowAll), None),
        };
        let hub = Hub::new(
            SyncSettings::from(&config),
            store.clone(),
            authorizer,
            audit,
        );
        if let Some(a) = &accounts {
            a.set_hooks(crate::hooks::Dispatcher::new(
                a.directory().clone(),
                config.webhook_timeout,
                config.webhook_retry,
                config.outbox_poll,
            ));
        }
        if let (Some(a), Some(url)) = (&accounts, &config.smtp_url) {
            let settings = crate::mail::MailSettings {
                smtp_url: url.clone(),
                from: config.mail_from.clone(),
                retry: config.mail_retry,
                poll: config.outbox_poll,
            };
            match crate::mail::Mailer::new(settings, a.directory().clone()) {
                Ok(m) => a.set_mailer(m),
                Err(e) => tracing::error!(error = %e, "e-mail is off"),
            }
        }
        let api = Api {
            accounts: accounts.clone(),
            store,
            origins: Origins::default(),
            settings: ApiSettings::from(&config),
        };
        Arc::new(AppState {
            config: Arc::new(config),
            hub: Arc::new(hub),
            api: Arc::new(api),
            accounts,
        })
    }
}

pub fn router(state: &AppState) -> Router {
    let web = state.config.web_dir.clone();
    let app = crate::http::routes::<AppState>();
    // The built web app if there is one (compressed, or its precompressed
    // files), else a page that says how to build it.
    let app = if web.join("index.html").is_file() {
        let files = ServeDir::new(&web)
            .precompressed_br()
            .precompressed_gzip()
            .append_index_html_on_directories(true);
        app.fallback_service(
            tower::ServiceBuilder::new()
                .layer(CompressionLayer::new())
                .service(files),
        )
    } else {
        tracing::warn!(dir = %web.display(), "no web app built there: serving a placeholder page");
        app.route("/", get(index))
    };
    app.layer(tower_http::timeout::TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        state.config.request_timeout,
    ))
    .layer(axum::middleware::from_fn(crate::security::guard))
    .layer(tower_http::trace::TraceLayer::new_for_http())
    .with_state(state.clone())
}

/// `/metrics` alone, for `--metrics-listen`.
fn metrics_router(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/metrics", get(crate::http::sync::metrics))
        .with_state(hub)
}

async fn index() -> Html<&'static str> {
    Html(include_str!("index.html"))
}

/// A running server: its address, and how to stop it.
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stops accepting, closes every connection, lets every document persist
    /// what it holds, and waits for all of it.
    pub async fn shutdown(self) -> std::io::Result<()> {
        self.state.hub.shutdown.cancel();
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// First creates the thematic groups (and with `--demo` the demo accounts
/// and cards) if they are missing (see [`crate::seed`]), then binds
/// `config.listen` and serves in the background until
/// [`Running::shutdown`].
pub async fn start(state: Arc<AppState>) -> std::io::Result<Running> {
    let listener = bind(&state).await?;
    let addr = listener.local_addr()?;
    let stop = state.hub.shutdown.clone();
    let task = tokio::spawn(run(listener, state.clone(), async move {
        stop.cancelled().await
    }));
    Ok(Running { addr, state, task })
}

/// Seeds what is missing and binds the listeners (the metrics one too).
pub async fn bind(state: &AppState) -> std::io::Result<TcpListener> {
    crate::seed::ensure(
        state.accounts.as_deref(),
        state.api.store.as_ref(),
        state.config.demo,
        crate::clock::now_ms(),
    )
    .await
    .map_err(std::io::Error::other)?;
    if let Some(at) = state.config.metrics_listen {
        let metrics = TcpListener::bind(at).await?;
        tracing::info!(addr = %metrics.local_addr()?, "metrics listening");
        let (app, stop) = (
            metrics_router(state.hub.clone()),
            state.hub.shutdown.clone(),
        );
        tokio::spawn(async move {
            axum::serve(metrics, app)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await
        });
    }
    TcpListener::bind(state.config.listen).await
}

/// Serves on `listener` until `shutdown` resolves; then closes every
/// connection and waits until every document has stored what it holds
/// (and every audit row is written).
pub async fn run(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    state.api.origins.set(&state.config, listener.local_addr()?);
    let hub = state.hub.clone();
    if let Some(m) = state.accounts.as_ref().and_then(|a| a.mailer()) {
        if let Some(origin) = state.api.origins.public() {
            m.set_base(&origin);
        }
        hub.tracker.spawn(m.clone().run(hub.shutdown.clone()));
    }
    if let Some(d) = state.accounts.as_ref().and_then(|a| a.hooks()) {
        hub.tracker.spawn(d.clone().run(hub.shutdown.clone()));
    }
    let stop = hub.shutdown.clone();
    tokio::spawn(async move {
        shutdown.await;
        stop.cancel();
    });
    let limits = crate::listener::Limits {
        max_connections: state.config.max_connections,
        max_unauthenticated: state.config.max_unauthenticated,
        header_timeout: state.config.header_timeout,
    };
    crate::listener::serve(
        listener,
        router(&state),
        limits,
        hub.shutdown.clone(),
        hub.tracker.clone(),
    )
    .await?;
    hub.tracker.close();
    hub.tracker.wait().await;
    Ok(())
}
