//! `CrmPlatform`: migrations first (a Job per image), then a ConfigMap, one Deployment and
//! Service per service and the optional Ingress, all server-side applied; objects of removed
//! services are deleted.

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service};
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::runtime::controller::Action;
use kube::{Resource, ResourceExt};
use serde_json::json;

use super::context::Context;
use super::status::{condition, not_synced, patch_status, status};
use super::{Error, MANAGER, RESYNC, Result};
use crate::builders;
use crate::crd::CrmPlatform;

async fn apply<K>(api: &Api<K>, obj: &K) -> Result<K>
where
    K: Resource + Clone + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let params = PatchParams::apply(MANAGER).force();
    Ok(api.patch(&obj.name_any(), &params, &Patch::Apply(obj)).await?)
}

/// Without `spec.jwt`, one signing key for the whole platform, generated once into the
/// Secret `<name>-jwt` (owned by the platform, so it goes with it). Every pod mounts it, so
/// tokens verify on every replica and survive restarts.
async fn ensure_jwt_secret(p: &CrmPlatform, ctx: &Context) -> Result<()> {
    if p.spec.jwt.is_some() {
        return Ok(());
    }
    let ns = p.namespace().unwrap_or_default();
    let name = builders::generated_jwt_secret_name(p);
    if ctx.secret(&ns, &name).is_some() {
        return Ok(());
    }
    let secrets: Api<Secret> = Api::namespaced(ctx.client.clone(), &ns);
    // The store may lag behind a Secret made a moment ago: never make a second key.
    if secrets.get_opt(&name).await?.is_some() {
        return Ok(());
    }
    let pem = sbm_common::identity::generate_signing_key_pem();
    let secret = builders::owned_secret(&name, &ns, builders::owner(p), "signing.pem", pem);
    secrets.create(&PostParams::default(), &secret).await?;
    ctx.event(
        p,
        false,
        "JwtKeyGenerated",
        format!("a shared JWT signing key is in Secret {name}"),
    )
    .await;
    Ok(())
}

/// Rule rows whose `PointRule` is gone without its finalizer having run (forced off, or the
/// CRD deleted) would keep awarding points and stay read-only through the API. They are
/// switched off and handed to the API, where staff can look at them. Returns how many.
async fn sweep_orphan_rules(p: &CrmPlatform, ctx: &Context) -> Result<usize> {
    use super::context::Db;
    use sbm_point::domain::rulestore;
    let Db::Ready(db) = ctx.platform_db(&p.namespace().unwrap_or_default(), &p.name_any()).await else {
        return Ok(0);
    };
    let live: std::collections::HashSet<String> = ctx.stores.rules.state().iter().filter_map(|r| r.uid()).collect();
    let now = sbm_common::clock::Clock::default().now();
    let mut swept = 0;
    for (uid, row) in rulestore::all_managed(&db).await? {
        if live.contains(&uid) {
            continue;
        }
        let mut off = row.spec.clone();
        off.active = false;
        rulestore::update_rule(&db, &row.id, &off, now).await?;
        rulestore::set_managed(&db, &row.id, None, now).await?;
        tracing::warn!(rule = %row.spec.code, "point rule's resource is gone: rule switched off and handed to the API");
        ctx.event(
            p,
            true,
            "OrphanRuleSwept",
            format!(
                "point rule {} had no PointRule any more: switched off, now managed through the API",
                row.spec.code
            ),
        )
        .await;
        swept += 1;
    }
    Ok(swept)
}

/// Converges one `CrmPlatform`: the Secrets it names must exist; migrations first (a Job per
/// image tag), then the ConfigMap, one Deployment, Service and PodDisruptionBudget per service
/// and the optional Ingress; objects of removed services are deleted.
pub async fn reconcile_platform(p: Arc<CrmPlatform>, ctx: Arc<Context>) -> Result<Action> {
    let started = std::time::Instant::now();
    let result = converge(p, ctx).await;
    let outcome = if result.is_ok() { "ok" } else { "error" };
    metrics::counter!("operator_reconciles_total", "kind" => "CrmPlatform", "verb" => "apply", "outcome" => outcome)
        .increment(1);
    metrics::histogram!("operator_reconcile_seconds", "kind" => "CrmPlatform").record(started.elapsed().as_secs_f64());
    result
}

