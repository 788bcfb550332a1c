//! Staff accounts and roles.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use sbm_common::db::{exec, query_one};
use sbm_common::envelope::Envelope;
use sbm_common::identity::Role;
use sbm_common::{
    ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Permission, Principal, Validator, created, ok,
};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::password;
use crate::tokens;

/// A staff account as the API shows it (never the password hash).
#[derive(Debug, Serialize, ToSchema, FromQueryResult)]
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

const COLS: &str = "id, email, username, name, role, active, last_login_at, created_at, updated_at";

/// New staff account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateStaff {
    pub email: String,
    pub username: Option<String>,
    pub name: String,
    pub role: Role,
    pub password: String,
}

/// Changes to a staff account; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateStaff {
    pub name: Option<String>,
    pub username: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password: Option<String>,
}

/// Creates a staff account (also used by the admin bootstrap).
pub async fn create_staff(db: &impl ConnectionTrait, req: CreateStaff) -> ApiResult<StaffView> {
    let mut v = Validator::new();
    let email = req.email.trim().to_ascii_lowercase();
    v.email("email", &email);
    v.text("name", &req.name, 200);
    if let Some(u) = &req.username {
        v.check(
            !u.is_empty() && u.len() <= 64 && u.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
            "username",
            "must be 1 to 64 letters, digits, dots, dashes or underscores",
        );
    }
    password::check_policy(&mut v, "password", &req.password);
    v.finish()?;
    if query_one(db, "SELECT id FROM staff WHERE email = ?", vec![email.clone().into()])
        .await?
        .is_some()
    {
        return Err(ApiError::field("email", "is already used by another staff account").with_status(409));
    }
    if let Some(u) = &req.username
        && query_one(db, "SELECT id FROM staff WHERE username = ?", vec![u.clone().into()])
            .await?
            .is_some()
    {
        return Err(ApiError::field("username", "is already used by another staff account").with_status(409));
    }
    let hash = password::hash(req.password).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let now = Utc::now();
    exec(
        db,
        "INSERT INTO staff (id, email, username, name, role, password_hash, active, failed_logins, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        vec![
            id.clone().into(),
            email.into(),
            req.username.into(),
            req.name.trim().to_string().into(),
            req.role.as_str().into(),
            hash.into(),
            true.into(),
            now.into(),
            now.into(),
        ],
    )
    .await?;
    get_staff(db, &id).await
}

/// One staff account or 404.
pub async fn get_staff(db: &impl ConnectionTrait, id: &str) -> ApiResult<StaffView> {
    let row = query_one(db, &format!("SELECT {COLS} FROM staff WHERE id = ?"), vec![id.into()])
        .await?
        .ok_or_else(|| ApiError::not_found("Staff member"))?;
    Ok(StaffView::from_query_result(&row, "")?)
}

/// Whether any staff account exists (the bootstrap creates the first admin only).
pub async fn any_staff(db: &impl ConnectionTrait) -> ApiResult<bool> {
    Ok(query_one(db, "SELECT id FROM staff LIMIT 1", vec![]).await?.is_some())
}

async fn active_admins(db: &impl ConnectionTrait) -> ApiResult<i64> {
    let row = query_one(
        db,
        "SELECT COUNT(*) AS n FROM staff WHERE role = 'admin' AND active = ?",
        vec![true.into()],
    )
    .await?
    .ok_or_else(|| ApiError::internal("count returned no row"))?;
    Ok(row.try_get("", "n")?)
}

