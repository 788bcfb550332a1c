//! HTTP handlers, one module per resource: extract, authorize, call one domain function,
//! wrap the result. Domain errors become statuses in [`error`], once.

pub mod balance;
pub mod error;
pub mod receipts;
pub mod rules;
pub mod tickets;
pub mod transactions;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use sbm_common::identity::Permission;
use sbm_common::jobs::Job;
use sbm_common::outbox::Consumer;
use sbm_common::{ApiError, ApiResult, AppState, Principal, ServiceModule};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::consumers::{BadgeRewards, RegistrationBonus};
use crate::domain::ledger::{self, Meta};

/// The point service as the server mounts and runs it.
pub fn module() -> ServiceModule {
    ServiceModule {
        name: "point",
        title: "SBM CRM point service",
        routes: router,
        jobs,
        consumers,
        permissions: crate::domain::permissions::ALL,
    }
}

/// The point routes, documented.
fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let max_upload_bytes = state.config.max_upload_bytes;
    let uploads = OpenApiRouter::new()
        .routes(routes!(receipts::submit, receipts::list))
        .layer(DefaultBodyLimit::max(max_upload_bytes + 64 * 1024));
    OpenApiRouter::new()
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
        .routes(routes!(tickets::cancel))
}

/// The expiry sweep, every `SBM_POINT_EXPIRY_INTERVAL_SECONDS`: expires every due lot, one
/// member per transaction.
fn jobs(state: &AppState) -> Vec<Job> {
    let (db, clock) = (state.db.clone(), state.clock.clone());
    let (wdb, wclock, days) = (state.db.clone(), state.clock.clone(), state.config.points_expiring_days);
    vec![
        Job::new("point.expiry-warning", state.config.point_expiry_interval, move || {
            let (db, clock) = (wdb.clone(), wclock.clone());
            async move {
                let told = ledger::warn_expiring(&db, clock.now(), days).await?;
                if told > 0 {
                    tracing::info!(members = told, "members told their points expire soon");
                }
                Ok(())
            }
        })
        .at_start(),
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
        .at_start(),
    ]
}

/// The registration bonus, and badge rewards (credited, and taken back on revoke).
fn consumers(state: &AppState) -> Vec<Arc<dyn Consumer>> {
    let clock = state.clock.clone();
    vec![
        sbm_common::events::consumer(RegistrationBonus { clock: clock.clone() }),
        Arc::new(BadgeRewards { clock }),
    ]
}

/// A JSON body that may be left out entirely (then every field takes its default).
pub(crate) fn optional_json<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> ApiResult<T> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(T::default());
    }
    sbm_common::envelope::require_object(body)?;
    serde_json::from_slice(body).map_err(|e| {
        let msg = e.to_string();
        match msg.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
            Some(f) => ApiError::field(f, msg.clone()),
            None => ApiError::bad_request(format!("Malformed JSON body: {msg}")),
        }
    })
}

/// Who may see a member's row: the member itself (another member gets a 404, as if the row
/// did not exist), or staff and API keys holding `perm`.
pub(crate) fn require_visible(p: &Principal, owner: &str, what: &str, perm: Permission) -> ApiResult<()> {
    match p {
        Principal::Member { id, .. } if id != owner => Err(ApiError::not_found(what)),
        Principal::Member { .. } => Ok(()),
        _ => p.require(perm),
    }
}

/// The who, why and where of a movement requested by `p`.
pub(crate) fn meta(
    p: &Principal,
    source: Option<String>,
    external_id: Option<String>,
    reason: String,
    metadata: Option<serde_json::Value>,
) -> Meta {
    Meta {
        reason,
        source: source.unwrap_or_else(|| "api".into()),
        external_id,
        metadata: metadata.unwrap_or_else(|| serde_json::json!({})),
        created_by: Some(p.key()),
    }
}
