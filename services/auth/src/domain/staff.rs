//! Staff accounts: creation (also the first-admin bootstrap), changes that keep one active
//! admin, and login with lockout after repeated failures.

use chrono::{DateTime, Duration, Utc};
use sbm_common::db::begin_write;
use sbm_common::identity::Role;
use sbm_common::query::DEFAULT_LIMIT;
use sbm_common::{FieldError, Filter, ListError, ListQuery, ListSpec, Page, Validator};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Unchanged, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QuerySelect, Set,
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::{LoginError, StaffError, Unique, unique};
use super::password;
use super::sessions::{self, Issued, Subject};
use crate::entity::staff;

/// A new staff account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = CreateStaff)]
pub struct NewStaff {
    pub email: String,
    pub username: Option<String>,
    pub name: String,
    pub role: Role,
    pub password: String,
}

/// Changes to a staff account; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = UpdateStaff)]
pub struct StaffChanges {
    pub name: Option<String>,
    pub username: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password: Option<String>,
}

/// Password policy for staff.
pub fn check_password_policy(v: &mut Validator, field: &str, password: &str) {
    let n = password.chars().count();
    if n < 10 {
        v.add(field, "must be at least 10 characters");
    } else if n > 256 {
        v.add(field, "must be at most 256 characters");
    }
}

/// Usernames: 1 to 64 ASCII letters, digits, dots, dashes or underscores.
fn check_username(v: &mut Validator, username: &str) {
    v.check(
        !username.is_empty()
            && username.len() <= 64
            && username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
        "username",
        "must be 1 to 64 letters, digits, dots, dashes or underscores",
    );
}

fn taken(e: sea_orm::DbErr) -> StaffError {
    match unique(&e) {
        Some(Unique::StaffEmail) => StaffError::EmailTaken,
        Some(Unique::StaffUsername) => StaffError::UsernameTaken,
        _ => e.into(),
    }
}

/// Creates a staff account.
pub async fn create_staff(
    db: &impl ConnectionTrait,
    new: NewStaff,
    now: DateTime<Utc>,
) -> Result<staff::Model, StaffError> {
    let mut v = Validator::new();
    let email = new.email.trim().to_ascii_lowercase();
    v.email("email", &email);
    v.text("name", &new.name, 200);
    if let Some(u) = &new.username {
        check_username(&mut v, u);
    }
    check_password_policy(&mut v, "password", &new.password);
    v.into_result().map_err(StaffError::Invalid)?;
    // Refuse a taken email before spending a password hash on it; the constraint still
    // decides a race.
    if staff::Entity::find()
        .filter(staff::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(StaffError::EmailTaken);
    }
    if let Some(u) = &new.username
        && staff::Entity::find()
            .filter(staff::Column::Username.eq(u.as_str()))
            .one(db)
            .await?
            .is_some()
    {
        return Err(StaffError::UsernameTaken);
    }
    let hash = password::hash(new.password).await?;
    staff::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        email: Set(email),
        username: Set(new.username),
        name: Set(new.name.trim().to_string()),
        role: Set(new.role.as_str().to_string()),
        password_hash: Set(hash),
        active: Set(true),
        failed_logins: Set(0),
        locked_until: Set(None),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(taken)
}

/// Creates the first admin when no staff exists (from `SBM_BOOTSTRAP_ADMIN_*`), or always with
/// `force` (the `create-admin` command). Returns whether one was created.
pub async fn bootstrap_admin(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
    force: bool,
    now: DateTime<Utc>,
) -> Result<bool, StaffError> {
    if !force && any_staff(db).await? {
        return Ok(false);
    }
    create_staff(
        db,
        NewStaff {
            email: email.to_string(),
            username: Some("admin".into()).filter(|_| !force),
            name: "Administrator".into(),
            role: Role::Admin,
            password: password.to_string(),
        },
        now,
    )
    .await?;
    tracing::info!(email = %email, "first admin created");
    Ok(true)
}

/// One staff account.
pub async fn get_staff(db: &impl ConnectionTrait, id: &str) -> Result<staff::Model, StaffError> {
    staff::Entity::find_by_id(id).one(db).await?.ok_or(StaffError::NotFound)
}

/// Whether any staff account exists.
pub async fn any_staff(db: &impl ConnectionTrait) -> Result<bool, sea_orm::DbErr> {
    Ok(staff::Entity::find().one(db).await?.is_some())
}

