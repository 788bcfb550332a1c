//! Badges (public read, staff write), awards by hand, and members' progress.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use sbm_common::db::begin_write;
use sbm_common::envelope::Envelope;
use sbm_common::{
    ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, MaybeAuth, Page, Principal, Validator, created, ok,
};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::badges::{self, Badge, BadgeSpec, Visibility};
use crate::domain::error::BadgeError;
use crate::domain::permissions as perm;
use crate::domain::progress::{self, BadgeAward, BadgeProgress};
use sbm_common::envelope::merge_patch;

fn is_staff(p: &Option<Principal>) -> bool {
    p.as_ref().is_some_and(|p| p.require(perm::CLUSTER_READ).is_ok())
}

/// Lists badges (public). Invitation badges, inactive ones, and deleted ones on
/// `includeDeletedAt=true`, only for staff and keys with `cluster:read`. Filters `category`,
/// `visibility`, `active`; `search` in code and names; sort `code`, `category`, `createdAt`.
#[utoipa::path(get, path = "/badges", tag = "badges",
    params(sbm_common::query::ListParams, ("category" = Option<String>, Query), ("visibility" = Option<String>, Query),
           ("active" = Option<bool>, Query), ("includeDeletedAt" = Option<bool>, Query)),
    responses((status = 200, body = Envelope<Page<Badge>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuth(p): MaybeAuth,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    Ok(ok(badges::list(&state.db, &q, is_staff(&p)).await?))
}

/// One badge (public, invitation badges for staff only).
#[utoipa::path(get, path = "/badges/{id}", tag = "badges", params(("id" = String, Path), ("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Badge>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    MaybeAuth(p): MaybeAuth,
    Path(id): Path<String>,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    let b = badges::get(&state.db, &id).await?;
    if !is_staff(&p) && (b.spec.visibility == Visibility::InviteOnly || !b.live()) {
        return Err(BadgeError::NotFound.into());
    }
    Ok(ok(b.localize(q.locale)))
}

/// Creates a badge.
#[utoipa::path(post, path = "/badges", tag = "badges", security(("bearer" = [])), request_body = BadgeSpec,
    responses((status = 201, body = Envelope<Badge>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(spec): ApiJson<BadgeSpec>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::BADGES_WRITE)?;
    Ok(created(badges::create(&state.db, &spec, state.clock.now()).await?))
}

/// Changes a badge (fields as on create; `null` resets one). Criteria changes apply to events
/// from then on; what was recorded stays.
#[utoipa::path(patch, path = "/badges/{id}", tag = "badges", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = Envelope<Badge>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::BADGES_WRITE)?;
    let current = badges::get(&state.db, &id).await?;
    if current.deleted_at.is_some() {
        return Err(BadgeError::NotFound.into());
    }
    let spec: BadgeSpec = merge_patch(&current.spec, patch)?;
    Ok(ok(badges::update(&state.db, &id, &spec, state.clock.now()).await?))
}

/// Soft-deletes a badge: no more progress or awards; members keep what they earned.
#[utoipa::path(delete, path = "/badges/{id}", tag = "badges", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Badge>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::BADGES_WRITE)?;
    Ok(ok(badges::delete(&state.db, &id, state.clock.now()).await?))
}

/// An award by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwardRequest {
    pub member_id: String,
    pub reason: String,
}

/// Awards a badge by hand (criteria aside; a non-repeatable badge already held, or a
/// repeatable one at its maximum, is a 409). Emits `badge.awarded`: its points are credited.
#[utoipa::path(post, path = "/badges/{id}/awards", tag = "badges", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = AwardRequest,
    responses((status = 201, body = Envelope<BadgeAward>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn award(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<AwardRequest>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::BADGES_AWARD)?;
    let mut v = Validator::new();
    v.text("memberId", &req.member_id, 64);
    v.text("reason", &req.reason, 500);
    v.finish()?;
    let txn = begin_write(&state.db).await?;
    let a = progress::award(&txn, &id, &req.member_id, &req.reason, &p.key(), state.clock.now()).await?;
    txn.commit().await?;
    Ok(created(a))
}

/// Why an award is revoked.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevokeRequest {
    pub reason: String,
}

/// Revokes an award: it stops counting (the badge can be earned again) and `badge.revoked`
/// lets the point service reverse what it credited. A second revoke is a 409.
#[utoipa::path(post, path = "/badge-awards/{id}/revoke", tag = "badges", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = RevokeRequest,
    responses((status = 200, body = Envelope<BadgeAward>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn revoke(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RevokeRequest>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::BADGES_AWARD)?;
    let mut v = Validator::new();
    v.text("reason", &req.reason, 500);
    v.finish()?;
    let txn = begin_write(&state.db).await?;
    let a = progress::revoke(&txn, &id, &req.reason, &p.key(), state.clock.now()).await?;
    txn.commit().await?;
    Ok(ok(a))
}

/// The caller's badges (members): earned ones first, then the locked ones they can see, each
/// with progress towards the next award. Invitation badges stay hidden until earned.
#[utoipa::path(get, path = "/badge-member-progress/me", tag = "badges", security(("bearer" = [])),
    params(sbm_common::query::ListParams),
    responses((status = 200, body = Envelope<Page<BadgeProgress>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?;
    Ok(ok(progress::of_member(&state.db, member, &q, state.clock.now()).await?))
}

/// Progress for staff and keys (`cluster:read`), by `memberId` and/or `badgeId`, most
/// recently changed first.
#[utoipa::path(get, path = "/badge-member-progress", tag = "badges", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams, ("memberId" = Option<String>, Query), ("badgeId" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<BadgeProgress>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list_progress(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(perm::CLUSTER_READ)?;
    for k in ["memberId", "badgeId"] {
        if q.filter(k).is_some_and(|v| v.len() > 64) {
            return Err(ApiError::field(k, "must be at most 64 characters"));
        }
    }
    Ok(ok(progress::list(
        &state.db,
        q.filter("memberId"),
        q.filter("badgeId"),
        &q,
        state.clock.now(),
    )
    .await?))
}
