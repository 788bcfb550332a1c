//! Bookings: a movement recorded once per `(source, externalId)`, and the flows that book
//! (earn by points or by rules, spend, adjust, reverse, the registration bonus). Reward's
//! redemptions call [`book`] inside their own transaction (it then runs in a savepoint).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, SqliteTransactionMode, TransactionOptions, TransactionTrait};
use serde_json::Value;

use super::balance::{current_balance, lock_member};
use super::ops::{earn, reverse, spend};
use super::{Credit, Meta, Transaction, TxType, find_external, get_tx};
use crate::domain::error::{LedgerError, Unique, violated};
use crate::domain::events::{self, ActionPerformed};
use crate::domain::members::require_active;
use crate::domain::purchases;
use crate::domain::rules::Trigger;
use crate::domain::rulestore::{self, Computed};

/// A booked entry, or the entry an earlier request with the same `(source, externalId)`
/// booked (`duplicate`).
#[derive(Debug, Clone)]
pub struct Booked {
    pub transaction: Transaction,
    pub duplicate: bool,
}

/// Runs a booking once per `(source, externalId)`: a repeat returns the first entry
/// (`duplicate`), a reuse for another member or kind of movement is
/// [`LedgerError::DuplicateExternalId`]. `f` runs in a transaction of its own (a savepoint
/// when `db` is already a transaction) and may book nothing (`None`).
pub async fn book<C, F>(db: &C, meta: &Meta, member: &str, tx_type: TxType, f: F) -> Result<Option<Booked>, LedgerError>
where
    C: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
    F: AsyncFnOnce(&DatabaseTransaction) -> Result<Option<Transaction>, LedgerError>,
{
    let same = |t: Transaction| {
        if t.member_id != member || t.tx_type != tx_type.as_str() {
            Err(LedgerError::DuplicateExternalId)
        } else {
            Ok(Some(Booked {
                transaction: t,
                duplicate: true,
            }))
        }
    };
    if let Some(ext) = &meta.external_id
        && let Some(t) = find_external(db, &meta.source, ext).await?
    {
        return same(t);
    }
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    match f(&txn).await {
        Ok(t) => {
            txn.commit().await?;
            Ok(t.map(|t| Booked {
                transaction: t,
                duplicate: false,
            }))
        }
        Err(e) => {
            txn.rollback().await?;
            // A concurrent request with the same externalId committed first.
            if let LedgerError::Db(err) = &e
                && violated(err) == Some(Unique::ExternalId)
                && let Some(ext) = &meta.external_id
                && let Some(t) = find_external(db, &meta.source, ext).await?
            {
                return same(t);
            }
            Err(e)
        }
    }
}

/// [`book`] for operations that always book an entry.
pub async fn book_one<C, F>(db: &C, meta: &Meta, member: &str, tx_type: TxType, f: F) -> Result<Booked, LedgerError>
where
    C: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
    F: AsyncFnOnce(&DatabaseTransaction) -> Result<Transaction, LedgerError>,
{
    book(db, meta, member, tx_type, async |txn| f(txn).await.map(Some))
        .await?
        .ok_or_else(|| LedgerError::Inconsistent("booking produced no entry".into()))
}

/// What the rules gave for a trigger, and the earn they booked (none when they gave nothing).
pub struct RuleEarn {
    pub transaction: Option<Transaction>,
    pub computed: Computed,
}

/// Locks the member, runs the rules for `trigger` and earns what they give. Rules run after
/// the member's row is taken, so daily caps see every committed award.
pub async fn earn_by_rules(
    db: &impl ConnectionTrait,
    member: &str,
    trigger: &Trigger,
    meta: &Meta,
    now: DateTime<Utc>,
) -> Result<RuleEarn, LedgerError> {
    lock_member(db, member, now).await?;
    let computed = rulestore::compute(db, Some(member), None, trigger, now).await?;
    let transaction = if computed.total() > 0 {
        Some(
            earn(
                db,
                member,
                TxType::Earn,
                &computed.credits,
                Some(computed.breakdown()),
                Some(&computed.award_day),
                meta,
                now,
            )
            .await?,
        )
    } else {
        None
    };
    Ok(RuleEarn { transaction, computed })
}

