//! Interest categories (public read, staff write) and members' choices.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use sbm_common::db::begin_write;
use sbm_common::envelope::Envelope;
use sbm_common::{ApiJson, ApiResult, AppState, Auth, ListQuery, Page, created, ok};
use serde::Deserialize;
use utoipa::ToSchema;

use super::visible_member;
use crate::domain::interests::{self, Interest, InterestSpec};
use crate::domain::permissions as perm;
use sbm_common::envelope::merge_patch;

/// Lists interests (public), by `sortOrder`; filter `active`; `search` in code and names.
#[utoipa::path(get, path = "/interests", tag = "interests",
    params(sbm_common::query::ListParams, ("active" = Option<bool>, Query)),
    responses((status = 200, body = Envelope<Page<Interest>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, q: ListQuery) -> ApiResult<impl IntoResponse> {
    Ok(ok(interests::list(&state.db, &q).await?))
}

/// One interest (public).
#[utoipa::path(get, path = "/interests/{id}", tag = "interests", params(("id" = String, Path), ("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Interest>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Path(id): Path<String>, q: ListQuery) -> ApiResult<impl IntoResponse> {
    Ok(ok(interests::get(&state.db, &id).await?.localize(q.locale)))
}

/// Creates an interest.
#[utoipa::path(post, path = "/interests", tag = "interests", security(("bearer" = [])), request_body = InterestSpec,
    responses((status = 201, body = Envelope<Interest>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(spec): ApiJson<InterestSpec>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::INTERESTS_WRITE)?;
    Ok(created(interests::create(&state.db, &spec, state.clock.now()).await?))
}

/// Changes an interest (fields as on create; `null` resets one).
#[utoipa::path(patch, path = "/interests/{id}", tag = "interests", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = Envelope<Interest>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::INTERESTS_WRITE)?;
    let current = interests::get(&state.db, &id).await?;
    let spec: InterestSpec = merge_patch(&current.spec, patch)?;
    Ok(ok(interests::update(&state.db, &id, &spec, state.clock.now()).await?))
}

/// Deletes an interest, and every member's choice of it (each such member gets
/// `member.interests_updated`).
#[utoipa::path(delete, path = "/interests/{id}", tag = "interests", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Interest>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::INTERESTS_WRITE)?;
    let txn = begin_write(&state.db).await?;
    let gone = interests::delete(&txn, &id, state.clock.now()).await?;
    txn.commit().await?;
    Ok(ok(gone))
}

/// The caller's interests (members).
#[utoipa::path(get, path = "/interests/me", tag = "interests", security(("bearer" = [])), params(("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Vec<Interest>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?;
    Ok(ok(interests::of_member(&state.db, member, q.locale).await?))
}

/// A member's new set of interests.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplaceInterests {
    /// Ids of active interests (at most 50); empty clears the set.
    pub interest_ids: Vec<String>,
}

/// Replaces the caller's interests (members). Emits `member.interests_updated` when the set
/// changed.
#[utoipa::path(put, path = "/interests/me", tag = "interests", security(("bearer" = [])), request_body = ReplaceInterests,
    responses((status = 200, body = Envelope<Vec<Interest>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn replace_mine(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<ReplaceInterests>,
) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?.to_string();
    if req.interest_ids.len() > 200 || req.interest_ids.iter().any(|i| i.is_empty() || i.len() > 64) {
        return Err(sbm_common::ApiError::field(
            "interestIds",
            "at most 50 interests, each an id of at most 64 characters",
        ));
    }
    let txn = begin_write(&state.db).await?;
    let out = interests::replace(&txn, &member, &req.interest_ids, state.clock.now()).await?;
    txn.commit().await?;
    Ok(ok(out))
}

/// A member's interests (the member, or staff and keys with `cluster:read`).
#[utoipa::path(get, path = "/interests/members/{memberId}", tag = "interests", security(("bearer" = []), ("apiKey" = [])),
    params(("memberId" = String, Path), ("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Vec<Interest>>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn of_member(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(member): Path<String>,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    visible_member(&p, &member)?;
    Ok(ok(interests::of_member(&state.db, &member, q.locale).await?))
}
