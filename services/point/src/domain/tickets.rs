//! Point request tickets: a member claims points it believes are missing; staff approve
//! (credits once) or reject with a reason; the member may cancel while the ticket is open.
//! `open` is the only state that moves: every transition is a conditional update from it.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use sbm_common::query::contains_ci;
use sbm_common::{Filter, ListQuery, ListSpec, Page};
use sea_orm::Condition;

use super::error::TicketError;
use super::events::{self, TicketApproved, TicketCancelled, TicketCreated, TicketRejected};
use super::ledger::{Credit, Meta, Transaction, TxType, earn};
use super::members::require_active;
use crate::entity::point_request_tickets as tickets;

/// A ticket.
#[derive(Debug, Clone, Serialize, ToSchema)]
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

impl From<tickets::Model> for Ticket {
    fn from(t: tickets::Model) -> Self {
        Ticket {
            id: t.id,
            member_id: t.member_id,
            description: t.description,
            reference: t.reference,
            requested_points: t.requested_points,
            status: t.status,
            approved_points: t.approved_points,
            transaction_id: t.transaction_id,
            reject_reason: t.reject_reason,
            reviewed_by: t.reviewed_by,
            reviewed_at: t.reviewed_at,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// Ticket lists: filter `status`; `search` in descriptions or an exact reference; sort
/// `createdAt`, `updatedAt`, `requestedPoints`.
pub const LIST: ListSpec<tickets::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("createdAt", tickets::Column::CreatedAt),
        ("updatedAt", tickets::Column::UpdatedAt),
        ("requestedPoints", tickets::Column::RequestedPoints),
    ],
    default_sort: tickets::Column::CreatedAt,
    tiebreak: tickets::Column::Id,
    search: &[],
    filters: &[Filter::Enum(
        "status",
        tickets::Column::Status,
        &["open", "approved", "rejected", "cancelled"],
    )],
};

/// One page of tickets, of one member when `member` is given.
pub async fn list(db: &impl ConnectionTrait, member: Option<&str>, q: &ListQuery) -> Result<Page<Ticket>, TicketError> {
    let mut select = tickets::Entity::find();
    if let Some(m) = member {
        select = select.filter(tickets::Column::MemberId.eq(m));
    }
    if let Some(s) = &q.search {
        select = select.filter(
            Condition::any()
                .add(contains_ci(Expr::col(tickets::Column::Description), s))
                .add(tickets::Column::Reference.eq(s.clone())),
        );
    }
    Ok(q.page(db, select, &LIST).await?.map(Ticket::from))
}

/// One ticket.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Ticket, TicketError> {
    Ok(tickets::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(TicketError::NotFound)?
        .into())
}

