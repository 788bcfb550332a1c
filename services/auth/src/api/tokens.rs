//! Access tokens (EdDSA JWT, short-lived) signed for a session the domain started, and the
//! HTTP-only cookie that carries the refresh token.

use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{DateTime, Utc};
use sbm_common::identity::{AUDIENCE, Claims};
use sbm_common::{ApiError, AppState};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::sessions::Issued;

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

/// The refresh-token lifetime from the configuration.
pub fn refresh_ttl(state: &AppState) -> chrono::Duration {
    chrono::Duration::from_std(state.config.refresh_token_ttl).unwrap_or(chrono::Duration::MAX)
}

/// Signs an access token for the session and pairs it with its refresh token.
pub fn pair(state: &AppState, session: Issued, now: DateTime<Utc>) -> Result<TokenPair, ApiError> {
    let iat = now.timestamp();
    let access_token = state.keys.sign(&Claims {
        sub: session.subject.id,
        kind: session.subject.kind.to_string(),
        role: session.subject.role,
        sid: session.family,
        iss: state.keys.issuer().to_string(),
        aud: AUDIENCE.to_string(),
        iat,
        exp: iat + state.config.access_token_ttl.as_secs() as i64,
        jti: uuid::Uuid::now_v7().to_string(),
    })?;
    Ok(TokenPair {
        access_token,
        refresh_token: session.refresh_token,
        expires_in: state.config.access_token_ttl.as_secs(),
        token_type: "Bearer",
    })
}

/// Name of the HTTP-only cookie carrying the refresh token.
pub const COOKIE: &str = "refreshToken";

/// `Set-Cookie` for a refresh token (or clearing it with `None`).
pub fn cookie(state: &AppState, token: Option<&str>) -> Result<HeaderValue, ApiError> {
    let secure = if state.config.cookie_secure { "; Secure" } else { "" };
    let v = match token {
        Some(t) => format!(
            "{COOKIE}={t}; HttpOnly; Path=/auth/api; SameSite=Strict; Max-Age={}{secure}",
            state.config.refresh_token_ttl.as_secs()
        ),
        None => format!("{COOKIE}=; HttpOnly; Path=/auth/api; SameSite=Strict; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&v).map_err(ApiError::internal)
}

/// The refresh token from the cookie header, if any.
pub fn from_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}
