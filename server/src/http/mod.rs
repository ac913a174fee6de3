//! # The HTTP side
//!
//! One module per resource, each with its routes and its handlers:
//! [`sessions`] (sign-in, sign-out, me), [`tokens`] (API tokens,
//! revocation), [`groups`] (groups and members), [`invitations`],
//! [`documents`] (a group's documents, metadata, audit), [`preview`] (a
//! card's description and the server's copy, to draw it before the WASM
//! client is in), [`meetings`] (a
//! body's meetings, attendance, decisions, action items, minutes), [`openapi`] (the
//! description of all of them), and [`sync`] (the WebSocket upgrade,
//! health, readiness, metrics).
//!
//! Handlers take narrow states through axum's `FromRef`: [`Api`] (accounts,
//! store, origins, the settings the API reads) or the sync [`crate::hub::Hub`],
//! never the whole server. The caller comes from the [`extract`]ors
//! ([`extract::Caller`], [`extract::Writer`]: a credential, and for writes
//! an allowed origin); failures are one [`error::ApiError`] with a typed
//! code. The rules of the domain are in [`crate::accounts::rules`].

pub mod comments;
pub mod documents;
pub mod error;
pub mod extract;
pub mod groups;
pub mod hooks;
pub mod inbox;
pub mod invitations;
pub mod meetings;
pub mod openapi;
pub mod preview;
pub mod process;
pub mod review;
pub mod sessions;
pub mod sync;
pub mod tokens;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::FromRef;

use crate::accounts::Accounts;
use crate::config::Config;
use crate::hub::Hub;
use crate::security::Origins;
use crate::store::Store;

/// What the API's handlers share.
#[derive(Debug)]
pub struct Api {
    /// `None` in open-access mode (the API then answers `open_access`).
    pub accounts: Option<Arc<Accounts>>,
    pub store: Arc<dyn Store>,
    /// The origins browsers may call from.
    pub origins: Origins,
    pub settings: ApiSettings,
}

/// The settings the API reads (from [`Config`]).
#[derive(Debug, Clone)]
pub struct ApiSettings {
    pub secure_cookies: bool,
    pub session_ttl: Duration,
    pub invitation_ttl: Duration,
    pub cards_per_hour: usize,
    pub trusted_proxies: Vec<IpAddr>,
    pub metrics_token: Option<String>,
}

impl From<&Config> for ApiSettings {
    fn from(c: &Config) -> Self {
        ApiSettings {
            secure_cookies: c.secure_cookies,
            session_ttl: c.session_ttl,
            invitation_ttl: c.invitation_ttl,
            cards_per_hour: c.cards_per_hour,
            trusted_proxies: c.trusted_proxies.clone(),
            metrics_token: c.metrics_token.clone(),
        }
    }
}

/// Every route of the API and the sync endpoints, for any router state
/// that holds an [`Api`] and a [`Hub`].
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Api>: FromRef<S>,
    Arc<Hub>: FromRef<S>,
{
    Router::new()
        .merge(sync::routes())
        .merge(sessions::routes())
        .merge(tokens::routes())
        .merge(groups::routes())
        .merge(invitations::routes())
        .merge(comments::routes())
        .merge(inbox::routes())
        .merge(hooks::routes())
        .merge(meetings::routes())
        .merge(process::routes())
        .merge(documents::routes())
        .merge(review::routes())
        .merge(preview::routes())
        .merge(openapi::routes())
}
