//! Assembles the platform: configuration, database, keys, rate limiter, the enabled services,
//! background workers, and the HTTP server. `main` and the tests both start it through [`start`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sbm_common::app::{AppState, Inner, ServiceRouter, build_app, serve};
use sbm_common::config::Config;
use sbm_common::identity::JwtKeys;
use sbm_common::ratelimit::RateLimiter;
use tokio_util::sync::CancellationToken;

/// Services built into this binary so far.
pub const IMPLEMENTED: [&str; 2] = ["auth", "point"];

/// A running platform.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    pub auth: Arc<sbm_auth::AuthCtx>,
    pub shutdown: CancellationToken,
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops the server and workers, waiting for them.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.server.await;
        for w in self.workers {
            let _ = w.await;
        }
    }
}

async fn connect_redis(url: &str) -> anyhow::Result<redis::aio::ConnectionManager> {
    let client = redis::Client::open(url).context("SBM_REDIS_URL is not a valid Redis URL")?;
    let cfg = redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(2)))
        .set_response_timeout(Some(Duration::from_secs(2)));
    let conn = tokio::time::timeout(Duration::from_secs(3), client.get_connection_manager_with_config(cfg))
        .await
        .map_err(|_| anyhow::anyhow!("timed out"))??;
    Ok(conn)
}

/// The services this configuration asks for, refusing those not built yet.
pub fn service_routers(config: &Config, auth: &Arc<sbm_auth::AuthCtx>) -> anyhow::Result<Vec<ServiceRouter>> {
    let mut out = Vec::new();
    for name in &config.services {
        match name.as_str() {
            "auth" => out.push(sbm_auth::router(auth.clone())),
            "point" => out.push(sbm_point::router(config.max_upload_bytes)),
            other if config.services_explicit => {
                anyhow::bail!(
                    "SBM_SERVICES: service `{other}` is not part of this build yet (available: {})",
                    IMPLEMENTED.join(", ")
                )
            }
            other => tracing::info!(service = other, "service not part of this build yet; skipped"),
        }
    }
    Ok(out)
}

/// Builds state, applies migrations on the embedded database (or checks them on PostgreSQL,
/// where `migrate` is a deployment step), bootstraps the first admin, and serves on
/// `listener` until `shutdown` is cancelled.
pub async fn start(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<Running> {
    start_with(config, listener, shutdown, Vec::new()).await
}

/// [`start`] with extra routers mounted beside the services (tests use it to exercise the
/// middleware stack with routes that panic or hang).
pub async fn start_with(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: CancellationToken,
    extra: Vec<ServiceRouter>,
) -> anyhow::Result<Running> {
    let db = sbm_common::db::connect(&config).await?;
    if config.migrate_on_start {
        sbm_migrations::migrate(&db).await.context("applying migrations")?;
    } else {
        let pending = sbm_migrations::pending(&db).await?;
        if !pending.is_empty() {
            anyhow::bail!(
                "the database has {} pending migration(s); run `sbm-crm migrate` first (or set SBM_MIGRATE_ON_START=true)",
                pending.len()
            );
        }
    }
    let keys = Arc::new(JwtKeys::load(&config)?);
    let redis = match &config.redis_url {
        None => None,
        Some(url) => match connect_redis(&url.0).await {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::error!(error = %e, "Redis unreachable at start; rate limiting falls back until it answers");
                None
            }
        },
    };
    let redis_missing = config.redis_url.is_some() && redis.is_none();
    let limiter = Arc::new(RateLimiter::new(
        config.rate_limit.clone(),
        redis,
        config.redis_url.is_some(),
        &config.redis_prefix,
    ));
    if config.redis_url.is_none() {
        tracing::info!("no SBM_REDIS_URL: in-process rate limiting (one replica only)");
    }
    let auth = sbm_auth::AuthCtx::new(db.clone());
    let mut services = service_routers(&config, &auth)?;
    services.extend(extra);
    let state = AppState::new(Inner {
        config: config.clone(),
        db: db.clone(),
        keys,
        limiter: limiter.clone(),
        api_keys: auth.api_keys.clone(),
        shutdown: shutdown.clone(),
        clock: sbm_common::clock::Clock::default(),
    });
    if let (Some(email), Some(pw)) = (&config.bootstrap_admin_email, &config.bootstrap_admin_password) {
        sbm_auth::bootstrap_admin(&state.db, email, &pw.0, false)
            .await
            .map_err(|e| {
                let detail: Vec<String> = e.errors.iter().map(|f| format!("{} {}", f.field, f.message)).collect();
                anyhow::anyhow!(
                    "SBM_BOOTSTRAP_ADMIN_EMAIL: cannot create the first admin: {} {}",
                    e.message,
                    detail.join("; ")
                )
            })?;
    }
    let mut workers = Vec::new();
    if redis_missing {
        let url = config.redis_url.clone().map(|u| u.0).unwrap_or_default();
        let limiter = limiter.clone();
        workers.push(
            sbm_common::jobs::Job::new("redis.reconnect", Duration::from_secs(5), move || {
                let (url, limiter) = (url.clone(), limiter.clone());
                async move {
                    if !limiter.has_redis().await {
                        let conn = connect_redis(&url).await?;
                        limiter.set_redis(conn).await;
                        tracing::info!("Redis reachable again; distributed rate limiting resumed");
                    }
                    Ok(())
                }
            })
            .spawn(shutdown.clone()),
        );
    }
    workers.push(tokio::spawn(sbm_auth::run_last_used_flusher(
        auth.api_keys.clone(),
        Duration::from_secs(30),
        shutdown.clone(),
    )));
    {
        let db = db.clone();
        let clock = state.clock.clone();
        workers.push(
            sbm_common::jobs::Job::new("idempotency.purge", Duration::from_secs(3600), move || {
                let (db, clock) = (db.clone(), clock.clone());
                async move {
                    sbm_common::idempotency::purge(&db, clock.now()).await?;
                    Ok(())
                }
            })
            .spawn(shutdown.clone()),
        );
    }
    if config.runs("point") {
        workers.extend(sbm_point::spawn_workers(&state));
    }
    sbm_common::app::metrics_handle();
    let served: Vec<&'static str> = services.iter().map(|s| s.name).collect();
    let app = build_app(state.clone(), services);
    let addr = listener.local_addr()?;
    let server = tokio::spawn(serve(listener, app, shutdown.clone(), Duration::from_secs(20)));
    tracing::info!(%addr, services = ?served, "SBM CRM listening");
    Ok(Running {
        addr,
        state,
        auth,
        shutdown,
        server,
        workers,
    })
}

/// Creates an admin account even when staff exist (the `create-admin` command).
pub async fn create_admin(db: sea_orm::DatabaseConnection, email: &str, password: &str) -> anyhow::Result<bool> {
    sbm_auth::bootstrap_admin(&db, email, password, true)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: {}",
                e.message,
                e.errors
                    .iter()
                    .map(|f| format!("{} {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })
}

/// The OpenAPI document of one service, as JSON.
pub fn openapi_json(service: &str) -> anyhow::Result<String> {
    let db = sea_orm::DatabaseConnection::default();
    let auth = sbm_auth::AuthCtx::new(db);
    let svc = match service {
        "auth" => sbm_auth::router(auth),
        "point" => sbm_point::router(5 * 1024 * 1024),
        other => anyhow::bail!(
            "unknown or not yet built service `{other}` (available: {})",
            IMPLEMENTED.join(", ")
        ),
    };
    let (_, doc) = sbm_common::app::service_openapi(svc);
    Ok(doc.to_pretty_json()?)
}
