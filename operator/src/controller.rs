//! Reconcilers. Each takes one resource and converges the world towards it: database rows in
//! the platform's database for `PointRule` and `ApiKey`, Kubernetes objects for `CrmPlatform`.
//! They are plain async functions over a [`Context`], so tests call them directly with an
//! in-memory Kubernetes client and a real PostgreSQL.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::ByteString;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service};
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::api::{Api, DeleteParams, ListParams, ObjectMeta, Patch, PatchParams, PostParams};
use kube::runtime::controller::Action;
use kube::runtime::events::{Event, EventType, Recorder, Reporter};
use kube::{Client, Resource, ResourceExt};
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::builders;
use crate::crd::{ApiKey, CrmPlatform, DeletionPolicy, Plan, PointRule};

/// Finalizer that makes deletion go through `deletionPolicy`.
pub const FINALIZER: &str = "sbmcrm.io/cleanup";
/// Annotation whose new value asks for a new API key.
pub const ROTATE_ANNOTATION: &str = "sbmcrm.io/rotate";
/// Field manager of server-side apply.
pub const MANAGER: &str = "sbm-operator";
/// How long a platform database may take to answer a ping or a connect before its resources
/// are reported `DatabaseUnavailable`.
pub const DB_CHECK: Duration = Duration::from_secs(3);
/// How often a converged resource is checked again (drift repair).
pub const RESYNC: Duration = Duration::from_secs(300);

/// What reconcilers share: the Kubernetes client, an event recorder and one connection pool
/// per platform database.
pub struct Context {
    pub client: Client,
    recorder: Recorder,
    dbs: std::sync::Mutex<HashMap<String, DatabaseConnection>>,
}

impl Context {
    pub fn new(client: Client) -> Arc<Self> {
        let reporter = Reporter {
            controller: MANAGER.into(),
            instance: std::env::var("POD_NAME").ok(),
        };
        let recorder = Recorder::new(client.clone(), reporter);
        Arc::new(Self {
            client,
            recorder,
            dbs: std::sync::Mutex::new(HashMap::new()),
        })
    }

    /// Publishes a Kubernetes event about `obj` (best effort: a failed event is only logged).
    pub async fn event<K: Resource<DynamicType = ()>>(&self, obj: &K, warning: bool, reason: &str, note: String) {
        let ev = Event {
            type_: if warning { EventType::Warning } else { EventType::Normal },
            reason: reason.into(),
            note: Some(note),
            action: "Reconcile".into(),
            secondary: None,
        };
        if let Err(e) = self.recorder.publish(&ev, &obj.object_ref(&())).await {
            tracing::debug!(error = %e, "could not publish an event");
        }
    }
}

