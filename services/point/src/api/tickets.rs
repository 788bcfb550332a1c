//! Point request tickets: a member claims points it believes are missing; staff approve
//! (credits once) or reject with a reason; the member may cancel while the ticket is open.
//! `open` is the only state that moves: every transition is a conditional update from it.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use sbm_common::db::{begin_write, exec, query_one};
use sbm_common::envelope::Envelope;
use sbm_common::{
    ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Permission, Principal, Validator, created, ok,
};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::receipts::RejectRequest;
use crate::api::transactions::meta;
use crate::domain::ledger::{self, Credit, Transaction};

/// A ticket.
#[derive(Debug, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub id: String,
    pub member_id: String,
    pub description: String,
    /// The member's reference: an order or receipt number.
    pub reference: Option<String>,
    pub requested_points: Option<i64>,
    /// `open`, `approved`, `rejected` or `cancelled`.
    pub status: String,
    pub approved_points: Option<i64>,
    pub transaction_id: Option<String>,
    pub reject_reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLS: &str = "id, member_id, description, reference, requested_points, status, approved_points, transaction_id, reject_reason, reviewed_by, reviewed_at, created_at, updated_at";

/// A claim for missing points.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewTicket {
    pub description: String,
    pub reference: Option<String>,
    pub requested_points: Option<i64>,
}

async fn fetch(db: &impl ConnectionTrait, id: &str) -> ApiResult<Ticket> {
    let row = query_one(
        db,
        &format!("SELECT {COLS} FROM point_request_tickets WHERE id = ?"),
        vec![id.into()],
    )
    .await?
    .ok_or_else(|| ApiError::not_found("Point request ticket"))?;
    Ok(Ticket::from_query_result(&row, "")?)
}

fn illegal(t: &Ticket, action: &str) -> ApiError {
    ApiError::conflict(format!("A ticket that is {} cannot be {action}", t.status))
}

/// Files a ticket (member).
#[utoipa::path(post, path = "/point-request-tickets", tag = "point-request-tickets", security(("bearer" = [])), request_body = NewTicket,
    responses((status = 201, body = Envelope<Ticket>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<NewTicket>,
) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?.to_string();
    let mut v = Validator::new();
    v.text("description", &req.description, 2000);
    if let Some(r) = &req.reference {
        v.text("reference", r, 128);
    }
    if let Some(n) = req.requested_points {
        v.check(
            (1..=1_000_000).contains(&n),
            "requestedPoints",
            "must be between 1 and 1000000",
        );
    }
    v.finish()?;
    let id = uuid::Uuid::now_v7().to_string();
    let now = state.clock.now();
    exec(
        &state.db,
        "INSERT INTO point_request_tickets (id, member_id, description, reference, requested_points, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
        vec![id.clone().into(), member.into(), req.description.trim().to_string().into(), req.reference.into(), req.requested_points.into(), now.into(), now.into()],
    )
    .await?;
    Ok(created(fetch(&state.db, &id).await?))
}

async fn list_for(db: &sea_orm::DatabaseConnection, member: Option<&str>, q: &ListQuery) -> ApiResult<Page<Ticket>> {
    let (sort, order) = q.sort(
        &[
            ("createdAt", "created_at"),
            ("updatedAt", "updated_at"),
            ("requestedPoints", "requested_points"),
        ],
        "created_at",
    )?;
    let mut wh = vec!["1 = 1".to_string()];
    let mut vals: Vec<Value> = vec![];
    if let Some(m) = member.or(q.filter("memberId")) {
        wh.push("member_id = ?".into());
        vals.push(m.to_string().into());
    }
    if let Some(s) = q.filter_enum("status", &["open", "approved", "rejected", "cancelled"])? {
        wh.push("status = ?".into());
        vals.push(s.into());
    }
    if let Some(s) = &q.search {
        wh.push("(LOWER(description) LIKE ? OR reference = ?)".into());
        vals.push(format!("%{}%", s.to_lowercase()).into());
        vals.push(s.clone().into());
    }
    q.fetch_page(
        db,
        "point_request_tickets",
        COLS,
        &wh.join(" AND "),
        vals,
        &ListQuery::order_by(sort, order, "id"),
    )
    .await
}

/// Tickets (staff): filters `status`, `memberId`; `search`; sort `createdAt`, `updatedAt`, `requestedPoints`.
#[utoipa::path(get, path = "/point-request-tickets", tag = "point-request-tickets", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query), ("memberId" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Ticket>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(Permission::PointsRead)?;
    Ok(ok(list_for(&state.db, None, &q).await?))
}

