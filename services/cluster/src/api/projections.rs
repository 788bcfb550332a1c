//! Members' tier projections, history and staff overrides.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use chrono::{DateTime, FixedOffset, Utc};
use sbm_common::db::begin_write;
use sbm_common::envelope::Envelope;
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Validator, ok};
use serde::Deserialize;
use utoipa::ToSchema;

use super::visible_member;
use crate::domain::error::TierError;
use crate::domain::membership;
use crate::domain::permissions as perm;
use crate::domain::projection::{self, HistoryEntry, TierProjection};
use crate::domain::tiers;

/// The caller's own projection (members): current tier, since, valid until, source and any
/// override, the qualifying value and window, the next tier and what it still needs, what
/// keeps the tier, and the tier projected at the period end.
#[utoipa::path(get, path = "/tier-projections/me", tag = "tier-projections", security(("bearer" = [])),
    params(("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<TierProjection>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?;
    Ok(ok(
        projection::project(&state.db, member, q.locale, state.clock.now()).await?
    ))
}

/// The caller's own tier history, newest first.
#[utoipa::path(get, path = "/tier-projections/me/history", tag = "tier-projections", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("reason" = Option<String>, Query), ("direction" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<HistoryEntry>>)))]
pub async fn my_history(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?;
    Ok(ok(projection::history(&state.db, member, &q).await?))
}

/// A member's projection (the member, or staff and keys with `cluster:read`).
#[utoipa::path(get, path = "/tier-projections/{memberId}", tag = "tier-projections", security(("bearer" = []), ("apiKey" = [])),
    params(("memberId" = String, Path), ("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<TierProjection>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(member): Path<String>,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    visible_member(&p, &member)?;
    Ok(ok(
        projection::project(&state.db, &member, q.locale, state.clock.now()).await?
    ))
}

/// A member's tier history, newest first; filters `reason`, `direction`.
#[utoipa::path(get, path = "/tier-projections/{memberId}/history", tag = "tier-projections", security(("bearer" = []), ("apiKey" = [])),
    params(("memberId" = String, Path), sbm_common::query::ListParams, ("reason" = Option<String>, Query), ("direction" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<HistoryEntry>>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn history(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(member): Path<String>,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    visible_member(&p, &member)?;
    Ok(ok(projection::history(&state.db, &member, &q).await?))
}

/// A staff override.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverrideRequest {
    /// The tier, by id; or give `tierCode`.
    pub tier_id: Option<String>,
    pub tier_code: Option<String>,
    /// Why (kept in the history).
    pub reason: String,
    /// When the override ends and automatic evaluation resumes; none: until removed.
    pub expires_at: Option<DateTime<FixedOffset>>,
}

/// Pins a member to a tier (manual-only tiers included) with a reason and an optional expiry.
/// **An override is not a floor**: when it expires or is removed, automatic evaluation starts
/// again from the member's activity and may place them below the overridden tier.
#[utoipa::path(post, path = "/tier-projections/{memberId}/override", tag = "tier-projections", security(("bearer" = [])),
    params(("memberId" = String, Path)), request_body = OverrideRequest,
    responses((status = 200, body = Envelope<TierProjection>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn set_override(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(member): Path<String>,
    ApiJson(req): ApiJson<OverrideRequest>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::TIERS_ASSIGN)?;
    let now = state.clock.now();
    let mut v = Validator::new();
    v.text("reason", &req.reason, 500);
    if req.tier_id.is_some() == req.tier_code.is_some() {
        v.add("tierId", "give exactly one of `tierId` or `tierCode`");
    }
    for (f, s) in [("tierId", &req.tier_id), ("tierCode", &req.tier_code)] {
        if let Some(s) = s {
            v.text(f, s, 64);
        }
    }
    if let Some(e) = &req.expires_at {
        v.instant("expiresAt", e);
        v.check(e.with_timezone(&Utc) > now, "expiresAt", "must be in the future");
    }
    v.finish()?;
    let txn = begin_write(&state.db).await?;
    let tier_id = match (req.tier_id, req.tier_code) {
        (Some(id), _) => id,
        (_, Some(code)) => match tiers::find_by_code(&txn, &code).await? {
            Some(t) if t.deleted_at.is_none() => t.id,
            _ => return Err(ApiError::field("tierCode", format!("no tier has the code `{code}`"))),
        },
        _ => unreachable_request()?,
    };
    membership::set_override(
        &txn,
        &member,
        &tier_id,
        &req.reason,
        req.expires_at.map(|e| e.with_timezone(&Utc)),
        &p.key(),
        now,
    )
    .await
    .map_err(|e| match e {
        TierError::NotFound => ApiError::field("tierId", "no live tier has this id"),
        e => e.into(),
    })?;
    txn.commit().await?;
    Ok(ok(projection::project(&state.db, &member, None, now).await?))
}

fn unreachable_request() -> ApiResult<String> {
    Err(ApiError::field("tierId", "give exactly one of `tierId` or `tierCode`"))
}

/// Ends a member's override now: evaluation places them where their activity puts them.
#[utoipa::path(delete, path = "/tier-projections/{memberId}/override", tag = "tier-projections", security(("bearer" = [])),
    params(("memberId" = String, Path)),
    responses((status = 200, body = Envelope<TierProjection>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn remove_override(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(member): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::TIERS_ASSIGN)?;
    let now = state.clock.now();
    sbm_auth::domain::members::get_member(&state.db, &member)
        .await
        .map_err(TierError::from)?;
    let txn = begin_write(&state.db).await?;
    if !membership::end_override(&txn, &member, "override_removed", Some(&p.key()), now).await? {
        return Err(ApiError::not_found("Override"));
    }
    txn.commit().await?;
    Ok(ok(projection::project(&state.db, &member, None, now).await?))
}
