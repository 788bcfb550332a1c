//! The point service: an append-only ledger with lots and expiry, earn and spend, point rules,
//! receipt verification and point request tickets.

pub mod api;
pub mod domain;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use sbm_common::outbox::{Consumer, Event};
use sbm_common::{AppState, ServiceRouter};
use sea_orm::DatabaseTransaction;
use tokio_util::sync::CancellationToken;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::ledger::{self, Meta};
use domain::rules::Trigger;
use domain::rulestore;

/// The point routes, documented.
pub fn router(max_upload_bytes: usize) -> ServiceRouter {
    use api::*;
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
    ServiceRouter {
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
        let now = self.clock.now();
        let external_id = format!("member.registered:{member}");
        if ledger::find_external(txn, "system", &external_id)
            .await
            .map_err(|e| anyhow::anyhow!(e.message))?
            .is_some()
        {
            return Ok(());
        }
        let trigger = Trigger::Action("registration".into());
        ledger::lock_member(txn, &member)
            .await
            .map_err(|e| anyhow::anyhow!(e.message))?;
        let c = rulestore::compute(txn, Some(&member), None, &trigger, now)
            .await
            .map_err(|e| anyhow::anyhow!(e.message))?;
        if c.total() <= 0 {
            return Ok(());
        }
        let meta = Meta {
            reason: "Registration bonus".into(),
            source: "system".into(),
            external_id: Some(external_id),
            metadata: serde_json::json!({"eventId": event.id}),
            created_by: Some("system".into()),
        };
        ledger::earn(
            txn,
            &member,
            "earn",
            &c.credits,
            Some(c.breakdown()),
            Some(&c.award_day),
            &meta,
            now,
        )
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
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
