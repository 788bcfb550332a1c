//! What a service contributes to the one server: [`ServiceModule`]. The server iterates a list
//! of these, so adding a service is one line there.

use std::sync::Arc;

use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;
use crate::jobs::Job;
use crate::outbox::Consumer;

/// One service as the server mounts and runs it.
pub struct ServiceModule {
    /// Path segment and configuration name: `/{name}/api`, `SBM_SERVICES=name`.
    pub name: &'static str,
    /// Title of its OpenAPI document.
    pub title: &'static str,
    /// Its documented routes (mounted under `/{name}/api` and `/{name}/api/v1`).
    pub routes: fn(&AppState) -> OpenApiRouter<AppState>,
    /// Periodic jobs it runs while it is served.
    pub jobs: fn(&AppState) -> Vec<Job>,
    /// Outbox consumers it runs while it is served.
    pub consumers: fn(&AppState) -> Vec<Arc<dyn Consumer>>,
}

impl ServiceModule {
    /// For modules without jobs.
    pub fn no_jobs(_: &AppState) -> Vec<Job> {
        Vec::new()
    }
    /// For modules without consumers.
    pub fn no_consumers(_: &AppState) -> Vec<Arc<dyn Consumer>> {
        Vec::new()
    }
}
