//! Rewards: members read those in catalogs visible to them, with whether they may redeem each
//! now; staff and keys with `rewards:read` read all; staff with `rewards:write` edit.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use sbm_common::envelope::{Envelope, merge_patch};
use sbm_common::{ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Principal, created, ok};

use super::catalogs::tier_of;
use crate::domain::catalogs::Viewer;
use crate::domain::permissions as perm;
use crate::domain::rewards::{self, MemberReward, Reward, RewardSpec};

/// Lists rewards by `position`. Members see the active rewards of catalogs visible to them,
/// each with `eligible`, the `reason` when not (`window`, `tier`, `limit`, `stock`, `points`),
/// `redeemedCount` and `limitRemaining`. Staff and keys with `rewards:read` see every reward,
/// with `includeInActive` and `includeDeletedAt`. Filters: `catalogId`, `type`, `category`,
/// `codeMode`; `search` in code, names and descriptions; `locale` adds `name`, `description`
/// and `terms`.
#[utoipa::path(get, path = "/rewards", tag = "rewards", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams,
           ("catalogId" = Option<String>, Query), ("type" = Option<String>, Query, description = "voucher, gift, discount or privilege"),
           ("category" = Option<String>, Query), ("codeMode" = Option<String>, Query, description = "none, pool or static"),
           ("includeInActive" = Option<bool>, Query, description = "staff: include inactive rewards"),
           ("includeDeletedAt" = Option<bool>, Query, description = "staff: include archived rewards")),
    responses((status = 200, body = Envelope<Page<MemberReward>>, description = "members get eligibility; staff get the rewards alone"),
              (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<Response> {
    match &p {
        Principal::Member { id, .. } => {
            let tier = tier_of(&state, id).await?;
            let now = state.clock.now();
            let viewer = Viewer::Member {
                tier: tier.as_deref(),
                now,
            };
            let page = rewards::list(&state.db, &q, &viewer).await?;
            let data = rewards::for_member(&state.db, id, tier.as_deref(), page.data, now).await?;
            Ok(ok(Page { meta: page.meta, data }).into_response())
        }
        _ => {
            p.require(perm::REWARDS_READ)?;
            Ok(ok(rewards::list(&state.db, &q, &Viewer::Staff).await?).into_response())
        }
    }
}

/// One reward. A member gets only one it can see (404 otherwise), with its eligibility.
#[utoipa::path(get, path = "/rewards/{id}", tag = "rewards", security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path), ("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<MemberReward>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    q: ListQuery,
) -> ApiResult<Response> {
    match &p {
        Principal::Member { id: member, .. } => {
            let tier = tier_of(&state, member).await?;
            let now = state.clock.now();
            let r = rewards::get_visible(&state.db, &id, tier.as_deref(), now).await?;
            let mut out =
                rewards::for_member(&state.db, member, tier.as_deref(), vec![r.localize(q.locale)], now).await?;
            Ok(ok(out.remove(0)).into_response())
        }
        _ => {
            p.require(perm::REWARDS_READ)?;
            Ok(ok(rewards::get(&state.db, &id).await?.localize(q.locale)).into_response())
        }
    }
}

/// Creates a reward in a catalog.
#[utoipa::path(post, path = "/rewards", tag = "rewards", security(("bearer" = [])), request_body = RewardSpec,
    responses((status = 201, body = Envelope<Reward>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(spec): ApiJson<RewardSpec>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REWARDS_WRITE)?;
    Ok(created(rewards::create(&state.db, &spec, state.clock.now()).await?))
}

/// Changes a reward (fields as on create; `null` resets one). The code cannot change;
/// `stockTotal` can go up or down but never below what is claimed (409); managed rewards are
/// refused with 409.
#[utoipa::path(patch, path = "/rewards/{id}", tag = "rewards", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = Envelope<Reward>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REWARDS_WRITE)?;
    let current = rewards::get_unmanaged(&state.db, &id).await?;
    let spec: RewardSpec = merge_patch(&current.spec, patch)?;
    Ok(ok(rewards::update(&state.db, &id, &spec, state.clock.now()).await?))
}

/// Archives a reward (soft delete: its redemptions keep their snapshot and can still be used or
/// cancelled; managed rewards: 409).
#[utoipa::path(delete, path = "/rewards/{id}", tag = "rewards", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Reward>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REWARDS_WRITE)?;
    Ok(ok(rewards::delete(&state.db, &id, state.clock.now()).await?))
}
