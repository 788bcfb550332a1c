//! Point request tickets: a member claims points it believes are missing; staff approve
//! (credits once) or reject with a reason; the member may cancel while the ticket is open.
//! `open` is the only state that moves: every transition is a conditional update from it.

use crate::domain::permissions as perm;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use sbm_common::db::begin_write;
use sbm_common::envelope::Envelope;
use sbm_common::{ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Validator, created, ok};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::receipts::RejectRequest;
use super::require_visible;
use crate::domain::ledger::Transaction;
use crate::domain::tickets::{self, Ticket};

/// A claim for missing points.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewTicket {
    pub description: String,
    pub reference: Option<String>,
    pub requested_points: Option<i64>,
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
    // The ticket and its event commit together.
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let t = tickets::create(
        &txn,
        &member,
        &req.description,
        req.reference,
        req.requested_points,
        state.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(created(t))
}

/// Tickets (staff): filters `status`, `memberId`; `search`; sort `createdAt`, `updatedAt`, `requestedPoints`.
#[utoipa::path(get, path = "/point-request-tickets", tag = "point-request-tickets", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query), ("memberId" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Ticket>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(perm::POINTS_READ)?;
    Ok(ok(tickets::list(&state.db, q.filter("memberId"), &q).await?))
}

/// The calling member's tickets.
#[utoipa::path(get, path = "/point-request-tickets/me", tag = "point-request-tickets", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Ticket>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let me = p.member_id()?.to_string();
    Ok(ok(tickets::list(&state.db, Some(&me), &q).await?))
}

/// One ticket (its member, or staff).
#[utoipa::path(get, path = "/point-request-tickets/{id}", tag = "point-request-tickets", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Ticket>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    let t = tickets::get(&state.db, &id).await?;
    require_visible(&p, &t.member_id, "Point request ticket", perm::POINTS_READ)?;
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
    p.require(perm::POINTS_REVIEW)?;
    let req: ApproveTicket = crate::api::optional_json(&body)?;
    let mut v = Validator::new();
    if let Some(n) = req.points {
        v.check((1..=1_000_000).contains(&n), "points", "must be between 1 and 1000000");
    }
    if let Some(n) = &req.note {
        v.max_chars("note", n, 500);
    }
    v.finish()?;
    let txn = begin_write(&state.db).await?;
    let a = tickets::approve(&txn, &id, req.points, req.note, &p.key(), state.clock.now()).await?;
    txn.commit().await?;
    Ok(ok(TicketDecision {
        ticket: a.ticket,
        transaction: a.transaction,
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
    p.require(perm::POINTS_REVIEW)?;
    let mut v = Validator::new();
    v.text("reason", &req.reason, 500);
    v.finish()?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let t = tickets::reject(&txn, &id, &req.reason, &p.key(), state.clock.now()).await?;
    txn.commit().await?;
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
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let t = tickets::cancel(&txn, &id, &me, state.clock.now()).await?;
    txn.commit().await?;
    Ok(ok(t))
}
