//! One reconciler for every kind that becomes rows in a platform's database: `PointRule`,
//! `ApiKey`, `Tier` and `RewardCatalog`. A kind says how to converge its rows and how
//! to clean them up ([`DbKind`]); this module does the rest the same way for all of them:
//!
//! - the finalizer, through kube's `finalizer()` helper (cleanup must succeed before it goes);
//! - the platform and its database Secret, read from the reflector stores, and the database
//!   pool from the context's cache;
//! - status: `Ready`/`Synced`/`Conflict` with a reason and a message, errors included, written
//!   only when it changes;
//! - backoff per object with jitter after errors, and metrics per kind, verb and outcome.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::api::Api;
use kube::runtime::controller::Action;
use kube::runtime::finalizer::{self, finalizer};
use kube::{Resource, ResourceExt};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use super::context::{Context, Db};
use super::status::{not_synced, patch_status, status, synced};
use super::{Error, FINALIZER, RESYNC, Result};

/// What converging a resource's rows came to.
pub enum Outcome<S> {
    /// The rows match the resource; `S` is the kind's own status fields (`ruleId`, `keyId`…).
    Synced(S),
    /// The resource cannot be applied as it is (`Invalid`) or its business key belongs to
    /// another owner (`conflict`): `Ready=False` with the reason, until the resource changes
    /// (or, for a conflict, the next resync).
    Blocked {
        reason: &'static str,
        message: String,
        conflict: bool,
    },
}

/// A kind whose resources are rows in their platform's database.
pub trait DbKind:
    Resource<DynamicType = (), Scope = kube::core::NamespaceResourceScope>
    + Clone
    + Serialize
    + serde::de::DeserializeOwned
    + std::fmt::Debug
    + Send
    + Sync
    + 'static
{
    /// For logs and metrics.
    const KIND: &'static str;
    /// The kind's own status fields, written next to the conditions.
    type Synced: Serialize + Send;

    /// The `CrmPlatform` (same namespace) the resource belongs to.
    fn platform(&self) -> &str;

    /// Makes the rows match the resource. Must write nothing when they already do.
    fn converge(
        self: Arc<Self>,
        ctx: Arc<Context>,
        db: DatabaseConnection,
    ) -> impl Future<Output = Result<Outcome<Self::Synced>>> + Send;

    /// Conditions a synced resource adds to `Ready`, `Synced` and `Conflict` (a `PointRule`'s
    /// `ReferencesResolved`).
    fn conditions(_synced: &Self::Synced, _generation: Option<i64>) -> Vec<Condition> {
        Vec::new()
    }

    /// Applies the resource's deletion policy to its rows.
    fn clean_up(self: Arc<Self>, ctx: Arc<Context>, db: DatabaseConnection) -> impl Future<Output = Result<()>> + Send;
}

fn key<K: DbKind>(obj: &K) -> String {
    format!("{}/{}/{}", K::KIND, obj.namespace().unwrap_or_default(), obj.name_any())
}

/// Reconciles one resource of a [`DbKind`].
pub async fn reconcile<K: DbKind>(obj: Arc<K>, ctx: Arc<Context>) -> Result<Action> {
    // A store still filling would look like a missing platform or Secret.
    ctx.stores.ready().await;
    let started = Instant::now();
    let verb = if obj.meta().deletion_timestamp.is_some() {
        "cleanup"
    } else {
        "apply"
    };
    let api: Api<K> = Api::namespaced(ctx.client.clone(), &obj.namespace().unwrap_or_default());
    let result = finalizer(&api, FINALIZER, obj.clone(), |event| async {
        match event {
            finalizer::Event::Apply(o) => apply(&api, o, ctx.clone()).await,
            finalizer::Event::Cleanup(o) => clean_up(&api, o, ctx.clone()).await,
        }
    })
    .await
    .map_err(|e| match e {
        finalizer::Error::ApplyFailed(e) | finalizer::Error::CleanupFailed(e) => e,
        other => Error::Finalizer(other.to_string()),
    });
    let outcome = match &result {
        Ok(_) => "ok",
        Err(Error::Unavailable(_)) => "waiting",
        Err(_) => "error",
    };
    metrics::counter!("operator_reconciles_total", "kind" => K::KIND, "verb" => verb, "outcome" => outcome)
        .increment(1);
    metrics::histogram!("operator_reconcile_seconds", "kind" => K::KIND).record(started.elapsed().as_secs_f64());
    if result.is_ok() {
        ctx.succeeded(&key(obj.as_ref()));
    }
    result
}