/// Lists staff: `search` (email, name, username), filters `role`, `active`; sort `createdAt`,
/// `email`, `name`, `role`, `lastLoginAt`.
#[utoipa::path(get, path = "/staff", tag = "staff", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("role" = Option<String>, Query, description = "admin, manager, support or viewer"),
           ("active" = Option<bool>, Query, description = "true or false")),
    responses((status = 200, body = Envelope<Page<StaffView>>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(Permission::StaffRead)?;
    let (sort, order) = q.sort(
        &[
            ("createdAt", "created_at"),
            ("email", "email"),
            ("name", "name"),
            ("role", "role"),
            ("lastLoginAt", "last_login_at"),
        ],
        "created_at",
    )?;
    let mut wh = vec!["1 = 1".to_string()];
    let mut vals: Vec<Value> = vec![];
    if let Some(role) = q.filter_enum("role", &["admin", "manager", "support", "viewer"])? {
        wh.push("role = ?".into());
        vals.push(role.into());
    }
    if let Some(a) = q.filter_bool("active")? {
        wh.push("active = ?".into());
        vals.push(a.into());
    }
    if let Some(s) = &q.search {
        wh.push("(LOWER(email) LIKE ? OR LOWER(name) LIKE ? OR LOWER(COALESCE(username, '')) LIKE ?)".into());
        let pat = format!("%{}%", s.to_lowercase());
        vals.extend([pat.clone().into(), pat.clone().into(), pat.into()]);
    }
    let page: Page<StaffView> = q
        .fetch_page(
            &state.db,
            "staff",
            COLS,
            &wh.join(" AND "),
            vals,
            &ListQuery::order_by(sort, order, "id"),
        )
        .await?;
    Ok(ok(page))
}

/// Creates a staff account (admin).
#[utoipa::path(post, path = "/staff", tag = "staff", security(("bearer" = [])), request_body = CreateStaff,
    responses((status = 201, body = Envelope<StaffView>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<CreateStaff>,
) -> ApiResult<impl IntoResponse> {
    p.require(Permission::StaffWrite)?;
    Ok(created(create_staff(&state.db, req).await?))
}

/// The calling staff member.
#[utoipa::path(get, path = "/staff/me", tag = "staff", security(("bearer" = [])),
    responses((status = 200, body = Envelope<StaffView>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn me(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    match &p {
        Principal::Staff { id, .. } => Ok(ok(get_staff(&state.db, id).await?)),
        _ => Err(ApiError::forbidden("Only staff have a staff profile")),
    }
}

/// One staff account.
#[utoipa::path(get, path = "/staff/{id}", tag = "staff", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<StaffView>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    p.require(Permission::StaffRead)?;
    Ok(ok(get_staff(&state.db, &id).await?))
}

/// Updates a staff account (admin). The last active admin cannot be demoted or deactivated.
/// A new password, a role change or a deactivation ends the account's sessions.
#[utoipa::path(patch, path = "/staff/{id}", tag = "staff", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = UpdateStaff,
    responses((status = 200, body = Envelope<StaffView>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UpdateStaff>,
) -> ApiResult<impl IntoResponse> {
    p.require(Permission::StaffWrite)?;
    let current = get_staff(&state.db, &id).await?;
    let mut v = Validator::new();
    if let Some(n) = &req.name {
        v.text("name", n, 200);
    }
    if let Some(pw) = &req.password {
        password::check_policy(&mut v, "password", pw);
    }
    v.finish()?;
    let demotes = current.role == "admin"
        && current.active
        && (req.role.is_some_and(|r| r != Role::Admin) || req.active == Some(false));
    if demotes && active_admins(&state.db).await? <= 1 {
        return Err(ApiError::conflict(
            "The last active admin cannot be demoted or deactivated",
        ));
    }
    let mut sets = vec!["updated_at = ?".to_string()];
    let mut vals: Vec<Value> = vec![Utc::now().into()];
    let mut end_sessions = false;
    if let Some(n) = req.name {
        sets.push("name = ?".into());
        vals.push(n.trim().to_string().into());
    }
    if let Some(u) = req.username {
        sets.push("username = ?".into());
        vals.push(u.into());
    }
    if let Some(r) = req.role {
        end_sessions |= r.as_str() != current.role;
        sets.push("role = ?".into());
        vals.push(r.as_str().into());
    }
    if let Some(a) = req.active {
        end_sessions |= !a;
        sets.push("active = ?".into());
        vals.push(a.into());
    }
    if let Some(pw) = req.password {
        end_sessions = true;
        sets.push("password_hash = ?".into());
        vals.push(password::hash(pw).await?.into());
        sets.push("failed_logins = 0".into());
        sets.push("locked_until = NULL".into());
    }
    vals.push(id.clone().into());
    exec(
        &state.db,
        &format!("UPDATE staff SET {} WHERE id = ?", sets.join(", ")),
        vals,
    )
    .await?;
    if end_sessions {
        tokens::revoke_subject(&state.db, "staff", &id).await?;
    }
    Ok(ok(get_staff(&state.db, &id).await?))
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
    p.require(Permission::StaffWrite)?;
    if p.id() == id {
        return Err(ApiError::conflict("You cannot delete your own account"));
    }
    let current = get_staff(&state.db, &id).await?;
    if current.role == "admin" && current.active && active_admins(&state.db).await? <= 1 {
        return Err(ApiError::conflict("The last active admin cannot be deleted"));
    }
    tokens::revoke_subject(&state.db, "staff", &id).await?;
    exec(&state.db, "DELETE FROM staff WHERE id = ?", vec![id.into()]).await?;
    Ok(ok(current))
}
