//! The point service: an append-only ledger with lots and expiry, earn and spend, point rules,
//! receipt verification and point request tickets.

#[cfg(feature = "http")]
pub mod api;
pub mod domain;
pub mod entity;

use std::sync::Arc;
use std::time::Duration;

use sbm_common::AppState;
use sbm_common::outbox::{Consumer, Event};
use sea_orm::DatabaseTransaction;
use tokio_util::sync::CancellationToken;

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

/// Runs the expiry sweep every `every` until cancelled.
pub async fn run_expiry(state: AppState, every: Duration, cancel: CancellationToken) {
    loop {
        match ledger::expire_due(&state.db, state.clock.now()).await {
            Ok(r) if r.points > 0 => {
                tracing::info!(members = r.members, points = r.points, "points expired");
                metrics::counter!("points_expired_total").increment(r.points as u64);
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "point expiry sweep failed; will retry"),
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(every) => {}
        }
    }
}

/// Starts the point service's background work: the registration-bonus consumer and the
/// expiry sweep.
pub fn spawn_workers(state: &AppState) -> Vec<tokio::task::JoinHandle<()>> {
    let consumer = Arc::new(RegistrationBonus {
        clock: state.clock.clone(),
    });
    let runner = sbm_common::outbox::Runner::new(state.db.clone(), consumer);
    vec![
        tokio::spawn(runner.run(state.config.outbox_poll_interval, state.shutdown.clone())),
        tokio::spawn(run_expiry(
            state.clone(),
            state.config.point_expiry_interval,
            state.shutdown.clone(),
        )),
    ]
}
