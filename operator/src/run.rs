//! The running operator: one controller per kind, health and metrics endpoints, and optional
//! leader election through a Lease.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use kube::Client;
use kube::api::{Api, ObjectMeta, PostParams};
use kube::runtime::reflector::{self, reflector};
use kube::runtime::{Controller, watcher};

use crate::controller::{self, Context, Stores};
use crate::crd::{ApiKey, CrmPlatform, PointRule};

/// Reconciles running at once per controller (kube's default is unbounded).
pub const CONCURRENCY: u16 = 8;

/// Seconds a leader's lease lasts without renewal.
pub const LEASE_SECONDS: i32 = 15;

/// Tries once to hold the Lease `name` as `me`. Returns whether `me` leads now.
pub async fn try_lead(leases: &Api<Lease>, name: &str, me: &str) -> kube::Result<bool> {
    let now = k8s_openapi::jiff::Timestamp::now();
    match leases.get_opt(name).await? {
        None => {
            let lease = Lease {
                metadata: ObjectMeta {
                    name: Some(name.into()),
                    ..Default::default()
                },
                spec: Some(LeaseSpec {
                    holder_identity: Some(me.into()),
                    lease_duration_seconds: Some(LEASE_SECONDS),
                    acquire_time: Some(MicroTime(now)),
                    renew_time: Some(MicroTime(now)),
                    ..Default::default()
                }),
            };
            match leases.create(&PostParams::default(), &lease).await {
                Ok(_) => Ok(true),
                Err(kube::Error::Api(e)) if e.code == 409 => Ok(false),
                Err(e) => Err(e),
            }
        }
        Some(mut lease) => {
            let spec = lease.spec.clone().unwrap_or_default();
            let holder = spec.holder_identity.clone().unwrap_or_default();
            let renewed = spec.renew_time.as_ref().map(|t| t.0).unwrap_or(now);
            let expired =
                now.duration_since(renewed).as_secs() > i64::from(spec.lease_duration_seconds.unwrap_or(LEASE_SECONDS));
            if holder != me && !expired {
                return Ok(false);
            }
            let mut s = spec;
            if holder != me {
                s.acquire_time = Some(MicroTime(now));
                s.lease_transitions = Some(s.lease_transitions.unwrap_or(0) + 1);
            }
            s.holder_identity = Some(me.into());
            s.renew_time = Some(MicroTime(now));
            s.lease_duration_seconds = Some(LEASE_SECONDS);
            lease.spec = Some(s);
            // The resourceVersion makes this a compare-and-swap: one candidate wins a race.
            match leases.replace(name, &PostParams::default(), &lease).await {
                Ok(_) => Ok(true),
                Err(kube::Error::Api(e)) if e.code == 409 => Ok(false),
                Err(e) => Err(e),
            }
        }
    }
}

/// `/healthz` (alive), `/readyz` (controllers started) and `/metrics` (Prometheus).
pub fn health_router(ready: Arc<AtomicBool>) -> axum::Router {
    // Install the recorder now, so that what happens before the first scrape is counted.
    let handle = sbm_common::app::metrics_handle();
    axum::Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route(
            "/readyz",
            axum::routing::get(move || {
                let r = ready.clone();
                async move {
                    if r.load(Ordering::Relaxed) {
                        (axum::http::StatusCode::OK, "ready")
                    } else {
                        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "starting")
                    }
                }
            }),
        )
        .route("/metrics", axum::routing::get(move || async move { handle.render() }))
}

/// Options of `sbm-operator run`.
pub struct Options {
    pub listen: std::net::SocketAddr,
    pub leader_election: Option<(String, String)>,
}

