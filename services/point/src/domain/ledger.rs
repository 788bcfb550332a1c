//! The ledger: append-only entries, a balance row updated in the same transaction, lots with
//! their own expiry. Every operation first takes the member's balance row (an UPDATE, so a
//! row lock on PostgreSQL; SQLite has one writer), so operations on one member never
//! interleave, and every debit is a conditional `UPDATE … WHERE balance >= n`, so a balance
//! never goes negative.

use chrono::{DateTime, SubsecRound, Utc};
use sbm_common::db::{exec, query_all, query_one};
use sbm_common::error::FieldError;
use sbm_common::outbox::emit;
use sbm_common::{ApiError, ApiResult};
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Who, why and from where, for every movement.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub reason: String,
    pub source: String,
    pub external_id: Option<String>,
    pub metadata: Value,
    pub created_by: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct TxRow {
    id: String,
    member_id: String,
    tx_type: String,
    points: i64,
    balance_after: i64,
    reason: String,
    source: String,
    external_id: Option<String>,
    metadata: String,
    breakdown: Option<String>,
    related_id: Option<String>,
    reversed_points: i64,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
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

impl From<TxRow> for Transaction {
    fn from(r: TxRow) -> Self {
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
            reversed_points: r.reversed_points,
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

/// Columns of a transaction, including what reversals took back (computed, never stored).
pub const TX_COLS: &str = "t.id, t.member_id, t.type AS tx_type, t.points, t.balance_after, t.reason, t.source, \
    t.external_id, t.metadata, t.breakdown, t.related_id, t.created_by, t.created_at, \
    (SELECT CAST(COALESCE(SUM(ABS(r.points)), 0) AS BIGINT) FROM point_transactions r WHERE r.related_id = t.id AND r.type = 'reverse') AS reversed_points";

/// Maps a query row to a transaction.
pub fn tx_from_row(r: &sea_orm::QueryResult) -> ApiResult<Transaction> {
    Ok(TxRow::from_query_result(r, "")?.into())
}

/// One entry or 404.
pub async fn get_tx(db: &impl ConnectionTrait, id: &str) -> ApiResult<Transaction> {
    let row = query_one(
        db,
        &format!("SELECT {TX_COLS} FROM point_transactions t WHERE t.id = ?"),
        vec![id.into()],
    )
    .await?
    .ok_or_else(|| ApiError::not_found("Transaction"))?;
    tx_from_row(&row)
}

/// The entry recorded for `(source, externalId)`, if any.
pub async fn find_external(
    db: &impl ConnectionTrait,
    source: &str,
    external_id: &str,
) -> ApiResult<Option<Transaction>> {
    let row = query_one(
        db,
        &format!("SELECT {TX_COLS} FROM point_transactions t WHERE t.source = ? AND t.external_id = ?"),
        vec![source.into(), external_id.into()],
    )
    .await?;
    row.as_ref().map(tx_from_row).transpose()
}

/// Takes the member's balance row (creating it at zero), so that operations on one member
/// run one after another: a row lock on PostgreSQL, the single writer on SQLite.
pub async fn lock_member(db: &impl ConnectionTrait, member: &str) -> ApiResult<()> {
    exec(
        db,
        "INSERT INTO point_balances (member_id, balance, lifetime_earned, lifetime_spent, lifetime_expired, updated_at) \
         VALUES (?, 0, 0, 0, 0, ?) ON CONFLICT (member_id) DO NOTHING",
        vec![member.into(), Utc::now().into()],
    )
    .await?;
    exec(
        db,
        "UPDATE point_balances SET updated_at = updated_at WHERE member_id = ?",
        vec![member.into()],
    )
    .await?;
    Ok(())
}

/// Adds to the balance (creating the row), returning the new balance.
async fn credit(
    db: &impl ConnectionTrait,
    member: &str,
    pts: i64,
    earned: i64,
    spent: i64,
    now: DateTime<Utc>,
) -> ApiResult<i64> {
    let row = query_one(
        db,
        "INSERT INTO point_balances (member_id, balance, lifetime_earned, lifetime_spent, lifetime_expired, updated_at) \
         VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (member_id) DO UPDATE SET \
         balance = point_balances.balance + excluded.balance, \
         lifetime_earned = point_balances.lifetime_earned + excluded.lifetime_earned, \
         lifetime_spent = point_balances.lifetime_spent + excluded.lifetime_spent, \
         updated_at = excluded.updated_at RETURNING balance",
        vec![member.into(), pts.into(), earned.into(), spent.into(), now.into()],
    )
    .await?
    .ok_or_else(|| ApiError::internal("upsert returned no row"))?;
    Ok(row.try_get("", "balance")?)
}

/// Takes from the balance only if it covers `pts`; `None` when it does not.
async fn debit(
    db: &impl ConnectionTrait,
    member: &str,
    pts: i64,
    (spent, earned, expired): (i64, i64, i64),
    now: DateTime<Utc>,
) -> ApiResult<Option<i64>> {
    let row = query_one(
        db,
        "UPDATE point_balances SET balance = balance - ?, lifetime_spent = lifetime_spent + ?, \
         lifetime_earned = lifetime_earned + ?, lifetime_expired = lifetime_expired + ?, updated_at = ? \
         WHERE member_id = ? AND balance >= ? RETURNING balance",
        vec![
            pts.into(),
            spent.into(),
            earned.into(),
            expired.into(),
            now.into(),
            member.into(),
            pts.into(),
        ],
    )
    .await?;
    Ok(row.map(|r| r.try_get("", "balance")).transpose()?)
}

/// The current balance (0 when the member never had points).
pub async fn current_balance(db: &impl ConnectionTrait, member: &str) -> ApiResult<i64> {
    let row = query_one(
        db,
        "SELECT balance FROM point_balances WHERE member_id = ?",
        vec![member.into()],
    )
    .await?;
    Ok(row.map(|r| r.try_get("", "balance")).transpose()?.unwrap_or(0))
}

fn insufficient(balance: i64, requested: i64) -> ApiError {
    let short = requested - balance;
    let mut e = ApiError::unprocessable(format!(
        "Insufficient points: balance {balance}, requested {requested}, short by {short}"
    ));
    e.errors = vec![FieldError::new(
        "points",
        format!("exceeds the available balance by {short}"),
    )];
    e
}

/// Appends an entry and returns it as stored (built here: no read-back round trip).
#[allow(clippy::too_many_arguments)]
async fn insert_tx(
    db: &impl ConnectionTrait,
    member: &str,
    tx_type: &str,
    points: i64,
    balance_after: i64,
    meta: &Meta,
    breakdown: Option<&Value>,
    related: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<Transaction> {
    // PostgreSQL keeps microseconds: return exactly what a later read will show.
    let now = now.trunc_subsecs(6);
    let id = uuid::Uuid::now_v7().to_string();
    exec(
        db,
        "INSERT INTO point_transactions (id, member_id, type, points, balance_after, reason, source, external_id, metadata, breakdown, related_id, created_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            id.clone().into(),
            member.into(),
            tx_type.into(),
            points.into(),
            balance_after.into(),
            meta.reason.clone().into(),
            meta.source.clone().into(),
            meta.external_id.clone().into(),
            meta.metadata.to_string().into(),
            breakdown.map(|b| b.to_string()).into(),
            related.map(str::to_string).into(),
            meta.created_by.clone().into(),
            now.into(),
        ],
    )
    .await?;
    Ok(Transaction {
        id,
        member_id: member.to_string(),
        tx_type: tx_type.to_string(),
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
    })
}

async fn create_lot(
    db: &impl ConnectionTrait,
    member: &str,
    tx: &str,
    pts: i64,
    expires: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ApiResult<Value> {
    let id = uuid::Uuid::now_v7().to_string();
    exec(
        db,
        "INSERT INTO point_lots (id, member_id, transaction_id, points, remaining, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        vec![id.clone().into(), member.into(), tx.into(), pts.into(), pts.into(), expires.into(), now.into()],
    )
    .await?;
    Ok(json!({"lotId": id, "points": pts, "expiresAt": expires}))
}

/// Takes `amount` from the member's live lots, soonest-expiring first (lots of `prefer`
/// first, for reversing an earn), recording each consumption.
async fn consume_lots(
    db: &impl ConnectionTrait,
    member: &str,
    tx: &str,
    amount: i64,
    now: DateTime<Utc>,
    prefer: Option<&str>,
) -> ApiResult<Vec<Value>> {
    let rows = query_all(
        db,
        "SELECT id, remaining FROM point_lots WHERE member_id = ? AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?) \
         ORDER BY CASE WHEN transaction_id = ? THEN 0 ELSE 1 END, CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END, expires_at, created_at, id",
        vec![member.into(), now.into(), prefer.unwrap_or("").into()],
    )
    .await?;
    let mut left = amount;
    let mut used = Vec::new();
    for r in rows {
        if left == 0 {
            break;
        }
        let lot: String = r.try_get("", "id")?;
        let remaining: i64 = r.try_get("", "remaining")?;
        let take = remaining.min(left);
        let n = exec(
            db,
            "UPDATE point_lots SET remaining = remaining - ? WHERE id = ? AND remaining >= ?",
            vec![take.into(), lot.clone().into(), take.into()],
        )
        .await?;
        if n == 0 {
            continue;
        }
        exec(
            db,
            "INSERT INTO point_lot_consumptions (id, transaction_id, lot_id, points, restored) VALUES (?, ?, ?, ?, 0)",
            vec![
                uuid::Uuid::now_v7().to_string().into(),
                tx.into(),
                lot.clone().into(),
                take.into(),
            ],
        )
        .await?;
        used.push(json!({"lotId": lot, "points": take}));
        left -= take;
    }
    if left != 0 {
        // The balance covered it but the lots did not: the ledger would be inconsistent.
        return Err(ApiError::internal(format!(
            "lots of member {member} short by {left} for {tx}"
        )));
    }
    Ok(used)
}

/// Expires this member's lots that are due at `now` (the caller holds the member's row).
/// Returns the expiry entry, if anything expired.
pub async fn expire_member(
    db: &impl ConnectionTrait,
    member: &str,
    now: DateTime<Utc>,
) -> ApiResult<Option<Transaction>> {
    let due = query_all(
        db,
        "SELECT id, remaining, expires_at FROM point_lots WHERE member_id = ? AND remaining > 0 AND expired_at IS NULL AND expires_at <= ? ORDER BY expires_at, id",
        vec![member.into(), now.into()],
    )
    .await?;
    if due.is_empty() {
        return Ok(None);
    }
    let mut total = 0;
    let mut lots = Vec::new();
    for r in &due {
        let lot: String = r.try_get("", "id")?;
        let remaining: i64 = r.try_get("", "remaining")?;
        let n = exec(
            db,
            "UPDATE point_lots SET remaining = 0, expired_at = ? WHERE id = ? AND remaining = ? AND expired_at IS NULL",
            vec![now.into(), lot.clone().into(), remaining.into()],
        )
        .await?;
        if n == 1 {
            total += remaining;
            lots.push((lot, remaining, r.try_get::<DateTime<Utc>>("", "expires_at")?));
        }
    }
    if total == 0 {
        return Ok(None);
    }
    let balance = debit(db, member, total, (0, 0, total), now)
        .await?
        .ok_or_else(|| ApiError::internal(format!("balance of {member} below its live lots")))?;
    let meta = Meta {
        reason: "Points expired".into(),
        source: "system".into(),
        metadata: json!({}),
        ..Default::default()
    };
    let tx = insert_tx(db, member, "expire", -total, balance, &meta, None, None, now).await?;
    for (lot, pts, _) in &lots {
        exec(
            db,
            "INSERT INTO point_lot_consumptions (id, transaction_id, lot_id, points, restored) VALUES (?, ?, ?, ?, 0)",
            vec![
                uuid::Uuid::now_v7().to_string().into(),
                tx.id.clone().into(),
                lot.clone().into(),
                (*pts).into(),
            ],
        )
        .await?;
    }
    let lots_json: Vec<Value> = lots
        .iter()
        .map(|(l, p, e)| json!({"lotId": l, "points": p, "expiresAt": e}))
        .collect();
    emit(
        db,
        "points.expired",
        member,
        json!({"transactionId": tx.id, "memberId": member, "points": total, "balance": balance, "lots": lots_json, "expiredAt": now}),
    )
    .await?;
    Ok(Some(tx))
}

/// Points to credit, grouped by expiry, with the rule that gave them (for daily caps).
#[derive(Debug, Clone)]
pub struct Credit {
    pub points: i64,
    pub expires_at: Option<DateTime<Utc>>,
    pub rule_id: Option<String>,
}

/// Credits an earn (or a positive adjustment) as one entry with its lots.
#[allow(clippy::too_many_arguments)]
pub async fn earn(
    db: &impl ConnectionTrait,
    member: &str,
    tx_type: &str,
    credits: &[Credit],
    breakdown: Option<Value>,
    award_day: Option<&str>,
    meta: &Meta,
    now: DateTime<Utc>,
) -> ApiResult<Transaction> {
    let total: i64 = credits.iter().map(|c| c.points).sum();
    if total <= 0 {
        return Err(ApiError::field("points", "must be positive"));
    }
    let earned = if tx_type == "earn" { total } else { 0 };
    let balance = credit(db, member, total, earned, 0, now).await?;
    let entry = insert_tx(db, member, tx_type, total, balance, meta, breakdown.as_ref(), None, now).await?;
    let tx = entry.id.clone();
    // One lot per distinct expiry.
    let mut groups: Vec<(Option<DateTime<Utc>>, i64)> = Vec::new();
    for c in credits {
        match groups.iter_mut().find(|(e, _)| *e == c.expires_at) {
            Some(g) => g.1 += c.points,
            None => groups.push((c.expires_at, c.points)),
        }
    }
    let mut lots = Vec::new();
    for (exp, pts) in groups {
        lots.push(create_lot(db, member, &tx, pts, exp, now).await?);
    }
    if let Some(day) = award_day {
        for c in credits.iter().filter(|c| c.rule_id.is_some()) {
            exec(
                db,
                "INSERT INTO point_rule_awards (id, rule_id, member_id, transaction_id, points, award_day) VALUES (?, ?, ?, ?, ?, ?)",
                vec![
                    uuid::Uuid::now_v7().to_string().into(),
                    c.rule_id.clone().into(),
                    member.into(),
                    tx.clone().into(),
                    c.points.into(),
                    day.into(),
                ],
            )
            .await?;
        }
    }
    let topic = if tx_type == "earn" {
        "points.earned"
    } else {
        "points.adjusted"
    };
    emit(
        db,
        topic,
        member,
        json!({
            "transactionId": tx, "memberId": member, "points": total, "balance": balance, "source": meta.source,
            "externalId": meta.external_id, "reason": meta.reason, "lots": lots, "breakdown": breakdown, "at": now,
        }),
    )
    .await?;
    Ok(entry)
}

/// Debits a spend (or a negative adjustment): due lots expire first, then the balance must
/// cover `points`, then the soonest-expiring lots are consumed.
pub async fn spend(
    db: &impl ConnectionTrait,
    member: &str,
    tx_type: &str,
    points: i64,
    meta: &Meta,
    now: DateTime<Utc>,
) -> ApiResult<Transaction> {
    if points <= 0 {
        return Err(ApiError::field("points", "must be positive"));
    }
    lock_member(db, member).await?;
    expire_member(db, member, now).await?;
    let spent = if tx_type == "spend" { points } else { 0 };
    let Some(balance) = debit(db, member, points, (spent, 0, 0), now).await? else {
        return Err(insufficient(current_balance(db, member).await?, points));
    };
    let entry = insert_tx(db, member, tx_type, -points, balance, meta, None, None, now).await?;
    let tx = entry.id.clone();
    let lots = consume_lots(db, member, &tx, points, now, None).await?;
    let topic = if tx_type == "spend" {
        "points.spent"
    } else {
        "points.adjusted"
    };
    emit(
        db,
        topic,
        member,
        json!({
            "transactionId": tx, "memberId": member, "points": -points, "balance": balance, "source": meta.source,
            "externalId": meta.external_id, "reason": meta.reason, "lots": lots, "at": now,
        }),
    )
    .await?;
    Ok(entry)
}

/// Reverses an earn or a spend, fully or in part, as a compensating entry linked to it.
pub async fn reverse(
    db: &impl ConnectionTrait,
    original_id: &str,
    points: Option<i64>,
    meta: &Meta,
    now: DateTime<Utc>,
) -> ApiResult<Transaction> {
    let original = get_tx(db, original_id).await?;
    let member = original.member_id.clone();
    lock_member(db, &member).await?;
    // Re-read under the member's lock: a concurrent reversal may have just committed.
    let original = get_tx(db, original_id).await?;
    if !matches!(original.tx_type.as_str(), "earn" | "spend") {
        return Err(ApiError::conflict(format!(
            "A `{}` entry cannot be reversed",
            original.tx_type
        )));
    }
    let left = original.points.abs() - original.reversed_points;
    let amount = points.unwrap_or(left);
    if amount <= 0 || amount > left {
        let mut e = ApiError::unprocessable(format!("This transaction has {left} points left to reverse"));
        e.errors = vec![FieldError::new("points", format!("must be between 1 and {left}"))];
        return Err(e);
    }
    let (tx, balance, lots) = if original.tx_type == "earn" {
        expire_member(db, &member, now).await?;
        let Some(balance) = debit(db, &member, amount, (0, -amount, 0), now).await? else {
            return Err(insufficient(current_balance(db, &member).await?, amount));
        };
        let tx = insert_tx(
            db,
            &member,
            "reverse",
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
        let balance = credit(db, &member, amount, 0, -amount, now).await?;
        let tx = insert_tx(
            db,
            &member,
            "reverse",
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
        let rows = query_all(
            db,
            "SELECT id, lot_id, points, restored FROM point_lot_consumptions WHERE transaction_id = ? AND points > restored ORDER BY id",
            vec![original_id.into()],
        )
        .await?;
        let mut left = amount;
        let mut lots = Vec::new();
        for r in rows {
            if left == 0 {
                break;
            }
            let give = (r.try_get::<i64>("", "points")? - r.try_get::<i64>("", "restored")?).min(left);
            let lot: String = r.try_get("", "lot_id")?;
            exec(
                db,
                "UPDATE point_lot_consumptions SET restored = restored + ? WHERE id = ?",
                vec![give.into(), r.try_get::<String>("", "id")?.into()],
            )
            .await?;
            exec(
                db,
                "UPDATE point_lots SET remaining = remaining + ?, expired_at = NULL WHERE id = ?",
                vec![give.into(), lot.clone().into()],
            )
            .await?;
            lots.push(json!({"lotId": lot, "points": give}));
            left -= give;
        }
        if left != 0 {
            return Err(ApiError::internal(format!(
                "spend {original_id} has no lots left to restore {left}"
            )));
        }
        (tx, balance, lots)
    };
    emit(
        db,
        "points.reversed",
        &member,
        json!({
            "transactionId": tx, "originalTransactionId": original_id, "originalType": original.tx_type,
            "memberId": member, "points": if original.tx_type == "earn" { -amount } else { amount },
            "balance": balance, "reason": meta.reason, "lots": lots, "at": now,
        }),
    )
    .await?;
    if original.tx_type == "spend" {
        expire_member(db, &member, now).await?;
    }
    get_tx(db, &tx).await
}

/// What the scheduled expiry did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryReport {
    pub members: u64,
    pub points: i64,
}

/// Expires every lot due at `now`, one member per transaction. Safe with several replicas:
/// each member's row is locked and each lot is expired by a conditional update.
pub async fn expire_due(db: &sea_orm::DatabaseConnection, now: DateTime<Utc>) -> ApiResult<ExpiryReport> {
    let mut report = ExpiryReport::default();
    let mut seen = std::collections::HashSet::new();
    loop {
        let rows = query_all(
            db,
            "SELECT DISTINCT member_id FROM point_lots WHERE remaining > 0 AND expired_at IS NULL AND expires_at <= ? LIMIT 200",
            vec![now.into()],
        )
        .await?;
        let members: Vec<String> = rows
            .iter()
            .filter_map(|r| r.try_get::<String>("", "member_id").ok())
            .filter(|m| !seen.contains(m))
            .collect();
        if members.is_empty() {
            return Ok(report);
        }
        for m in members {
            seen.insert(m.clone());
            let txn = sbm_common::db::begin_write(db).await?;
            lock_member(&txn, &m).await?;
            let tx = expire_member(&txn, &m, now).await?;
            txn.commit().await?;
            if let Some(tx) = tx {
                report.members += 1;
                report.points += -tx.points;
            }
        }
    }
}
