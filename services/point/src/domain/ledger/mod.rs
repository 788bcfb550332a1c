//! The ledger: append-only entries, a balance row updated in the same transaction, lots with
//! their own expiry. Every operation first takes the member's balance row (an UPDATE, so a
//! row lock on PostgreSQL; SQLite has one writer), so operations on one member never
//! interleave, and every debit is a conditional `UPDATE … WHERE balance >= n`, so a balance
//! never goes negative.
//!
//! - [`balance`]: the balance row (lock, credit, conditional debit) and the balance read;
//! - [`lots`]: creating, consuming and restoring lots;
//! - [`ops`]: earn, spend and reverse as single movements;
//! - [`expiry`]: expiring due lots, per member and in the scheduled sweep;
//! - [`booking`]: idempotent bookings per `(source, externalId)` and the flows built on them.

pub mod balance;
pub mod booking;
pub mod expiry;
pub mod history;
pub mod lots;
pub mod ops;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, InsertStatement, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, QueryTrait,
};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

pub use balance::{BalanceView, ExpiringLot, current_balance, lock_member, read_balance};
pub use booking::{
    Booked, EarnOutcome, EarnSource, OWNER_REVERSED_SOURCES, RuleEarn, book, book_adjust, book_earn, book_one,
    book_reverse, book_reverse_direct, book_spend, earn_by_rules, registration_bonus,
};
pub use expiry::{ExpiryReport, expire_due, expire_member, warn_expiring};
pub use ops::{earn, reverse, spend};

use super::error::LedgerError;
use crate::entity::point_transactions as tx;

/// The most points one movement (an earn, a spend, an adjustment, one rule's award) may carry.
pub const MAX_POINTS: i64 = 1_000_000_000;
/// The most points a balance (and a lifetime total) may reach: far below `i64::MAX`, so no sum
/// the ledger does can overflow.
pub const MAX_BALANCE: i64 = 1_000_000_000_000_000;
/// The largest purchase amount, in minor currency units.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// Who, why and from where, for every movement.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub reason: String,
    pub source: String,
    pub external_id: Option<String>,
    pub metadata: Value,
    pub created_by: Option<String>,
}

/// The kind of a ledger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxType {
    Earn,
    Spend,
    Expire,
    Reverse,
    Adjust,
}

impl TxType {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TxType::Earn => "earn",
            TxType::Spend => "spend",
            TxType::Expire => "expire",
            TxType::Reverse => "reverse",
            TxType::Adjust => "adjust",
        }
    }
}

