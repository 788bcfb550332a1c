//! Sessions: opaque refresh tokens, stored hashed and rotated on every use. A session is a
//! token family; presenting a used token again revokes the whole family. Access tokens (JWTs)
//! are signed at the HTTP edge from what these functions return.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use super::error::SessionError;
use crate::entity::{members, refresh_tokens, staff};

/// Whose session it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// `staff` or `member`.
    pub kind: &'static str,
    pub id: String,
    /// The staff role; `None` for members.
    pub role: Option<String>,
}

/// A refresh token just issued in session `family`.
#[derive(Debug, Clone)]
pub struct Issued {
    pub subject: Subject,
    pub family: String,
    pub refresh_token: String,
}

/// Random URL-safe string of `bytes` random bytes.
pub fn random_token(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

pub(crate) fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

async fn insert_refresh(
    db: &impl ConnectionTrait,
    subject: &Subject,
    family: &str,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<String, sea_orm::DbErr> {
    let token = format!("sbmr_{}", random_token(32));
    refresh_tokens::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        family_id: Set(family.to_string()),
        subject_kind: Set(subject.kind.to_string()),
        subject_id: Set(subject.id.clone()),
        token_hash: Set(sha256_hex(&token)),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Starts a new session (a new refresh family) whose refresh token lives `ttl`.
pub async fn start(
    db: &impl ConnectionTrait,
    subject: Subject,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<Issued, sea_orm::DbErr> {
    let family = uuid::Uuid::now_v7().to_string();
    let refresh_token = insert_refresh(db, &subject, &family, ttl, now).await?;
    Ok(Issued {
        subject,
        family,
        refresh_token,
    })
}

/// Revokes a whole refresh family (logout, replay).
pub async fn revoke_family(db: &impl ConnectionTrait, family: &str, now: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    Ok(refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
        .filter(refresh_tokens::Column::FamilyId.eq(family))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Revokes every session of a subject (password change, deactivation, anonymisation).
pub async fn revoke_subject(
    db: &impl ConnectionTrait,
    kind: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<u64, sea_orm::DbErr> {
    Ok(refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
        .filter(refresh_tokens::Column::SubjectKind.eq(kind))
        .filter(refresh_tokens::Column::SubjectId.eq(id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Whether a session (family) has been ended: logged out, or revoked by a demotion, a
/// deactivation, a password change, a deletion or a detected refresh-token reuse. Access tokens
/// of an ended session stop working; expiry alone does not end one (access tokens carry their
/// own `exp`).
pub async fn session_ended(db: &impl ConnectionTrait, family: &str) -> Result<bool, sea_orm::DbErr> {
    Ok(refresh_tokens::Entity::find()
        .select_only()
        .column(refresh_tokens::Column::Id)
        .filter(refresh_tokens::Column::FamilyId.eq(family))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .into_tuple::<String>()
        .one(db)
        .await?
        .is_none())
}

/// Whether a session (family) is still live: not revoked, at least one unexpired token.
pub async fn session_live(db: &impl ConnectionTrait, family: &str, now: DateTime<Utc>) -> Result<bool, sea_orm::DbErr> {
    Ok(refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::FamilyId.eq(family))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .filter(refresh_tokens::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .is_some())
}

/// The subject as it is now, if it may still hold a session: staff must be active, members
/// not anonymised. The role comes from the row, so a refresh picks up role changes.
pub async fn current_subject(
    db: &impl ConnectionTrait,
    kind: &str,
    id: String,
) -> Result<Option<Subject>, sea_orm::DbErr> {
    if kind == "staff" {
        let row = staff::Entity::find_by_id(id.clone()).one(db).await?;
        Ok(row.filter(|s| s.active).map(|s| Subject {
            kind: "staff",
            id,
            role: Some(s.role),
        }))
    } else {
        let row = members::Entity::find_by_id(id.clone()).one(db).await?;
        Ok(row.filter(|m| m.status == "active").map(|_| Subject {
            kind: "member",
            id,
            role: None,
        }))
    }
}

/// Exchanges a refresh token for a new one in the same family. The old token stops working;
/// presenting it again revokes the family.
pub async fn rotate(
    db: &DatabaseConnection,
    token: &str,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<Issued, SessionError> {
    let Some(row) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?
    else {
        return Err(SessionError::InvalidRefresh);
    };
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Err(SessionError::InvalidRefresh);
    }
    if row.used_at.is_some() {
        revoke_family(db, &row.family_id, now).await?;
        tracing::warn!(family = %row.family_id, "refresh token reuse detected; session revoked");
        return Err(SessionError::RefreshReused);
    }
    // Look the subject up before the write transaction: on SQLite the pool has one
    // connection, and a query outside the transaction would wait for it forever.
    let subject = current_subject(db, &row.subject_kind, row.subject_id.clone()).await?;
    let txn = sbm_common::db::begin_write(db).await?;
    let claimed = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::UsedAt, Expr::value(now))
        .filter(refresh_tokens::Column::Id.eq(row.id.as_str()))
        .filter(refresh_tokens::Column::UsedAt.is_null())
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if claimed == 0 {
        // Another request used it first: that is a replay too.
        txn.rollback().await?;
        revoke_family(db, &row.family_id, now).await?;
        return Err(SessionError::RefreshReused);
    }
    let Some(subject) = subject else {
        txn.rollback().await?;
        revoke_family(db, &row.family_id, now).await?;
        return Err(SessionError::InvalidRefresh);
    };
    let refresh_token = insert_refresh(&txn, &subject, &row.family_id, ttl, now).await?;
    txn.commit().await?;
    Ok(Issued {
        subject,
        family: row.family_id,
        refresh_token,
    })
}
