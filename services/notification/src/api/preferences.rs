//! A member's notification preferences.

use axum::extract::State;
use axum::response::IntoResponse;

use sbm_common::envelope::Envelope;
use sbm_common::{ApiJson, ApiResult, AppState, Auth, ok};

use crate::domain::preferences::{self, Preferences};

/// The member's preferences: every category and channel with its state (on unless turned off),
/// and quiet hours.
#[utoipa::path(get, path = "/preferences/me", tag = "preferences", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Preferences>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    Ok(ok(preferences::get(&state.db, p.member_id()?).await?))
}

/// Replaces the member's preferences (missing categories and channels are on). Turning off
/// `transactions` or `system` is a 400 naming the category; so is an unknown category or
/// channel, or a quiet hour that is not `HH:MM`.
#[utoipa::path(put, path = "/preferences/me", tag = "preferences", security(("bearer" = [])),
    request_body = Preferences,
    responses((status = 200, body = Envelope<Preferences>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn replace(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<Preferences>,
) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?;
    Ok(ok(preferences::put(&state.db, member, req, state.clock.now()).await?))
}