/// The active admins, locked until the transaction ends (`FOR UPDATE` on PostgreSQL; SQLite's
/// write transaction already serialises writers). Two admins demoting each other at once
/// therefore take turns, and the second sees only one admin left.
async fn lock_active_admins(db: &impl ConnectionTrait) -> Result<usize, sea_orm::DbErr> {
    let ids: Vec<String> = staff::Entity::find()
        .select_only()
        .column(staff::Column::Id)
        .filter(staff::Column::Role.eq(Role::Admin.as_str()))
        .filter(staff::Column::Active.eq(true))
        .lock_exclusive()
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.len())
}

/// Updates a staff account. The last active admin cannot be demoted or deactivated, even by
/// concurrent requests. A new password, a role change or a deactivation ends the account's
/// sessions.
pub async fn update_staff(
    db: &DatabaseConnection,
    id: &str,
    changes: StaffChanges,
    now: DateTime<Utc>,
) -> Result<staff::Model, StaffError> {
    let mut v = Validator::new();
    if let Some(n) = &changes.name {
        v.text("name", n, 200);
    }
    if let Some(u) = &changes.username {
        check_username(&mut v, u);
    }
    if let Some(pw) = &changes.password {
        check_password_policy(&mut v, "password", pw);
    }
    v.into_result().map_err(StaffError::Invalid)?;
    // Hash before the transaction: it is slow and needs no lock.
    let password_hash = match changes.password {
        Some(pw) => Some(password::hash(pw).await?),
        None => None,
    };
    let txn = begin_write(db).await?;
    let current = get_staff(&txn, id).await?;
    let demotes = current.role == Role::Admin.as_str()
        && current.active
        && (changes.role.is_some_and(|r| r != Role::Admin) || changes.active == Some(false));
    if demotes && lock_active_admins(&txn).await? <= 1 {
        return Err(StaffError::LastAdminDemoted);
    }
    let mut row = staff::ActiveModel {
        id: Unchanged(id.to_string()),
        updated_at: Set(now),
        ..Default::default()
    };
    let mut end_sessions = false;
    if let Some(n) = changes.name {
        row.name = Set(n.trim().to_string());
    }
    if let Some(u) = changes.username {
        row.username = Set(Some(u));
    }
    if let Some(r) = changes.role {
        end_sessions |= r.as_str() != current.role;
        row.role = Set(r.as_str().to_string());
    }
    if let Some(a) = changes.active {
        end_sessions |= !a;
        row.active = Set(a);
    }
    if let Some(hash) = password_hash {
        end_sessions = true;
        row.password_hash = Set(hash);
        row.failed_logins = Set(0);
        row.locked_until = Set(None);
    }
    let updated = row.update(&txn).await.map_err(taken)?;
    if end_sessions {
        sessions::revoke_subject(&txn, "staff", id, now).await?;
    }
    txn.commit().await?;
    Ok(updated)
}

/// Deletes a staff account on behalf of `actor`: not oneself, not the last active admin (even
/// by concurrent requests). Returns the account as it was.
pub async fn delete_staff(
    db: &DatabaseConnection,
    actor: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<staff::Model, StaffError> {
    if actor == id {
        return Err(StaffError::DeleteSelf);
    }
    let txn = begin_write(db).await?;
    let current = get_staff(&txn, id).await?;
    if current.role == Role::Admin.as_str() && current.active && lock_active_admins(&txn).await? <= 1 {
        return Err(StaffError::LastAdminDeleted);
    }
    sessions::revoke_subject(&txn, "staff", id, now).await?;
    staff::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(current)
}

/// Staff credentials: `email` or `username`, and `password`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = LoginRequest)]
pub struct Credentials {
    pub email: Option<String>,
    pub username: Option<String>,
    pub password: String,
}

/// How logins are limited and how long their sessions last.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// Consecutive failures that lock the account.
    pub max_failures: u32,
    /// How long a locked account stays locked.
    pub lockout: Duration,
    /// Lifetime of the session's refresh token.
    pub refresh_ttl: Duration,
}

