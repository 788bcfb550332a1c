//! API keys for POS systems and integrations: shown once, stored hashed, recognisable prefix,
//! scopes, plan, expiry, rotation and revocation.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use sbm_common::db::{exec, query_one};
use sbm_common::envelope::Envelope;
use sbm_common::identity::{API_KEY_PREFIX, Permission as P, Plan, hash_api_key};
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Validator, created, ok};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AuthCtx;
use crate::tokens::random_token;

#[derive(Debug, FromQueryResult)]
struct Row {
    id: String,
    name: String,
    prefix: String,
    scopes: String,
    plan: String,
    rate_limit_per_hour: Option<i64>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
    managed: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const COLS: &str = "id, name, prefix, scopes, plan, rate_limit_per_hour, expires_at, revoked_at, last_used_at, managed, created_at, updated_at";

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

fn view(r: Row, ctx: &AuthCtx, state: &AppState) -> ApiKeyView {
    let now = Utc::now();
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
    let last_used = match (r.last_used_at, ctx.api_keys.pending_last_used(&r.id)) {
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

/// A new key.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateApiKey {
    pub name: String,
    /// Any of `members:read`, `members:write`, `members:delete`, `points:read`, `points:write`.
    pub scopes: Vec<String>,
    pub plan: Plan,
    /// Required for `enterprise`, refused otherwise.
    pub rate_limit_per_hour: Option<i64>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Changes to a key; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateApiKey {
    pub name: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub plan: Option<Plan>,
    pub rate_limit_per_hour: Option<i64>,
    pub expires_at: Option<DateTime<Utc>>,
}

fn check(
    v: &mut Validator,
    name: Option<&str>,
    scopes: Option<&[String]>,
    plan: Plan,
    limit: Option<i64>,
    expires: Option<DateTime<Utc>>,
) {
    if let Some(n) = name {
        v.text("name", n, 100);
    }
    if let Some(s) = scopes {
        if s.is_empty() {
            v.add("scopes", "must name at least one scope");
        }
        for sc in s {
            if !P::API_KEY_SCOPES.contains(&sc.as_str()) {
                v.add(
                    "scopes",
                    format!("unknown scope `{sc}`; allowed: {}", P::API_KEY_SCOPES.join(", ")),
                );
            }
        }
    }
    match (plan, limit) {
        (Plan::Enterprise, None) => v.add("rateLimitPerHour", "is required for the enterprise plan"),
        (Plan::Enterprise, Some(n)) if !(1..=10_000_000).contains(&n) => {
            v.add("rateLimitPerHour", "must be between 1 and 10000000")
        }
        (Plan::Standard | Plan::Premium, Some(_)) => {
            v.add("rateLimitPerHour", "only the enterprise plan takes a custom limit")
        }
        _ => {}
    }
    if let Some(e) = expires {
        v.check(e > Utc::now(), "expiresAt", "must be in the future");
    }
}

/// A fresh key: `sbmk_` and 40 random URL-safe characters (240 bits).
pub fn new_key() -> String {
    format!("{API_KEY_PREFIX}{}", random_token(30))
}

/// Inserts a key row; returns the id. Shared with the operator through `domain`.
#[allow(clippy::too_many_arguments)]
pub async fn insert_key(
    db: &impl ConnectionTrait,
    key: &str,
    name: &str,
    scopes: &[String],
    plan: Plan,
    limit: Option<i64>,
    expires: Option<DateTime<Utc>>,
    created_by: Option<&str>,
    managed_by_uid: Option<&str>,
) -> ApiResult<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = Utc::now();
    exec(
        db,
        "INSERT INTO api_keys (id, name, prefix, key_hash, scopes, plan, rate_limit_per_hour, expires_at, managed, managed_by_uid, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            id.clone().into(),
            name.trim().to_string().into(),
            key[..12].to_string().into(),
            hash_api_key(key).into(),
            serde_json::to_string(scopes).map_err(ApiError::internal)?.into(),
            plan.as_str().into(),
            limit.into(),
            expires.into(),
            managed_by_uid.is_some().into(),
            managed_by_uid.map(str::to_string).into(),
            created_by.map(str::to_string).into(),
            now.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(id)
}

async fn fetch(db: &impl ConnectionTrait, id: &str) -> ApiResult<Row> {
    let row = query_one(
        db,
        &format!("SELECT {COLS} FROM api_keys WHERE id = ?"),
        vec![id.into()],
    )
    .await?
    .ok_or_else(|| ApiError::not_found("API key"))?;
    Ok(Row::from_query_result(&row, "")?)
}

fn refuse_managed(r: &Row) -> ApiResult<()> {
    if r.managed {
        return Err(ApiError::conflict(
            "This API key is managed by the Kubernetes operator; change its ApiKey resource instead",
        ));
    }
    Ok(())
}

/// Lists keys: `search` (name, prefix), filters `status` (active, revoked, expired), `plan`;
/// sort `createdAt`, `name`, `lastUsedAt`.
#[utoipa::path(get, path = "/api-keys", tag = "api-keys", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query, description = "active, revoked or expired"),
           ("plan" = Option<String>, Query, description = "standard, premium or enterprise")),
    responses((status = 200, body = Envelope<Page<ApiKeyView>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<Arc<AuthCtx>>,
    Auth(p): Auth,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    p.require(P::ApiKeysManage)?;
    let (sort, order) = q.sort(
        &[
            ("createdAt", "created_at"),
            ("name", "name"),
            ("lastUsedAt", "last_used_at"),
        ],
        "created_at",
    )?;
    let mut wh = vec!["1 = 1".to_string()];
    let mut vals: Vec<Value> = vec![];
    match q.filter_enum("status", &["active", "revoked", "expired"])?.as_deref() {
        Some("revoked") => wh.push("revoked_at IS NOT NULL".into()),
        Some("expired") => {
            wh.push("revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?".into());
            vals.push(Utc::now().into());
        }
        Some(_) => {
            wh.push("revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)".into());
            vals.push(Utc::now().into());
        }
        None => {}
    }
    if let Some(pl) = q.filter_enum("plan", &["standard", "premium", "enterprise"])? {
        wh.push("plan = ?".into());
        vals.push(pl.into());
    }
    if let Some(s) = &q.search {
        wh.push("(LOWER(name) LIKE ? OR prefix LIKE ?)".into());
        vals.push(format!("%{}%", s.to_lowercase()).into());
        vals.push(format!("{s}%").into());
    }
    let page: Page<Row> = q
        .fetch_page(
            &state.db,
            "api_keys",
            COLS,
            &wh.join(" AND "),
            vals,
            &ListQuery::order_by(sort, order, "id"),
        )
        .await?;
    Ok(ok(Page {
        meta: page.meta,
        data: page.data.into_iter().map(|r| view(r, &ctx, &state)).collect(),
    }))
}

/// Creates a key; the response carries the key once.
#[utoipa::path(post, path = "/api-keys", tag = "api-keys", security(("bearer" = [])), request_body = CreateApiKey,
    responses((status = 201, body = Envelope<ApiKeyWithSecret>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<Arc<AuthCtx>>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<CreateApiKey>,
) -> ApiResult<impl IntoResponse> {
    p.require(P::ApiKeysManage)?;
    let mut v = Validator::new();
    check(
        &mut v,
        Some(&req.name),
        Some(&req.scopes),
        req.plan,
        req.rate_limit_per_hour,
        req.expires_at,
    );
    v.finish()?;
    let key = new_key();
    let id = insert_key(
        &state.db,
        &key,
        &req.name,
        &req.scopes,
        req.plan,
        req.rate_limit_per_hour,
        req.expires_at,
        Some(p.id()),
        None,
    )
    .await?;
    tracing::info!(api_key_id = %id, "API key created");
    Ok(created(ApiKeyWithSecret {
        api_key: view(fetch(&state.db, &id).await?, &ctx, &state),
        key,
    }))
}

/// One key.
#[utoipa::path(get, path = "/api-keys/{id}", tag = "api-keys", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<ApiKeyView>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    Extension(ctx): Extension<Arc<AuthCtx>>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(P::ApiKeysManage)?;
    Ok(ok(view(fetch(&state.db, &id).await?, &ctx, &state)))
}

/// Changes name, scopes, plan, limit or expiry. Operator-managed keys are refused (409).
#[utoipa::path(patch, path = "/api-keys/{id}", tag = "api-keys", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = UpdateApiKey,
    responses((status = 200, body = Envelope<ApiKeyView>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Extension(ctx): Extension<Arc<AuthCtx>>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UpdateApiKey>,
) -> ApiResult<impl IntoResponse> {
    p.require(P::ApiKeysManage)?;
    let cur = fetch(&state.db, &id).await?;
    refuse_managed(&cur)?;
    if cur.revoked_at.is_some() {
        return Err(ApiError::conflict("A revoked API key cannot be changed"));
    }
    let plan = req.plan.unwrap_or(Plan::parse(&cur.plan).unwrap_or(Plan::Standard));
    let limit = if req.plan.is_some() && plan != Plan::Enterprise {
        None
    } else {
        req.rate_limit_per_hour.or(cur.rate_limit_per_hour)
    };
    let mut v = Validator::new();
    check(
        &mut v,
        req.name.as_deref(),
        req.scopes.as_deref(),
        plan,
        limit,
        req.expires_at,
    );
    v.finish()?;
    let mut sets = vec![
        "updated_at = ?".to_string(),
        "plan = ?".to_string(),
        "rate_limit_per_hour = ?".to_string(),
    ];
    let mut vals: Vec<Value> = vec![Utc::now().into(), plan.as_str().into(), limit.into()];
    if let Some(n) = req.name {
        sets.push("name = ?".into());
        vals.push(n.trim().to_string().into());
    }
    if let Some(s) = req.scopes {
        sets.push("scopes = ?".into());
        vals.push(serde_json::to_string(&s).map_err(ApiError::internal)?.into());
    }
    if let Some(e) = req.expires_at {
        sets.push("expires_at = ?".into());
        vals.push(e.into());
    }
    vals.push(id.clone().into());
    exec(
        &state.db,
        &format!("UPDATE api_keys SET {} WHERE id = ?", sets.join(", ")),
        vals,
    )
    .await?;
    ctx.api_keys.invalidate();
    Ok(ok(view(fetch(&state.db, &id).await?, &ctx, &state)))
}

/// Revokes a key at once.
#[utoipa::path(delete, path = "/api-keys/{id}", tag = "api-keys", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<ApiKeyView>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn revoke(
    State(state): State<AppState>,
    Extension(ctx): Extension<Arc<AuthCtx>>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(P::ApiKeysManage)?;
    let cur = fetch(&state.db, &id).await?;
    refuse_managed(&cur)?;
    let now = Utc::now();
    exec(
        &state.db,
        "UPDATE api_keys SET revoked_at = ?, updated_at = ? WHERE id = ? AND revoked_at IS NULL",
        vec![now.into(), now.into(), id.clone().into()],
    )
    .await?;
    ctx.api_keys.invalidate();
    tracing::info!(api_key_id = %id, "API key revoked");
    Ok(ok(view(fetch(&state.db, &id).await?, &ctx, &state)))
}

/// Replaces the key's secret: the old key stops working at once, the new one is shown once.
#[utoipa::path(post, path = "/api-keys/{id}/rotate", tag = "api-keys", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<ApiKeyWithSecret>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn rotate(
    State(state): State<AppState>,
    Extension(ctx): Extension<Arc<AuthCtx>>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(P::ApiKeysManage)?;
    let cur = fetch(&state.db, &id).await?;
    refuse_managed(&cur)?;
    if cur.revoked_at.is_some() {
        return Err(ApiError::conflict("A revoked API key cannot be rotated"));
    }
    let key = new_key();
    exec(
        &state.db,
        "UPDATE api_keys SET key_hash = ?, prefix = ?, updated_at = ? WHERE id = ?",
        vec![
            hash_api_key(&key).into(),
            key[..12].to_string().into(),
            Utc::now().into(),
            id.clone().into(),
        ],
    )
    .await?;
    ctx.api_keys.invalidate();
    tracing::info!(api_key_id = %id, "API key rotated");
    Ok(ok(ApiKeyWithSecret {
        api_key: view(fetch(&state.db, &id).await?, &ctx, &state),
        key,
    }))
}
