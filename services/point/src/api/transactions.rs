//! Earn, spend, reverse, adjust, and the transaction history.

use crate::domain::permissions as perm;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sbm_common::envelope::Envelope;
use sbm_common::error::MAX_METADATA_BYTES;
use sbm_common::idempotency::{Begin, Idempotency};
use sbm_common::{
    ApiError, ApiJson, ApiResponse, ApiResult, AppState, Auth, ListQuery, Page, Principal, Validator, ok,
};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{meta, require_visible};
use crate::domain::ledger::history::{self, TxScope};
use crate::domain::ledger::{self, Booked, EarnOutcome, EarnSource, MAX_POINTS, Transaction};
use crate::domain::rules::{Purchase, Trigger};

/// Points for a member: explicit `points`, a `purchase` that the rules turn into points, or a
/// named `action` (exactly one of the three).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EarnRequest {
    pub member_id: String,
    pub points: Option<i64>,
    pub purchase: Option<Purchase>,
    pub action: Option<String>,
    /// Where it comes from (`pos`, `shop-online`, ...); `externalId` is unique per source.
    pub source: Option<String>,
    /// The caller's id for this movement (a receipt or order number): a second earn with the
    /// same source and externalId returns the first instead of earning twice.
    pub external_id: Option<String>,
    pub reason: Option<String>,
    pub metadata: Option<serde_json::Value>,
    /// Expiry of explicit points (none: they do not expire).
    pub expires_at: Option<DateTime<Utc>>,
}

/// `data` of an earn, spend, reversal or adjustment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Booking {
    /// The entry; null when rules gave no points.
    pub transaction: Option<Transaction>,
    pub points: i64,
    pub balance: i64,
    /// True when this repeats an earlier request (same source and externalId).
    pub duplicate: bool,
    /// Per-rule breakdown, when rules computed the points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<serde_json::Value>,
}

/// Debit request.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpendRequest {
    pub member_id: String,
    pub points: i64,
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub reason: Option<String>,
    pub metadata: Option<serde_json::Value>,
}

/// Reversal of an earn or a spend.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReverseRequest {
    /// Points to reverse; all that is left when absent.
    pub points: Option<i64>,
    pub reason: String,
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub metadata: Option<serde_json::Value>,
}

/// A manual correction by staff.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdjustRequest {
    pub member_id: String,
    /// Signed, not zero.
    pub points: i64,
    pub reason: String,
    pub external_id: Option<String>,
    pub metadata: Option<serde_json::Value>,
}

/// What every movement carries besides its points: `source`, `externalId`, `reason` (required
/// ones are checked by the caller too) and `metadata`.
fn check_movement(
    v: &mut Validator,
    source: &str,
    external_id: Option<&str>,
    reason: Option<&str>,
    metadata: Option<&serde_json::Value>,
) {
    if let Some(r) = reason {
        v.max_chars("reason", r, 500);
    }
    if let Some(m) = metadata {
        v.json_size("metadata", m, MAX_METADATA_BYTES);
    }
    v.check(
        !source.is_empty()
            && source.len() <= 64
            && source.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c)),
        "source",
        "must be 1 to 64 letters, digits, `-`, `_`, `.` or `:`",
    );
    if let Some(e) = external_id {
        v.check(
            !e.trim().is_empty() && e.len() <= 128,
            "externalId",
            "must be 1 to 128 characters",
        );
    }
}

fn respond(b: Booked) -> ApiResponse<Booking> {
    let status = if b.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let t = b.transaction;
    ApiResponse(
        status,
        Booking {
            points: t.points,
            balance: t.balance_after,
            transaction: Some(t),
            duplicate: b.duplicate,
            breakdown: None,
        },
    )
}

/// The request as an idempotency key hashes it; `None` without a key (nothing to serialize).
fn keyed_body(idem: &Idempotency, req: &impl Serialize) -> ApiResult<Option<serde_json::Value>> {
    idem.is_keyed()
        .then(|| serde_json::to_value(req).map_err(ApiError::internal))
        .transpose()
}

fn respond_earn(out: EarnOutcome) -> ApiResponse<Booking> {
    let status = match (&out.transaction, out.duplicate) {
        (Some(_), false) => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    ApiResponse(
        status,
        Booking {
            transaction: out.transaction,
            points: out.points,
            balance: out.balance,
            duplicate: out.duplicate,
            breakdown: out.breakdown,
        },
    )
}

/// Books through `$book` (a ledger call taking the connection as its first argument): on the
/// pool without an `Idempotency-Key` (`$req`, the request as the key's hash sees it, is `None`
/// then: no outer transaction, no extra round trip), or inside the key's transaction so that
/// the key, the entry and the stored response commit together.
macro_rules! booked {
    ($state:expr, $idem:expr, $route:expr, $req:expr, $respond:expr, |$db:ident| $book:expr) => {{
        let Some(key_body) = $req else {
            let $db = &$state.db;
            return Ok($respond($book.await?).into_response());
        };
        match $idem.begin($route, &key_body).await? {
            Begin::Replay(stored) => Ok(stored),
            Begin::Fresh(tx) => {
                let $db = tx.txn();
                let result = $book.await.map($respond).map_err(ApiError::from);
                tx.finish(result, false).await
            }
        }
    }};
}

/// Credits points: explicit, or computed by the point rules from a purchase or an action.
#[utoipa::path(post, path = "/transactions/earn", tag = "transactions", security(("bearer" = []), ("apiKey" = [])),
    request_body = EarnRequest, params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response to a retry")),
    responses((status = 201, body = Envelope<Booking>), (status = 200, body = Envelope<Booking>, description = "repeat of an earlier earn, or no points"),
              (status = 400, body = sbm_common::error::ErrorEnvelope), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope, description = "externalId already used for another movement or member"),
              (status = 422, body = sbm_common::error::ErrorEnvelope, description = "the balance would pass its maximum, or Idempotency-Key reused with another body")))]