/// Why a reconcile stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Kubernetes API: {0}")]
    Kube(#[from] kube::Error),
    /// Writing an API key's row (the auth domain's typed error, kept as it is).
    #[error("API key row: {0}")]
    ApiKey(#[from] sbm_auth::domain::error::ApiKeyError),
    /// Writing a point rule's row (the point domain's typed error).
    #[error("point rule row: {0}")]
    Rule(#[from] sbm_point::domain::RuleError),
}

type Result<T> = std::result::Result<T, Error>;

/// A condition as Kubernetes wants it.
pub fn condition(type_: &str, ok: bool, reason: &str, message: &str, generation: Option<i64>) -> Condition {
    Condition {
        type_: type_.into(),
        status: if ok { "True" } else { "False" }.into(),
        reason: reason.into(),
        message: message.into(),
        observed_generation: generation,
        last_transition_time: Time(k8s_openapi::jiff::Timestamp::now()),
    }
}

/// The outcome of resolving a resource's platform database.
enum Db {
    Ready(DatabaseConnection),
    NotReady(&'static str, String),
}

async fn secret_value(client: &Client, ns: &str, name: &str, key: &str) -> Result<Option<String>> {
    let secrets: Api<Secret> = Api::namespaced(client.clone(), ns);
    let Some(s) = secrets.get_opt(name).await? else {
        return Ok(None);
    };
    let from_data = s
        .data
        .as_ref()
        .and_then(|d| d.get(key))
        .map(|b| String::from_utf8_lossy(&b.0).to_string());
    let from_string = s.string_data.as_ref().and_then(|d| d.get(key)).cloned();
    Ok(from_data.or(from_string))
}

async fn platform_db(ctx: &Context, ns: &str, platform: &str) -> Result<Db> {
    let platforms: Api<CrmPlatform> = Api::namespaced(ctx.client.clone(), ns);
    let Some(p) = platforms.get_opt(platform).await? else {
        return Ok(Db::NotReady(
            "PlatformNotFound",
            format!("CrmPlatform {platform} does not exist in {ns}"),
        ));
    };
    let Some(url) = secret_value(&ctx.client, ns, &p.spec.database.name, &p.spec.database.key).await? else {
        return Ok(Db::NotReady(
            "DatabaseSecretMissing",
            format!("Secret {} has no key {}", p.spec.database.name, p.spec.database.key),
        ));
    };
    // The cache's lock is held only to look up or insert, never across a connect or a ping:
    // one platform's hanging database must not stall another's reconciles.
    let cached = ctx
        .dbs
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&url)
        .cloned();
    if let Some(db) = cached {
        if matches!(tokio::time::timeout(DB_CHECK, db.ping()).await, Ok(Ok(()))) {
            return Ok(Db::Ready(db));
        }
        ctx.dbs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&url);
    }
    match tokio::time::timeout(DB_CHECK, sbm_common::db::connect_url(&url, 4)).await {
        Ok(Ok(db)) => {
            ctx.dbs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(url, db.clone());
            Ok(Db::Ready(db))
        }
        // The URL is a secret: the message says what failed, not where.
        _ => Ok(Db::NotReady(
            "DatabaseUnavailable",
            "the platform's database cannot be reached".into(),
        )),
    }
}

async fn set_finalizer<K>(api: &Api<K>, obj: &K, present: bool) -> Result<()>
where
    K: Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let mut list: Vec<String> = obj.finalizers().to_vec();
    let has = list.iter().any(|f| f == FINALIZER);
    if has == present {
        return Ok(());
    }
    if present {
        list.push(FINALIZER.into());
    } else {
        list.retain(|f| f != FINALIZER);
    }
    api.patch(
        &obj.name_any(),
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"finalizers": list}})),
    )
    .await?;
    Ok(())
}

/// Patches `status` onto `obj` unless it already says exactly that. A condition whose status
/// did not flip keeps its `lastTransitionTime` (Kubernetes' rule), so a steady resync writes
/// nothing and does not wake its own watch.
async fn patch_status<K>(api: &Api<K>, obj: &K, status: serde_json::Value) -> Result<()>
where
    K: Resource + Clone + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let current = serde_json::to_value(obj).map_or(serde_json::Value::Null, |v| v["status"].clone());
    let status = keep_transition_times(&current, status);
    let unchanged = status.as_object().is_some_and(|fields| {
        fields
            .iter()
            .all(|(k, v)| current.get(k).unwrap_or(&serde_json::Value::Null) == v)
    });
    if unchanged {
        return Ok(());
    }
    api.patch_status(
        &obj.name_any(),
        &PatchParams::default(),
        &Patch::Merge(json!({ "status": status })),
    )
    .await?;
    Ok(())
}

/// `desired` with each condition's `lastTransitionTime` taken from `current` where the
/// condition of that type has the same status there.
pub fn keep_transition_times(current: &serde_json::Value, mut desired: serde_json::Value) -> serde_json::Value {
    let before = current["conditions"].as_array().cloned().unwrap_or_default();
    if let Some(conds) = desired.get_mut("conditions").and_then(|c| c.as_array_mut()) {
        for c in conds {
            if let Some(old) = before
                .iter()
                .find(|o| o["type"] == c["type"] && o["status"] == c["status"])
            {
                c["lastTransitionTime"] = old["lastTransitionTime"].clone();
            }
        }
    }
    desired
}

fn not_ready(reason: &str, message: &str, generation: Option<i64>) -> serde_json::Value {
    json!({
        "observedGeneration": generation,
        "conditions": [condition("Ready", false, reason, message, generation), condition("Synced", false, reason, message, generation)],
    })
}