/// The platform's database, or `Ready=False` with the reason and [`Error::Unavailable`]
/// (retried with backoff).
async fn database<K: DbKind>(api: &Api<K>, obj: &K, ctx: &Context) -> Result<DatabaseConnection> {
    match ctx
        .platform_db(&obj.namespace().unwrap_or_default(), obj.platform())
        .await
    {
        Db::Ready(db) => Ok(db),
        Db::NotReady(reason, message) => {
            let generation = obj.meta().generation;
            patch_status(
                api,
                obj,
                status(
                    generation,
                    not_synced(reason, &message, false, generation),
                    serde_json::Value::Null,
                ),
            )
            .await?;
            Err(Error::Unavailable(format!("{reason}: {message}")))
        }
    }
}

async fn apply<K: DbKind>(api: &Api<K>, obj: Arc<K>, ctx: Arc<Context>) -> Result<Action> {
    let generation = obj.meta().generation;
    let db = database(api, obj.as_ref(), &ctx).await?;
    match obj.clone().converge(ctx.clone(), db).await {
        Ok(Outcome::Synced(extra)) => {
            let mut conds = synced(generation);
            conds.extend(K::conditions(&extra, generation));
            let extra = serde_json::to_value(extra).unwrap_or_default();
            patch_status(api, obj.as_ref(), status(generation, conds, extra)).await?;
            Ok(Action::requeue(RESYNC))
        }
        Ok(Outcome::Blocked {
            reason,
            message,
            conflict,
        }) => {
            if !conflict {
                ctx.event(obj.as_ref(), true, reason, message.clone()).await;
            }
            let conds = not_synced(reason, &message, conflict, generation);
            patch_status(api, obj.as_ref(), status(generation, conds, serde_json::Value::Null)).await?;
            Ok(if conflict {
                Action::requeue(RESYNC)
            } else {
                Action::await_change()
            })
        }
        Err(e) => {
            // The error reaches status; the retry comes from the error policy.
            let conds = not_synced("ReconcileError", &e.to_string(), false, generation);
            patch_status(api, obj.as_ref(), status(generation, conds, serde_json::Value::Null)).await?;
            Err(e)
        }
    }
}

async fn clean_up<K: DbKind>(api: &Api<K>, obj: Arc<K>, ctx: Arc<Context>) -> Result<Action> {
    match ctx
        .platform_db(&obj.namespace().unwrap_or_default(), obj.platform())
        .await
    {
        Db::Ready(db) => obj.clean_up(ctx.clone(), db).await?,
        // The platform is gone: its Secret and so its database are out of reach; the finalizer
        // goes without touching rows (documented: delete resources before their platform).
        Db::NotReady("PlatformNotFound", _) => {}
        // Keep the finalizer until the rows can be dealt with.
        Db::NotReady(reason, message) => {
            let generation = obj.meta().generation;
            let conds = not_synced(reason, &message, false, generation);
            patch_status(api, obj.as_ref(), status(generation, conds, serde_json::Value::Null)).await?;
            return Err(Error::Unavailable(format!("{reason}: {message}")));
        }
    }
    Ok(Action::await_change())
}

/// The first retry after an error, doubled per failure in a row up to [`BACKOFF_MAX`].
pub const BACKOFF_FIRST: Duration = Duration::from_secs(5);
pub const BACKOFF_MAX: Duration = Duration::from_secs(300);

/// After an error: log, count, and retry with this object's own backoff, jittered ±20% so that
/// objects that failed together do not retry together.
pub fn error_policy<K: DbKind>(obj: Arc<K>, err: &Error, ctx: Arc<Context>) -> Action {
    let n = ctx.failed(&key(obj.as_ref()));
    tracing::warn!(kind = K::KIND, name = %obj.name_any(), failures = n, error = %err, "reconcile failed; will retry");
    Action::requeue(backoff(n, rand::random::<f64>()))
}

/// The delay after `n` failures in a row, `jitter` in [0, 1).
pub fn backoff(n: u32, jitter: f64) -> Duration {
    let base = BACKOFF_FIRST
        .saturating_mul(1 << n.saturating_sub(1).min(16))
        .min(BACKOFF_MAX);
    base.mul_f64(0.8 + 0.4 * jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_its_ceiling_with_jitter() {
        assert_eq!(backoff(1, 0.5), Duration::from_secs(5));
        assert_eq!(backoff(2, 0.5), Duration::from_secs(10));
        assert_eq!(backoff(30, 0.5), BACKOFF_MAX);
        assert!(backoff(1, 0.0) < backoff(1, 0.99));
        assert!(backoff(1, 0.0) >= Duration::from_secs(4));
    }
}
