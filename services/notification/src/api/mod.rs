//! HTTP handlers, one module per resource: extract, authorize, call one domain function,
//! wrap the result. Domain errors become statuses in [`error`], once.

pub mod error;
pub mod inbox;
pub mod preferences;

use std::sync::Arc;

use sbm_common::outbox::Consumer;
use sbm_common::{AppState, ServiceModule};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The notification service as the server mounts and runs it.
pub fn module() -> ServiceModule {
    ServiceModule {
        name: "notification",
        title: "SBM CRM notification service",
        routes: router,
        jobs: ServiceModule::no_jobs,
        consumers,
        permissions: crate::domain::permissions::ALL,
    }
}

/// The notification routes, documented.
fn router(_state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(inbox::mine))
        .routes(routes!(inbox::unread_count))
        .routes(routes!(inbox::read_all))
        .routes(routes!(inbox::mark))
        .routes(routes!(preferences::mine, preferences::replace))
}

/// The inbox, written from every event it tells members about.
fn consumers(state: &AppState) -> Vec<Arc<dyn Consumer>> {
    vec![Arc::new(crate::domain::consumers::Inbox {
        clock: state.clock.clone(),
    })]
}
