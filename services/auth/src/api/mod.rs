//! HTTP handlers, one module per resource, and what they share: the auth context, token
//! signing and cookies, the WeChat client, and the mapping of domain errors to statuses.

pub mod api_keys;
pub mod consent;
pub mod credentials;
pub mod error;
pub mod members;
pub mod password_reset;
pub mod session;
pub mod staff;
pub mod tokens;
pub mod wechat_client;

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use sbm_common::clock::Clock;
use sbm_common::jobs::Job;
use sbm_common::{AppState, ServiceModule};
use sea_orm::DatabaseConnection;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use credentials::Credentials;
pub use wechat_client::{HttpWechat, WechatClient};

const NAME: &str = "auth";
const TITLE: &str = "SBM CRM auth service";

/// What the auth handlers need beyond [`AppState`].
pub struct AuthCtx {
    pub wechat: Arc<dyn WechatClient>,
}

impl AuthCtx {
    /// The production context: the real WeChat API.
    pub fn new() -> Arc<Self> {
        let wechat = HttpWechat::new().expect("the TLS backend of the HTTP client initialises");
        Arc::new(Self {
            wechat: Arc::new(wechat),
        })
    }
}

/// The credential store the identity middleware of every service uses
/// (`AppState::credentials`): API-key lookups cached for 30 s, session checks for
/// `session_check` (`SBM_SESSION_CHECK_SECONDS`), API-key last use recorded in memory and
/// written by [`api_key_last_use_job`].
pub fn credential_store(db: DatabaseConnection, clock: Clock, session_check: Duration) -> Arc<Credentials> {
    Arc::new(Credentials::new(db, clock, Duration::from_secs(30), session_check))
}

/// Writes API keys' last use every 30 s, and once more at shutdown. The server runs it
/// whichever services are served, since every service resolves keys.
pub fn api_key_last_use_job(state: &AppState) -> Job {
    let state = state.clone();
    Job::new("auth.api-key-last-use", Duration::from_secs(30), move || {
        let state = state.clone();
        async move {
            state.credentials.flush().await?;
            Ok(())
        }
    })
    .at_shutdown()
}

fn routes(ctx: Arc<AuthCtx>) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session::login))
        .routes(routes!(session::refresh))
        .routes(routes!(session::check_session))
        .routes(routes!(session::logout))
        .routes(routes!(session::jwks))
        .routes(routes!(password_reset::request))
        .routes(routes!(password_reset::confirm))
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
        .layer(Extension(ctx))
}

/// The auth service as the server runs it: its routes; no jobs of its own (see
/// [`api_key_last_use_job`]), no consumers.
pub fn module() -> ServiceModule {
    ServiceModule {
        name: NAME,
        title: TITLE,
        routes: |_| routes(AuthCtx::new()),
        jobs: ServiceModule::no_jobs,
        consumers: ServiceModule::no_consumers,
        permissions: crate::domain::permissions::ALL,
    }
}
