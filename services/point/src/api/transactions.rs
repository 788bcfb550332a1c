//! Earn, spend, reverse, adjust, and the transaction history.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use sbm_common::db::{begin_write, query_all, query_one};
use sbm_common::envelope::Envelope;
use sbm_common::{
    ApiError, ApiJson, ApiResponse, ApiResult, AppState, Auth, ListQuery, Page, Permission, Principal, Validator, ok,
};
use sea_orm::{DatabaseConnection, DatabaseTransaction, Value};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::ledger::{self, Credit, Meta, TX_COLS, Transaction};
use crate::domain::rules::{Purchase, Trigger};
use crate::domain::rulestore;

/// Points for a member: explicit `points`, a `purchase` that the rules turn into points, or a
/// named `action` (exactly one of the three).
#[derive(Debug, Deserialize, ToSchema)]
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
#[derive(Debug, Deserialize, ToSchema)]
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
#[derive(Debug, Deserialize, ToSchema)]
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
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdjustRequest {
    pub member_id: String,
    /// Signed, not zero.
    pub points: i64,
    pub reason: String,
    pub external_id: Option<String>,
    pub metadata: Option<serde_json::Value>,
}

const MAX_POINTS: i64 = 1_000_000_000;

fn check_source(v: &mut Validator, source: &str, external_id: Option<&str>) {
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

pub(crate) fn meta(
    p: &Principal,
    source: Option<String>,
    external_id: Option<String>,
    reason: String,
    metadata: Option<serde_json::Value>,
) -> Meta {
    Meta {
        reason,
        source: source.unwrap_or_else(|| "api".into()),
        external_id,
        metadata: metadata.unwrap_or_else(|| serde_json::json!({})),
        created_by: Some(p.key()),
    }
}

/// Runs a booking once per `(source, externalId)`: a repeat returns the first entry (200), a
/// reuse for another member or kind of movement is a 409. `f` may book nothing (`None`).
pub(crate) async fn book<F>(
    db: &DatabaseConnection,
    m: &Meta,
    member: &str,
    tx_type: &str,
    f: F,
) -> ApiResult<Option<(Transaction, bool)>>
where
    F: AsyncFnOnce(&DatabaseTransaction) -> ApiResult<Option<Transaction>>,
{
    let same = |t: Transaction| {
        if t.member_id != member || t.tx_type != tx_type {
            Err(ApiError::field(
                "externalId",
                "was already used for another transaction from this source",
            )
            .with_status(409))
        } else {
            Ok(Some((t, true)))
        }
    };
    if let Some(ext) = &m.external_id
        && let Some(t) = ledger::find_external(db, &m.source, ext).await?
    {
        return same(t);
    }
    let txn = begin_write(db).await?;
    match f(&txn).await {
        Ok(t) => {
            txn.commit().await?;
            Ok(t.map(|t| (t, false)))
        }
        Err(e) => {
            txn.rollback().await?;
            // A concurrent request with the same externalId committed first.
            if e.status == StatusCode::CONFLICT
                && let Some(ext) = &m.external_id
                && let Some(t) = ledger::find_external(db, &m.source, ext).await?
            {
                return same(t);
            }
            Err(e)
        }
    }
}

/// [`book`] for operations that always book an entry.
pub(crate) async fn book_one<F>(
    db: &DatabaseConnection,
    m: &Meta,
    member: &str,
    tx_type: &str,
    f: F,
) -> ApiResult<(Transaction, bool)>
where
    F: AsyncFnOnce(&DatabaseTransaction) -> ApiResult<Transaction>,
{
    book(db, m, member, tx_type, async |txn| f(txn).await.map(Some))
        .await?
        .ok_or_else(|| ApiError::internal("booking produced no entry"))
}

fn respond(t: Transaction, duplicate: bool, breakdown: Option<serde_json::Value>) -> Response {
    let status = if duplicate { StatusCode::OK } else { StatusCode::CREATED };
    ApiResponse(
        status,
        Booking {
            points: t.points,
            balance: t.balance_after,
            transaction: Some(t),
            duplicate,
            breakdown,
        },
    )
    .into_response()
}

/// Credits points: explicit, or computed by the point rules from a purchase or an action.
#[utoipa::path(post, path = "/transactions/earn", tag = "transactions", security(("bearer" = []), ("apiKey" = [])),
    request_body = EarnRequest,
    responses((status = 201, body = Envelope<Booking>), (status = 200, body = Envelope<Booking>, description = "repeat of an earlier earn, or no points"),
              (status = 400, body = sbm_common::error::ErrorEnvelope), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn earn(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<EarnRequest>,
) -> ApiResult<Response> {
    p.require(Permission::PointsWrite)?;
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
        v.check(
            pu.amount > 0 && pu.amount <= 1_000_000_000_000,
            "purchase.amount",
            "must be a positive amount in minor units",
        );
    }
    if let Some(a) = &req.action {
        v.text("action", a, 64);
    }
    let source = req.source.clone().unwrap_or_else(|| "api".into());
    check_source(&mut v, &source, req.external_id.as_deref());
    v.text("memberId", &req.member_id, 64);
    let now = state.clock.now();
    if let Some(e) = req.expires_at {
        v.check(e > now, "expiresAt", "must be in the future");
        v.check(
            req.points.is_some(),
            "expiresAt",
            "applies to explicit points only; rules set their own validity",
        );
    }
    v.finish()?;
    sbm_auth::domain::require_active_member(&state.db, &req.member_id).await?;
    let trigger = match (&req.purchase, &req.action) {
        (Some(pu), _) => Some(Trigger::Purchase(pu.clone())),
        (_, Some(a)) => Some(Trigger::Action(a.clone())),
        _ => None,
    };
    let default_reason = match &trigger {
        Some(Trigger::Purchase(_)) => "Purchase".to_string(),
        Some(Trigger::Action(a)) => format!("Action `{a}`"),
        None => "Points awarded".to_string(),
    };
    let m = meta(
        &p,
        Some(source),
        req.external_id.clone(),
        req.reason.clone().unwrap_or(default_reason),
        req.metadata.clone(),
    );
    let member = req.member_id.clone();
    // Rules are evaluated inside the booking transaction, after the member's row is taken, so
    // daily caps see every committed award.
    let mut breakdown = None;
    let result = book(&state.db, &m, &member, "earn", async |txn| {
        if trigger.is_some() {
            ledger::lock_member(txn, &member).await?;
        }
        let (credits, bd, day) = match &trigger {
            None => (
                vec![Credit {
                    points: req.points.unwrap_or(0),
                    expires_at: req.expires_at,
                    rule_id: None,
                }],
                None,
                None,
            ),
            Some(t) => {
                let c = rulestore::compute(txn, Some(&member), None, t, now).await?;
                (c.credits.clone(), Some(c.breakdown()), Some(c.award_day.clone()))
            }
        };
        breakdown = bd.clone();
        if credits.iter().map(|c| c.points).sum::<i64>() <= 0 {
            return Ok(None);
        }
        ledger::earn(txn, &member, "earn", &credits, bd, day.as_deref(), &m, now)
            .await
            .map(Some)
    })
    .await?;
    match result {
        Some((t, dup)) => Ok(respond(t, dup, if dup { None } else { breakdown })),
        None => Ok(ok(Booking {
            transaction: None,
            points: 0,
            balance: ledger::current_balance(&state.db, &member).await?,
            duplicate: false,
            breakdown,
        })
        .into_response()),
    }
}

/// Debits points. Never drives a balance negative: insufficient points is a 422 naming the
/// shortfall. Due lots expire first; the soonest-expiring lots are consumed first.
#[utoipa::path(post, path = "/transactions/spend", tag = "transactions", security(("bearer" = []), ("apiKey" = [])),
    request_body = SpendRequest,
    responses((status = 201, body = Envelope<Booking>), (status = 200, body = Envelope<Booking>, description = "repeat of an earlier spend"),
              (status = 422, body = sbm_common::error::ErrorEnvelope), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn spend(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<SpendRequest>,
) -> ApiResult<Response> {
    p.require(Permission::PointsWrite)?;
    let mut v = Validator::new();
    v.check(
        (1..=MAX_POINTS).contains(&req.points),
        "points",
        "must be between 1 and 1000000000",
    );
    v.text("memberId", &req.member_id, 64);
    let source = req.source.clone().unwrap_or_else(|| "api".into());
    check_source(&mut v, &source, req.external_id.as_deref());
    v.finish()?;
    sbm_auth::domain::require_active_member(&state.db, &req.member_id).await?;
    let now = state.clock.now();
    let m = meta(
        &p,
        Some(source),
        req.external_id.clone(),
        req.reason.clone().unwrap_or_else(|| "Points spent".into()),
        req.metadata.clone(),
    );
    let (t, dup) = book_one(&state.db, &m, &req.member_id, "spend", async |txn| {
        ledger::spend(txn, &req.member_id, "spend", req.points, &m, now).await
    })
    .await?;
    Ok(respond(t, dup, None))
}

/// Reverses an earn or a spend, fully or in part (returns, refunds), as a compensating entry
/// linked to the original. A reversal cannot exceed what is left of the original.
#[utoipa::path(post, path = "/transactions/{id}/reverse", tag = "transactions", security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path)), request_body = ReverseRequest,
    responses((status = 201, body = Envelope<Booking>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope), (status = 422, body = sbm_common::error::ErrorEnvelope)))]
