//! Member QR codes: a short-lived signed code a store scans to identify the member.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use super::error::MemberError;
use super::members::{ACTIVE, get_member};

/// Audience of member QR codes (distinct from access tokens).
pub const AUDIENCE: &str = "sbm-crm-member-qr";

/// What a member QR code carries (signed as a JWT by the HTTP layer's keys).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QrClaims {
    /// The member id.
    pub sub: String,
    pub aud: String,
    pub iss: String,
    pub exp: i64,
    pub iat: i64,
}

/// The claims of a code for an active member, valid for `ttl` from `now`.
pub async fn claims(
    db: &impl ConnectionTrait,
    member_id: &str,
    issuer: &str,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<QrClaims, MemberError> {
    let m = get_member(db, member_id).await?;
    if m.status != ACTIVE {
        return Err(MemberError::AccountDeleted);
    }
    Ok(QrClaims {
        sub: m.id,
        aud: AUDIENCE.into(),
        iss: issuer.into(),
        exp: (now + ttl).timestamp(),
        iat: now.timestamp(),
    })
}
