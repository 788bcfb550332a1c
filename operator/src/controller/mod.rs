//! Reconcilers. Each takes one resource and converges the world towards it: database rows in
//! the platform's database for the [`DbKind`]s (`PointRule`, `ApiKey`, `Tier`, `RewardCatalog`),
//! Kubernetes objects for `CrmPlatform`. They are plain async functions over a [`Context`], so
//! tests call them directly with an in-memory Kubernetes client and a real PostgreSQL.
//!
//! - `context`: what reconcilers share (client, stores, database pools, events, failures);
//! - `status`: conditions, and status written only when it changes;
//! - `dbkind`: the one reconciler for database-backed kinds (finalizer, status, backoff,
//!   metrics), and `point_rule`, `api_key`, `tier`, `reward_catalog`: the kinds;
//! - `platform`: `CrmPlatform`.

mod api_key;
mod context;
mod dbkind;
mod platform;
mod point_rule;
mod reward_catalog;
mod status;
mod tier;

use std::sync::Arc;
use std::time::Duration;

use kube::runtime::controller::Action;

pub use api_key::{KeySynced, ROTATE_ANNOTATION, key_secret_name};
pub use context::{Context, Db, Stores};
pub use dbkind::{BACKOFF_FIRST, BACKOFF_MAX, DbKind, Outcome, backoff, error_policy, reconcile};
pub use platform::{error_policy as platform_error_policy, reconcile_platform};
pub use point_rule::RuleSynced;
pub use reward_catalog::{CatalogSynced, secret_batch};
pub use status::{condition, keep_transition_times};
pub use tier::{TierSynced, siblings as tier_siblings};

use crate::crd::{ApiKey, PointRule, RewardCatalog, Tier};

/// Finalizer that makes deletion go through `deletionPolicy`.
pub const FINALIZER: &str = "sbmcrm.io/cleanup";
/// Field manager of server-side apply.
pub const MANAGER: &str = "sbm-operator";
/// How often a converged resource is checked again (drift repair).
pub const RESYNC: Duration = Duration::from_secs(300);
/// How long a platform database may take to answer a ping or a connect before its resources
/// are reported `DatabaseUnavailable`.
pub const DB_CHECK: Duration = Duration::from_secs(3);

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
    /// Writing the tier ladder (the cluster domain's typed error).
    #[error("tier ladder: {0}")]
    Tier(#[from] sbm_cluster::domain::TierError),
    /// Writing a reward catalog and its rewards (the reward domain's typed error).
    #[error("reward catalog rows: {0}")]
    Reward(#[from] sbm_reward::domain::managed::ManagedError),
    /// The platform or its database is not there yet (already in status; retried).
    #[error("{0}")]
    Unavailable(String),
    /// Adding or removing the finalizer failed.
    #[error("finalizer: {0}")]
    Finalizer(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// [`reconcile`] for `PointRule`.
pub async fn reconcile_point_rule(obj: Arc<PointRule>, ctx: Arc<Context>) -> Result<Action> {
    reconcile(obj, ctx).await
}

/// [`reconcile`] for `Tier`.
pub async fn reconcile_tier(obj: Arc<Tier>, ctx: Arc<Context>) -> Result<Action> {
    reconcile(obj, ctx).await
}

/// [`reconcile`] for `ApiKey`.
pub async fn reconcile_api_key(obj: Arc<ApiKey>, ctx: Arc<Context>) -> Result<Action> {
    reconcile(obj, ctx).await
}

/// [`reconcile`] for `RewardCatalog`.
pub async fn reconcile_reward_catalog(obj: Arc<RewardCatalog>, ctx: Arc<Context>) -> Result<Action> {
    reconcile(obj, ctx).await
}
