//! Assembles the platform: configuration, database, keys, rate limiter, the enabled services,
//! background workers, and the HTTP server. `main` and the tests both start it through [`start`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sbm_common::app::{AppState, Inner, ServeLimits, ServiceRouter, build_app, serve};
use sbm_common::config::Config;
use sbm_common::identity::JwtKeys;
use sbm_common::jobs::Job;
use sbm_common::ratelimit::RateLimiter;
use sbm_common::{ServiceModule, outbox};
use tokio_util::sync::CancellationToken;

/// Every service built into this binary, in the order `serve` lists them. Adding a service is
/// one line here.
pub fn modules() -> Vec<ServiceModule> {
    vec![
        sbm_auth::module(),
        sbm_cluster::module(),
        sbm_point::module(),
        sbm_reward::module(),
        sbm_notification::module(),
    ]
}

/// A running platform.
pub struct Running {
    pub addr: SocketAddr,
    /// Where `/metrics` is served, unless `SBM_METRICS_LISTEN=off`.
    pub metrics_addr: Option<SocketAddr>,
    pub state: AppState,
    /// Cancelling it starts the server's shutdown (drain, then grace).
    pub shutdown: CancellationToken,
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
    /// Stops the jobs, consumers and the metrics listener once the server is done, so what
    /// requests did during the drain is still flushed and consumed.
    workers_stop: CancellationToken,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Shuts the server down (drain, then in-flight requests within the grace), then stops
    /// the workers, waiting for them.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.server.await;
        self.workers_stop.cancel();
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

/// The modules this configuration serves, refusing names not built yet when they were asked
/// for explicitly.
pub fn served_modules(config: &Config) -> anyhow::Result<Vec<ServiceModule>> {
    let mut built = modules();
    let names: Vec<&str> = built.iter().map(|m| m.name).collect();
    for name in &config.services {
        if !names.contains(&name.as_str()) {
            if config.services_explicit {
                anyhow::bail!(
                    "SBM_SERVICES: service `{name}` is not part of this build yet (available: {})",
                    names.join(", ")
                );
            }
            tracing::info!(service = %name, "service not part of this build yet; skipped");
        }
    }
    built.retain(|m| config.runs(m.name));
    Ok(built)
}

/// The state every service's routes, jobs and consumers get.
fn app_state(
    config: Config,
    db: sea_orm::DatabaseConnection,
    keys: Arc<JwtKeys>,
    limiter: Arc<RateLimiter>,
    fanout: Arc<sbm_common::fanout::Fanout>,
    shutdown: CancellationToken,
) -> AppState {
    let clock = sbm_common::clock::Clock::default();
    let credentials = sbm_auth::api::credential_store(db.clone(), clock.clone(), config.session_check);
    AppState::new(Inner {
        config,
        db,
        keys,
        limiter,
        credentials,
        shutdown,
        clock,
        fanout,
        permissions: modules().iter().flat_map(|m| m.permissions.iter().copied()).collect(),
    })
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
    let served = served_modules(&config)?;
    let fanout = Arc::new(match &config.redis_url {
        Some(url) => sbm_common::fanout::Fanout::redis(&url.0, &config.redis_prefix)?,
        None => sbm_common::fanout::Fanout::local(),
    });
    let state = app_state(
        config.clone(),
        db.clone(),
        keys,
        limiter.clone(),
        fanout.clone(),
        shutdown.clone(),
    );
    let mut services: Vec<ServiceRouter> = served
        .iter()
        .map(|m| ServiceRouter {
            name: m.name,
            router: (m.routes)(&state),
            title: m.title,
        })
        .collect();
    services.extend(extra);
    if let (Some(email), Some(pw)) = (&config.bootstrap_admin_email, &config.bootstrap_admin_password) {
        sbm_auth::domain::staff::bootstrap_admin(&state.db, email, &pw.0, false, state.clock.now())
            .await
            .map_err(|e| anyhow::anyhow!("SBM_BOOTSTRAP_ADMIN_EMAIL: cannot create the first admin: {e}"))?;
    }
    let mut workers = Vec::new();
    let workers_stop = CancellationToken::new();
    if redis_missing {
        let url = config.redis_url.clone().map(|u| u.0).unwrap_or_default();
        let limiter = limiter.clone();
        workers.push(
            Job::new("redis.reconnect", Duration::from_secs(5), move || {
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
            .spawn(workers_stop.clone()),
        );
    }
    if fanout.distributed() {
        let stop = workers_stop.clone();
        workers.push(tokio::spawn(async move { fanout.listen(stop).await }));
    }
    // Every service resolves API keys, so their last-use flush runs whichever are served.
    workers.push(sbm_auth::api::api_key_last_use_job(&state).spawn(workers_stop.clone()));
    {
        let db = db.clone();
        let clock = state.clock.clone();
        workers.push(
            Job::new("idempotency.purge", Duration::from_secs(3600), move || {
                let (db, clock) = (db.clone(), clock.clone());
                async move {
                    sbm_common::idempotency::purge(&db, clock.now()).await?;
                    Ok(())
                }
            })
            .spawn(workers_stop.clone()),
        );
    }
    for m in &served {
        for job in (m.jobs)(&state) {
            workers.push(job.spawn(workers_stop.clone()));
        }
        for consumer in (m.consumers)(&state) {
            let runner = outbox::Runner::new(db.clone(), consumer).with_clock(state.clock.clone());
            workers.push(runner.into_job(config.outbox_poll_interval).spawn(workers_stop.clone()));
        }
    }
    sbm_common::app::metrics_handle();
    let served: Vec<&'static str> = services.iter().map(|s| s.name).collect();
    let app = build_app(state.clone(), services);
    let addr = listener.local_addr()?;
    let limits = ServeLimits::from_config(&config);
    let metrics_addr = match config.metrics_listen {
        None => None,
        Some(at) => {
            let l = tokio::net::TcpListener::bind(at)
                .await
                .with_context(|| format!("SBM_METRICS_LISTEN: cannot bind {at}"))?;
            let bound = l.local_addr()?;
            let stop = workers_stop.clone();
            let limits = ServeLimits {
                drain: Duration::ZERO,
                ..limits
            };
            workers.push(tokio::spawn(async move {
                let _ = serve(l, sbm_common::app::metrics_router(), stop, limits).await;
            }));
            tracing::info!(addr = %bound, "metrics listening");
            Some(bound)
        }
    };
    let server = tokio::spawn(serve(listener, app, shutdown.clone(), limits));
    tracing::info!(%addr, services = ?served, "SBM CRM listening");
    Ok(Running {
        addr,
        metrics_addr,
        state,
        shutdown,
        server,
        workers_stop,
        workers,
    })
}

/// Creates an admin account even when staff exist (the `create-admin` command).
pub async fn create_admin(db: sea_orm::DatabaseConnection, email: &str, password: &str) -> anyhow::Result<bool> {
    let now = sbm_common::clock::Clock::default().now();
    sbm_auth::domain::staff::bootstrap_admin(&db, email, password, true, now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The OpenAPI document of one service, as JSON (no database or network needed).
pub fn openapi_json(service: &str) -> anyhow::Result<String> {
    let all = modules();
    let Some(m) = all.iter().find(|m| m.name == service) else {
        let names: Vec<&str> = all.iter().map(|m| m.name).collect();
        anyhow::bail!(
            "unknown or not yet built service `{service}` (available: {})",
            names.join(", ")
        );
    };
    let config = Config::from_map(Default::default())?;
    let keys = JwtKeys::from_signing_key(ed25519_dalek::SigningKey::from_bytes(&[0; 32]), &config.jwt_issuer);
    let limiter = RateLimiter::new(config.rate_limit.clone(), None, false, "");
    let state = app_state(
        config,
        sea_orm::DatabaseConnection::default(),
        Arc::new(keys),
        Arc::new(limiter),
        Arc::new(sbm_common::fanout::Fanout::local()),
        CancellationToken::new(),
    );
    let (_, doc) = sbm_common::app::service_openapi(ServiceRouter {
        name: m.name,
        router: (m.routes)(&state),
        title: m.title,
    });
    Ok(doc.to_pretty_json()?)
}