pub async fn earn(
    State(state): State<AppState>,
    Auth(p): Auth,
    idem: Idempotency,
    ApiJson(req): ApiJson<EarnRequest>,
) -> ApiResult<Response> {
    p.require(perm::POINTS_WRITE)?;
    let mut v = Validator::new();
    let given = [req.points.is_some(), req.purchase.is_some(), req.action.is_some()]
        .iter()
        .filter(|b| **b)
        .count();
    if given != 1 {
        v.add("points", "give exactly one of `points`, `purchase` or `action`");
    }
    if let Some(n) = req.points {
        v.check(
            (1..=MAX_POINTS).contains(&n),
            "points",
            "must be between 1 and 1000000000",
        );
    }
    if let Some(pu) = &req.purchase {
        pu.validate(&mut v, "purchase");
    }
    if let Some(a) = &req.action {
        v.text("action", a, 64);
    }
    let source = req.source.clone().unwrap_or_else(|| "api".into());
    check_movement(
        &mut v,
        &source,
        req.external_id.as_deref(),
        req.reason.as_deref(),
        req.metadata.as_ref(),
    );
    v.text("memberId", &req.member_id, 64);
    let now = state.clock.now();
    if let Some(e) = req.expires_at {
        v.check(e > now, "expiresAt", "must be in the future");
        v.instant("expiresAt", &e);
        v.check(
            req.points.is_some(),
            "expiresAt",
            "applies to explicit points only; rules set their own validity",
        );
    }
    v.finish()?;
    let key_body = keyed_body(&idem, &req)?;
    let what = match (req.purchase, req.action) {
        (Some(pu), _) => EarnSource::Rules(Trigger::Purchase(pu)),
        (_, Some(a)) => EarnSource::Rules(Trigger::Action(a)),
        _ => EarnSource::Points {
            points: req.points.unwrap_or(0),
            expires_at: req.expires_at,
        },
    };
    let default_reason = match &what {
        EarnSource::Rules(Trigger::Purchase(_)) => "Purchase".to_string(),
        EarnSource::Rules(Trigger::Action(a)) => format!("Action `{a}`"),
        EarnSource::Points { .. } => "Points awarded".to_string(),
    };
    let m = meta(
        &p,
        Some(source),
        req.external_id,
        req.reason.unwrap_or(default_reason),
        req.metadata,
    );
    booked!(state, idem, "POST /transactions/earn", key_body, respond_earn, |db| {
        ledger::book_earn(db, &req.member_id, what, &m, now)
    })
}

/// Debits points. Never drives a balance negative: insufficient points is a 422 naming the
/// shortfall. Due lots expire first; the soonest-expiring lots are consumed first.
#[utoipa::path(post, path = "/transactions/spend", tag = "transactions", security(("bearer" = []), ("apiKey" = [])),
    request_body = SpendRequest, params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response to a retry")),
    responses((status = 201, body = Envelope<Booking>), (status = 200, body = Envelope<Booking>, description = "repeat of an earlier spend"),
              (status = 422, body = sbm_common::error::ErrorEnvelope), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope, description = "externalId already used for another movement or member")))]
pub async fn spend(
    State(state): State<AppState>,
    Auth(p): Auth,
    idem: Idempotency,
    ApiJson(req): ApiJson<SpendRequest>,
) -> ApiResult<Response> {
    p.require(perm::POINTS_WRITE)?;
    let mut v = Validator::new();
    v.check(
        (1..=MAX_POINTS).contains(&req.points),
        "points",
        "must be between 1 and 1000000000",
    );
    v.text("memberId", &req.member_id, 64);
    let source = req.source.clone().unwrap_or_else(|| "api".into());
    check_movement(
        &mut v,
        &source,
        req.external_id.as_deref(),
        req.reason.as_deref(),
        req.metadata.as_ref(),
    );
    v.finish()?;
    let now = state.clock.now();
    let key_body = keyed_body(&idem, &req)?;
    let m = meta(
        &p,
        Some(source),
        req.external_id,
        req.reason.unwrap_or_else(|| "Points spent".into()),
        req.metadata,
    );
    booked!(state, idem, "POST /transactions/spend", key_body, respond, |db| {
        ledger::book_spend(db, &req.member_id, req.points, &m, now)
    })
}

