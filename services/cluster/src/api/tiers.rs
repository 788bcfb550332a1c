//! The tier ladder: public reads, staff writes.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use sbm_common::db::begin_write;
use sbm_common::envelope::Envelope;
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, created, ok};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::error::TierError;
use crate::domain::membership::{self, Ladder};
use crate::domain::permissions as perm;
use crate::domain::tiers::{self, Change, Tier, TierSpec};
use sbm_common::envelope::merge_patch;

/// The tiers list as the SBM docs show it: a message beside the page.
#[derive(Debug, Serialize, ToSchema)]
pub struct TierList {
    /// `Tiers retrieved successfully`.
    pub message: String,
    pub data: Page<Tier>,
}

/// Lists tiers, lowest rank first (public). `limit` defaults to 10; `search` looks in names
/// and descriptions; `includeInActive` and `includeDeletedAt` widen the list; `locale` adds
/// `name` and `description`. Sort by `rank`, `code`, `name_en`, `createdAt`, `updatedAt`.
#[utoipa::path(get, path = "/tiers", tag = "tiers",
    params(sbm_common::query::ListParams,
           ("includeInActive" = Option<bool>, Query, description = "include inactive tiers"),
           ("includeDeletedAt" = Option<bool>, Query, description = "include soft-deleted tiers")),
    responses((status = 200, body = Envelope<TierList>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let page = tiers::list(&state.db, &q).await?;
    Ok(ok(TierList {
        message: "Tiers retrieved successfully".into(),
        data: page,
    }))
}

/// One tier (public; deleted ones too, with `deletedAt`).
#[utoipa::path(get, path = "/tiers/{id}", tag = "tiers",
    params(("id" = String, Path), ("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Tier>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Path(id): Path<String>, q: ListQuery) -> ApiResult<impl IntoResponse> {
    Ok(ok(tiers::get(&state.db, &id).await?.localize(q.locale)))
}

/// Creates a tier. The ladder rules (unique ranks, rising thresholds, exactly one default
/// tier, the default lowest) are checked on the ladder the tier joins; a break is a 400
/// naming the rule.
#[utoipa::path(post, path = "/tiers", tag = "tiers", security(("bearer" = [])), request_body = TierSpec,
    responses((status = 201, body = Envelope<Tier>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(spec): ApiJson<TierSpec>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::TIERS_WRITE)?;
    let txn = begin_write(&state.db).await?;
    let mut saved =
        tiers::save_ladder(&txn, vec![Change::Create { spec, managed_by: None }], state.clock.now()).await?;
    txn.commit().await?;
    Ok(created(saved.remove(0)))
}

/// Changes a tier: the body holds the fields to change (names as on create; `null` resets
/// one). The code cannot change; managed tiers are refused with 409, and so is switching off
/// a tier members hold. `isDefault: true` moves the default flag here from the tier that had
/// it (the ladder rules then apply to the result: the default must have the lowest rank).
#[utoipa::path(patch, path = "/tiers/{id}", tag = "tiers", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = Envelope<Tier>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::TIERS_WRITE)?;
    let txn = begin_write(&state.db).await?;
    let current = tiers::get_unmanaged(&txn, &id).await?;
    let spec: TierSpec = merge_patch(&current.spec, patch)?;
    let mut changes = Vec::new();
    // Making a tier the default takes the flag from the one that had it, in the same write.
    if spec.is_default
        && !current.spec.is_default
        && let Some(old) = tiers::default_tier(&tiers::ladder(&txn).await?).cloned()
    {
        if old.managed {
            return Err(TierError::Managed.into());
        }
        changes.push(Change::Update {
            id: old.id,
            spec: TierSpec {
                is_default: false,
                ..old.spec
            },
        });
    }
    changes.insert(0, Change::Update { id, spec });
    let mut saved = tiers::save_ladder(&txn, changes, state.clock.now()).await?;
    txn.commit().await?;
    Ok(ok(saved.remove(0)))
}

/// `DELETE /tiers/{id}?reassignTo=`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct DeleteParams {
    /// The tier the members holding this one move to; required when any do.
    pub reassign_to: Option<String>,
}

/// Soft-deletes a tier (managed tiers: 409). Members holding it move to `reassignTo` (each
/// with a history row and `tier.changed`); without it, a held tier is refused with 409.
#[utoipa::path(delete, path = "/tiers/{id}", tag = "tiers", security(("bearer" = [])), params(("id" = String, Path), DeleteParams),
    responses((status = 200, body = Envelope<Tier>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::TIERS_WRITE)?;
    let reassign_to = q.filter("reassignTo").map(str::to_string);
    if let Some(r) = &reassign_to
        && r.len() > 64
    {
        return Err(ApiError::field("reassignTo", "must be a tier id"));
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let tier = tiers::get_unmanaged(&txn, &id).await?;
    let held = tiers::holders(&txn, &id).await?;
    // The ladder check runs first: deleting the default tier is refused whoever holds it.
    tiers::save_ladder(&txn, vec![Change::Delete { id: id.clone() }], now).await?;
    if held > 0 {
        let Some(to_id) = reassign_to else {
            return Err(TierError::Held { holders: held }.into());
        };
        let ladder = Ladder::load(&txn).await?;
        let to = ladder.by_id(&to_id).ok_or(TierError::BadReassign)?.clone();
        membership::reassign(&txn, &tier, &to, &p.key(), now).await?;
    }
    let deleted = tiers::get(&txn, &id).await?;
    txn.commit().await?;
    Ok(ok(deleted))
}