/// Where an earn's points come from.
#[derive(Debug, Clone)]
pub enum EarnSource {
    /// Explicit points, expiring at `expires_at` (never when `None`).
    Points {
        points: i64,
        expires_at: Option<DateTime<Utc>>,
    },
    /// Whatever the point rules give for a purchase or an action.
    Rules(Trigger),
}

/// The result of [`book_earn`].
#[derive(Debug, Clone)]
pub struct EarnOutcome {
    /// The entry; `None` when the rules gave nothing.
    pub transaction: Option<Transaction>,
    pub points: i64,
    pub balance: i64,
    pub duplicate: bool,
    /// The per-rule breakdown, when rules computed the points (not on a repeat).
    pub breakdown: Option<Value>,
}

/// Earns for an active member, once per `(source, externalId)`.
pub async fn book_earn<C>(
    db: &C,
    member: &str,
    what: EarnSource,
    meta: &Meta,
    now: DateTime<Utc>,
) -> Result<EarnOutcome, LedgerError>
where
    C: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    // Explicit points: the balance upsert checks the member (one round trip fewer). Rules
    // take the member's row first, which must not be created for a member that is not there.
    if matches!(what, EarnSource::Rules(_)) {
        require_active(db, member).await?;
    }
    // A purchase is recorded once per (source, externalId), worth points or not. A repeat of
    // one that earned is answered below from its entry; one that earned nothing, here.
    if let EarnSource::Rules(Trigger::Purchase(_)) = &what
        && let Some(ext) = &meta.external_id
        && let Some(p) = purchases::find_external(db, &meta.source, ext).await?
    {
        if p.member_id != member {
            return Err(LedgerError::DuplicateExternalId);
        }
        if p.transaction_id.is_none() {
            return nothing_earned_again(db, member).await;
        }
    }
    let mut breakdown = None;
    let booked = book(db, meta, member, TxType::Earn, async |txn| match &what {
        EarnSource::Points { points, expires_at } => {
            let credit = [Credit {
                points: *points,
                expires_at: *expires_at,
                rule_id: None,
            }];
            earn(txn, member, TxType::Earn, &credit, None, None, meta, now)
                .await
                .map(Some)
        }
        EarnSource::Rules(trigger) => {
            let r = earn_by_rules(txn, member, trigger, meta, now).await?;
            match trigger {
                Trigger::Purchase(p) => {
                    purchases::record(txn, member, p, meta, r.transaction.as_ref(), now).await?;
                }
                Trigger::Action(action) => {
                    events::emit(
                        txn,
                        &ActionPerformed {
                            member_id: member.to_string(),
                            action: action.clone(),
                            source: meta.source.clone(),
                            external_id: meta.external_id.clone(),
                            transaction_id: r.transaction.as_ref().map(|t| t.id.clone()),
                            points: r.transaction.as_ref().map_or(0, |t| t.points),
                            at: now,
                        },
                        now,
                    )
                    .await?;
                }
            }
            breakdown = Some(r.computed.breakdown());
            Ok(r.transaction)
        }
    })
    .await;
    let booked = match booked {
        // A concurrent repeat of a purchase that earned nothing committed first.
        Err(LedgerError::Db(e)) if violated(&e) == Some(Unique::PurchaseExternalId) => {
            return nothing_earned_again(db, member).await;
        }
        other => other?,
    };
    Ok(match booked {
        Some(b) => EarnOutcome {
            points: b.transaction.points,
            balance: b.transaction.balance_after,
            breakdown: if b.duplicate { None } else { breakdown },
            duplicate: b.duplicate,
            transaction: Some(b.transaction),
        },
        None => EarnOutcome {
            transaction: None,
            points: 0,
            balance: current_balance(db, member).await?,
            duplicate: false,
            breakdown,
        },
    })
}

