//! HTTP handlers, one module per resource: extract, authorize, call one domain function,
//! wrap the result. Domain errors become statuses in [`error`], once.

pub mod catalogs;
pub mod codes;
pub mod error;
pub mod redemptions;
pub mod rewards;

use axum::extract::DefaultBodyLimit;
use sbm_common::jobs::Job;
use sbm_common::{AppState, ServiceModule};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::redemptions as redemption_domain;

/// The reward service as the server mounts and runs it.
pub fn module() -> ServiceModule {
    ServiceModule {
        name: "reward",
        title: "SBM CRM reward service",
        routes: router,
        jobs,
        consumers: ServiceModule::no_consumers,
        permissions: crate::domain::permissions::ALL,
    }
}

/// The reward routes, documented.
fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(codes::import, codes::list))
        .layer(DefaultBodyLimit::max(state.config.max_upload_bytes + 64 * 1024));
    OpenApiRouter::new()
        .routes(routes!(catalogs::list, catalogs::create))
        .routes(routes!(catalogs::get, catalogs::update, catalogs::delete))
        .routes(routes!(rewards::list, rewards::create))
        .routes(routes!(rewards::get, rewards::update, rewards::delete))
        .merge(uploads)
        .routes(routes!(codes::generate))
        .routes(routes!(codes::lookup))
        .routes(routes!(codes::void))
        .routes(routes!(redemptions::create, redemptions::list))
        .routes(routes!(redemptions::mine))
        .routes(routes!(redemptions::get))
        .routes(routes!(redemptions::mark_used))
        .routes(routes!(redemptions::cancel))
}

/// The redemption sweep, every `SBM_REDEMPTION_EXPIRY_INTERVAL_SECONDS`: claimed vouchers past
/// their life expire (safe on several replicas).
fn jobs(state: &AppState) -> Vec<Job> {
    let (db, clock) = (state.db.clone(), state.clock.clone());
    vec![
        Job::new(
            "reward.redemption-expiry",
            state.config.redemption_expiry_interval,
            move || {
                let (db, clock) = (db.clone(), clock.clone());
                async move {
                    let n = redemption_domain::expire_due(&db, clock.now()).await?;
                    if n > 0 {
                        tracing::info!(expired = n, "redemptions expired");
                    }
                    Ok(())
                }
            },
        )
        .at_start(),
    ]
}
