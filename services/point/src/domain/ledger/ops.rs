//! Single movements: earn (or a positive adjustment), spend (or a negative adjustment) and
//! reversal. Each runs in the caller's transaction and emits its event there.

use chrono::{DateTime, Utc};
use sbm_common::db::insert_together;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryTrait};
use serde_json::Value;

use super::balance::{Payee, credit, debit, insufficient, lock_member};
use super::expiry::expire_member;
use super::lots::{consume_lots, lot_insert, restore_lots};
use super::{Credit, Meta, Transaction, TxType, get_tx, insert_tx, tx_insert};
use crate::domain::error::LedgerError;
use crate::domain::events::{self, LotMove, PointsAdjusted, PointsEarned, PointsReversed, PointsSpent};
use crate::entity::point_rule_awards as awards;

/// Credits an earn (or a positive adjustment) as one entry with one lot per distinct expiry,
/// recording what each rule gave on `award_day` (for daily caps).
#[allow(clippy::too_many_arguments)]
pub async fn earn(
    db: &impl ConnectionTrait,
    member: &str,
    tx_type: TxType,
    credits: &[Credit],
    breakdown: Option<Value>,
    award_day: Option<&str>,
    meta: &Meta,
    now: DateTime<Utc>,
) -> Result<Transaction, LedgerError> {
    let total: i64 = credits.iter().map(|c| c.points).sum();
    if total <= 0 {
        return Err(LedgerError::NotPositive);
    }
    let earned = if tx_type == TxType::Earn { total } else { 0 };
    // The upsert also checks that the member exists and is active.
    let balance = credit(db, member, total, (earned, 0), Payee::ActiveMember, now).await?;
    // The entry, its lots, the rule awards and the event are written together: one round
    // trip on PostgreSQL.
    let (entry, entry_insert) = tx_insert(member, tx_type, total, balance, meta, breakdown.as_ref(), None, now);
    let tx = entry.id.clone();
    let mut inserts = vec![entry_insert];
    let mut groups: Vec<(Option<DateTime<Utc>>, i64)> = Vec::new();
    for c in credits {
        match groups.iter_mut().find(|(e, _)| *e == c.expires_at) {
            Some(g) => g.1 += c.points,
            None => groups.push((c.expires_at, c.points)),
        }
    }
    let mut lots = Vec::with_capacity(groups.len());
    for (exp, pts) in groups {
        let (lot, insert) = lot_insert(member, &tx, pts, exp, now);
        lots.push(lot);
        inserts.push(insert);
    }
    if let Some(day) = award_day {
        let rows: Vec<awards::ActiveModel> = credits
            .iter()
            .filter_map(|c| {
                c.rule_id.as_ref().map(|rule| awards::ActiveModel {
                    id: Set(uuid::Uuid::now_v7().to_string()),
                    rule_id: Set(rule.clone()),
                    member_id: Set(member.to_string()),
                    transaction_id: Set(tx.clone()),
                    points: Set(c.points),
                    award_day: Set(day.to_string()),
                })
            })
            .collect();
        if !rows.is_empty() {
            inserts.push(awards::Entity::insert_many(rows).into_query());
        }
    }
    let event = if tx_type == TxType::Earn {
        sbm_common::events::insert_statement(
            &PointsEarned {
                transaction_id: tx,
                member_id: member.to_string(),
                points: total,
                balance,
                source: meta.source.clone(),
                external_id: meta.external_id.clone(),
                reason: meta.reason.clone(),
                lots,
                breakdown,
                at: now,
            },
            now,
        )?
    } else {
        sbm_common::events::insert_statement(
            &PointsAdjusted {
                transaction_id: tx,
                member_id: member.to_string(),
                points: total,
                balance,
                source: meta.source.clone(),
                external_id: meta.external_id.clone(),
                reason: meta.reason.clone(),
                lots,
                breakdown: Some(breakdown),
                at: now,
            },
            now,
        )?
    };
    inserts.push(event);
    insert_together(db, inserts).await?;
    Ok(entry)
}