/// Files a ticket for a member.
pub async fn create(
    db: &impl ConnectionTrait,
    member: &str,
    description: &str,
    reference: Option<String>,
    requested_points: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Ticket, TicketError> {
    let row = tickets::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        member_id: Set(member.to_string()),
        description: Set(description.trim().to_string()),
        reference: Set(reference),
        requested_points: Set(requested_points),
        status: Set("open".into()),
        approved_points: Set(None),
        transaction_id: Set(None),
        reject_reason: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    events::emit(
        db,
        &TicketCreated {
            ticket_id: row.id.clone(),
            member_id: member.to_string(),
            requested_points,
            at: now,
        },
        now,
    )
    .await?;
    Ok(row.into())
}

/// Moves an open ticket by a conditional update (`set` gives the columns besides
/// `updated_at`); [`TicketError::Illegal`] naming its state when it is not open.
async fn transition(
    db: &impl ConnectionTrait,
    id: &str,
    action: &'static str,
    set: Vec<(tickets::Column, Expr)>,
    now: DateTime<Utc>,
) -> Result<Ticket, TicketError> {
    let mut update = tickets::Entity::update_many().col_expr(tickets::Column::UpdatedAt, Expr::value(now));
    for (col, value) in set {
        update = update.col_expr(col, value);
    }
    let moved = update
        .filter(tickets::Column::Id.eq(id))
        .filter(tickets::Column::Status.eq("open"))
        .exec(db)
        .await?
        .rows_affected;
    let t = get(db, id).await?;
    if moved == 0 {
        return Err(TicketError::Illegal {
            status: t.status,
            action,
        });
    }
    Ok(t)
}

/// An approved ticket and the earn it credited.
#[derive(Debug, Clone)]
pub struct Approval {
    pub ticket: Ticket,
    pub transaction: Transaction,
}

/// Approves an open ticket and credits `points` (the requested points when `None`), once.
/// Runs in the caller's transaction.
pub async fn approve(
    db: &impl ConnectionTrait,
    id: &str,
    points: Option<i64>,
    note: Option<String>,
    reviewer: &str,
    now: DateTime<Utc>,
) -> Result<Approval, TicketError> {
    let t = get(db, id).await?;
    let points = points.or(t.requested_points).ok_or(TicketError::PointsRequired)?;
    transition(
        db,
        id,
        "approved",
        vec![
            (tickets::Column::Status, Expr::value("approved")),
            (tickets::Column::ApprovedPoints, Expr::value(points)),
            (tickets::Column::ReviewedBy, Expr::value(reviewer)),
            (tickets::Column::ReviewedAt, Expr::value(now)),
        ],
        now,
    )
    .await?;
    require_active(db, &t.member_id).await?;
    let meta = Meta {
        reason: format!("Point request ticket {id}"),
        source: "ticket".into(),
        external_id: Some(id.to_string()),
        metadata: serde_json::json!({"ticketId": id, "note": note}),
        created_by: Some(reviewer.to_string()),
    };
    let credit = [Credit {
        points,
        expires_at: None,
        rule_id: None,
    }];
    let tx = earn(db, &t.member_id, TxType::Earn, &credit, None, None, &meta, now).await?;
    tickets::Entity::update_many()
        .col_expr(tickets::Column::TransactionId, Expr::value(tx.id.clone()))
        .filter(tickets::Column::Id.eq(id))
        .exec(db)
        .await?;
    events::emit(
        db,
        &TicketApproved {
            ticket_id: id.to_string(),
            member_id: t.member_id.clone(),
            points,
            transaction_id: tx.id.clone(),
            at: now,
        },
        now,
    )
    .await?;
    Ok(Approval {
        ticket: get(db, id).await?,
        transaction: tx,
    })
}

/// Rejects an open ticket with a reason.
pub async fn reject(
    db: &impl ConnectionTrait,
    id: &str,
    reason: &str,
    reviewer: &str,
    now: DateTime<Utc>,
) -> Result<Ticket, TicketError> {
    let t = transition(
        db,
        id,
        "rejected",
        vec![
            (tickets::Column::Status, Expr::value("rejected")),
            (tickets::Column::RejectReason, Expr::value(reason.trim())),
            (tickets::Column::ReviewedBy, Expr::value(reviewer)),
            (tickets::Column::ReviewedAt, Expr::value(now)),
        ],
        now,
    )
    .await?;
    events::emit(
        db,
        &TicketRejected {
            ticket_id: id.to_string(),
            member_id: t.member_id.clone(),
            reason: reason.trim().to_string(),
            at: now,
        },
        now,
    )
    .await?;
    Ok(t)
}

/// Cancels a member's own open ticket (another member's is [`TicketError::NotFound`]).
pub async fn cancel(
    db: &impl ConnectionTrait,
    id: &str,
    member: &str,
    now: DateTime<Utc>,
) -> Result<Ticket, TicketError> {
    if get(db, id).await?.member_id != member {
        return Err(TicketError::NotFound);
    }
    let t = transition(
        db,
        id,
        "cancelled",
        vec![(tickets::Column::Status, Expr::value("cancelled"))],
        now,
    )
    .await?;
    events::emit(
        db,
        &TicketCancelled {
            ticket_id: id.to_string(),
            member_id: member.to_string(),
            at: now,
        },
        now,
    )
    .await?;
    Ok(t)
}