/// The answer to a repeat of a purchase that earned nothing.
async fn nothing_earned_again(db: &impl ConnectionTrait, member: &str) -> Result<EarnOutcome, LedgerError> {
    Ok(EarnOutcome {
        transaction: None,
        points: 0,
        balance: current_balance(db, member).await?,
        duplicate: true,
        breakdown: None,
    })
}

/// Spends an active member's points, once per `(source, externalId)`.
pub async fn book_spend<C>(
    db: &C,
    member: &str,
    points: i64,
    meta: &Meta,
    now: DateTime<Utc>,
) -> Result<Booked, LedgerError>
where
    C: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    require_active(db, member).await?;
    book_one(db, meta, member, TxType::Spend, async |txn| {
        spend(txn, member, TxType::Spend, points, meta, now).await
    })
    .await
}

/// A manual correction of an active member's balance: positive credits a lot without expiry,
/// negative debits like a spend but does not count as spent.
pub async fn book_adjust<C>(
    db: &C,
    member: &str,
    points: i64,
    meta: &Meta,
    now: DateTime<Utc>,
) -> Result<Booked, LedgerError>
where
    C: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    require_active(db, member).await?;
    book_one(db, meta, member, TxType::Adjust, async |txn| {
        if points > 0 {
            let c = [Credit {
                points,
                expires_at: None,
                rule_id: None,
            }];
            earn(txn, member, TxType::Adjust, &c, None, None, meta, now).await
        } else {
            spend(txn, member, TxType::Adjust, -points, meta, now).await
        }
    })
    .await
}

/// Reverses an earn or a spend (all that is left when `points` is `None`), once per
/// `(source, externalId)`.
pub async fn book_reverse<C>(
    db: &C,
    original_id: &str,
    points: Option<i64>,
    meta: &Meta,
    now: DateTime<Utc>,
) -> Result<Booked, LedgerError>
where
    C: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let original = get_tx(db, original_id).await?;
    book_one(db, meta, &original.member_id, TxType::Reverse, async |txn| {
        reverse(txn, original_id, points, meta, now).await
    })
    .await
}

/// Sources whose entries only the service that booked them may reverse: a redemption's spend
/// (`reward`) is refunded by cancelling the redemption, which also returns the stock and voids
/// the code. Reversing it here would refund the points and leave the voucher usable.
pub const OWNER_REVERSED_SOURCES: &[&str] = &["reward"];

/// [`book_reverse`] as the point API offers it: entries of [`OWNER_REVERSED_SOURCES`] are
/// refused ([`LedgerError::OwnedElsewhere`]).
pub async fn book_reverse_direct<C>(
    db: &C,
    original_id: &str,
    points: Option<i64>,
    meta: &Meta,
    now: DateTime<Utc>,
) -> Result<Booked, LedgerError>
where
    C: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let original = get_tx(db, original_id).await?;
    if OWNER_REVERSED_SOURCES.contains(&original.source.as_str()) {
        return Err(LedgerError::OwnedElsewhere(original.source));
    }
    book_reverse(db, original_id, points, meta, now).await
}

/// Gives the registration bonus (the active `registration` action rules) once per member.
/// Returns the earn, if the rules gave anything.
pub async fn registration_bonus(
    db: &impl ConnectionTrait,
    member: &str,
    event_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Transaction>, LedgerError> {
    let external_id = format!("member.registered:{member}");
    if find_external(db, "system", &external_id).await?.is_some() {
        return Ok(None);
    }
    let meta = Meta {
        reason: "Registration bonus".into(),
        source: "system".into(),
        external_id: Some(external_id),
        metadata: serde_json::json!({"eventId": event_id}),
        created_by: Some("system".into()),
    };
    let trigger = Trigger::Action("registration".into());
    Ok(earn_by_rules(db, member, &trigger, &meta, now).await?.transaction)
}