fn ready(generation: Option<i64>, conflict: bool) -> Vec<Condition> {
    vec![
        condition("Ready", true, "Synced", "in the platform's database", generation),
        condition("Synced", true, "Synced", "in the platform's database", generation),
        condition("Conflict", conflict, "NoConflict", "", generation),
    ]
}

/// The platform database of a resource; otherwise the action to return: status `Ready=False`
/// with the reason and a retry, or, when the platform is gone while the resource is being
/// deleted, the finalizer released (nothing is left to clean up).
async fn db_or_wait<K>(
    ctx: &Context,
    api: &Api<K>,
    obj: &K,
    platform: &str,
) -> Result<std::result::Result<DatabaseConnection, Action>>
where
    K: Resource<DynamicType = ()> + Clone + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let ns = obj.namespace().unwrap_or_default();
    match platform_db(ctx, &ns, platform).await? {
        Db::Ready(db) => Ok(Ok(db)),
        Db::NotReady(reason, message) => {
            if obj.meta().deletion_timestamp.is_some() && reason == "PlatformNotFound" {
                set_finalizer(api, obj, false).await?;
                return Ok(Err(Action::await_change()));
            }
            ctx.event(obj, true, reason, message.clone()).await;
            patch_status(api, obj, not_ready(reason, &message, obj.meta().generation)).await?;
            Ok(Err(Action::requeue(Duration::from_secs(15))))
        }
    }
}