async fn converge(p: Arc<CrmPlatform>, ctx: Arc<Context>) -> Result<Action> {
    ctx.stores.ready().await;
    let ns = p.namespace().unwrap_or_default();
    let name = p.name_any();
    let generation = p.meta().generation;
    let client = ctx.client.clone();
    let api: Api<CrmPlatform> = Api::namespaced(client.clone(), &ns);
    let not_ready = |reason: &str, msg: &str| {
        status(
            generation,
            not_synced(reason, msg, false, generation),
            serde_json::Value::Null,
        )
    };
    ensure_jwt_secret(&p, &ctx).await?;
    // A missing Secret is named in status, instead of pods (or the migration) failing to start.
    let mut versions = Vec::new();
    for (secret, key) in builders::referenced_secrets(&p) {
        let found = match ctx.secret(&ns, &secret) {
            Some(s) => Some(s),
            // Not in the store (yet): ask once before calling it missing.
            None => Api::<Secret>::namespaced(client.clone(), &ns)
                .get_opt(&secret)
                .await?
                .map(Arc::new),
        };
        let has_key = found.as_ref().is_some_and(|s| {
            s.data.as_ref().is_some_and(|d| d.contains_key(&key))
                || s.string_data.as_ref().is_some_and(|d| d.contains_key(&key))
        });
        if !has_key {
            let msg = format!("Secret {secret} with key {key} does not exist in {ns}");
            patch_status(&api, p.as_ref(), not_ready("SecretMissing", &msg)).await?;
            return Ok(Action::requeue(Duration::from_secs(15)));
        }
        let version = found.and_then(|s| s.resource_version()).unwrap_or_default();
        versions.push((secret, version));
    }
    let config = builders::config_map(&p);
    apply(&Api::<ConfigMap>::namespaced(client.clone(), &ns), &config).await?;
    let config_hash = builders::config_hash(&config, &versions);
    let migrated = p.status.as_ref().and_then(|s| s.migrated_tag.as_deref()) == Some(p.spec.tag.as_str());
    if !migrated {
        let jobs: Api<Job> = Api::namespaced(client.clone(), &ns);
        let job = match jobs.get_opt(&builders::migration_job_name(&p)).await? {
            Some(j) => j,
            None => apply(&jobs, &builders::migration_job(&p)).await?,
        };
        let job_status = job.status.unwrap_or_default();
        if job_status.succeeded.unwrap_or(0) < 1 {
            let failed = job_status.failed.unwrap_or(0) > 0;
            let reason = if failed { "MigrationFailing" } else { "Migrating" };
            let msg = format!(
                "waiting for Job {} to apply database migrations",
                builders::migration_job_name(&p)
            );
            patch_status(&api, p.as_ref(), not_ready(reason, &msg)).await?;
            return Ok(Action::requeue(Duration::from_secs(10)));
        }
    }
    sweep_orphan_rules(&p, &ctx).await?;
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), &ns);
    let services: Api<Service> = Api::namespaced(client.clone(), &ns);
    let budgets: Api<PodDisruptionBudget> = Api::namespaced(client.clone(), &ns);
    let mut service_status = serde_json::Map::new();
    let mut all_ready = true;
    for svc in p.spec.services.keys() {
        let d = apply(&deployments, &builders::deployment(&p, svc, &config_hash)).await?;
        apply(&services, &builders::service(&p, svc)).await?;
        apply(&budgets, &builders::disruption_budget(&p, svc)).await?;
        let want = p.spec.services[svc].replicas;
        // Only pods of the current template count: the Deployment has seen this generation,
        // every replica runs it, and no old one is left.
        let st = d.status.clone().unwrap_or_default();
        let current = st.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0);
        let updated = st.updated_replicas.unwrap_or(0);
        let ready = st.ready_replicas.unwrap_or(0);
        let stale = st.replicas.unwrap_or(0) - updated;
        let ready_now = if current { ready.min(updated) } else { 0 };
        all_ready &= ready_now >= want && stale <= 0;
        service_status.insert(svc.clone(), json!({"replicas": want, "readyReplicas": ready_now}));
    }
    // Services taken out of the spec lose their objects.
    let selector = format!("{}={name}", builders::PLATFORM_LABEL);
    for d in deployments.list(&ListParams::default().labels(&selector)).await?.items {
        let svc = d.labels().get(builders::SERVICE_LABEL).cloned().unwrap_or_default();
        if !p.spec.services.contains_key(&svc) {
            deployments.delete(&d.name_any(), &DeleteParams::default()).await?;
            if services.get_opt(&d.name_any()).await?.is_some() {
                services.delete(&d.name_any(), &DeleteParams::default()).await?;
            }
            if budgets.get_opt(&d.name_any()).await?.is_some() {
                budgets.delete(&d.name_any(), &DeleteParams::default()).await?;
            }
        }
    }
    let ingresses: Api<Ingress> = Api::namespaced(client.clone(), &ns);
    match builders::ingress(&p) {
        Some(i) => {
            apply(&ingresses, &i).await?;
        }
        None => {
            if ingresses.get_opt(&name).await?.is_some() {
                ingresses.delete(&name, &DeleteParams::default()).await?;
            }
        }
    }
    // A merge patch only adds keys: services taken out of the spec are removed by name.
    for gone in p.status.iter().flat_map(|s| s.services.keys()) {
        if !p.spec.services.contains_key(gone) {
            service_status.insert(gone.clone(), serde_json::Value::Null);
        }
    }
    let msg = if all_ready {
        "every service is ready"
    } else {
        "waiting for services to become ready"
    };
    patch_status(
        &api,
        p.as_ref(),
        json!({
            "observedGeneration": generation,
            "services": service_status,
            "migratedTag": p.spec.tag,
            "conditions": [
                condition("Ready", all_ready, if all_ready { "Ready" } else { "Progressing" }, msg, generation),
                condition("Synced", true, "Applied", "objects applied", generation),
            ],
        }),
    )
    .await?;
    Ok(Action::requeue(if all_ready {
        RESYNC
    } else {
        Duration::from_secs(15)
    }))
}

/// On error: log, count, and retry after a while (never a crash loop).
pub fn error_policy(obj: Arc<CrmPlatform>, err: &Error, _ctx: Arc<Context>) -> Action {
    tracing::warn!(name = %obj.name_any(), error = %err, "reconcile failed; will retry");
    Action::requeue(Duration::from_secs(30))
}
