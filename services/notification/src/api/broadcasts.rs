//! Staff broadcasts: compose (now or scheduled), list, read, cancel.

use axum::extract::{Path, State};
use axum::response::IntoResponse;

use sbm_common::envelope::Envelope;
use sbm_common::{ApiJson, ApiResult, AppState, Auth, ListQuery, Page, created, ok};

use crate::domain::broadcasts::{self, Broadcast, BroadcastSpec};
use crate::domain::permissions as perm;

/// Composes a broadcast to every member, tiers, interests or a list of members. Without
/// `scheduledAt` (or with a past one) it is sent before this returns, with its counts.
#[utoipa::path(post, path = "/broadcasts", tag = "broadcasts", security(("bearer" = [])), request_body = BroadcastSpec,
    responses((status = 201, body = Envelope<Broadcast>)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(spec): ApiJson<BroadcastSpec>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::NOTIFICATIONS_WRITE)?;
    Ok(created(
        broadcasts::create(&state.db, spec, &p.key(), state.clock.now()).await?,
    ))
}

/// Broadcasts, newest first: filters `status` (`scheduled`, `sent`, `cancelled`) and
/// `audience`; sort `createdAt`, `scheduledAt`; `search` in the English title.
#[utoipa::path(get, path = "/broadcasts", tag = "broadcasts", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query), ("audience" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Broadcast>>)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(perm::NOTIFICATIONS_READ)?;
    Ok(ok(broadcasts::list(&state.db, &q).await?))
}

#[utoipa::path(get, path = "/broadcasts/{id}", tag = "broadcasts", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Envelope<Broadcast>)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    p.require(perm::NOTIFICATIONS_READ)?;
    Ok(ok(broadcasts::get(&state.db, &id).await?))
}

/// Cancels a scheduled broadcast (a 409 once it was sent or cancelled).
#[utoipa::path(post, path = "/broadcasts/{id}/cancel", tag = "broadcasts", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Envelope<Broadcast>), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn cancel(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::NOTIFICATIONS_WRITE)?;
    Ok(ok(broadcasts::cancel(&state.db, &id, state.clock.now()).await?))
}
