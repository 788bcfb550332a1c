//! Staff password reset: request a link by mail, confirm with it.

use axum::extract::State;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::envelope::{ApiResponse, Envelope};
use sbm_common::{ApiJson, ApiResult, AppState, ok};

use crate::domain::password_reset::{self as domain, ResetLink};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    /// The `token` of the link the mail carried.
    pub token: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResetAnswer {
    pub message: String,
}

/// Asks for a reset link. The answer is the same whether an account has this email or not,
/// so accounts cannot be found out this way; an active account gets a single-use link that
/// expires (`staff.password_reset_requested`, sent by a mail action), at most three live at
/// once.
#[utoipa::path(post, path = "/password-reset/request", tag = "staff", request_body = ResetRequest,
    responses((status = 202, body = Envelope<ResetAnswer>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn request(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<ResetRequest>,
) -> ApiResult<impl IntoResponse> {
    let link = ResetLink {
        url: &state.config.password_reset_url,
        ttl: state.config.password_reset_ttl,
        secret: state.keys.seal_secret(),
    };
    domain::request(&state.db, &req.email, link, state.clock.now()).await?;
    Ok(ApiResponse(
        axum::http::StatusCode::ACCEPTED,
        ResetAnswer {
            message: "If an account has this email, a reset link is on its way.".into(),
        },
    ))
}

/// Sets a new password with a reset link's token (once, before it expires) and ends every
/// session of the account.
#[utoipa::path(post, path = "/password-reset/confirm", tag = "staff", request_body = ResetConfirm,
    responses((status = 200, body = Envelope<ResetAnswer>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn confirm(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<ResetConfirm>,
) -> ApiResult<impl IntoResponse> {
    domain::confirm(&state.db, &req.token, req.password, state.clock.now()).await?;
    Ok(ok(ResetAnswer {
        message: "Password changed; sign in again.".into(),
    }))
}
