//! Reward catalogs: members see those visible to their tier (an invisible one is a 404, not a
//! 403); staff and keys with `rewards:read` see all; staff with `rewards:write` edit.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use sbm_common::envelope::{Envelope, merge_patch};
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Principal, created, ok};

use crate::domain::catalogs::{self, Catalog, CatalogSpec, Viewer};
use crate::domain::permissions as perm;

/// The member's tier code (the default tier until they climb; `None` without a ladder).
pub(super) async fn tier_of(state: &AppState, member: &str) -> ApiResult<Option<String>> {
    sbm_cluster::domain::membership::tier_code(&state.db, member)
        .await
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// Lists catalogs by `sortOrder`. Members see the active ones in their dates that are open to
/// everyone or to their tier; staff and API keys with `rewards:read` see all, with
/// `includeInActive`, `includeDeletedAt` and `tierCode` (catalogs open to that tier).
/// `search` looks in names and descriptions; `locale` adds `name` and `description`.
#[utoipa::path(get, path = "/reward-catalogs", tag = "reward-catalogs", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams,
           ("includeInActive" = Option<bool>, Query, description = "staff: include inactive catalogs"),
           ("includeDeletedAt" = Option<bool>, Query, description = "staff: include archived catalogs"),
           ("tierCode" = Option<String>, Query, description = "staff: catalogs open to this tier")),
    responses((status = 200, body = Envelope<Page<Catalog>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    if q.filter("tierCode").is_some_and(|t| t.len() > 64) {
        return Err(ApiError::field("tierCode", "must be at most 64 characters"));
    }
    let page = match &p {
        Principal::Member { id, .. } => {
            let tier = tier_of(&state, id).await?;
            let viewer = Viewer::Member {
                tier: tier.as_deref(),
                now: state.clock.now(),
            };
            catalogs::list(&state.db, &q, viewer).await?
        }
        _ => {
            p.require(perm::REWARDS_READ)?;
            catalogs::list(&state.db, &q, Viewer::Staff).await?
        }
    };
    Ok(ok(page))
}

/// One catalog: for a member, only one visible to it (404 otherwise).
#[utoipa::path(get, path = "/reward-catalogs/{id}", tag = "reward-catalogs", security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path), ("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Catalog>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    let c = match &p {
        Principal::Member { id: member, .. } => {
            let tier = tier_of(&state, member).await?;
            catalogs::get_visible(&state.db, &id, tier.as_deref(), state.clock.now()).await?
        }
        _ => {
            p.require(perm::REWARDS_READ)?;
            catalogs::get(&state.db, &id).await?
        }
    };
    Ok(ok(c.localize(q.locale)))
}

/// Creates a catalog.
#[utoipa::path(post, path = "/reward-catalogs", tag = "reward-catalogs", security(("bearer" = [])), request_body = CatalogSpec,
    responses((status = 201, body = Envelope<Catalog>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(spec): ApiJson<CatalogSpec>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REWARDS_WRITE)?;
    Ok(created(catalogs::create(&state.db, &spec, state.clock.now()).await?))
}

/// Changes a catalog (fields as on create; `null` resets one). The code cannot change; managed
/// catalogs are refused with 409.
#[utoipa::path(patch, path = "/reward-catalogs/{id}", tag = "reward-catalogs", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = Envelope<Catalog>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REWARDS_WRITE)?;
    let current = catalogs::get_unmanaged(&state.db, &id).await?;
    let spec: CatalogSpec = merge_patch(&current.spec, patch)?;
    Ok(ok(catalogs::update(&state.db, &id, &spec, state.clock.now()).await?))
}

/// Archives a catalog (soft delete; managed catalogs: 409).
#[utoipa::path(delete, path = "/reward-catalogs/{id}", tag = "reward-catalogs", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Catalog>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REWARDS_WRITE)?;
    Ok(ok(catalogs::delete(&state.db, &id, state.clock.now()).await?))
}
