//! The sync endpoint (`GET /sync`: the WebSocket upgrade, after the
//! credential and origin checks), health, readiness and metrics.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;

use super::Api;
use super::error::ApiError;
use crate::auth::Identity;
use crate::hub::Hub;

/// Bytes read from a socket at a time.
const READ_BUFFER: usize = 4 * 1024;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: axum::extract::FromRef<S>,
    Arc<Hub>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/sync", get(sync_socket))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(public_metrics))
}

/// Who opens the socket: anyone in open access; else a valid session
/// cookie or API token, from an allowed origin, before anything else.
async fn identity(
    api: &Api,
    addr: SocketAddr,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<Identity, ApiError> {
    if api.accounts.is_none() {
        return Ok(Identity::Anonymous { addr: Some(addr) });
    }
    if !api.origins.allow(headers) {
        return Err(ApiError::forbidden(
            "this origin may not open the sync socket",
        ));
    }
    match api.credential(headers, uri.query()).await? {
        Some(c) => Ok(Identity::User(c)),
        None => Err(ApiError::unauthorized(
            "sign in, or present an API token (Authorization: Bearer, or ?token=)",
        )),
    }
}

async fn sync_socket(
    State(hub): State<Arc<Hub>>,
    State(api): State<Arc<Api>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    slot: Option<axum::Extension<crate::listener::Slot>>,
    headers: HeaderMap,
    uri: Uri,
    ws: WebSocketUpgrade,
) -> Response {
    if hub.shutdown.is_cancelled() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    let identity = match identity(&api, addr, &headers, &uri).await {
        Ok(i) => i,
        Err(e) => return e.into_response(),
    };
    // A signed-in (or open-access) socket no longer counts among the
    // connections that have not authenticated.
    if let Some(axum::Extension(slot)) = slot {
        slot.authenticated();
    }
    ws.max_message_size(hub.settings.max_message_bytes)
        .max_frame_size(hub.settings.max_frame_bytes)
        // tungstenite's default buffers are 128 KiB each way, per socket:
        // too much for thousands of mostly idle editors. Reads grow the
        // buffer as a large message needs; writes go out frame by frame.
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .on_upgrade(move |socket| {
            let (sink, stream) = socket.split();
            let tracker = hub.tracker.clone();
            tracker.track_future(crate::hub::serve(hub, identity, sink, stream))
        })
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(hub): State<Arc<Hub>>) -> Response {
    if hub.shutdown.is_cancelled() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match hub.store.check().await {
        Ok(()) => "ready".into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {e}")).into_response(),
    }
}

/// `/metrics` on the public listener: only with `--metrics-token`, to
/// requests that bear it.
async fn public_metrics(
    State(hub): State<Arc<Hub>>,
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match (&api.settings.metrics_token, bearer) {
        (Some(want), Some(got)) if crate::accounts::same_secret(want, got) => {
            metrics(State(hub)).await
        }
        (Some(_), _) => {
            (StatusCode::UNAUTHORIZED, "metrics need the metrics token").into_response()
        }
        (None, _) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// Prometheus text (also served alone on `--metrics-listen`).
pub async fn metrics(State(hub): State<Arc<Hub>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        hub.metrics.render(),
    )
        .into_response()
}