/// Checks staff credentials and starts a session. Repeated failures lock the account.
pub async fn login(
    db: &impl ConnectionTrait,
    creds: Credentials,
    policy: LoginPolicy,
    now: DateTime<Utc>,
) -> Result<Issued, LoginError> {
    let (col, field, ident) = match (&creds.email, &creds.username) {
        (Some(e), None) => (staff::Column::Email, "email", e.trim().to_ascii_lowercase()),
        (None, Some(u)) => (staff::Column::Username, "username", u.trim().to_string()),
        _ => {
            return Err(LoginError::Invalid(vec![FieldError::new(
                "email",
                "give either `email` or `username`",
            )]));
        }
    };
    let mut v = Validator::new();
    v.text(field, &ident, 254);
    v.check(
        !creds.password.is_empty() && creds.password.chars().count() <= 256,
        "password",
        "must be 1 to 256 characters",
    );
    v.into_result().map_err(LoginError::Invalid)?;
    let Some(row) = staff::Entity::find().filter(col.eq(ident)).one(db).await? else {
        password::verify(creds.password, None).await?;
        return Err(LoginError::BadCredentials);
    };
    // Take one attempt from the account's allowance before checking the password, in one
    // conditional UPDATE: concurrent logins each take their own, so no more than
    // `max_failures` passwords are ever tried per lock-out period. A locked account answers
    // exactly like a wrong password (and after as long), so lock-outs reveal no accounts.
    let max = policy.max_failures as i32;
    let expired_lock = Expr::col(staff::Column::LockedUntil).lte(now);
    let attempt = staff::Entity::update_many()
        .col_expr(
            staff::Column::FailedLogins,
            Expr::case(expired_lock.clone(), 1)
                .finally(Expr::col(staff::Column::FailedLogins).add(1))
                .into(),
        )
        .col_expr(
            staff::Column::LockedUntil,
            Expr::case(expired_lock, Expr::value(Option::<DateTime<Utc>>::None))
                .finally(Expr::col(staff::Column::LockedUntil))
                .into(),
        )
        .filter(staff::Column::Id.eq(row.id.as_str()))
        .filter(
            Condition::any().add(staff::Column::LockedUntil.lte(now)).add(
                staff::Column::LockedUntil
                    .is_null()
                    .and(staff::Column::FailedLogins.lt(max)),
            ),
        )
        .exec(db)
        .await?;
    let allowed = attempt.rows_affected == 1;
    let verified = password::verify(creds.password, Some(row.password_hash.clone())).await?;
    if !allowed || !verified {
        // A used-up allowance starts the lock-out (also when the attempt that used it up
        // never finished, e.g. a crash: the account cannot stay locked without an end).
        let locked = staff::Entity::update_many()
            .col_expr(staff::Column::LockedUntil, Expr::value(now + policy.lockout))
            .filter(staff::Column::Id.eq(row.id.as_str()))
            .filter(staff::Column::LockedUntil.is_null())
            .filter(staff::Column::FailedLogins.gte(max))
            .exec(db)
            .await?;
        if locked.rows_affected == 1 {
            tracing::warn!(staff_id = %row.id, "staff account locked after repeated failed logins");
        }
        return Err(LoginError::BadCredentials);
    }
    if !row.active {
        return Err(LoginError::Deactivated);
    }
    staff::Entity::update_many()
        .col_expr(staff::Column::FailedLogins, Expr::value(0))
        .col_expr(staff::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(staff::Column::LastLoginAt, Expr::value(now))
        .filter(staff::Column::Id.eq(row.id.as_str()))
        .exec(db)
        .await?;
    let subject = Subject {
        kind: "staff",
        id: row.id,
        role: Some(row.role),
    };
    Ok(sessions::start(db, subject, policy.refresh_ttl, now).await?)
}

const LIST: ListSpec<staff::Column> = ListSpec {
    default_limit: DEFAULT_LIMIT,
    sort: &[
        ("createdAt", staff::Column::CreatedAt),
        ("email", staff::Column::Email),
        ("name", staff::Column::Name),
        ("role", staff::Column::Role),
        ("lastLoginAt", staff::Column::LastLoginAt),
    ],
    default_sort: staff::Column::CreatedAt,
    tiebreak: staff::Column::Id,
    search: &[staff::Column::Email, staff::Column::Name, staff::Column::Username],
    filters: &[
        Filter::Enum("role", staff::Column::Role, &["admin", "manager", "support", "viewer"]),
        Filter::Bool("active", staff::Column::Active),
    ],
};

/// A page of staff accounts: `search` (email, name, username), filters `role`, `active`.
pub async fn list_staff(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<staff::Model>, ListError> {
    q.page(db, staff::Entity::find(), &LIST).await
}