/// Converges one `PointRule`: a managed row with its code in the platform's database.
pub async fn reconcile_point_rule(pr: Arc<PointRule>, ctx: Arc<Context>) -> Result<Action> {
    let ns = pr.namespace().unwrap_or_default();
    let uid = pr.uid().unwrap_or_default();
    let generation = pr.meta().generation;
    let api: Api<PointRule> = Api::namespaced(ctx.client.clone(), &ns);
    let db = match db_or_wait(&ctx, &api, &pr, &pr.spec.platform_ref.name).await? {
        Ok(db) => db,
        Err(action) => return Ok(action),
    };
    use sbm_point::domain::rulestore;
    let now = sbm_common::clock::Clock::default().now();
    if pr.meta().deletion_timestamp.is_some() {
        if let Some(row) = rulestore::find_by_code(&db, &pr.spec.rule.code).await?
            && rulestore::managed_by(&db, &row.id).await?.as_deref() == Some(uid.as_str())
        {
            match pr.spec.deletion_policy {
                DeletionPolicy::Delete => rulestore::delete_rule(&db, &row.id).await?,
                DeletionPolicy::Retain => rulestore::set_managed(&db, &row.id, None, now).await?,
            }
        }
        set_finalizer(&api, &pr, false).await?;
        return Ok(Action::await_change());
    }
    set_finalizer(&api, &pr, true).await?;
    let problems = pr.spec.rule.validate();
    if !problems.is_empty() {
        let msg: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect();
        patch_status(&api, pr.as_ref(), not_ready("Invalid", &msg.join("; "), generation)).await?;
        return Ok(Action::await_change());
    }
    // A row this resource owns under another code (its code was changed although the CRD
    // forbids it) is not left awarding points: it goes as if its resource had been deleted.
    for stale in rulestore::managed_rows(&db, &uid).await? {
        if stale.spec.code != pr.spec.rule.code {
            match pr.spec.deletion_policy {
                DeletionPolicy::Delete => rulestore::delete_rule(&db, &stale.id).await?,
                DeletionPolicy::Retain => rulestore::set_managed(&db, &stale.id, None, now).await?,
            }
            ctx.event(
                pr.as_ref(),
                false,
                "Retired",
                format!("point rule {} no longer matches this resource's code", stale.spec.code),
            )
            .await;
        }
    }
    // Oldest claim on a code wins.
    let others = api.list(&ListParams::default()).await?;
    let older = others.items.iter().find(|o| {
        o.uid() != pr.uid()
            && o.meta().deletion_timestamp.is_none()
            && o.spec.platform_ref == pr.spec.platform_ref
            && o.spec.rule.code == pr.spec.rule.code
            && (o.creation_timestamp(), o.name_any()) < (pr.creation_timestamp(), pr.name_any())
    });
    if let Some(o) = older {
        let msg = format!(
            "rule code {} is already claimed by PointRule {}",
            pr.spec.rule.code,
            o.name_any()
        );
        let mut conds = vec![
            condition("Ready", false, "Conflict", &msg, generation),
            condition("Synced", false, "Conflict", &msg, generation),
        ];
        conds.push(condition("Conflict", true, "CodeClaimed", &msg, generation));
        patch_status(
            &api,
            pr.as_ref(),
            json!({"observedGeneration": generation, "conditions": conds}),
        )
        .await?;
        return Ok(Action::requeue(RESYNC));
    }
    let row = match rulestore::find_by_code(&db, &pr.spec.rule.code).await? {
        None => {
            let row = rulestore::insert_rule(&db, &pr.spec.rule, Some(&uid), now).await?;
            ctx.event(
                pr.as_ref(),
                false,
                "Created",
                format!("point rule {} created", pr.spec.rule.code),
            )
            .await;
            row
        }
        Some(existing) => {
            let owner = rulestore::managed_by(&db, &existing.id).await?;
            if owner.is_none() {
                let msg = format!("rule code {} exists and is managed through the API", pr.spec.rule.code);
                let mut conds = vec![
                    condition("Ready", false, "Conflict", &msg, generation),
                    condition("Synced", false, "Conflict", &msg, generation),
                ];
                conds.push(condition("Conflict", true, "CodeExists", &msg, generation));
                patch_status(
                    &api,
                    pr.as_ref(),
                    json!({"observedGeneration": generation, "conditions": conds}),
                )
                .await?;
                return Ok(Action::requeue(RESYNC));
            }
            if owner.as_deref() != Some(uid.as_str()) {
                // Its owner is gone or younger: this resource takes the row over.
                rulestore::set_managed(&db, &existing.id, Some(&uid), now).await?;
            }
            if existing.spec != pr.spec.rule {
                tracing::info!(rule = %pr.spec.rule.code, "point rule differs from its resource; restoring");
                ctx.event(
                    pr.as_ref(),
                    false,
                    "Restored",
                    format!("point rule {} put back to its resource", pr.spec.rule.code),
                )
                .await;
                rulestore::update_rule(&db, &existing.id, &pr.spec.rule, now).await?
            } else {
                existing
            }
        }
    };
    patch_status(
        &api,
        pr.as_ref(),
        json!({"observedGeneration": generation, "ruleId": row.id, "conditions": ready(generation, false)}),
    )
    .await?;
    Ok(Action::requeue(RESYNC))
}

/// Name of the Secret that holds an `ApiKey`'s key.
pub fn key_secret_name(key: &ApiKey) -> String {
    format!("{}-api-key", key.name_any())
}

fn plan(p: Plan) -> sbm_common::identity::Plan {
    match p {
        Plan::Standard => sbm_common::identity::Plan::Standard,
        Plan::Premium => sbm_common::identity::Plan::Premium,
        Plan::Enterprise => sbm_common::identity::Plan::Enterprise,
    }
}

