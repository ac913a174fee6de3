//! The router and the server's lifetime.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::auth::{AllowAll, Authorizer, Identity};
use crate::config::Config;
use crate::hub::{AuditSink, Hub, SyncSettings};
use crate::store::Store;

/// Bytes read from a socket at a time.
const READ_BUFFER: usize = 4 * 1024;

/// The composition root: the whole configuration, the sync hub, the
/// accounts and the allowed origins. Only the router and `run` see it;
/// the sync path gets the [`Hub`], handlers what they extract.
#[derive(Debug)]
pub struct AppState {
    pub config: Config,
    /// Everything the sync path needs.
    pub hub: Arc<Hub>,
    /// Accounts, groups and roles; `None` in open-access mode.
    pub accounts: Option<Arc<crate::accounts::Accounts>>,
    /// The origins browsers may call from (set when the listener is bound).
    pub origins: crate::security::Origins,
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
        accounts: Arc<crate::accounts::Accounts>,
    ) -> Arc<Self> {
        Self::build(config, store, Some(accounts))
    }

    fn build(
        config: Config,
        store: Arc<dyn Store>,
        accounts: Option<Arc<crate::accounts::Accounts>>,
    ) -> Arc<Self> {
        let (authorizer, audit): (Arc<dyn Authorizer>, Option<Arc<dyn AuditSink>>) = match &accounts
        {
            Some(a) => (a.clone(), Some(a.clone())),
            None => (Arc::new(AllowAll), None),
        };
        let hub = Hub::new(SyncSettings::from(&config), store, authorizer, audit);
        Arc::new(AppState {
            config,
            hub: Arc::new(hub),
            accounts,
            origins: crate::security::Origins::default(),
        })
    }
}

pub fn router(state: Arc<AppState>) -> Router {
    let web = state.config.web_dir.clone();
    let api = Router::new()
        .route("/sync", get(sync_socket))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(public_metrics))
        .merge(crate::api::routes());
    // The built web app if there is one (compressed, or its precompressed
    // files), else a page that says how to build it.
    let api = if web.join("index.html").is_file() {
        let files = ServeDir::new(&web)
            .precompressed_br()
            .precompressed_gzip()
            .append_index_html_on_directories(true);
        api.fallback_service(
            tower::ServiceBuilder::new()
                .layer(CompressionLayer::new())
                .service(files),
        )
    } else {
        tracing::warn!(dir = %web.display(), "no web app built there: serving a placeholder page");
        api.route("/", get(index))
    };
    let timeout = state.config.request_timeout;
    api.layer(tower_http::timeout::TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        timeout,
    ))
    .layer(axum::middleware::from_fn(crate::security::guard))
    .layer(tower_http::trace::TraceLayer::new_for_http())
    .with_state(state)
}

/// `/metrics` on its own address (`--metrics-listen`).
fn metrics_router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn sync_socket(
    State(state): State<Arc<AppState>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    slot: Option<axum::Extension<crate::listener::Slot>>,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
    ws: WebSocketUpgrade,
) -> Response {
    if state.hub.shutdown.is_cancelled() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    // Accounts: a valid session cookie or API token, from an allowed
    // origin, before anything else happens.
    let identity = match &state.accounts {
        None => Identity::Anonymous { addr: Some(addr) },
        Some(_) => {
            if !state.origins.allow(&headers) {
                return crate::api::ApiError::forbidden("this origin may not open the sync socket")
                    .into_response();
            }
            match crate::api::credential(&state, &headers, uri.query()).await {
                Ok(Some(c)) => Identity::User(c),
                Ok(None) => {
                    return crate::api::ApiError::unauthorized(
                        "sign in, or present an API token (Authorization: Bearer, or ?token=)",
                    )
                    .into_response();
                }
                Err(e) => return e.into_response(),
            }
        }
    };
    // A signed-in (or open-access) socket no longer counts among the
    // connections that have not authenticated.
    if let Some(axum::Extension(slot)) = slot {
        slot.authenticated();
    }
    let hub = state.hub.clone();
    ws.max_message_size(state.config.max_message_bytes)
        .max_frame_size(state.config.max_frame_bytes)
        // tungstenite's default buffers are 128 KiB each way, per socket:
        // too much for thousands of mostly idle editors. Reads grow the
        // buffer as a large message needs; writes go out frame by frame.
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .on_upgrade(move |socket| {
            let (sink, stream) = socket.split();
            hub.tracker
                .clone()
                .track_future(crate::hub::serve(hub, identity, sink, stream))
        })
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    if state.hub.shutdown.is_cancelled() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match state.hub.store.check().await {
        Ok(()) => "ready".into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {e}")).into_response(),
    }
}

/// `/metrics` on the public listener: only with `--metrics-token`, to
/// requests that bear it.
async fn public_metrics(
    State(state): State<Arc<AppState>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match (&state.config.metrics_token, bearer) {
        (Some(want), Some(got)) if crate::accounts::same_secret(want, got) => {
            metrics(State(state)).await
        }
        (Some(_), _) => {
            (StatusCode::UNAUTHORIZED, "metrics need the metrics token").into_response()
        }
        (None, _) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.hub.metrics.render(),
    )
        .into_response()
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
        self.shutdown_when_cancelled().await
    }

    /// Waits until something else cancels `state.shutdown` and the drain ends.
    pub async fn shutdown_when_cancelled(self) -> std::io::Result<()> {
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// Binds `config.listen` and serves in the background.
/// First creates the thematic groups (and with `--demo` the demo
/// accounts and cards) if they are missing (see [`crate::seed`]).
pub async fn start(state: Arc<AppState>) -> std::io::Result<Running> {
    crate::seed::ensure(&state, crate::clock::now_ms())
        .await
        .map_err(std::io::Error::other)?;
    let listener = TcpListener::bind(state.config.listen).await?;
    let addr = listener.local_addr()?;
    if let Some(at) = state.config.metrics_listen {
        let metrics = TcpListener::bind(at).await?;
        tracing::info!(addr = %metrics.local_addr()?, "metrics listening");
        let (app, shutdown) = (metrics_router(state.clone()), state.hub.shutdown.clone());
        tokio::spawn(async move {
            axum::serve(metrics, app)
                .with_graceful_shutdown(async move { shutdown.cancelled().await })
                .await
        });
    }
    let task = tokio::spawn(run(listener, state.clone()));
    Ok(Running { addr, state, task })
}

/// Serves on `listener` until `state.shutdown` is cancelled, then drains.
pub async fn run(listener: TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    state.origins.set(&state.config, listener.local_addr()?);
    let limits = crate::listener::Limits {
        max_connections: state.config.max_connections,
        max_unauthenticated: state.config.max_unauthenticated,
        header_timeout: state.config.header_timeout,
    };
    crate::listener::serve(
        listener,
        router(state.clone()),
        limits,
        state.hub.shutdown.clone(),
        state.hub.tracker.clone(),
    )
    .await?;
    state.hub.tracker.close();
    state.hub.tracker.wait().await;
    Ok(())
}