/// A ledger entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub id: String,
    pub member_id: String,
    /// `earn`, `spend`, `expire`, `reverse` or `adjust`.
    #[serde(rename = "type")]
    pub tx_type: String,
    /// Signed change to the balance.
    pub points: i64,
    pub balance_after: i64,
    pub reason: String,
    pub source: String,
    pub external_id: Option<String>,
    pub metadata: Value,
    /// Rule breakdown, for earns computed by rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<Value>,
    /// The original entry, for reversals.
    pub related_id: Option<String>,
    /// How much of this entry later reversals took back.
    pub reversed_points: i64,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Transaction {
    /// The entry of a stored row, with what reversals took back from it.
    pub fn from_model(r: tx::Model, reversed_points: i64) -> Self {
        Transaction {
            id: r.id,
            member_id: r.member_id,
            tx_type: r.tx_type,
            points: r.points,
            balance_after: r.balance_after,
            reason: r.reason,
            source: r.source,
            external_id: r.external_id,
            metadata: serde_json::from_str(&r.metadata).unwrap_or(Value::Null),
            breakdown: r.breakdown.and_then(|b| serde_json::from_str(&b).ok()),
            related_id: r.related_id,
            reversed_points,
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

/// A stored entry with the points reversals took back, read in one statement.
#[derive(Debug, FromQueryResult)]
struct TxRow {
    #[sea_orm(nested)]
    row: tx::Model,
    reversed_points: i64,
}

/// `(SELECT CAST(COALESCE(SUM(ABS(r.points)), 0) AS BIGINT) FROM point_transactions r
/// WHERE r.related_id = point_transactions.id AND r.type = 'reverse')`: computed, never stored.
fn reversed_points() -> Expr {
    let r = Alias::new("r");
    let sum = Func::coalesce([
        Func::sum(Func::abs(Expr::col((r.clone(), tx::Column::Points)))).into(),
        Expr::val(0i64),
    ]);
    let sub = Query::select()
        .expr(Func::cast_as(sum, Alias::new("BIGINT")))
        .from_as(tx::Entity, r.clone())
        .and_where(Expr::col((r.clone(), tx::Column::RelatedId)).equals((tx::Entity, tx::Column::Id)))
        .and_where(Expr::col((r, tx::Column::TxType)).eq(TxType::Reverse.as_str()))
        .to_owned();
    Expr::SubQuery(None, Box::new(sub.into()))
}

/// Entries matching `filter`, with their reversed points.
async fn find_tx(db: &impl ConnectionTrait, filter: sea_orm::Condition) -> Result<Option<Transaction>, LedgerError> {
    let row = tx::Entity::find()
        .filter(filter)
        .column_as(reversed_points(), "reversed_points")
        .into_model::<TxRow>()
        .one(db)
        .await?;
    Ok(row.map(|r| Transaction::from_model(r.row, r.reversed_points)))
}

/// One entry.
pub async fn get_tx(db: &impl ConnectionTrait, id: &str) -> Result<Transaction, LedgerError> {
    find_tx(db, sea_orm::Condition::all().add(tx::Column::Id.eq(id)))
        .await?
        .ok_or(LedgerError::TransactionNotFound)
}

/// The entry recorded for `(source, externalId)`, if any.
pub async fn find_external(
    db: &impl ConnectionTrait,
    source: &str,
    external_id: &str,
) -> Result<Option<Transaction>, LedgerError> {
    find_tx(
        db,
        sea_orm::Condition::all()
            .add(tx::Column::Source.eq(source))
            .add(tx::Column::ExternalId.eq(external_id)),
    )
    .await
}

/// Appends an entry and returns it as stored (built here: no read-back round trip).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_tx(
    db: &impl ConnectionTrait,
    member: &str,
    tx_type: TxType,
    points: i64,
    balance_after: i64,
    meta: &Meta,
    breakdown: Option<&Value>,
    related: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Transaction, LedgerError> {
    let (entry, insert) = tx_insert(member, tx_type, points, balance_after, meta, breakdown, related, now);
    db.execute(&insert).await?;
    Ok(entry)
}

/// A ledger entry and the insert that writes it (to run with others in one round trip).
#[allow(clippy::too_many_arguments)]
pub(crate) fn tx_insert(
    member: &str,
    tx_type: TxType,
    points: i64,
    balance_after: i64,
    meta: &Meta,
    breakdown: Option<&Value>,
    related: Option<&str>,
    now: DateTime<Utc>,
) -> (Transaction, InsertStatement) {
    // PostgreSQL keeps microseconds: return exactly what a later read will show.
    let now = now.trunc_subsecs(6);
    let entry = Transaction {
        id: uuid::Uuid::now_v7().to_string(),
        member_id: member.to_string(),
        tx_type: tx_type.as_str().to_string(),
        points,
        balance_after,
        reason: meta.reason.clone(),
        source: meta.source.clone(),
        external_id: meta.external_id.clone(),
        metadata: meta.metadata.clone(),
        breakdown: breakdown.cloned(),
        related_id: related.map(str::to_string),
        reversed_points: 0,
        created_by: meta.created_by.clone(),
        created_at: now,
    };
    let insert = tx::Entity::insert(tx::ActiveModel {
        id: Set(entry.id.clone()),
        member_id: Set(entry.member_id.clone()),
        tx_type: Set(entry.tx_type.clone()),
        points: Set(points),
        balance_after: Set(balance_after),
        reason: Set(entry.reason.clone()),
        source: Set(entry.source.clone()),
        external_id: Set(entry.external_id.clone()),
        metadata: Set(meta.metadata.to_string()),
        breakdown: Set(breakdown.map(|b| b.to_string())),
        related_id: Set(entry.related_id.clone()),
        created_by: Set(entry.created_by.clone()),
        created_at: Set(now),
    })
    .into_query();
    (entry, insert)
}

/// Points to credit, grouped by expiry, with the rule that gave them (for daily caps).
#[derive(Debug, Clone)]
pub struct Credit {
    pub points: i64,
    pub expires_at: Option<DateTime<Utc>>,
    pub rule_id: Option<String>,
}