/// Converges one `ApiKey`: a key kept only in its owned Secret, its hash in the database.
pub async fn reconcile_api_key(key: Arc<ApiKey>, ctx: Arc<Context>) -> Result<Action> {
    let ns = key.namespace().unwrap_or_default();
    let name = key.name_any();
    let uid = key.uid().unwrap_or_default();
    let generation = key.meta().generation;
    let api: Api<ApiKey> = Api::namespaced(ctx.client.clone(), &ns);
    let db = match db_or_wait(&ctx, &api, &key, &key.spec.platform_ref.name).await? {
        Ok(db) => db,
        Err(action) => return Ok(action),
    };
    use sbm_auth::domain::api_keys::{NewApiKey, managed as managed_keys};
    // The operator has no request to take the time from; the clock module is the one source.
    let now = sbm_common::clock::Clock::default().now();
    if key.meta().deletion_timestamp.is_some() {
        match key.spec.deletion_policy {
            DeletionPolicy::Delete => managed_keys::delete(&db, &uid).await?,
            DeletionPolicy::Retain => managed_keys::release(&db, &uid, now).await?,
        }
        set_finalizer(&api, &key, false).await?;
        return Ok(Action::await_change());
    }
    set_finalizer(&api, &key, true).await?;
    let secrets: Api<Secret> = Api::namespaced(ctx.client.clone(), &ns);
    let secret_name = key_secret_name(&key);
    let rotate_to = key.annotations().get(ROTATE_ANNOTATION).cloned();
    let rotated = key.status.as_ref().and_then(|s| s.last_rotation.clone());
    let wants_rotation = rotate_to.is_some() && rotate_to != rotated;
    let existing = secrets.get_opt(&secret_name).await?;
    let current = existing
        .as_ref()
        .and_then(|s| s.data.as_ref())
        .and_then(|d| d.get("apiKey"))
        .map(|b| String::from_utf8_lossy(&b.0).to_string());
    let plaintext = match (&current, wants_rotation) {
        (Some(k), false) => k.clone(),
        _ => {
            let fresh = sbm_auth::domain::api_keys::new_key();
            let secret = Secret {
                metadata: ObjectMeta {
                    name: Some(secret_name.clone()),
                    namespace: Some(ns.clone()),
                    owner_references: Some(vec![key.controller_owner_ref(&()).expect("uid")]),
                    labels: Some(BTreeMap::from([(
                        "app.kubernetes.io/managed-by".to_string(),
                        MANAGER.to_string(),
                    )])),
                    ..Default::default()
                },
                type_: Some("Opaque".into()),
                data: Some(BTreeMap::from([(
                    "apiKey".to_string(),
                    ByteString(fresh.clone().into_bytes()),
                )])),
                ..Default::default()
            };
            if existing.is_some() {
                secrets.replace(&secret_name, &PostParams::default(), &secret).await?;
            } else {
                secrets.create(&PostParams::default(), &secret).await?;
            }
            tracing::info!(api_key = %name, namespace = %ns, "API key generated into its Secret");
            ctx.event(
                key.as_ref(),
                false,
                "KeyGenerated",
                format!("a new key is in Secret {secret_name}"),
            )
            .await;
            fresh
        }
    };
    let spec = NewApiKey {
        name: key.spec.display_name.clone(),
        scopes: key.spec.scopes.clone(),
        plan: plan(key.spec.plan),
        rate_limit_per_hour: key.spec.rate_limit_per_hour,
        expires_at: key.spec.expires_at,
    };
    let id = match managed_keys::find(&db, &uid).await? {
        None => managed_keys::create(&db, &uid, &plaintext, spec, now).await?,
        Some(row) => {
            managed_keys::sync(&db, &row.id, &plaintext, spec, now).await?;
            row.id
        }
    };
    patch_status(
        &api,
        key.as_ref(),
        json!({
            "observedGeneration": generation,
            "keyId": id,
            "prefix": plaintext.chars().take(12).collect::<String>(),
            "secretName": secret_name,
            "lastRotation": if wants_rotation { rotate_to } else { rotated },
            "conditions": ready(generation, false),
        }),
    )
    .await?;
    Ok(Action::requeue(RESYNC))
}

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
    let status = job.status.unwrap_or_default();
    if status.succeeded.unwrap_or(0) < 1 {
        let failed = status.failed.unwrap_or(0) > 0;
        let reason = if failed { "MigrationFailing" } else { "Migrating" };
        let msg = format!(
            "waiting for Job {} to apply database migrations",
            builders::migration_job_name(&p)
        );
        patch_status(&api, p.as_ref(), not_ready(reason, &msg, generation)).await?;
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
pub fn error_policy<K: ResourceExt>(obj: Arc<K>, err: &Error, _ctx: Arc<Context>) -> Action {
    tracing::warn!(name = %obj.name_any(), error = %err, "reconcile failed; will retry");
    metrics::counter!("operator_reconcile_errors_total").increment(1);
    Action::requeue(Duration::from_secs(30))
}