/// Runs until SIGTERM, or until leadership is lost (then exits so Kubernetes restarts it).
pub async fn run(client: Client, opts: Options) -> anyhow::Result<()> {
    let ready = Arc::new(AtomicBool::new(false));
    let app = health_router(ready.clone());
    let listener = tokio::net::TcpListener::bind(opts.listen).await?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let mut lease_task = None;
    if let Some((namespace, me)) = opts.leader_election {
        let leases: Api<Lease> = Api::namespaced(client.clone(), &namespace);
        tracing::info!(identity = %me, "waiting for leadership");
        while !try_lead(&leases, "sbm-operator", &me).await? {
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        tracing::info!(identity = %me, "leading");
        lease_task = Some(tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs((LEASE_SECONDS / 3) as u64)).await;
                match try_lead(&leases, "sbm-operator", &me).await {
                    Ok(true) => {}
                    _ => {
                        tracing::error!("leadership lost; exiting so that another replica takes over");
                        std::process::exit(1);
                    }
                }
            }
        }));
    }

    // Each controller's own watch feeds a store the reconcilers read (platforms, PointRules);
    // Secrets get one watch of their own. No reconcile lists or fetches what a store holds.
    let config = kube::runtime::controller::Config::default().concurrency(CONCURRENCY);
    let platform_ctrl = Controller::new(Api::<CrmPlatform>::all(client.clone()), watcher::Config::default())
        .owns(
            Api::<Deployment>::all(client.clone()),
            watcher::Config::default().labels("app.kubernetes.io/managed-by=sbm-operator"),
        )
        .with_config(config.clone());
    let rule_ctrl =
        Controller::new(Api::<PointRule>::all(client.clone()), watcher::Config::default()).with_config(config.clone());
    let key_ctrl = Controller::new(Api::<ApiKey>::all(client.clone()), watcher::Config::default())
        .owns(
            Api::<Secret>::all(client.clone()),
            watcher::Config::default().labels("app.kubernetes.io/managed-by=sbm-operator"),
        )
        .with_config(config);
    let (secrets, secret_writer) = reflector::store();
    let secret_watch = reflector(
        secret_writer,
        watcher(Api::<Secret>::all(client.clone()), watcher::Config::default()),
    )
    .for_each(|_| std::future::ready(()));
    tokio::spawn(secret_watch);
    let stores = Stores {
        platforms: platform_ctrl.store(),
        secrets,
        rules: rule_ctrl.store(),
    };
    let ctx = Context::new(client.clone(), stores);
    let platforms = platform_ctrl
        .shutdown_on_signal()
        .run(
            controller::reconcile_platform,
            controller::platform_error_policy,
            ctx.clone(),
        )
        .for_each(|res| async move {
            if let Err(e) = res {
                tracing::debug!(kind = "CrmPlatform", error = %e, "reconcile error");
            }
        });
    let rules = rule_ctrl
        .shutdown_on_signal()
        .run(
            controller::reconcile::<PointRule>,
            controller::error_policy::<PointRule>,
            ctx.clone(),
        )
        .for_each(|res| async move {
            if let Err(e) = res {
                tracing::debug!(kind = "PointRule", error = %e, "reconcile error");
            }
        });
    let keys = key_ctrl
        .shutdown_on_signal()
        .run(
            controller::reconcile::<ApiKey>,
            controller::error_policy::<ApiKey>,
            ctx.clone(),
        )
        .for_each(|res| async move {
            if let Err(e) = res {
                tracing::debug!(kind = "ApiKey", error = %e, "reconcile error");
            }
        });
    ready.store(true, Ordering::Relaxed);
    tracing::info!("controllers running");
    tokio::join!(platforms, rules, keys);
    if let Some(t) = lease_task {
        t.abort();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn health_readiness_and_metrics() {
        let ready = Arc::new(AtomicBool::new(false));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = health_router(ready.clone());
        metrics::counter!("operator_reconcile_errors_total").increment(1);
        tokio::spawn(async move { axum::serve(listener, app).await });
        let get = |p: &'static str| async move {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            s.write_all(format!("GET {p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
                .await
                .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            out
        };
        assert!(get("/healthz").await.starts_with("HTTP/1.1 200"));
        assert!(get("/readyz").await.starts_with("HTTP/1.1 503"));
        ready.store(true, Ordering::Relaxed);
        assert!(get("/readyz").await.starts_with("HTTP/1.1 200"));
        assert!(get("/metrics").await.contains("operator_reconcile_errors_total"));
    }
}
