//! API keys for POS systems and integrations: shown once, stored hashed, recognisable prefix,
//! scopes, plan, expiry, rotation and revocation.

use crate::domain::permissions as perm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sbm_common::envelope::Envelope;
use sbm_common::idempotency::{Begin, Idempotency};
use sbm_common::identity::Plan;
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, created, ok};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::api_keys::{self as domain, ApiKeyChanges, KeyWithSecret, NewApiKey};
use crate::entity::api_keys as key;

/// An API key as listed (never the key itself).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyView {
    pub id: String,
    pub name: String,
    /// The key's first characters, to recognise it.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub plan: Plan,
    /// Requests per hour: the plan's, or the custom enterprise limit.
    pub rate_limit_per_hour: Option<i64>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// `active`, `revoked` or `expired`.
    pub status: String,
    /// Owned by the Kubernetes operator: read-only here.
    pub managed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A key just created or rotated: the only time the plaintext is shown.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyWithSecret {
    #[serde(flatten)]
    pub api_key: ApiKeyView,
    /// The key. Store it now: it cannot be shown again.
    pub key: String,
}

fn view(r: key::Model, state: &AppState) -> ApiKeyView {
    let now = state.clock.now();
    let status = if r.revoked_at.is_some() {
        "revoked"
    } else if r.expires_at.is_some_and(|e| e <= now) {
        "expired"
    } else {
        "active"
    };
    let plan = Plan::parse(&r.plan).unwrap_or(Plan::Standard);
    let limit = match plan {
        Plan::Standard => Some(state.config.rate_limit.standard_per_hour as i64),
        Plan::Premium => Some(state.config.rate_limit.premium_per_hour as i64),
        Plan::Enterprise => r.rate_limit_per_hour,
    };
    let last_used = match (r.last_used_at, state.credentials.pending_last_used(&r.id)) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    ApiKeyView {
        scopes: serde_json::from_str(&r.scopes).unwrap_or_default(),
        id: r.id,
        name: r.name,
        prefix: r.prefix,
        plan,
        rate_limit_per_hour: limit,
        expires_at: r.expires_at,
        revoked_at: r.revoked_at,
        last_used_at: last_used,
        status: status.into(),
        managed: r.managed,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

fn with_secret(k: KeyWithSecret, state: &AppState) -> ApiKeyWithSecret {
    ApiKeyWithSecret {
        api_key: view(k.row, state),
        key: k.key,
    }
}

/// Lists keys: `search` (name, prefix), filters `status` (active, revoked, expired), `plan`;
/// sort `createdAt`, `name`, `lastUsedAt`.
#[utoipa::path(get, path = "/api-keys", tag = "api-keys", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query, description = "active, revoked or expired"),
           ("plan" = Option<String>, Query, description = "standard, premium or enterprise")),
    responses((status = 200, body = Envelope<Page<ApiKeyView>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(perm::API_KEYS_MANAGE)?;
    let page = domain::list(&state.db, &q, state.clock.now()).await?;
    Ok(ok(page.map(|k| view(k, &state))))
}

/// Creates a key; the response carries the key once. With `Idempotency-Key` a retry gets the
/// same key back (the stored response is sealed, never kept in plaintext).
#[utoipa::path(post, path = "/api-keys", tag = "api-keys", security(("bearer" = [])), request_body = NewApiKey,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response to a retry")),
    responses((status = 201, body = Envelope<ApiKeyWithSecret>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    idem: Idempotency,
    ApiJson(req): ApiJson<NewApiKey>,
) -> ApiResult<Response> {
    p.require(perm::API_KEYS_MANAGE)?;
    let tx = match idem.begin("POST /api-keys", &req).await? {
        Begin::Replay(stored) => return Ok(stored),
        Begin::Fresh(tx) => tx,
    };
    let result = domain::create(tx.txn(), req, p.id(), &state.api_key_scopes(), state.clock.now())
        .await
        .map(|k| created(with_secret(k, &state)))
        .map_err(ApiError::from);
    tx.finish(result, true).await
}

/// One key.
#[utoipa::path(get, path = "/api-keys/{id}", tag = "api-keys", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<ApiKeyView>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    p.require(perm::API_KEYS_MANAGE)?;
    Ok(ok(view(domain::get(&state.db, &id).await?, &state)))
}

/// Changes name, scopes, plan, limit or expiry. Operator-managed keys are refused (409).
#[utoipa::path(patch, path = "/api-keys/{id}", tag = "api-keys", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = ApiKeyChanges,
    responses((status = 200, body = Envelope<ApiKeyView>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ApiKeyChanges>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::API_KEYS_MANAGE)?;
    let k = domain::update(&state.db, &id, req, &state.api_key_scopes(), state.clock.now()).await?;
    state.credentials.invalidate();
    Ok(ok(view(k, &state)))
}

/// Revokes a key at once.
#[utoipa::path(delete, path = "/api-keys/{id}", tag = "api-keys", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<ApiKeyView>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn revoke(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::API_KEYS_MANAGE)?;
    let k = domain::revoke(&state.db, &id, state.clock.now()).await?;
    state.credentials.invalidate();
    Ok(ok(view(k, &state)))
}

/// Replaces the key's secret: the old key stops working at once, the new one is shown once.
#[utoipa::path(post, path = "/api-keys/{id}/rotate", tag = "api-keys", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<ApiKeyWithSecret>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn rotate(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::API_KEYS_MANAGE)?;
    let k = domain::rotate(&state.db, &id, state.clock.now()).await?;
    state.credentials.invalidate();
    Ok(ok(with_secret(k, &state)))
}
