//! The point service: an append-only ledger with lots and expiry, earn and spend, point rules,
//! receipt verification and point request tickets.

#[cfg(feature = "http")]
pub mod api;
pub mod domain;
pub mod entity;

use std::sync::Arc;

use sbm_common::AppState;
use sbm_common::jobs::Job;
use sbm_common::outbox::{Consumer, Event};
use sea_orm::DatabaseTransaction;

use domain::ledger;

/// The point routes, documented.
#[cfg(feature = "http")]
pub fn router(max_upload_bytes: usize) -> sbm_common::ServiceRouter {
    use api::*;
    use axum::extract::DefaultBodyLimit;
    use utoipa_axum::router::OpenApiRouter;
    use utoipa_axum::routes;
    let uploads = OpenApiRouter::new()
        .routes(routes!(receipts::submit, receipts::list))
        .layer(DefaultBodyLimit::max(max_upload_bytes + 64 * 1024));
    let router = OpenApiRouter::new()
        .routes(routes!(balance::mine))
        .routes(routes!(balance::get))
        .routes(routes!(transactions::earn))
        .routes(routes!(transactions::spend))
        .routes(routes!(transactions::adjust))
        .routes(routes!(transactions::reverse))
        .routes(routes!(transactions::list))
        .routes(routes!(transactions::mine))
        .routes(routes!(transactions::get))
        .routes(routes!(rules::list, rules::create))
        .routes(routes!(rules::simulate))
        .routes(routes!(rules::get, rules::update, rules::delete))
        .merge(uploads)
        .routes(routes!(receipts::mine))
        .routes(routes!(receipts::get))
        .routes(routes!(receipts::image))
        .routes(routes!(receipts::approve))
        .routes(routes!(receipts::reject))
        .routes(routes!(tickets::list, tickets::create))
        .routes(routes!(tickets::mine))
        .routes(routes!(tickets::get))
        .routes(routes!(tickets::approve))
        .routes(routes!(tickets::reject))
        .routes(routes!(tickets::cancel));
    sbm_common::ServiceRouter {
        name: "point",
        router,
        title: "SBM CRM point service",
    }
}

/// Gives the registration bonus: applies the active `registration` action rules once per
/// member, when `member.registered` arrives through the outbox.
pub struct RegistrationBonus {
    pub clock: sbm_common::clock::Clock,
}

#[async_trait::async_trait]
impl Consumer for RegistrationBonus {
    fn name(&self) -> &str {
        "point.registration-bonus"
    }
    fn topics(&self) -> &[&str] {
        &["member.registered"]
    }
    async fn handle(&self, txn: &DatabaseTransaction, event: &Event) -> anyhow::Result<()> {
        let member = event.payload["memberId"]
            .as_str()
            .unwrap_or(&event.aggregate_id)
            .to_string();
        ledger::registration_bonus(txn, &member, event.id, self.clock.now()).await?;
        Ok(())
    }
}

/// The expiry sweep as a periodic job: expires every due lot, one member per transaction.
pub fn expiry_job(state: &AppState) -> Job {
    let (db, clock) = (state.db.clone(), state.clock.clone());
    Job::new("point.expiry", state.config.point_expiry_interval, move || {
        let (db, clock) = (db.clone(), clock.clone());
        async move {
            let r = ledger::expire_due(&db, clock.now()).await?;
            if r.points > 0 {
                tracing::info!(members = r.members, points = r.points, "points expired");
                metrics::counter!("points_expired_total").increment(r.points as u64);
            }
            Ok(())
        }
    })
    .at_start()
}

/// The point service's periodic jobs.
pub fn jobs(state: &AppState) -> Vec<Job> {
    vec![expiry_job(state)]
}

/// The point service's outbox consumers.
pub fn consumers(state: &AppState) -> Vec<Arc<dyn Consumer>> {
    vec![Arc::new(RegistrationBonus {
        clock: state.clock.clone(),
    })]
}

/// The point service as the server mounts and runs it.
#[cfg(feature = "http")]
pub fn module() -> sbm_common::ServiceModule {
    sbm_common::ServiceModule {
        name: "point",
        title: "SBM CRM point service",
        routes: |state| router(state.config.max_upload_bytes).router,
        jobs,
        consumers,
    }
}

/// Starts the point service's background work (its consumers and jobs). Transitional: the
/// server runs [`module`]'s jobs and consumers once it iterates modules.
pub fn spawn_workers(state: &AppState) -> Vec<tokio::task::JoinHandle<()>> {
    let mut out: Vec<tokio::task::JoinHandle<()>> = consumers(state)
        .into_iter()
        .map(|c| {
            sbm_common::outbox::Runner::new(state.db.clone(), c)
                .with_clock(state.clock.clone())
                .into_job(state.config.outbox_poll_interval)
                .spawn(state.shutdown.clone())
        })
        .collect();
    out.extend(jobs(state).into_iter().map(|j| j.spawn(state.shutdown.clone())));
    out
}
