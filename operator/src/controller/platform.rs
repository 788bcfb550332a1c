//! `CrmPlatform`: migrations first (a Job per image), then a ConfigMap, one Deployment and
//! Service per service and the optional Ingress, all server-side applied; objects of removed
//! services are deleted.

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Service};
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams};
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

/// Converges one `CrmPlatform`: migrations first, then one Deployment and Service per service,
/// the ConfigMap and the optional Ingress; objects of removed services are deleted.
pub async fn reconcile_platform(p: Arc<CrmPlatform>, ctx: Arc<Context>) -> Result<Action> {
    let ns = p.namespace().unwrap_or_default();
    let name = p.name_any();
    let generation = p.meta().generation;
    let client = ctx.client.clone();
    let api: Api<CrmPlatform> = Api::namespaced(client.clone(), &ns);
    apply(
        &Api::<ConfigMap>::namespaced(client.clone(), &ns),
        &builders::config_map(&p),
    )
    .await?;
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
        patch_status(
            &api,
            p.as_ref(),
            status(
                generation,
                not_synced(reason, &msg, false, generation),
                serde_json::Value::Null,
            ),
        )
        .await?;
        return Ok(Action::requeue(Duration::from_secs(10)));
    }
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), &ns);
    let services: Api<Service> = Api::namespaced(client.clone(), &ns);
    let mut service_status = serde_json::Map::new();
    let mut all_ready = true;
    for svc in p.spec.services.keys() {
        let d = apply(&deployments, &builders::deployment(&p, svc)).await?;
        apply(&services, &builders::service(&p, svc)).await?;
        let want = p.spec.services[svc].replicas;
        let got = d.status.as_ref().and_then(|s| s.ready_replicas).unwrap_or(0);
        all_ready &= got >= want;
        service_status.insert(svc.clone(), json!({"replicas": want, "readyReplicas": got}));
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
    metrics::counter!("operator_reconciles_total", "kind" => "CrmPlatform", "verb" => "apply", "outcome" => "error")
        .increment(1);
    Action::requeue(Duration::from_secs(30))
}