/// The calling member's tickets.
#[utoipa::path(get, path = "/point-request-tickets/me", tag = "point-request-tickets", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Ticket>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let me = p.member_id()?.to_string();
    Ok(ok(list_for(&state.db, Some(&me), &q).await?))
}

/// One ticket (its member, or staff).
#[utoipa::path(get, path = "/point-request-tickets/{id}", tag = "point-request-tickets", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Ticket>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    let t = fetch(&state.db, &id).await?;
    match &p {
        Principal::Member { id: me, .. } if *me != t.member_id => {
            return Err(ApiError::not_found("Point request ticket"));
        }
        Principal::Member { .. } => {}
        _ => p.require(Permission::PointsRead)?,
    }
    Ok(ok(t))
}

/// Approval: the points to credit (the requested points when absent).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApproveTicket {
    pub points: Option<i64>,
    pub note: Option<String>,
}

/// `data` of an approval.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TicketDecision {
    pub ticket: Ticket,
    pub transaction: Transaction,
}

/// Approves an open ticket and credits the points, once.
#[utoipa::path(post, path = "/point-request-tickets/{id}/approve", tag = "point-request-tickets", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ApproveTicket,
    responses((status = 200, body = Envelope<TicketDecision>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn approve(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<impl IntoResponse> {
    p.require(Permission::PointsWrite)?;
    let req: ApproveTicket = crate::api::optional_json(&body)?;
    let t = fetch(&state.db, &id).await?;
    let points = req.points.or(t.requested_points);
    let mut v = Validator::new();
    match points {
        None => v.add("points", "is required: the ticket names no requested points"),
        Some(n) => v.check((1..=1_000_000).contains(&n), "points", "must be between 1 and 1000000"),
    }
    v.finish()?;
    let points = points.unwrap_or(0);
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let n = exec(
        &txn,
        "UPDATE point_request_tickets SET status = 'approved', approved_points = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ? WHERE id = ? AND status = 'open'",
        vec![points.into(), p.key().into(), now.into(), now.into(), id.clone().into()],
    )
    .await?;
    if n == 0 {
        txn.rollback().await?;
        return Err(illegal(&fetch(&state.db, &id).await?, "approved"));
    }
    sbm_auth::domain::require_active_member(&txn, &t.member_id).await?;
    let m = meta(
        &p,
        Some("ticket".into()),
        Some(id.clone()),
        format!("Point request ticket {id}"),
        Some(serde_json::json!({"ticketId": id, "note": req.note})),
    );
    let credit = [Credit {
        points,
        expires_at: None,
        rule_id: None,
    }];
    let tx = ledger::earn(&txn, &t.member_id, "earn", &credit, None, None, &m, now).await?;
    exec(
        &txn,
        "UPDATE point_request_tickets SET transaction_id = ? WHERE id = ?",
        vec![tx.id.clone().into(), id.clone().into()],
    )
    .await?;
    let ticket = fetch(&txn, &id).await?;
    txn.commit().await?;
    Ok(ok(TicketDecision {
        ticket,
        transaction: tx,
    }))
}

/// Rejects an open ticket with a reason.
#[utoipa::path(post, path = "/point-request-tickets/{id}/reject", tag = "point-request-tickets", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = RejectRequest,
    responses((status = 200, body = Envelope<Ticket>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn reject(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RejectRequest>,
) -> ApiResult<impl IntoResponse> {
    p.require(Permission::PointsWrite)?;
    let mut v = Validator::new();
    v.text("reason", &req.reason, 500);
    v.finish()?;
    let now = state.clock.now();
    let n = exec(
        &state.db,
        "UPDATE point_request_tickets SET status = 'rejected', reject_reason = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ? WHERE id = ? AND status = 'open'",
        vec![req.reason.trim().to_string().into(), p.key().into(), now.into(), now.into(), id.clone().into()],
    )
    .await?;
    let t = fetch(&state.db, &id).await?;
    if n == 0 {
        return Err(illegal(&t, "rejected"));
    }
    Ok(ok(t))
}

/// Cancels the calling member's own open ticket.
#[utoipa::path(post, path = "/point-request-tickets/{id}/cancel", tag = "point-request-tickets", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Ticket>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn cancel(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let me = p.member_id()?.to_string();
    let t = fetch(&state.db, &id).await?;
    if t.member_id != me {
        return Err(ApiError::not_found("Point request ticket"));
    }
    let now = state.clock.now();
    let n = exec(
        &state.db,
        "UPDATE point_request_tickets SET status = 'cancelled', updated_at = ? WHERE id = ? AND status = 'open'",
        vec![now.into(), id.clone().into()],
    )
    .await?;
    let t = fetch(&state.db, &id).await?;
    if n == 0 {
        return Err(illegal(&t, "cancelled"));
    }
    Ok(ok(t))
}
