//! HTTP handlers, one module per resource: extract, authorize, call one domain function,
//! wrap the result. Domain errors become statuses in [`error`], once.

pub mod error;
pub mod inbox;
pub mod preferences;
pub mod sse;

use std::sync::Arc;
use std::time::Duration;

use sbm_common::jobs::Job;
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
        jobs,
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
        .routes(routes!(sse::stream))
        .layer(axum::Extension(sse::Hub::new()))
}

/// The inbox and the stream, written from every event they carry.
fn consumers(state: &AppState) -> Vec<Arc<dyn Consumer>> {
    vec![Arc::new(crate::domain::consumers::Inbox {
        clock: state.clock.clone(),
        fanout: state.fanout.clone(),
    })]
}

/// Pruning the stream's log past its retention.
fn jobs(state: &AppState) -> Vec<Job> {
    let (db, clock, keep) = (state.db.clone(), state.clock.clone(), state.config.sse_retention);
    let every = (keep / 4).clamp(Duration::from_secs(1), Duration::from_secs(600));
    vec![Job::new("notification.stream-prune", every, move || {
        let (db, clock) = (db.clone(), clock.clone());
        async move {
            let before = clock.now() - chrono::Duration::from_std(keep)?;
            let gone = crate::domain::stream::prune(&db, before).await?;
            if gone > 0 {
                tracing::debug!(gone, "stream events past retention pruned");
            }
            Ok(())
        }
    })]
}
