//! Expiry: due lots expire as one `expire` entry per member, when the member next spends or
//! reverses, and in the scheduled sweep.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::balance::{debit, lock_member};
use super::lots::record_consumption;
use super::{Meta, Transaction, TxType, insert_tx};
use crate::domain::error::LedgerError;
use crate::domain::events::{self, LotMove, PointsExpired};
use crate::entity::point_lots as lots;

/// Expires this member's lots that are due at `now` (the caller holds the member's row).
/// Returns the expiry entry, if anything expired.
pub async fn expire_member(
    db: &impl ConnectionTrait,
    member: &str,
    now: DateTime<Utc>,
) -> Result<Option<Transaction>, LedgerError> {
    let due = lots::Entity::find()
        .filter(lots::Column::MemberId.eq(member))
        .filter(lots::open())
        .filter(lots::Column::ExpiredAt.is_null())
        .filter(lots::Column::ExpiresAt.lte(now))
        .order_by_asc(lots::Column::ExpiresAt)
        .order_by_asc(lots::Column::Id)
        .all(db)
        .await?;
    if due.is_empty() {
        return Ok(None);
    }
    let mut total = 0;
    let mut expired = Vec::new();
    for lot in due {
        let n = lots::Entity::update_many()
            .col_expr(lots::Column::Remaining, Expr::value(0i64))
            .col_expr(lots::Column::ExpiredAt, Expr::value(now))
            .filter(lots::Column::Id.eq(&lot.id))
            .filter(lots::Column::Remaining.eq(lot.remaining))
            .filter(lots::Column::ExpiredAt.is_null())
            .exec(db)
            .await?
            .rows_affected;
        if n == 1 {
            total += lot.remaining;
            expired.push(LotMove {
                lot_id: lot.id,
                points: lot.remaining,
                expires_at: Some(lot.expires_at),
            });
        }
    }
    if total == 0 {
        return Ok(None);
    }
    let balance = debit(db, member, total, (0, 0, total), now)
        .await?
        .ok_or_else(|| LedgerError::Inconsistent(format!("balance of {member} below its live lots")))?;
    let meta = Meta {
        reason: "Points expired".into(),
        source: "system".into(),
        metadata: json!({}),
        ..Default::default()
    };
    let tx = insert_tx(db, member, TxType::Expire, -total, balance, &meta, None, None, now).await?;
    for lot in &expired {
        record_consumption(db, &tx.id, &lot.lot_id, lot.points).await?;
    }
    events::emit(
        db,
        &PointsExpired {
            transaction_id: tx.id.clone(),
            member_id: member.to_string(),
            points: total,
            balance,
            lots: expired,
            expired_at: now,
        },
        now,
    )
    .await?;
    Ok(Some(tx))
}

/// What the scheduled expiry did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryReport {
    pub members: u64,
    pub points: i64,
}

/// Expires every lot due at `now`, one member per transaction. Safe with several replicas:
/// each member's row is locked and each lot is expired by a conditional update.
pub async fn expire_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<ExpiryReport, LedgerError> {
    let mut report = ExpiryReport::default();
    let mut seen = std::collections::HashSet::new();
    loop {
        let members: Vec<String> = lots::Entity::find()
            .select_only()
            .column(lots::Column::MemberId)
            .distinct()
            .filter(lots::open())
            .filter(lots::Column::ExpiredAt.is_null())
            .filter(lots::Column::ExpiresAt.lte(now))
            .limit(200)
            .into_tuple()
            .all(db)
            .await?;
        let members: Vec<String> = members.into_iter().filter(|m| !seen.contains(m)).collect();
        if members.is_empty() {
            return Ok(report);
        }
        for m in members {
            seen.insert(m.clone());
            let txn = sbm_common::db::begin_write(db).await?;
            lock_member(&txn, &m, now).await?;
            let tx = expire_member(&txn, &m, now).await?;
            txn.commit().await?;
            if let Some(tx) = tx {
                report.members += 1;
                report.points += -tx.points;
            }
        }
    }
}

/// Tells members, once per lot, that points expire within `days`: one `points.expiring` per
/// member and run, for the lots not told about before. One member per transaction, under the
/// member's lock, so replicas running it at once tell each lot once.
pub async fn warn_expiring(db: &DatabaseConnection, now: DateTime<Utc>, days: u32) -> Result<u64, LedgerError> {
    use crate::domain::events::PointsExpiring;
    use crate::entity::point_expiry_warnings as warned;
    use sea_orm::sea_query::Query;
    use sea_orm::{ActiveValue::Set, Condition};
    if days == 0 {
        return Ok(0);
    }
    let until = now + chrono::Duration::days(i64::from(days));
    let not_told = || {
        Condition::all()
            .add(lots::open())
            .add(lots::Column::ExpiredAt.is_null())
            .add(lots::Column::ExpiresAt.gt(now))
            .add(lots::Column::ExpiresAt.lte(until))
            .add(
                lots::Column::Id.not_in_subquery(
                    Query::select()
                        .column(warned::Column::LotId)
                        .from(warned::Entity)
                        .to_owned(),
                ),
            )
    };
    let mut told = 0;
    let mut seen = std::collections::HashSet::new();
    loop {
        let members: Vec<String> = lots::Entity::find()
            .select_only()
            .column(lots::Column::MemberId)
            .distinct()
            .filter(not_told())
            .limit(200)
            .into_tuple()
            .all(db)
            .await?;
        let members: Vec<String> = members.into_iter().filter(|m| seen.insert(m.clone())).collect();
        if members.is_empty() {
            return Ok(told);
        }
        for m in members {
            let txn = sbm_common::db::begin_write(db).await?;
            lock_member(&txn, &m, now).await?;
            let due = lots::Entity::find()
                .filter(lots::Column::MemberId.eq(&m))
                .filter(not_told())
                .order_by_asc(lots::Column::ExpiresAt)
                .all(&txn)
                .await?;
            if let Some(first) = due.iter().filter_map(|l| l.expires_at).min() {
                warned::Entity::insert_many(due.iter().map(|l| warned::ActiveModel {
                    lot_id: Set(l.id.clone()),
                    member_id: Set(m.clone()),
                    warned_at: Set(now),
                }))
                .exec_without_returning(&txn)
                .await?;
                events::emit(
                    &txn,
                    &PointsExpiring {
                        member_id: m.clone(),
                        points: due.iter().map(|l| l.remaining).sum(),
                        expires_at: first,
                        lots: due
                            .iter()
                            .map(|l| LotMove {
                                lot_id: l.id.clone(),
                                points: l.remaining,
                                expires_at: Some(l.expires_at),
                            })
                            .collect(),
                        at: now,
                    },
                    now,
                )
                .await?;
                told += 1;
            }
            txn.commit().await?;
        }
    }
}
