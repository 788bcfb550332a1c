//! HTTP handlers, one module per resource: extract, authorize, call one domain function,
//! wrap the result. Domain errors become statuses in [`error`], once.

pub mod badges;
pub mod error;
pub mod interests;
pub mod projections;
pub mod tiers;

use std::sync::Arc;

use sbm_common::jobs::Job;
use sbm_common::outbox::Consumer;
use sbm_common::{ApiError, ApiResult, ServiceModule};
use sbm_common::{AppState, Principal};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::consumers::{BadgeProgress, ForgetInterests, TierQualification};
use crate::domain::membership;

/// The cluster service as the server mounts and runs it.
pub fn module() -> ServiceModule {
    ServiceModule {
        name: "cluster",
        title: "SBM CRM cluster service",
        routes: router,
        jobs,
        consumers,
        permissions: crate::domain::permissions::ALL,
    }
}

/// The cluster routes, documented.
fn router(_state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tiers::list, tiers::create))
        .routes(routes!(tiers::get, tiers::update, tiers::delete))
        .routes(routes!(projections::mine))
        .routes(routes!(projections::my_history))
        .routes(routes!(projections::get))
        .routes(routes!(projections::history))
        .routes(routes!(projections::set_override, projections::remove_override))
        .routes(routes!(badges::list, badges::create))
        .routes(routes!(badges::get, badges::update, badges::delete))
        .routes(routes!(badges::award))
        .routes(routes!(badges::revoke))
        .routes(routes!(badges::mine))
        .routes(routes!(badges::list_progress))
        .routes(routes!(interests::list, interests::create))
        .routes(routes!(interests::mine, interests::replace_mine))
        .routes(routes!(interests::of_member))
        .routes(routes!(interests::get, interests::update, interests::delete))
}

/// Tier evaluation, every `SBM_TIER_EVALUATION_INTERVAL_SECONDS`: expired overrides, ended
/// validities (after the grace), downgrade warnings.
fn jobs(state: &AppState) -> Vec<Job> {
    let (db, clock, warning_days) = (state.db.clone(), state.clock.clone(), state.config.tier_warning_days);
    vec![
        Job::new(
            "cluster.tier-evaluation",
            state.config.tier_evaluation_interval,
            move || {
                let (db, clock) = (db.clone(), clock.clone());
                async move {
                    let r = membership::evaluate_due(&db, clock.now(), warning_days).await?;
                    if r != membership::Evaluated::default() {
                        tracing::info!(
                            downgraded = r.downgraded,
                            renewed = r.renewed,
                            overrides_ended = r.overrides_ended,
                            warned = r.warned,
                            "tiers evaluated"
                        );
                    }
                    Ok(())
                }
            },
        )
        .at_start(),
    ]
}

/// Tier qualification and badge progress, from point's, auth's and cluster's own events; an
/// anonymised member's interests forgotten.
fn consumers(state: &AppState) -> Vec<Arc<dyn Consumer>> {
    vec![
        Arc::new(TierQualification {
            clock: state.clock.clone(),
        }),
        Arc::new(BadgeProgress),
        sbm_common::events::consumer(ForgetInterests),
    ]
}

/// The member a `me` route is about, or the `{memberId}` one the caller may see: the member
/// itself (another member gets a 404, as if it did not exist), or staff and keys with
/// `cluster:read`.
pub(crate) fn visible_member(p: &Principal, member: &str) -> ApiResult<()> {
    match p {
        Principal::Member { id, .. } if id != member => Err(ApiError::not_found("Member")),
        Principal::Member { .. } => Ok(()),
        _ => p.require(crate::domain::permissions::CLUSTER_READ),
    }
}
