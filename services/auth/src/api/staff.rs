//! Staff accounts and roles.

use crate::domain::permissions as perm;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use sbm_common::envelope::Envelope;
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Principal, created, ok};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::staff::{self as domain, NewStaff, StaffChanges};
use crate::entity::staff;

/// A staff account as the API shows it (never the password hash).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StaffView {
    pub id: String,
    pub email: String,
    pub username: Option<String>,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<staff::Model> for StaffView {
    fn from(s: staff::Model) -> Self {
        Self {
            id: s.id,
            email: s.email,
            username: s.username,
            name: s.name,
            role: s.role,
            active: s.active,
            last_login_at: s.last_login_at,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// Lists staff: `search` (email, name, username), filters `role`, `active`; sort `createdAt`,
/// `email`, `name`, `role`, `lastLoginAt`.
#[utoipa::path(get, path = "/staff", tag = "staff", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("role" = Option<String>, Query, description = "admin, manager, support or viewer"),
           ("active" = Option<bool>, Query, description = "true or false")),
    responses((status = 200, body = Envelope<Page<StaffView>>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(perm::STAFF_READ)?;
    Ok(ok(domain::list_staff(&state.db, &q).await?.map(StaffView::from)))
}

/// Creates a staff account (admin).
#[utoipa::path(post, path = "/staff", tag = "staff", security(("bearer" = [])), request_body = NewStaff,
    responses((status = 201, body = Envelope<StaffView>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<NewStaff>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::STAFF_WRITE)?;
    let s = domain::create_staff(&state.db, req, state.clock.now()).await?;
    Ok(created(StaffView::from(s)))
}

/// The calling staff member.
#[utoipa::path(get, path = "/staff/me", tag = "staff", security(("bearer" = [])),
    responses((status = 200, body = Envelope<StaffView>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn me(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    match &p {
        Principal::Staff { id, .. } => Ok(ok(StaffView::from(domain::get_staff(&state.db, id).await?))),
        _ => Err(ApiError::forbidden("Only staff have a staff profile")),
    }
}

/// One staff account.
#[utoipa::path(get, path = "/staff/{id}", tag = "staff", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<StaffView>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    p.require(perm::STAFF_READ)?;
    Ok(ok(StaffView::from(domain::get_staff(&state.db, &id).await?)))
}

/// Updates a staff account (admin). The last active admin cannot be demoted or deactivated.
/// A new password, a role change or a deactivation ends the account's sessions.
#[utoipa::path(patch, path = "/staff/{id}", tag = "staff", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = StaffChanges,
    responses((status = 200, body = Envelope<StaffView>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<StaffChanges>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::STAFF_WRITE)?;
    let s = domain::update_staff(&state.db, &id, req, state.clock.now()).await?;
    // Sessions it ended stop working here at once (elsewhere within the session-check cache).
    state.credentials.invalidate();
    Ok(ok(StaffView::from(s)))
}

/// Deletes a staff account (admin); not yourself, not the last active admin.
#[utoipa::path(delete, path = "/staff/{id}", tag = "staff", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<StaffView>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::STAFF_WRITE)?;
    let s = domain::delete_staff(&state.db, p.id(), &id, state.clock.now()).await?;
    state.credentials.invalidate();
    Ok(ok(StaffView::from(s)))
}
