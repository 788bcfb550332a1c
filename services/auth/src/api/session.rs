//! Staff login, token refresh, session check, logout and the JWKS document.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sbm_common::envelope::Envelope;
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, Principal, ok};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::tokens::{self, TokenPair};
use crate::domain::error::SessionError;
use crate::domain::sessions;
use crate::domain::staff::{self, Credentials, LoginPolicy};

fn with_cookie<T: Serialize>(
    state: &AppState,
    status: StatusCode,
    data: T,
    token: Option<&str>,
) -> ApiResult<Response> {
    let mut res = sbm_common::ApiResponse(status, data).into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, tokens::cookie(state, token)?);
    Ok(res)
}

/// Staff login. Repeated failures lock the account for a while; a locked account answers like
/// a wrong password (401), so lock-outs do not reveal which accounts exist.
#[utoipa::path(post, path = "/login", tag = "session", request_body = Credentials,
    responses((status = 200, body = Envelope<TokenPair>), (status = 401, body = sbm_common::error::ErrorEnvelope),
              (status = 429, body = sbm_common::error::ErrorEnvelope)))]
pub async fn login(State(state): State<AppState>, ApiJson(creds): ApiJson<Credentials>) -> ApiResult<Response> {
    let now = state.clock.now();
    let policy = LoginPolicy {
        max_failures: state.config.login_max_failures,
        lockout: chrono::Duration::from_std(state.config.login_lockout).map_err(ApiError::internal)?,
        refresh_ttl: tokens::refresh_ttl(&state),
    };
    let session = staff::login(&state.db, creds, policy, now).await?;
    let pair = tokens::pair(&state, session, now)?;
    let refresh = pair.refresh_token.clone();
    with_cookie(&state, StatusCode::OK, pair, Some(&refresh))
}

/// Body of a refresh; the HTTP-only cookie works too.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    pub refresh_token: Option<String>,
}

/// `data` of a refresh: the rotated pair.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshedTokens {
    pub access_token: String,
    pub refresh_token: String,
}

/// Exchanges a refresh token (body or cookie) for a new pair. The old token stops working;
/// presenting it again revokes the whole session.
#[utoipa::path(post, path = "/get-new-access-token", tag = "session", request_body = RefreshRequest,
    responses((status = 200, body = Envelope<RefreshedTokens>), (status = 401, body = sbm_common::error::ErrorEnvelope)))]
pub async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let from_body = if body.is_empty() {
        None
    } else {
        sbm_common::envelope::require_object(&body)?;
        serde_json::from_slice::<RefreshRequest>(&body)
            .map_err(|e| ApiError::bad_request(format!("Malformed JSON body: {e}")))?
            .refresh_token
    };
    if from_body.as_ref().is_some_and(|t| t.len() > 512) {
        return Err(ApiError::field("refreshToken", "must be at most 512 characters"));
    }
    let token = from_body
        .or_else(|| tokens::from_cookie(&headers))
        .ok_or_else(|| ApiError::field("refreshToken", "is required (body or cookie)"))?;
    let now = state.clock.now();
    let session = match sessions::rotate(&state.db, &token, tokens::refresh_ttl(&state), now).await {
        Ok(s) => s,
        Err(e) => {
            if matches!(e, SessionError::RefreshReused) {
                // The family was revoked: its access tokens stop here at once.
                state.credentials.invalidate();
            }
            return Err(e.into());
        }
    };
    let pair = tokens::pair(&state, session, now)?;
    let refresh = pair.refresh_token.clone();
    with_cookie(
        &state,
        StatusCode::OK,
        RefreshedTokens {
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
        },
        Some(&refresh),
    )
}

/// `data` of the session check, exactly as the SBM docs give it:
/// `{"message": "Access token is valid", "data": {"valid": true}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCheck {
    pub message: &'static str,
    pub data: SessionValid,
}

/// Inner `data` of the session check.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionValid {
    pub valid: bool,
}

/// Whether the presented token is valid and its session still live (not logged out).
#[utoipa::path(get, path = "/check-access-token-session", tag = "session", security(("bearer" = []), ("apiKey" = [])),
    responses((status = 200, body = Envelope<SessionCheck>), (status = 401, body = sbm_common::error::ErrorEnvelope)))]
pub async fn check_session(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    if let Principal::Staff { session, .. } | Principal::Member { session, .. } = &p
        && !sessions::session_live(&state.db, session, state.clock.now()).await?
    {
        return Err(ApiError::unauthorized("Session has ended"));
    }
    Ok(ok(SessionCheck {
        message: "Access token is valid",
        data: SessionValid { valid: true },
    }))
}

/// `data` of a logout.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoggedOut {
    pub logged_out: bool,
}

/// Ends the caller's session: its refresh family is revoked and the cookie cleared.
#[utoipa::path(post, path = "/logout", tag = "session", security(("bearer" = [])),
    responses((status = 200, body = Envelope<LoggedOut>), (status = 401, body = sbm_common::error::ErrorEnvelope)))]
pub async fn logout(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<Response> {
    let session = match &p {
        Principal::Staff { session, .. } | Principal::Member { session, .. } => session.clone(),
        Principal::ApiKey { .. } => return Err(ApiError::bad_request("API keys have no session to end")),
    };
    sessions::revoke_family(&state.db, &session, state.clock.now()).await?;
    state.credentials.invalidate();
    with_cookie(&state, StatusCode::OK, LoggedOut { logged_out: true }, None)
}

/// Public keys for verifying access tokens (RFC 7517). Not enveloped: JWKS clients expect the
/// bare document.
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "session",
    responses((status = 200, description = "JWK set", body = Object)))]
pub async fn jwks(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        axum::Json(state.keys.jwks()),
    )
}
