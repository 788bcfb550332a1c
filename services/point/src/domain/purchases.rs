//! Purchases: every earn by a purchase is recorded, worth points or not, once per
//! `(source, externalId)`, and announced as `purchase.recorded` in the same transaction. Tiers
//! and badges count purchases from that event.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};

use super::error::LedgerError;
use super::events::{self, PurchaseRecorded};
use super::ledger::{Meta, Transaction};
use super::rules::{DEFAULT_CURRENCY, Purchase};
use crate::entity::purchases;

/// The purchase recorded under `(source, external_id)`, if any.
pub async fn find_external(
    db: &impl ConnectionTrait,
    source: &str,
    external_id: &str,
) -> Result<Option<purchases::Model>, LedgerError> {
    Ok(purchases::Entity::find()
        .filter(purchases::Column::Source.eq(source))
        .filter(purchases::Column::ExternalId.eq(external_id))
        .one(db)
        .await?)
}

/// Records `p` for `member` (with the earn it gave, if any) and emits `purchase.recorded`, in
/// the caller's transaction.
pub async fn record(
    db: &impl ConnectionTrait,
    member: &str,
    p: &Purchase,
    meta: &Meta,
    earned: Option<&Transaction>,
    now: DateTime<Utc>,
) -> Result<(), LedgerError> {
    let row = purchases::Model {
        id: uuid::Uuid::now_v7().to_string(),
        member_id: member.to_string(),
        amount: p.amount,
        currency: p.currency.clone().unwrap_or_else(|| DEFAULT_CURRENCY.to_string()),
        store_id: p.store_id.clone(),
        store_category: p.store_category.clone(),
        purchased_at: p.purchased_at.map_or(now, |t| t.with_timezone(&Utc)),
        source: meta.source.clone(),
        external_id: meta.external_id.clone(),
        transaction_id: earned.map(|t| t.id.clone()),
        points: earned.map_or(0, |t| t.points),
        created_at: now,
    };
    purchases::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(db)
        .await?;
    events::emit(
        db,
        &PurchaseRecorded {
            purchase_id: row.id,
            member_id: row.member_id,
            amount: row.amount,
            currency: row.currency,
            store_id: row.store_id,
            store_category: row.store_category,
            purchased_at: row.purchased_at,
            source: row.source,
            external_id: row.external_id,
            transaction_id: row.transaction_id,
            points: row.points,
        },
        now,
    )
    .await?;
    Ok(())
}
