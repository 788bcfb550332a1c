//! Access tokens (EdDSA JWT, short-lived) and refresh tokens (opaque, stored hashed, rotated
//! on every use; a replayed one revokes its whole family).

use axum::http::HeaderValue;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sbm_common::db::{exec, query_one};
use sbm_common::identity::{AUDIENCE, Claims};
use sbm_common::{ApiError, AppState};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// A pair handed to clients at login and refresh.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub token_type: &'static str,
}

/// Whose session it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: &'static str,
    pub id: String,
    pub role: Option<String>,
}

/// Random URL-safe string of `bytes` random bytes.
pub fn random_token(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Signs an access token for a subject in session (refresh family) `sid`.
pub fn access_token(state: &AppState, subject: &Subject, sid: &str) -> Result<String, ApiError> {
    let now = Utc::now().timestamp();
    state.keys.sign(&Claims {
        sub: subject.id.clone(),
        kind: subject.kind.to_string(),
        role: subject.role.clone(),
        sid: sid.to_string(),
        iss: state.keys.issuer().to_string(),
        aud: AUDIENCE.to_string(),
        iat: now,
        exp: now + state.config.access_token_ttl.as_secs() as i64,
        jti: uuid::Uuid::now_v7().to_string(),
    })
}

async fn insert_refresh(
    db: &impl ConnectionTrait,
    state: &AppState,
    subject: &Subject,
    family: &str,
) -> Result<String, ApiError> {
    let token = format!("sbmr_{}", random_token(32));
    let now = Utc::now();
    let expires = now + chrono::Duration::from_std(state.config.refresh_token_ttl).map_err(ApiError::internal)?;
    exec(
        db,
        "INSERT INTO refresh_tokens (id, family_id, subject_kind, subject_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        vec![
            uuid::Uuid::now_v7().to_string().into(),
            family.into(),
            subject.kind.into(),
            subject.id.clone().into(),
            sha256_hex(&token).into(),
            expires.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(token)
}

/// Starts a new session (a new refresh family).
pub async fn start_session(
    db: &impl ConnectionTrait,
    state: &AppState,
    subject: &Subject,
) -> Result<TokenPair, ApiError> {
    let family = uuid::Uuid::now_v7().to_string();
    let refresh = insert_refresh(db, state, subject, &family).await?;
    Ok(TokenPair {
        access_token: access_token(state, subject, &family)?,
        refresh_token: refresh,
        expires_in: state.config.access_token_ttl.as_secs(),
        token_type: "Bearer",
    })
}

/// Revokes a whole refresh family.
pub async fn revoke_family(db: &impl ConnectionTrait, family: &str) -> Result<u64, ApiError> {
    Ok(exec(
        db,
        "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
        vec![Utc::now().into(), family.into()],
    )
    .await?)
}

/// Revokes every session of a subject (password change, deactivation, anonymisation).
pub async fn revoke_subject(db: &impl ConnectionTrait, kind: &str, id: &str) -> Result<u64, ApiError> {
    Ok(exec(
        db,
        "UPDATE refresh_tokens SET revoked_at = ? WHERE subject_kind = ? AND subject_id = ? AND revoked_at IS NULL",
        vec![Utc::now().into(), kind.into(), id.into()],
    )
    .await?)
}

/// Whether a session (family) is still live: not revoked, at least one unexpired token.
pub async fn session_live(db: &impl ConnectionTrait, family: &str) -> Result<bool, ApiError> {
    Ok(query_one(
        db,
        "SELECT id FROM refresh_tokens WHERE family_id = ? AND revoked_at IS NULL AND expires_at > ? LIMIT 1",
        vec![family.into(), Utc::now().into()],
    )
    .await?
    .is_some())
}

/// The outcome of presenting a refresh token.
pub enum Rotation {
    Rotated {
        subject: Subject,
        family: String,
        pair: TokenPair,
    },
    Invalid,
    /// The token was used before: the family is now revoked.
    Reused,
}

/// Rotates a refresh token. The caller passes a closure to look up the subject's current
/// role (and whether it may still log in).
pub async fn rotate<F, Fut>(
    db: &sea_orm::DatabaseConnection,
    state: &AppState,
    token: &str,
    subject_of: F,
) -> Result<Rotation, ApiError>
where
    F: FnOnce(String, String) -> Fut,
    Fut: std::future::Future<Output = Result<Option<Subject>, ApiError>>,
{
    let hash = sha256_hex(token);
    let Some(row) = query_one(
        db,
        "SELECT id, family_id, subject_kind, subject_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = ?",
        vec![hash.into()],
    )
    .await?
    else {
        return Ok(Rotation::Invalid);
    };
    let id: String = row.try_get("", "id")?;
    let family: String = row.try_get("", "family_id")?;
    let kind: String = row.try_get("", "subject_kind")?;
    let subject_id: String = row.try_get("", "subject_id")?;
    let expires: DateTime<Utc> = row.try_get("", "expires_at")?;
    let used: Option<DateTime<Utc>> = row.try_get("", "used_at")?;
    let revoked: Option<DateTime<Utc>> = row.try_get("", "revoked_at")?;
    if revoked.is_some() || expires <= Utc::now() {
        return Ok(Rotation::Invalid);
    }
    if used.is_some() {
        revoke_family(db, &family).await?;
        tracing::warn!(family = %family, "refresh token reuse detected; session revoked");
        return Ok(Rotation::Reused);
    }
    // Look the subject up before the write transaction: on SQLite the pool has one
    // connection, and a query outside the transaction would wait for it forever.
    let subject = subject_of(kind, subject_id).await?;
    let txn = sbm_common::db::begin_write(db).await?;
    let claimed = exec(
        &txn,
        "UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL",
        vec![Utc::now().into(), id.into()],
    )
    .await?;
    if claimed == 0 {
        // Another request used it first: that is a replay too.
        txn.rollback().await?;
        revoke_family(db, &family).await?;
        return Ok(Rotation::Reused);
    }
    let Some(subject) = subject else {
        txn.rollback().await?;
        revoke_family(db, &family).await?;
        return Ok(Rotation::Invalid);
    };
    let refresh = insert_refresh(&txn, state, &subject, &family).await?;
    txn.commit().await?;
    let pair = TokenPair {
        access_token: access_token(state, &subject, &family)?,
        refresh_token: refresh,
        expires_in: state.config.access_token_ttl.as_secs(),
        token_type: "Bearer",
    };
    Ok(Rotation::Rotated { subject, family, pair })
}

/// Name of the HTTP-only cookie carrying the refresh token.
pub const COOKIE: &str = "refreshToken";

/// `Set-Cookie` for a refresh token (or clearing it with `None`).
pub fn cookie(state: &AppState, token: Option<&str>) -> HeaderValue {
    let secure = if state.config.cookie_secure { "; Secure" } else { "" };
    let v = match token {
        Some(t) => format!(
            "{COOKIE}={t}; HttpOnly; Path=/auth/api; SameSite=Strict; Max-Age={}{secure}",
            state.config.refresh_token_ttl.as_secs()
        ),
        None => format!("{COOKIE}=; HttpOnly; Path=/auth/api; SameSite=Strict; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&v).expect("cookie is ASCII")
}

/// The refresh token from the cookie header, if any.
pub fn from_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}
