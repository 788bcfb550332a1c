//! Balances.

use crate::domain::permissions as perm;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use sbm_common::envelope::Envelope;
use sbm_common::{ApiResult, AppState, Auth};

use crate::domain::ledger::{BalanceView, read_balance};

/// The calling member's balance.
#[utoipa::path(get, path = "/balance/me", tag = "balance", security(("bearer" = [])),
    responses((status = 200, body = Envelope<BalanceView>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    let id = p.member_id()?.to_string();
    Ok(sbm_common::ok(read_balance(&state.db, &id, state.clock.now()).await?))
}

/// A member's balance (staff and keys with `points:read`, or the member).
#[utoipa::path(get, path = "/balance/{memberId}", tag = "balance", security(("bearer" = []), ("apiKey" = [])),
    params(("memberId" = String, Path)),
    responses((status = 200, body = Envelope<BalanceView>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(member): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require_member_or(&member, perm::POINTS_READ)?;
    Ok(sbm_common::ok(
        read_balance(&state.db, &member, state.clock.now()).await?,
    ))
}
