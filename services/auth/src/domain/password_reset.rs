//! Staff password reset: a request that answers the same whether the account exists or not,
//! a single-use expiring link sent by mail (through `staff.password_reset_requested` and a mail
//! action of the notification service), and a confirm that sets the password and ends the
//! account's sessions.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use sbm_common::db::begin_write;
use sbm_common::events;
use sbm_common::{FieldError, Validator};

use super::error::StaffError;
use super::events::{StaffPasswordResetCompleted, StaffPasswordResetRequested};
use super::password;
use super::sessions::{self, random_token, sha256_hex};
use super::staff::check_password_policy;
use crate::entity::{password_resets as resets, staff};

/// Where the link goes, how long it works, and the secret that seals it in the outbox event.
pub struct ResetLink<'a> {
    pub url: &'a str,
    pub ttl: Duration,
    pub secret: &'a [u8; 32],
}

/// Live (unused, unexpired) links one account may have: more requests send nothing.
const LIVE_LINKS: u64 = 3;

/// Starts a reset for the active account with `email`, if there is one; otherwise does
/// nothing. The caller answers the same either way.
pub async fn request(
    db: &DatabaseConnection,
    email: &str,
    link: ResetLink<'_>,
    now: DateTime<Utc>,
) -> Result<(), StaffError> {
    let email = email.trim().to_ascii_lowercase();
    let mut v = Validator::new();
    v.check(
        email.contains('@') && email.len() <= 254,
        "email",
        "must be an email address",
    );
    v.into_result().map_err(StaffError::Invalid)?;
    let txn = begin_write(db).await?;
    let Some(account) = staff::Entity::find()
        .filter(staff::Column::Email.eq(email.as_str()))
        .filter(staff::Column::Active.eq(true))
        .one(&txn)
        .await?
    else {
        return Ok(());
    };
    let live = resets::Entity::find()
        .filter(resets::Column::StaffId.eq(account.id.as_str()))
        .filter(resets::Column::UsedAt.is_null())
        .filter(resets::Column::ExpiresAt.gt(now))
        .count(&txn)
        .await?;
    if live >= LIVE_LINKS {
        return Ok(());
    }
    let token = random_token(32);
    let expires_at = now + chrono::Duration::from_std(link.ttl).unwrap_or(chrono::Duration::minutes(30));
    resets::Entity::insert(resets::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        staff_id: Set(account.id.clone()),
        token_hash: Set(sha256_hex(&token)),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    let sep = if link.url.contains('?') { '&' } else { '?' };
    events::emit(
        &txn,
        &StaffPasswordResetRequested {
            staff_id: account.id.clone(),
            email: account.email.clone(),
            name: account.name.clone(),
            // Sealed: the outbox keeps no working link; notification opens it to mail it.
            reset_url: events::seal_field(link.secret, "resetUrl", &format!("{}{sep}token={token}", link.url)),
            expires_at,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets a new password with a reset token: once, before it expires. Ends every session of the
/// account. A token that is unknown, used or expired is a 400 on `token`.
pub async fn confirm(
    db: &DatabaseConnection,
    token: &str,
    new_password: String,
    now: DateTime<Utc>,
) -> Result<(), StaffError> {
    let mut v = Validator::new();
    check_password_policy(&mut v, "password", &new_password);
    v.check(!token.trim().is_empty() && token.len() <= 256, "token", "is required");
    v.into_result().map_err(StaffError::Invalid)?;
    let invalid = || StaffError::Invalid(vec![FieldError::new("token", "is invalid, used or expired")]);
    // A cheap look first: an unknown token costs no password hash.
    let live = resets::Entity::find()
        .filter(resets::Column::TokenHash.eq(sha256_hex(token.trim())))
        .filter(resets::Column::UsedAt.is_null())
        .filter(resets::Column::ExpiresAt.gt(now))
        .one(db)
        .await?;
    if live.is_none() {
        return Err(invalid());
    }
    let hash = password::hash(new_password).await?;
    let txn = begin_write(db).await?;
    // Claim the token first: of two confirms with it, one wins.
    let claimed = resets::Entity::update_many()
        .col_expr(resets::Column::UsedAt, Expr::value(now))
        .filter(resets::Column::TokenHash.eq(sha256_hex(token.trim())))
        .filter(resets::Column::UsedAt.is_null())
        .filter(resets::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid());
    }
    let reset = resets::Entity::find()
        .filter(resets::Column::TokenHash.eq(sha256_hex(token.trim())))
        .one(&txn)
        .await?
        .ok_or_else(invalid)?;
    let Some(account) = staff::Entity::find_by_id(reset.staff_id.clone())
        .filter(staff::Column::Active.eq(true))
        .one(&txn)
        .await?
    else {
        return Err(invalid());
    };
    staff::Entity::update_many()
        .col_expr(staff::Column::PasswordHash, Expr::value(hash))
        .col_expr(staff::Column::FailedLogins, Expr::value(0))
        .col_expr(staff::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(staff::Column::UpdatedAt, Expr::value(now))
        .filter(staff::Column::Id.eq(account.id.as_str()))
        .exec(&txn)
        .await?;
    // Every other link of the account stops working too.
    resets::Entity::update_many()
        .col_expr(resets::Column::UsedAt, Expr::value(now))
        .filter(resets::Column::StaffId.eq(account.id.as_str()))
        .filter(resets::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    sessions::revoke_subject(&txn, "staff", &account.id, now).await?;
    events::emit(
        &txn,
        &StaffPasswordResetCompleted {
            staff_id: account.id.clone(),
            email: account.email,
            at: now,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
