//! Redemptions: a member redeems for itself, an API key or staff with `redemptions:write` for a
//! member; the till marks them used; the member (while claimed) or staff cancel them.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::envelope::Envelope;
use sbm_common::idempotency::{Begin, Idempotency};
use sbm_common::{
    ApiError, ApiJson, ApiResponse, ApiResult, AppState, Auth, ListQuery, Page, Principal, Validator, ok,
};

use crate::domain::permissions as perm;
use crate::domain::redemptions::{self, Canceller, QrPayload, RedeemInput, Redemption};

/// The audience of a redemption's QR payload.
pub const QR_AUDIENCE: &str = "sbm-crm/redemption";

#[derive(Serialize, Deserialize)]
struct QrClaims {
    iss: String,
    aud: String,
    #[serde(flatten)]
    payload: QrPayload,
}

/// A redemption request.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedeemRequest {
    pub reward_id: String,
    /// Required for API keys and staff; a member redeems for itself (its own id, or none).
    pub member_id: Option<String>,
    /// The store redeeming on the member's behalf, if any.
    pub store_id: Option<String>,
}

/// Redeems a reward in one transaction: the member's limits, the stock (or a pool code) and the
/// points are taken together or not at all. With `Idempotency-Key`, a retry returns the first
/// redemption. 403 for a reward of other tiers; 404 for an unknown or invisible reward; 409
/// names its cause in `errors` (`outside_window`, `limit_reached`, `out_of_stock`, `no_codes`);
/// 422 for insufficient points, as the point service answers it.
#[utoipa::path(post, path = "/redemptions", tag = "redemptions", security(("bearer" = []), ("apiKey" = [])),
    request_body = RedeemRequest, params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response to a retry")),
    responses((status = 201, body = Envelope<Redemption>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope, description = "the reward is for other tiers"),
              (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope, description = "outside the window, limit reached, out of stock, no codes"),
              (status = 422, body = sbm_common::error::ErrorEnvelope, description = "insufficient points, or Idempotency-Key reused with another body")))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    idem: Idempotency,
    ApiJson(req): ApiJson<RedeemRequest>,
) -> ApiResult<Response> {
    let member = match (&p, &req.member_id) {
        (Principal::Member { id, .. }, None) => id.clone(),
        (Principal::Member { id, .. }, Some(m)) if m == id => id.clone(),
        (Principal::Member { .. }, Some(_)) => {
            return Err(ApiError::forbidden("Members can only redeem for themselves"));
        }
        (_, m) => {
            p.require(perm::REDEMPTIONS_WRITE)?;
            m.clone().ok_or_else(|| ApiError::field("memberId", "is required"))?
        }
    };
    let mut v = Validator::new();
    v.text("rewardId", &req.reward_id, 64);
    v.text("memberId", &member, 64);
    if let Some(s) = &req.store_id {
        v.text("storeId", s, 64);
    }
    v.finish()?;
    let keys = state.keys.clone();
    let sign = move |payload: &QrPayload| {
        keys.sign_any(&QrClaims {
            iss: keys.issuer().to_string(),
            aud: QR_AUDIENCE.into(),
            payload: payload.clone(),
        })
        .map_err(|e| e.message)
    };
    let created_by = p.key();
    let input = RedeemInput {
        reward_id: &req.reward_id,
        member_id: &member,
        store_id: req.store_id.as_deref(),
        created_by: Some(&created_by),
    };
    let now = state.clock.now();
    if !idem.is_keyed() {
        let r = redemptions::redeem_now(&state.db, &input, &sign, now).await?;
        return Ok(ApiResponse(StatusCode::CREATED, r).into_response());
    }
    let body = serde_json::json!({"rewardId": req.reward_id, "memberId": member, "storeId": req.store_id});
    match idem.begin("POST /redemptions", &body).await? {
        Begin::Replay(stored) => Ok(stored),
        Begin::Fresh(tx) => {
            let result = redemptions::redeem(tx.txn(), &input, &sign, now)
                .await
                .map(|r| ApiResponse(StatusCode::CREATED, r))
                .map_err(ApiError::from);
            tx.finish(result, false).await
        }
    }
}

