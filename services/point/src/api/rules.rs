//! Point rules: CRUD and simulation.

use crate::domain::permissions as perm;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use sbm_common::envelope::{Envelope, merge_patch};
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Validator, created, ok};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::members;
use crate::domain::rules::{Purchase, RuleOutcome, RuleSpec, Trigger};
use crate::domain::rulestore::{self, PointRule};

/// Lists rules: filters `kind`, `active`, `managed`; `search` in code and name; sort
/// `priority`, `code`, `createdAt`, `updatedAt`.
#[utoipa::path(get, path = "/point-rules", tag = "point-rules", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams, ("kind" = Option<String>, Query, description = "purchase or action"),
           ("active" = Option<bool>, Query), ("managed" = Option<bool>, Query)),
    responses((status = 200, body = Envelope<Page<PointRule>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(perm::POINTS_READ)?;
    Ok(ok(rulestore::list(&state.db, &q).await?))
}

/// Creates a rule.
#[utoipa::path(post, path = "/point-rules", tag = "point-rules", security(("bearer" = [])), request_body = RuleSpec,
    responses((status = 201, body = Envelope<PointRule>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(spec): ApiJson<RuleSpec>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::RULES_WRITE)?;
    Ok(created(
        rulestore::insert_rule(&state.db, &spec, None, state.clock.now()).await?,
    ))
}

/// One rule.
#[utoipa::path(get, path = "/point-rules/{id}", tag = "point-rules", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<PointRule>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    p.require(perm::POINTS_READ)?;
    Ok(ok(rulestore::get_rule(&state.db, &id).await?))
}

/// Changes a rule: the body holds the fields to change (same names as on create). Managed
/// rules are refused with 409.
#[utoipa::path(patch, path = "/point-rules/{id}", tag = "point-rules", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = Envelope<PointRule>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::RULES_WRITE)?;
    let current = rulestore::get_unmanaged(&state.db, &id).await?;
    let spec: RuleSpec = merge_patch(&current.spec, patch)?;
    Ok(ok(
        rulestore::update_rule(&state.db, &id, &spec, state.clock.now()).await?
    ))
}

/// Deletes a rule (managed rules: 409). Points it gave stay.
#[utoipa::path(delete, path = "/point-rules/{id}", tag = "point-rules", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<PointRule>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::RULES_WRITE)?;
    Ok(ok(rulestore::delete_unmanaged(&state.db, &id).await?))
}

/// A dry run.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SimulateRequest {
    /// The member (for tier and daily caps); optional.
    pub member_id: Option<String>,
    /// Pretend the member has this tier.
    pub tier_code: Option<String>,
    pub purchase: Option<Purchase>,
    pub action: Option<String>,
}

/// What an earn would give, and why.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    pub points: i64,
    pub tier_code: Option<String>,
    pub breakdown: Vec<RuleOutcome>,
}

/// Runs the rules for a purchase or an action exactly as an earn would, without writing.
#[utoipa::path(post, path = "/point-rules/simulate", tag = "point-rules", security(("bearer" = []), ("apiKey" = [])),
    request_body = SimulateRequest,
    responses((status = 200, body = Envelope<Simulation>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, description = "`memberId` names no member", body = sbm_common::error::ErrorEnvelope)))]
pub async fn simulate(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<SimulateRequest>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::POINTS_READ)?;
    let mut v = Validator::new();
    if req.purchase.is_some() == req.action.is_some() {
        v.add("purchase", "give exactly one of `purchase` or `action`");
    }
    if let Some(pu) = &req.purchase {
        pu.validate(&mut v, "purchase");
    }
    if let Some(a) = &req.action {
        v.text("action", a, 64);
    }
    if let Some(m) = &req.member_id {
        v.text("memberId", m, 64);
    }
    if let Some(t) = &req.tier_code {
        v.text("tierCode", t, 64);
    }
    v.finish()?;
    if let Some(m) = &req.member_id {
        members::require_exists(&state.db, m).await?;
    }
    let trigger = match (req.purchase, req.action) {
        (Some(pu), _) => Trigger::Purchase(pu),
        (_, Some(a)) => Trigger::Action(a),
        _ => unreachable_trigger()?,
    };
    let c = rulestore::compute(
        &state.db,
        req.member_id.as_deref(),
        req.tier_code,
        &trigger,
        state.clock.now(),
    )
    .await?;
    Ok(ok(Simulation {
        points: c.total(),
        tier_code: c.tier.clone(),
        breakdown: c.outcomes,
    }))
}

fn unreachable_trigger() -> ApiResult<Trigger> {
    Err(ApiError::field(
        "purchase",
        "give exactly one of `purchase` or `action`",
    ))
}