pub async fn reverse(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReverseRequest>,
) -> ApiResult<Response> {
    p.require(Permission::PointsWrite)?;
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
    check_source(&mut v, &source, req.external_id.as_deref());
    v.finish()?;
    let original = ledger::get_tx(&state.db, &id).await?;
    let now = state.clock.now();
    let m = meta(
        &p,
        Some(source),
        req.external_id.clone(),
        req.reason.clone(),
        req.metadata.clone(),
    );
    let (t, dup) = book_one(&state.db, &m, &original.member_id, "reverse", async |txn| {
        ledger::reverse(txn, &id, req.points, &m, now).await
    })
    .await?;
    Ok(respond(t, dup, None))
}

/// A manual correction (staff with `points:write`): positive credits a lot without expiry,
/// negative debits like a spend but does not count as spent.
#[utoipa::path(post, path = "/transactions/adjust", tag = "transactions", security(("bearer" = [])),
    request_body = AdjustRequest,
    responses((status = 201, body = Envelope<Booking>), (status = 422, body = sbm_common::error::ErrorEnvelope)))]
pub async fn adjust(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<AdjustRequest>,
) -> ApiResult<Response> {
    p.require(Permission::PointsWrite)?;
    if !matches!(p, Principal::Staff { .. }) {
        return Err(ApiError::forbidden("Only staff can adjust balances"));
    }
    let mut v = Validator::new();
    v.check(
        req.points != 0 && req.points.abs() <= MAX_POINTS,
        "points",
        "must be non-zero, at most 1000000000 either way",
    );
    v.text("reason", &req.reason, 500);
    check_source(&mut v, "adjustment", req.external_id.as_deref());
    v.finish()?;
    sbm_auth::domain::require_active_member(&state.db, &req.member_id).await?;
    let now = state.clock.now();
    let m = meta(
        &p,
        Some("adjustment".into()),
        req.external_id.clone(),
        req.reason.clone(),
        req.metadata.clone(),
    );
    let (t, dup) = book_one(&state.db, &m, &req.member_id, "adjust", async |txn| {
        if req.points > 0 {
            let c = [Credit {
                points: req.points,
                expires_at: None,
                rule_id: None,
            }];
            ledger::earn(txn, &req.member_id, "adjust", &c, None, None, &m, now).await
        } else {
            ledger::spend(txn, &req.member_id, "adjust", -req.points, &m, now).await
        }
    })
    .await?;
    Ok(respond(t, dup, None))
}