/// The member's own redemptions, newest first: filters `status`, `rewardId`, and
/// `dateFrom`/`dateTo`.
#[utoipa::path(get, path = "/redemptions/me", tag = "redemptions", security(("bearer" = [])),
    params(sbm_common::query::ListParams,
           ("status" = Option<String>, Query, description = "claimed, used, cancelled or expired"),
           ("rewardId" = Option<String>, Query),
           ("dateFrom" = Option<String>, Query, description = "created from: a date or an RFC 3339 time"), ("dateTo" = Option<String>, Query, description = "created before: a time, or a date (the whole day)")),
    responses((status = 200, body = Envelope<Page<Redemption>>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?;
    let (from, to) = (q.filter_time("dateFrom", false)?, q.filter_time("dateTo", true)?);
    Ok(ok(redemptions::list(&state.db, &q, Some(member), from, to).await?))
}

/// Every redemption (staff and keys with `redemptions:read`), newest first: filters `status`,
/// `rewardId`, `memberId`, `storeId`, `code`, and `dateFrom`/`dateTo`.
#[utoipa::path(get, path = "/redemptions", tag = "redemptions", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams,
           ("status" = Option<String>, Query, description = "claimed, used, cancelled or expired"),
           ("rewardId" = Option<String>, Query), ("memberId" = Option<String>, Query),
           ("storeId" = Option<String>, Query), ("code" = Option<String>, Query),
           ("dateFrom" = Option<String>, Query, description = "created from: a date or an RFC 3339 time"), ("dateTo" = Option<String>, Query, description = "created before: a time, or a date (the whole day)")),
    responses((status = 200, body = Envelope<Page<Redemption>>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(perm::REDEMPTIONS_READ)?;
    let (from, to) = (q.filter_time("dateFrom", false)?, q.filter_time("dateTo", true)?);
    Ok(ok(redemptions::list(&state.db, &q, None, from, to).await?))
}

/// One redemption: a member's own, or any for `redemptions:read`.
#[utoipa::path(get, path = "/redemptions/{id}", tag = "redemptions", security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Redemption>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    let r = redemptions::get(&state.db, &id).await?;
    match &p {
        Principal::Member { id: m, .. } if *m != r.member_id => return Err(ApiError::not_found("Redemption")),
        Principal::Member { .. } => {}
        _ => p.require(perm::REDEMPTIONS_READ)?,
    }
    Ok(ok(r))
}

/// Marking a redemption used at the till.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UseRequest {
    /// Where it was used.
    pub store_id: Option<String>,
    /// The QR payload the till scanned: when given, it must be this redemption's.
    pub qr: Option<String>,
}

/// Cancelling a redemption.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelRequest {
    pub reason: Option<String>,
}

/// An optional JSON body: empty is the default.
fn optional_body<T: Default + serde::de::DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("Invalid JSON body: {e}")))
}

/// Marks a claimed redemption used (`claimed → used`), with its pool code. 409 when it is not
/// claimed or its voucher expired. With `qr`, the scanned payload must be this redemption's.
#[utoipa::path(post, path = "/redemptions/{id}/use", tag = "redemptions", security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path)), request_body(content = Option<UseRequest>),
    responses((status = 200, body = Envelope<Redemption>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope, description = "not claimed, expired, or its code was voided")))]
pub async fn mark_used(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REDEMPTIONS_WRITE)?;
    let req: UseRequest = optional_body(&body)?;
    let mut v = Validator::new();
    if let Some(s) = &req.store_id {
        v.text("storeId", s, 64);
    }
    v.finish()?;
    if let Some(qr) = &req.qr {
        let claims: QrClaims = state
            .keys
            .verify_with_leeway(qr, QR_AUDIENCE, 0)
            .map_err(|_| ApiError::field("qr", "is not a valid redemption QR payload"))?;
        if claims.payload.sub != id {
            return Err(redemptions_error(crate::domain::RedemptionError::QrMismatch));
        }
    }
    let by = p.key();
    let r = redemptions::mark_used(&state.db, &id, req.store_id.as_deref(), Some(&by), state.clock.now()).await?;
    Ok(ok(r))
}

fn redemptions_error(e: crate::domain::RedemptionError) -> ApiError {
    e.into()
}

/// Cancels a redemption: the member its own while claimed; staff and keys with
/// `redemptions:write` a claimed or used one. The points are refunded exactly once (a reversal
/// of the spend: they return to their original lots, and lots that expired meanwhile expire
/// again), the stock is returned and a pool code is voided. Cancelling again answers the
/// cancelled redemption and refunds nothing.
#[utoipa::path(post, path = "/redemptions/{id}/cancel", tag = "redemptions", security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path)), request_body(content = Option<CancelRequest>),
    responses((status = 200, body = Envelope<Redemption>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn cancel(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let req: CancelRequest = optional_body(&body)?;
    let mut v = Validator::new();
    if let Some(r) = &req.reason {
        v.max_chars("reason", r, 500);
    }
    v.finish()?;
    let key = p.key();
    let by = match &p {
        Principal::Member { id: m, .. } => Canceller::Member(m),
        _ => {
            p.require(perm::REDEMPTIONS_WRITE)?;
            Canceller::Staff(&key)
        }
    };
    let out = redemptions::cancel(&state.db, &id, by, req.reason.as_deref(), state.clock.now()).await?;
    Ok(ok(out.redemption))
}
