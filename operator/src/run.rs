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
use kube::ResourceExt;
use kube::api::{Api, ObjectMeta, PostParams};
use kube::runtime::reflector::{self, ObjectRef, reflector};
use kube::runtime::{Controller, WatchStreamExt, watcher};

use crate::controller::{self, Context, Stores};
use crate::crd::{ApiKey, CrmPlatform, PointRule, RewardCatalog, Tier};

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
            // An empty holder is a lease given up on shutdown.
            if holder != me && !holder.is_empty() && !expired {
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

/// Makes sure every CRD the operator watches exists before it starts: with `install`, by
/// server-side applying the CRDs this binary was built with (so `helm upgrade` to a release
/// with a new kind, or a changed schema, brings it along: Helm itself installs `crds/` only
/// once); without, by checking, with an error naming each missing one.
pub async fn ensure_crds(client: &Client, install: bool) -> anyhow::Result<()> {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    use kube::ResourceExt;
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let mut missing = Vec::new();
    for crd in crate::crd_objects() {
        let name = crd.name_any();
        if install {
            let params = kube::api::PatchParams::apply(controller::MANAGER).force();
            api.patch(&name, &params, &kube::api::Patch::Apply(&crd)).await?;
            tracing::info!(crd = %name, "CRD applied");
        } else if api.get_opt(&name).await?.is_none() {
            missing.push(name);
        }
    }
    if !missing.is_empty() {
        anyhow::bail!(
            "these CRDs are not installed: {}. Apply them (kubectl apply -f crds/), or let the operator \
             install them (SBM_OPERATOR_INSTALL_CRDS=true, the chart's crds.install)",
            missing.join(", ")
        );
    }
    Ok(())
}

/// Gives the Lease up if `me` holds it (on shutdown), so that another replica takes over at
/// once instead of after the lease expires.
pub async fn release(leases: &Api<Lease>, name: &str, me: &str) -> kube::Result<()> {
    let Some(mut lease) = leases.get_opt(name).await? else {
        return Ok(());
    };
    let mut spec = lease.spec.clone().unwrap_or_default();
    if spec.holder_identity.as_deref() != Some(me) {
        return Ok(());
    }
    spec.holder_identity = None;
    spec.lease_duration_seconds = Some(1);
    lease.spec = Some(spec);
    match leases.replace(name, &PostParams::default(), &lease).await {
        Ok(_) | Err(kube::Error::Api(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// What the renewal loop does after an attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Renewal {
    /// Renewed, or failed with time left: try again after this long.
    RetryIn(Duration),
    /// Another replica holds the lease, or it ran out: stop leading.
    Lost,
}

/// How long one renewal (or the check after a conflict) may take: a call that hangs must not
/// keep a leader working past its lease.
pub const RENEW_TIMEOUT: Duration = Duration::from_secs(2);

/// The renewal loop's decision after an attempt: `Some(true)` renewed, `Some(false)` another
/// replica holds the lease, `None` failed (unreachable, timed out, or a conflict while the
/// lease is still ours). A failure is retried every second while the lease lasts, with a
/// second to spare; only a lease taken by another replica, or one that has run out, ends
/// leadership.
pub fn after_renewal(result: Option<bool>, since_last_renewal: Duration) -> Renewal {
    let lease = Duration::from_secs(LEASE_SECONDS as u64);
    match result {
        Some(true) => Renewal::RetryIn(lease / 3),
        Some(false) => Renewal::Lost,
        None if since_last_renewal + Duration::from_secs(2) < lease => Renewal::RetryIn(Duration::from_secs(1)),
        None => Renewal::Lost,
    }
}

/// One renewal attempt, bounded by [`RENEW_TIMEOUT`], as [`after_renewal`] reads it.
async fn renew(leases: &Api<Lease>, name: &str, me: &str) -> Option<bool> {
    match tokio::time::timeout(RENEW_TIMEOUT, try_lead(leases, name, me)).await {
        Ok(Ok(true)) => Some(true),
        // Not renewed: another holder, or a conflicting write while it is still ours.
        Ok(Ok(false)) => match tokio::time::timeout(RENEW_TIMEOUT, leases.get_opt(name)).await {
            Ok(Ok(Some(l))) if l.spec.as_ref().and_then(|s| s.holder_identity.as_deref()) == Some(me) => None,
            Ok(Ok(_)) => Some(false),
            _ => None,
        },
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "lease renewal failed; retrying while the lease lasts");
            None
        }
        Err(_) => {
            tracing::warn!("lease renewal timed out; retrying while the lease lasts");
            None
        }
    }
}

/// `/healthz` (alive), `/readyz` (started: leading, or standing by for the lease) and
/// `/metrics` (Prometheus).
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
    /// Apply the CRDs at start (else only check that they exist).
    pub install_crds: bool,
}

/// Runs until SIGTERM, or until leadership is lost (then exits so Kubernetes restarts it).
pub async fn run(client: Client, opts: Options) -> anyhow::Result<()> {
    let ready = Arc::new(AtomicBool::new(false));
    let app = health_router(ready.clone());
    let listener = tokio::net::TcpListener::bind(opts.listen).await?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    ensure_crds(&client, opts.install_crds).await?;
    // Ready from here on, leading or standing by: readiness must not wait for the lease, or a
    // rolling update never finishes (the new pod waits for the lease the old pod holds).
    ready.store(true, Ordering::Relaxed);
    let mut lease_task = None;
    let mut lease_handle = None;
    if let Some((namespace, me)) = opts.leader_election {
        let leases: Api<Lease> = Api::namespaced(client.clone(), &namespace);
        tracing::info!(identity = %me, "waiting for leadership");
        while !try_lead(&leases, "sbm-operator", &me).await? {
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        tracing::info!(identity = %me, "leading");
        lease_handle = Some((leases.clone(), me.clone()));
        lease_task = Some(tokio::spawn(async move {
            let mut last_renewal = std::time::Instant::now();
            let mut wait = Duration::from_secs((LEASE_SECONDS / 3) as u64);
            loop {
                tokio::time::sleep(wait).await;
                let result = renew(&leases, "sbm-operator", &me).await;
                if result == Some(true) {
                    last_renewal = std::time::Instant::now();
                }
                match after_renewal(result, last_renewal.elapsed()) {
                    Renewal::RetryIn(d) => wait = d,
                    Renewal::Lost => {
                        tracing::error!("leadership lost; exiting so that another replica takes over");
                        std::process::exit(1);
                    }
                }
            }
        }));
    }

    // Each controller's own watch feeds a store the reconcilers read (platforms, PointRules, Tiers,
    // RewardCatalogs); Secrets get one watch of their own. No reconcile lists or fetches what a
    // store holds.
    let config = kube::runtime::controller::Config::default().concurrency(CONCURRENCY);
    let platform_ctrl = Controller::new(Api::<CrmPlatform>::all(client.clone()), watcher::Config::default())
        .owns(
            Api::<Deployment>::all(client.clone()),
            watcher::Config::default().labels("app.kubernetes.io/managed-by=sbm-operator"),
        )
        .with_config(config.clone());
    // A changed Tier wakes its siblings (the ladder is checked as a set, so they all report
    // the verdict), and the PointRules and RewardCatalogs of its platform (their
    // `ReferencesResolved`).
    let tier_ctrl = Controller::new(Api::<Tier>::all(client.clone()), watcher::Config::default());
    let tier_store = tier_ctrl.store();
    let tier_ctrl = tier_ctrl
        .watches(
            Api::<Tier>::all(client.clone()),
            watcher::Config::default(),
            move |t: Tier| {
                tier_store
                    .state()
                    .into_iter()
                    .filter(|o| {
                        o.namespace() == t.namespace()
                            && o.spec.platform_ref == t.spec.platform_ref
                            && o.uid() != t.uid()
                    })
                    .map(|o| ObjectRef::from_obj(o.as_ref()))
                    .collect::<Vec<_>>()
            },
        )
        .with_config(config.clone());
    let rule_ctrl = Controller::new(Api::<PointRule>::all(client.clone()), watcher::Config::default());
    let rule_store = rule_ctrl.store();
    let rule_ctrl = rule_ctrl
        .watches(
            Api::<Tier>::all(client.clone()),
            watcher::Config::default(),
            move |t: Tier| {
                rule_store
                    .state()
                    .into_iter()
                    .filter(|r| r.namespace() == t.namespace() && r.spec.platform_ref == t.spec.platform_ref)
                    .map(|r| ObjectRef::from_obj(r.as_ref()))
                    .collect::<Vec<_>>()
            },
        )
        .with_config(config.clone());
    let catalog_ctrl = Controller::new(Api::<RewardCatalog>::all(client.clone()), watcher::Config::default());
    let catalog_store = catalog_ctrl.store();
    let catalog_ctrl = catalog_ctrl
        .watches(
            Api::<Tier>::all(client.clone()),
            watcher::Config::default(),
            move |t: Tier| {
                catalog_store
                    .state()
                    .into_iter()
                    .filter(|c| c.namespace() == t.namespace() && c.spec.platform_ref == t.spec.platform_ref)
                    .map(|c| ObjectRef::from_obj(c.as_ref()))
                    .collect::<Vec<_>>()
            },
        )
        .with_config(config.clone());
    let key_ctrl = Controller::new(Api::<ApiKey>::all(client.clone()), watcher::Config::default())
        .owns(
            Api::<Secret>::all(client.clone()),
            watcher::Config::default().labels("app.kubernetes.io/managed-by=sbm-operator"),
        )
        .with_config(config);
    // One watch of Secrets: it keeps the store, and a change to a Secret a platform names (its
    // database, Redis or JWT keys) makes the platforms reconcile at once, which rolls their
    // pods through the config hash; one a RewardCatalog imports codes from makes the catalogs
    // reconcile.
    let (secrets, secret_writer) = reflector::store();
    let (changed, platforms_to_check) = futures::channel::mpsc::unbounded::<()>();
    let (codes_changed, catalogs_to_check) = futures::channel::mpsc::unbounded::<()>();
    let platform_store = platform_ctrl.store();
    let catalog_store = catalog_ctrl.store();
    let secret_watch = reflector(
        secret_writer,
        watcher(Api::<Secret>::all(client.clone()), watcher::Config::default()).default_backoff(),
    )
    .applied_objects()
    .for_each(move |s| {
        if let Ok(s) = s {
            let named = platform_store.state().iter().any(|p| {
                p.namespace() == s.namespace()
                    && crate::builders::referenced_secrets(p)
                        .iter()
                        .any(|(n, _)| Some(n.as_str()) == s.metadata.name.as_deref())
            });
            if named {
                let _ = changed.unbounded_send(());
            }
            let codes = catalog_store.state().iter().any(|c| {
                c.namespace() == s.namespace()
                    && c.spec.rewards.iter().any(|r| {
                        r.codes
                            .as_ref()
                            .and_then(|codes| codes.secret_ref.as_ref())
                            .is_some_and(|sr| Some(sr.name.as_str()) == s.metadata.name.as_deref())
                    })
            });
            if codes {
                let _ = codes_changed.unbounded_send(());
            }
        }
        std::future::ready(())
    });
    tokio::spawn(secret_watch);
    let platform_ctrl = platform_ctrl.reconcile_all_on(platforms_to_check);
    let catalog_ctrl = catalog_ctrl.reconcile_all_on(catalogs_to_check);
    let stores = Stores {
        platforms: platform_ctrl.store(),
        secrets,
        rules: rule_ctrl.store(),
        tiers: tier_ctrl.store(),
        catalogs: catalog_ctrl.store(),
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
    let tiers = tier_ctrl
        .shutdown_on_signal()
        .run(
            controller::reconcile::<Tier>,
            controller::error_policy::<Tier>,
            ctx.clone(),
        )
        .for_each(|res| async move {
            if let Err(e) = res {
                tracing::debug!(kind = "Tier", error = %e, "reconcile error");
            }
        });
    let catalogs = catalog_ctrl
        .shutdown_on_signal()
        .run(
            controller::reconcile::<RewardCatalog>,
            controller::error_policy::<RewardCatalog>,
            ctx.clone(),
        )
        .for_each(|res| async move {
            if let Err(e) = res {
                tracing::debug!(kind = "RewardCatalog", error = %e, "reconcile error");
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
    tracing::info!("controllers running");
    tokio::join!(platforms, rules, tiers, catalogs, keys);
    // SIGTERM: the controllers have stopped; hand the lease over at once.
    if let Some(t) = lease_task {
        t.abort();
    }
    if let Some((leases, me)) = lease_handle {
        if let Err(e) = release(&leases, "sbm-operator", &me).await {
            tracing::warn!(error = %e, "could not give the lease up; it expires by itself");
        }
        tracing::info!("lease released");
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