/// Debits a spend (or a negative adjustment): due lots expire first, then the balance must
/// cover `points`, then the soonest-expiring lots are consumed.
pub async fn spend(
    db: &impl ConnectionTrait,
    member: &str,
    tx_type: TxType,
    points: i64,
    meta: &Meta,
    now: DateTime<Utc>,
) -> Result<Transaction, LedgerError> {
    if points <= 0 {
        return Err(LedgerError::NotPositive);
    }
    lock_member(db, member, now).await?;
    expire_member(db, member, now).await?;
    let spent = if tx_type == TxType::Spend { points } else { 0 };
    let Some(balance) = debit(db, member, points, (spent, 0, 0), now).await? else {
        return Err(insufficient(db, member, points).await);
    };
    let entry = insert_tx(db, member, tx_type, -points, balance, meta, None, None, now).await?;
    let tx = entry.id.clone();
    let lots = consume_lots(db, member, &tx, points, now, None).await?;
    if tx_type == TxType::Spend {
        events::emit(
            db,
            &PointsSpent {
                transaction_id: tx,
                member_id: member.to_string(),
                points: -points,
                balance,
                source: meta.source.clone(),
                external_id: meta.external_id.clone(),
                reason: meta.reason.clone(),
                lots,
                at: now,
            },
            now,
        )
        .await?;
    } else {
        events::emit(
            db,
            &PointsAdjusted {
                transaction_id: tx,
                member_id: member.to_string(),
                points: -points,
                balance,
                source: meta.source.clone(),
                external_id: meta.external_id.clone(),
                reason: meta.reason.clone(),
                lots,
                breakdown: None,
                at: now,
            },
            now,
        )
        .await?;
    }
    Ok(entry)
}

/// Reverses an earn or a spend, fully or in part, as a compensating entry linked to it.
pub async fn reverse(
    db: &impl ConnectionTrait,
    original_id: &str,
    points: Option<i64>,
    meta: &Meta,
    now: DateTime<Utc>,
) -> Result<Transaction, LedgerError> {
    let original = get_tx(db, original_id).await?;
    let member = original.member_id.clone();
    lock_member(db, &member, now).await?;
    // Re-read under the member's lock: a concurrent reversal may have just committed.
    let original = get_tx(db, original_id).await?;
    let is_earn = match original.tx_type.as_str() {
        "earn" => true,
        "spend" => false,
        other => return Err(LedgerError::NotReversible(other.to_string())),
    };
    let left = original.points.abs() - original.reversed_points;
    let amount = points.unwrap_or(left);
    if amount <= 0 || amount > left {
        return Err(LedgerError::ReverseOutOfRange { left });
    }
    let (tx, balance, lots): (String, i64, Vec<LotMove>) = if is_earn {
        expire_member(db, &member, now).await?;
        let Some(balance) = debit(db, &member, amount, (0, -amount, 0), now).await? else {
            return Err(insufficient(db, &member, amount).await);
        };
        let tx = insert_tx(
            db,
            &member,
            TxType::Reverse,
            -amount,
            balance,
            meta,
            None,
            Some(original_id),
            now,
        )
        .await?
        .id;
        let lots = consume_lots(db, &member, &tx, amount, now, Some(original_id)).await?;
        (tx, balance, lots)
    } else {
        let balance = credit(db, &member, amount, (0, -amount), Payee::Anyone, now).await?;
        let tx = insert_tx(
            db,
            &member,
            TxType::Reverse,
            amount,
            balance,
            meta,
            None,
            Some(original_id),
            now,
        )
        .await?
        .id;
        // Give the points back to the lots they came from; any that have expired since are
        // expired again right below, as they would have been.
        let lots = restore_lots(db, original_id, amount).await?;
        (tx, balance, lots)
    };
    events::emit(
        db,
        &PointsReversed {
            transaction_id: tx.clone(),
            original_transaction_id: original_id.to_string(),
            original_type: original.tx_type.clone(),
            member_id: member.clone(),
            points: if is_earn { -amount } else { amount },
            balance,
            reason: meta.reason.clone(),
            lots,
            at: now,
        },
        now,
    )
    .await?;
    if !is_earn {
        expire_member(db, &member, now).await?;
    }
    get_tx(db, &tx).await
}
