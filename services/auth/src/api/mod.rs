//! HTTP handlers, one module per resource, and what they share: the auth context, token
//! signing and cookies, the WeChat client, and the mapping of domain errors to statuses.

pub mod api_keys;
pub mod consent;
pub mod error;
pub mod key_store;
pub mod members;
pub mod session;
pub mod staff;
pub mod tokens;
pub mod wechat_client;

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use sbm_common::ServiceRouter;
use sbm_common::clock::Clock;
use sea_orm::DatabaseConnection;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use key_store::ApiKeyStore;
pub use wechat_client::{HttpWechat, WechatClient};

/// What the auth handlers need beyond [`sbm_common::AppState`].
pub struct AuthCtx {
    pub api_keys: Arc<ApiKeyStore>,
    pub wechat: Arc<dyn WechatClient>,
}

impl AuthCtx {
    /// The production context: keys cached for 30 s, the real WeChat API.
    pub fn new(db: DatabaseConnection, clock: Clock) -> Arc<Self> {
        let wechat = HttpWechat::new().expect("the TLS backend of the HTTP client initialises");
        Arc::new(Self {
            api_keys: Arc::new(ApiKeyStore::new(db, clock, Duration::from_secs(30))),
            wechat: Arc::new(wechat),
        })
    }
}

/// Flushes API-key last-use times every `every` until cancelled, then once more.
pub async fn run_last_used_flusher(store: Arc<ApiKeyStore>, every: Duration, cancel: sbm_common::app::CancelToken) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => break,
            _ = tokio::time::sleep(every) => {}
        }
        if let Err(e) = store.flush_last_used().await {
            tracing::warn!(error = %e, "could not record API key last use");
        }
    }
    let _ = store.flush_last_used().await;
}

/// The auth routes, documented.
pub fn router(ctx: Arc<AuthCtx>) -> ServiceRouter {
    let router = OpenApiRouter::new()
        .routes(routes!(session::login))
        .routes(routes!(session::refresh))
        .routes(routes!(session::check_session))
        .routes(routes!(session::logout))
        .routes(routes!(session::jwks))
        .routes(routes!(staff::list, staff::create))
        .routes(routes!(staff::me))
        .routes(routes!(staff::get, staff::update, staff::delete))
        .routes(routes!(members::wechat_login))
        .routes(routes!(members::me, members::update_me))
        .routes(routes!(members::qr_code))
        .routes(routes!(members::verify_qr))
        .routes(routes!(members::list, members::enrol))
        .routes(routes!(members::get, members::update, members::delete))
        .routes(routes!(consent::list, consent::create))
        .routes(routes!(consent::current))
        .routes(routes!(consent::get))
        .routes(routes!(consent::my_history, consent::record))
        .routes(routes!(consent::member_history))
        .routes(routes!(api_keys::list, api_keys::create))
        .routes(routes!(api_keys::get, api_keys::update, api_keys::revoke))
        .routes(routes!(api_keys::rotate))
        .layer(Extension(ctx));
    ServiceRouter {
        name: "auth",
        router,
        title: "SBM CRM auth service",
    }
}
