//! Staff login, token refresh, session check, logout and the JWKS document.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sbm_common::db::{exec, query_one};
use sbm_common::envelope::Envelope;
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, Principal, Validator, ok};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

use crate::AuthCtx;
use crate::password;
use crate::tokens::{self, Rotation, Subject, TokenPair};

/// Staff credentials: `email` or `username`, and `password`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: Option<String>,
    pub username: Option<String>,
    pub password: String,
}

fn with_cookie<T: Serialize>(state: &AppState, status: StatusCode, data: T, token: Option<&str>) -> Response {
    let mut res = sbm_common::ApiResponse(status, data).into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, tokens::cookie(state, token));
    res
}

/// Staff login. Repeated failures lock the account for a while (429 with `Retry-After`).
#[utoipa::path(post, path = "/login", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = Envelope<TokenPair>), (status = 401, body = sbm_common::error::ErrorEnvelope),
              (status = 429, body = sbm_common::error::ErrorEnvelope)))]
pub async fn login(State(state): State<AppState>, ApiJson(req): ApiJson<LoginRequest>) -> ApiResult<Response> {
    let (col, ident) = match (&req.email, &req.username) {
        (Some(e), None) => ("email", e.trim().to_ascii_lowercase()),
        (None, Some(u)) => ("username", u.trim().to_string()),
        _ => return Err(ApiError::field("email", "give either `email` or `username`")),
    };
    let mut v = Validator::new();
    v.text(col, &ident, 254);
    v.check(!req.password.is_empty(), "password", "must not be empty");
    v.finish()?;
    let row = query_one(
        &state.db,
        &format!("SELECT id, role, password_hash, active, failed_logins, locked_until FROM staff WHERE {col} = ?"),
        vec![ident.into()],
    )
    .await?;
    let now = Utc::now();
    let bad = || ApiError::unauthorized("Invalid credentials");
    let Some(row) = row else {
        password::verify(req.password, None).await?;
        return Err(bad());
    };
    let id: String = row.try_get("", "id")?;
    let locked: Option<DateTime<Utc>> = row.try_get("", "locked_until")?;
    if let Some(until) = locked.filter(|u| *u > now) {
        let secs = (until - now).num_seconds().max(1);
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!("Too many failed logins; try again in {secs} s"),
        )
        .with_header(header::RETRY_AFTER, secs.to_string().parse().expect("digits")));
    }
    let hash: String = row.try_get("", "password_hash")?;
    let active: bool = row.try_get("", "active")?;
    if !password::verify(req.password, Some(hash)).await? {
        let failures: i32 = row.try_get("", "failed_logins")?;
        if failures + 1 >= state.config.login_max_failures as i32 {
            let until = now + chrono::Duration::from_std(state.config.login_lockout).map_err(ApiError::internal)?;
            exec(
                &state.db,
                "UPDATE staff SET failed_logins = 0, locked_until = ? WHERE id = ?",
                vec![until.into(), id.clone().into()],
            )
            .await?;
            tracing::warn!(staff_id = %id, "staff account locked after repeated failed logins");
        } else {
            exec(
                &state.db,
                "UPDATE staff SET failed_logins = failed_logins + 1 WHERE id = ?",
                vec![id.into()],
            )
            .await?;
        }
        return Err(bad());
    }
    if !active {
        return Err(ApiError::unauthorized("Account is deactivated"));
    }
    exec(
        &state.db,
        "UPDATE staff SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?",
        vec![now.into(), id.clone().into()],
    )
    .await?;
    let role: String = row.try_get("", "role")?;
    let pair = tokens::start_session(
        &state.db,
        &state,
        &Subject {
            kind: "staff",
            id,
            role: Some(role),
        },
    )
    .await?;
    let refresh = pair.refresh_token.clone();
    Ok(with_cookie(&state, StatusCode::OK, pair, Some(&refresh)))
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

