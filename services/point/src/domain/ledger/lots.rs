//! Lots: each credit's points with their own expiry. Debits consume the soonest-expiring
//! lots first and record what they took, so a reversal can give it back.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, InsertStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};

use super::super::error::LedgerError;
use super::super::events::LotMove;
use crate::entity::{point_lot_consumptions as used, point_lots as lots};

/// A new lot of `pts` for the entry `tx`, and the insert that writes it (run with the entry's
/// other inserts in one round trip).
pub(crate) fn lot_insert(
    member: &str,
    tx: &str,
    pts: i64,
    expires: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (LotMove, InsertStatement) {
    let id = uuid::Uuid::now_v7().to_string();
    let insert = lots::Entity::insert(lots::ActiveModel {
        id: Set(id.clone()),
        member_id: Set(member.to_string()),
        transaction_id: Set(tx.to_string()),
        points: Set(pts),
        remaining: Set(pts),
        expires_at: Set(expires),
        expired_at: Set(None),
        created_at: Set(now),
    })
    .into_query();
    let lot = LotMove {
        lot_id: id,
        points: pts,
        expires_at: Some(expires),
    };
    (lot, insert)
}

/// Records that the entry `tx` took `pts` from `lot`.
pub(crate) async fn record_consumption(
    db: &impl ConnectionTrait,
    tx: &str,
    lot: &str,
    pts: i64,
) -> Result<(), LedgerError> {
    used::Entity::insert(used::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        transaction_id: Set(tx.to_string()),
        lot_id: Set(lot.to_string()),
        points: Set(pts),
        restored: Set(0),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Takes `amount` from the member's live lots, soonest-expiring first (lots of `prefer`
/// first, for reversing an earn), recording each consumption.
pub(crate) async fn consume_lots(
    db: &impl ConnectionTrait,
    member: &str,
    tx: &str,
    amount: i64,
    now: DateTime<Utc>,
    prefer: Option<&str>,
) -> Result<Vec<LotMove>, LedgerError> {
    let live: Vec<(String, i64)> = lots::Entity::find()
        .select_only()
        .columns([lots::Column::Id, lots::Column::Remaining])
        .filter(lots::Column::MemberId.eq(member))
        .filter(lots::open())
        .filter(
            Condition::any()
                .add(lots::Column::ExpiresAt.is_null())
                .add(lots::Column::ExpiresAt.gt(now)),
        )
        .order_by_asc(Into::<Expr>::into(
            Expr::case(lots::Column::TransactionId.eq(prefer.unwrap_or("")), 0).finally(1),
        ))
        .order_by_asc(Into::<Expr>::into(
            Expr::case(lots::Column::ExpiresAt.is_null(), 1).finally(0),
        ))
        .order_by_asc(lots::Column::ExpiresAt)
        .order_by_asc(lots::Column::CreatedAt)
        .order_by_asc(lots::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut left = amount;
    let mut taken = Vec::new();
    for (lot, remaining) in live {
        if left == 0 {
            break;
        }
        let take = Ord::min(remaining, left);
        let n = lots::Entity::update_many()
            .col_expr(lots::Column::Remaining, Expr::col(lots::Column::Remaining).sub(take))
            .filter(lots::Column::Id.eq(&lot))
            .filter(lots::Column::Remaining.gte(take))
            .exec(db)
            .await?
            .rows_affected;
        if n == 0 {
            continue;
        }
        record_consumption(db, tx, &lot, take).await?;
        taken.push(LotMove {
            lot_id: lot,
            points: take,
            expires_at: None,
        });
        left -= take;
    }
    if left != 0 {
        // The balance covered it but the lots did not: the ledger would be inconsistent.
        return Err(LedgerError::Inconsistent(format!(
            "lots of member {member} short by {left} for {tx}"
        )));
    }
    Ok(taken)
}

/// Gives `amount` of what the debit `original` consumed back to the lots it came from
/// (un-expiring them; the caller expires again what is due).
pub(crate) async fn restore_lots(
    db: &impl ConnectionTrait,
    original: &str,
    amount: i64,
) -> Result<Vec<LotMove>, LedgerError> {
    let rows = used::Entity::find()
        .filter(used::Column::TransactionId.eq(original))
        .filter(Expr::col(used::Column::Points).gt(Expr::col(used::Column::Restored)))
        .order_by_asc(used::Column::Id)
        .all(db)
        .await?;
    let mut left = amount;
    let mut given = Vec::new();
    for r in rows {
        if left == 0 {
            break;
        }
        let give = Ord::min(r.points - r.restored, left);
        used::Entity::update_many()
            .col_expr(used::Column::Restored, Expr::col(used::Column::Restored).add(give))
            .filter(used::Column::Id.eq(&r.id))
            .exec(db)
            .await?;
        lots::Entity::update_many()
            .col_expr(lots::Column::Remaining, Expr::col(lots::Column::Remaining).add(give))
            .col_expr(lots::Column::ExpiredAt, Expr::value(None::<DateTime<Utc>>))
            .filter(lots::Column::Id.eq(&r.lot_id))
            .exec(db)
            .await?;
        given.push(LotMove {
            lot_id: r.lot_id,
            points: give,
            expires_at: None,
        });
        left -= give;
    }
    if left != 0 {
        return Err(LedgerError::Inconsistent(format!(
            "spend {original} has no lots left to restore {left}"
        )));
    }
    Ok(given)
}