fn parse_time(field: &str, v: &str, end: bool) -> ApiResult<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        let d = if end { d.succ_opt().unwrap_or(d) } else { d };
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight").and_utc());
    }
    Err(ApiError::field(
        field,
        "must be a date (YYYY-MM-DD) or an RFC 3339 time",
    ))
}

async fn list_for(db: &DatabaseConnection, member: Option<&str>, q: &ListQuery) -> ApiResult<Page<Transaction>> {
    let (sort, order) = q.sort(&[("createdAt", "t.created_at"), ("points", "t.points")], "t.created_at")?;
    let mut wh = vec!["1 = 1".to_string()];
    let mut vals: Vec<Value> = vec![];
    if let Some(m) = member.or(q.filter("memberId")) {
        wh.push("t.member_id = ?".into());
        vals.push(m.to_string().into());
    }
    if let Some(t) = q.filter_enum("type", &["earn", "spend", "expire", "reverse", "adjust"])? {
        wh.push("t.type = ?".into());
        vals.push(t.into());
    }
    if let Some(s) = q.filter("source") {
        wh.push("t.source = ?".into());
        vals.push(s.to_string().into());
    }
    if let Some(f) = q.filter("dateFrom") {
        wh.push("t.created_at >= ?".into());
        vals.push(parse_time("dateFrom", f, false)?.into());
    }
    if let Some(f) = q.filter("dateTo") {
        wh.push("t.created_at < ?".into());
        vals.push(parse_time("dateTo", f, true)?.into());
    }
    if let Some(s) = &q.search {
        wh.push("(LOWER(t.reason) LIKE ? OR t.external_id = ?)".into());
        vals.push(format!("%{}%", s.to_lowercase()).into());
        vals.push(s.clone().into());
    }
    let wh = wh.join(" AND ");
    let total: i64 = query_one(
        db,
        &format!("SELECT COUNT(*) AS n FROM point_transactions t WHERE {wh}"),
        vals.clone(),
    )
    .await?
    .ok_or_else(|| ApiError::internal("count returned no row"))?
    .try_get("", "n")?;
    let dir = if order == sbm_common::query::SortOrder::Asc {
        "ASC"
    } else {
        "DESC"
    };
    let mut v2 = vals;
    v2.push((q.limit as i64).into());
    v2.push((q.offset() as i64).into());
    let rows = query_all(
        db,
        &format!(
            "SELECT {TX_COLS} FROM point_transactions t WHERE {wh} ORDER BY {sort} {dir}, t.id {dir} LIMIT ? OFFSET ?"
        ),
        v2,
    )
    .await?;
    let data = rows.iter().map(ledger::tx_from_row).collect::<ApiResult<Vec<_>>>()?;
    Ok(Page::new(data, q.page, q.limit, total as u64))
}

/// History (staff, keys): filters `memberId`, `type`, `source`, `dateFrom`, `dateTo`; `search`
/// in reasons and external ids; sort `createdAt`, `points`.
#[utoipa::path(get, path = "/transactions", tag = "transactions", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams, ("memberId" = Option<String>, Query), ("type" = Option<String>, Query, description = "earn, spend, expire, reverse or adjust"),
           ("source" = Option<String>, Query), ("dateFrom" = Option<String>, Query), ("dateTo" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Transaction>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(Permission::PointsRead)?;
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
    if let Principal::Member { id: me, .. } = &p
        && *me != t.member_id
    {
        return Err(ApiError::not_found("Transaction"));
    }
    if !matches!(p, Principal::Member { .. }) {
        p.require(Permission::PointsRead)?;
    }
    Ok(ok(t))
}