/// Looks a subject up for a refresh: staff must be active, members not anonymised.
pub async fn current_subject(state: &AppState, kind: String, id: String) -> Result<Option<Subject>, ApiError> {
    if kind == "staff" {
        let row = query_one(
            &state.db,
            "SELECT role, active FROM staff WHERE id = ?",
            vec![id.clone().into()],
        )
        .await?;
        Ok(match row {
            Some(r) if r.try_get::<bool>("", "active")? => Some(Subject {
                kind: "staff",
                id,
                role: Some(r.try_get("", "role")?),
            }),
            _ => None,
        })
    } else {
        let row = query_one(
            &state.db,
            "SELECT status FROM members WHERE id = ?",
            vec![id.clone().into()],
        )
        .await?;
        Ok(match row {
            Some(r) if r.try_get::<String>("", "status")? == "active" => Some(Subject {
                kind: "member",
                id,
                role: None,
            }),
            _ => None,
        })
    }
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
        serde_json::from_slice::<RefreshRequest>(&body)
            .map_err(|e| ApiError::bad_request(format!("Malformed JSON body: {e}")))?
            .refresh_token
    };
    let token = from_body
        .or_else(|| tokens::from_cookie(&headers))
        .ok_or_else(|| ApiError::field("refreshToken", "is required (body or cookie)"))?;
    let st = state.clone();
    match tokens::rotate(&state.db, &state, &token, |kind, id| async move {
        current_subject(&st, kind, id).await
    })
    .await?
    {
        Rotation::Rotated { pair, .. } => {
            let refresh = pair.refresh_token.clone();
            Ok(with_cookie(
                &state,
                StatusCode::OK,
                RefreshedTokens {
                    access_token: pair.access_token,
                    refresh_token: pair.refresh_token,
                },
                Some(&refresh),
            ))
        }
        Rotation::Invalid => Err(ApiError::unauthorized("Invalid or expired refresh token")),
        Rotation::Reused => Err(ApiError::unauthorized(
            "Refresh token was already used; the session has been revoked",
        )),
    }
}

/// `data` of a session check.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub valid: bool,
    pub principal: PrincipalView,
}

/// Who the token belongs to.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalView {
    /// `staff`, `member` or `apiKey`.
    pub kind: String,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
}

impl From<&Principal> for PrincipalView {
    fn from(p: &Principal) -> Self {
        let mut v = PrincipalView {
            kind: p.kind().into(),
            id: p.id().into(),
            role: None,
            scopes: None,
            plan: None,
        };
        match p {
            Principal::Staff { role, .. } => v.role = Some(role.as_str().into()),
            Principal::ApiKey { scopes, plan, .. } => {
                v.scopes = Some(scopes.clone());
                v.plan = Some(plan.as_str().into());
            }
            Principal::Member { .. } => {}
        }
        v
    }
}

/// Whether the presented token is valid and its session still live (not logged out).
#[utoipa::path(get, path = "/check-access-token-session", tag = "session", security(("bearer" = []), ("apiKey" = [])),
    responses((status = 200, body = Envelope<SessionView>), (status = 401, body = sbm_common::error::ErrorEnvelope)))]
pub async fn check_session(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    if let Principal::Staff { session, .. } | Principal::Member { session, .. } = &p
        && !tokens::session_live(&state.db, session).await?
    {
        return Err(ApiError::unauthorized("Session has ended"));
    }
    Ok(ok(SessionView {
        valid: true,
        principal: PrincipalView::from(&p),
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
    tokens::revoke_family(&state.db, &session).await?;
    Ok(with_cookie(
        &state,
        StatusCode::OK,
        LoggedOut { logged_out: true },
        None,
    ))
}

/// Public keys for verifying access tokens (RFC 7517). Not enveloped: JWKS clients expect the
/// bare document.
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "session",
    responses((status = 200, description = "JWK set", body = Object)))]
pub async fn jwks(State(state): State<AppState>, Extension(_ctx): Extension<Arc<AuthCtx>>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        axum::Json(state.keys.jwks()),
    )
}