/// Reverses an earn or a spend, fully or in part (returns, refunds), as a compensating entry
/// linked to the original. A reversal cannot exceed what is left of the original. A
/// redemption's spend (source `reward`) is refunded by cancelling the redemption: 409 here.
#[utoipa::path(post, path = "/transactions/{id}/reverse", tag = "transactions", security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "replays the first response to a retry")), request_body = ReverseRequest,
    responses((status = 201, body = Envelope<Booking>), (status = 200, body = Envelope<Booking>, description = "repeat of an earlier reversal"),
              (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope), (status = 422, body = sbm_common::error::ErrorEnvelope)))]
pub async fn reverse(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    idem: Idempotency,
    ApiJson(req): ApiJson<ReverseRequest>,
) -> ApiResult<Response> {
    p.require(perm::POINTS_WRITE)?;
    let mut v = Validator::new();
    v.text("reason", &req.reason, 500);
    if let Some(n) = req.points {
        v.check(
            (1..=MAX_POINTS).contains(&n),
            "points",
            "must be between 1 and 1000000000",
        );
    }
    let source = req.source.clone().unwrap_or_else(|| "api".into());
    check_movement(&mut v, &source, req.external_id.as_deref(), None, req.metadata.as_ref());
    v.finish()?;
    let now = state.clock.now();
    let key_body = keyed_body(&idem, &(&id, &req))?;
    let m = meta(&p, Some(source), req.external_id, req.reason, req.metadata);
    booked!(
        state,
        idem,
        "POST /transactions/{id}/reverse",
        key_body,
        respond,
        |db| { ledger::book_reverse_direct(db, &id, req.points, &m, now) }
    )
}

/// A manual correction (staff with `points:write`): positive credits a lot without expiry,
/// negative debits like a spend but does not count as spent.
#[utoipa::path(post, path = "/transactions/adjust", tag = "transactions", security(("bearer" = [])),
    request_body = AdjustRequest, params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response to a retry")),
    responses((status = 201, body = Envelope<Booking>), (status = 200, body = Envelope<Booking>, description = "repeat of an earlier adjustment"),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope, description = "externalId already used for another movement or member"),
              (status = 422, body = sbm_common::error::ErrorEnvelope)))]
pub async fn adjust(
    State(state): State<AppState>,
    Auth(p): Auth,
    idem: Idempotency,
    ApiJson(req): ApiJson<AdjustRequest>,
) -> ApiResult<Response> {
    p.require(perm::POINTS_WRITE)?;
    if !matches!(p, Principal::Staff { .. }) {
        return Err(ApiError::forbidden("Only staff can adjust balances"));
    }
    let mut v = Validator::new();
    v.check(
        req.points != 0 && (-MAX_POINTS..=MAX_POINTS).contains(&req.points),
        "points",
        "must be non-zero, at most 1000000000 either way",
    );
    v.text("reason", &req.reason, 500);
    v.text("memberId", &req.member_id, 64);
    check_movement(
        &mut v,
        "adjustment",
        req.external_id.as_deref(),
        None,
        req.metadata.as_ref(),
    );
    v.finish()?;
    let now = state.clock.now();
    let key_body = keyed_body(&idem, &req)?;
    let m = meta(&p, Some("adjustment".into()), req.external_id, req.reason, req.metadata);
    booked!(state, idem, "POST /transactions/adjust", key_body, respond, |db| {
        ledger::book_adjust(db, &req.member_id, req.points, &m, now)
    })
}

async fn list_for(db: &DatabaseConnection, member: Option<&str>, q: &ListQuery) -> ApiResult<Page<Transaction>> {
    let scope = TxScope {
        member_id: member.or(q.filter("memberId")).map(str::to_string),
        from: q.filter_time("dateFrom", false)?,
        to: q.filter_time("dateTo", true)?,
    };
    Ok(history::list(db, &scope, q).await?)
}

/// History (staff, keys): filters `memberId`, `type`, `source`, `dateFrom`, `dateTo`; `search`
/// in reasons and external ids; sort `createdAt`, `points`.
#[utoipa::path(get, path = "/transactions", tag = "transactions", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams, ("memberId" = Option<String>, Query), ("type" = Option<String>, Query, description = "earn, spend, expire, reverse or adjust"),
           ("source" = Option<String>, Query), ("dateFrom" = Option<String>, Query), ("dateTo" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Transaction>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(perm::POINTS_READ)?;
    Ok(ok(list_for(&state.db, None, &q).await?))
}

/// The calling member's history (same filters).
#[utoipa::path(get, path = "/transactions/me", tag = "transactions", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("type" = Option<String>, Query), ("dateFrom" = Option<String>, Query), ("dateTo" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Transaction>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let id = p.member_id()?.to_string();
    Ok(ok(list_for(&state.db, Some(&id), &q).await?))
}

/// One entry (its member, or staff and keys with `points:read`).
#[utoipa::path(get, path = "/transactions/{id}", tag = "transactions", security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Transaction>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    let t = ledger::get_tx(&state.db, &id).await?;
    require_visible(&p, &t.member_id, "Transaction", perm::POINTS_READ)?;
    Ok(ok(t))
}
