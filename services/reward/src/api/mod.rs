//! HTTP handlers, one module per resource: extract, authorize, call one domain function,
//! wrap the result. Domain errors become statuses in [`error`], once.

pub mod catalogs;
pub mod error;

use sbm_common::{AppState, ServiceModule};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The reward service as the server mounts and runs it.
pub fn module() -> ServiceModule {
    ServiceModule {
        name: "reward",
        title: "SBM CRM reward service",
        routes: router,
        jobs: ServiceModule::no_jobs,
        consumers: ServiceModule::no_consumers,
        permissions: crate::domain::permissions::ALL,
    }
}

/// The reward routes, documented.
fn router(_state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(catalogs::list, catalogs::create))
        .routes(routes!(catalogs::get, catalogs::update, catalogs::delete))
}
