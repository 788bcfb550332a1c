//! Redemptions: a member trades points for a reward, in one database transaction.
//!
//! [`redeem`] runs inside the caller's transaction (the `Idempotency-Key`'s, or one of its own):
//! 1. the member's lock (the point ledger's balance row), so one member's redemptions run one
//!    after another and per-member limits count every committed one;
//! 2. the reward must be visible (404), in its window (409), open to the member's tier (403),
//!    and within the member's limits (409);
//! 3. a pool code is taken with `FOR UPDATE SKIP LOCKED` (the single writer on SQLite; 409
//!    when none is left);
//! 4. the points are spent through the point domain (source `reward`, the redemption id as
//!    external id; 422 when short);
//! 5. the redemption is recorded with a signed QR payload and `redemption.created`;
//! 6. the stock is taken last, by a conditional increment of `stock_claimed` (409 when none
//!    is left): the reward's row is the one every redeemer of that reward waits for, so it is
//!    locked for the shortest time. An empty reward is refused up front from a plain read, so
//!    "out of stock" comes before "insufficient points"; the increment is the guarantee.
//!
//! Any failure rolls the whole transaction back: no points spent, no stock or code taken.
//!
//! Row locks, in the order they are taken: a redemption takes the member's balance row, an
//! `available` code row, then the reward row; a cancel the member's balance row, the
//! redemption row, the reward row, then an `assigned` code row; use and expiry the redemption
//! row, then its `assigned` code row. Redemptions lock only `available` codes and the others
//! only `assigned` ones, the member's row always comes first, and the reward row is never
//! followed by a member or redemption row, so no two paths wait on each other in a cycle.
//!
//! A cancel refunds through a reversal of the spend. The points go back to the lots they came
//! from, and lots that expired meanwhile expire again at once: a cancel never extends the life of
//! points (redeeming and cancelling is not a way to refresh expiring points).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::query::Filter;
use sbm_common::{ListQuery, ListSpec, Page};
use sbm_point::domain::ledger::{self, Meta, TxType};

use super::catalogs::{self, Visibility};
use super::error::{Limit, RedemptionError, RewardError};
use super::events::{self, RedemptionCancelled, RedemptionCreated, RedemptionExpired, RedemptionUsed};
use super::rewards::{self, CodeMode, Reward};
use crate::entity::{redemptions, reward_codes, rewards as reward_rows};

/// The ledger source of redemption spends and their refunds.
pub const SOURCE: &str = "reward";

/// A redemption as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Redemption {
    pub id: String,
    pub reward_id: String,
    pub member_id: String,
    /// `claimed`, `used`, `cancelled` or `expired`.
    pub status: String,
    pub points_cost: i64,
    pub spend_transaction_id: Option<String>,
    pub refund_transaction_id: Option<String>,
    /// The voucher code (a pool code or the static code).
    pub code: Option<String>,
    /// The reward as it was when redeemed.
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
    /// Signed payload for the till's QR reader (a JWT with audience `sbm-crm/redemption`).
    pub qr: String,
    pub store_id: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub used_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancelled_by: Option<String>,
    pub cancel_reason: Option<String>,
    pub expired_at: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<redemptions::Model> for Redemption {
    fn from(r: redemptions::Model) -> Self {
        Redemption {
            snapshot: serde_json::from_str(&r.snapshot).unwrap_or(serde_json::Value::Null),
            id: r.id,
            reward_id: r.reward_id,
            member_id: r.member_id,
            status: r.status,
            points_cost: r.points_cost,
            spend_transaction_id: r.spend_transaction_id,
            refund_transaction_id: r.refund_transaction_id,
            code: r.code,
            qr: r.qr,
            store_id: r.store_id,
            expires_at: r.expires_at,
            used_at: r.used_at,
            cancelled_at: r.cancelled_at,
            cancelled_by: r.cancelled_by,
            cancel_reason: r.cancel_reason,
            expired_at: r.expired_at,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// What the QR payload says (the API signs it, adding issuer and audience).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QrPayload {
    /// The redemption id.
    pub sub: String,
    /// The member.
    pub mid: String,
    /// The reward code.
    pub rwd: String,
    pub iat: i64,
    pub exp: i64,
}

/// Signs a QR payload.
pub type Signer = dyn Fn(&QrPayload) -> Result<String, String> + Send + Sync;

/// One redemption request.
#[derive(Debug, Clone)]
pub struct RedeemInput<'a> {
    pub reward_id: &'a str,
    pub member_id: &'a str,
    pub store_id: Option<&'a str>,
    /// Who asked (the member, a staff member or an API key).
    pub created_by: Option<&'a str>,
}

async fn find(db: &impl ConnectionTrait, id: &str) -> Result<redemptions::Model, RedemptionError> {
    redemptions::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(RedemptionError::NotFound)
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Redemption, RedemptionError> {
    find(db, id).await.map(Redemption::from)
}

/// Checks the member's per-member limits for `reward` (under the member's lock).
async fn check_limits(
    db: &impl ConnectionTrait,
    member: &str,
    reward: &Reward,
    now: DateTime<Utc>,
) -> Result<(), RedemptionError> {
    let s = &reward.spec;
    let ids = [reward.id.clone()];
    if let Some(max) = s.limit_lifetime {
        let n = rewards::redeemed_counts(db, member, &ids, None)
            .await?
            .get(&reward.id)
            .copied()
            .unwrap_or(0);
        if n >= i64::from(max) {
            return Err(RedemptionError::LimitReached(Limit::Lifetime(max)));
        }
    }
    if let (Some(max), Some(p)) = (s.limit_per_period, s.limit_period) {
        let n = rewards::redeemed_counts(db, member, &ids, Some(p.start(now)))
            .await?
            .get(&reward.id)
            .copied()
            .unwrap_or(0);
        if n >= i64::from(max) {
            return Err(RedemptionError::LimitReached(Limit::Period(max, p.as_str())));
        }
    }
    Ok(())
}

/// Takes an available code of the pool: the first one no concurrent redemption holds.
async fn take_code(
    txn: &DatabaseTransaction,
    reward_id: &str,
    redemption: &str,
    member: &str,
    now: DateTime<Utc>,
) -> Result<(String, String), RedemptionError> {
    let picked = reward_codes::Entity::find()
        .select_only()
        .column(reward_codes::Column::Id)
        .column(reward_codes::Column::Code)
        .filter(reward_codes::Column::RewardId.eq(reward_id))
        .filter(reward_codes::Column::Status.eq("available"))
        .order_by_asc(reward_codes::Column::Id)
        .limit(1)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_tuple::<(String, String)>()
        .one(txn)
        .await?;
    let Some((id, code)) = picked else {
        return Err(RedemptionError::NoCodes);
    };
    reward_codes::Entity::update_many()
        .col_expr(reward_codes::Column::Status, Expr::value("assigned"))
        .col_expr(reward_codes::Column::RedemptionId, Expr::value(redemption))
        .col_expr(reward_codes::Column::MemberId, Expr::value(member))
        .col_expr(reward_codes::Column::AssignedAt, Expr::value(now))
        .col_expr(reward_codes::Column::UpdatedAt, Expr::value(now))
        .filter(reward_codes::Column::Id.eq(&id))
        .exec(txn)
        .await?;
    Ok((id, code))
}

fn not_found(e: RewardError) -> RedemptionError {
    match e {
        RewardError::NotFound | RewardError::Catalog(super::CatalogError::NotFound) => RedemptionError::RewardNotFound,
        other => other.into(),
    }
}

/// Redeems a reward for a member inside `txn` (see the module documentation for the steps).
/// The caller commits.
pub async fn redeem(
    txn: &DatabaseTransaction,
    input: &RedeemInput<'_>,
    sign: &Signer,
    now: DateTime<Utc>,
) -> Result<Redemption, RedemptionError> {
    let member = input.member_id;
    sbm_point::domain::members::require_active(txn, member).await?;
    ledger::lock_member(txn, member, now).await?;
    // The reward and its catalog first: the member's tier is read only when one of them
    // depends on it (most rewards do not).
    let reward = rewards::get(txn, input.reward_id).await.map_err(not_found)?;
    if reward.deleted_at.is_some() || !reward.spec.active {
        return Err(RedemptionError::RewardNotFound);
    }
    let catalog = catalogs::get(txn, &reward.spec.catalog_id)
        .await
        .map_err(|e| not_found(e.into()))?;
    let tier = if catalog.spec.visibility == Visibility::Tiers || !reward.spec.tier_codes.is_empty() {
        sbm_cluster::domain::membership::tier_code(txn, member)
            .await
            .map_err(|e| RedemptionError::Db(sea_orm::DbErr::Custom(e.to_string())))?
    } else {
        None
    };
    if catalog.deleted_at.is_some() || !catalog.spec.visible_to(tier.as_deref(), now) {
        return Err(RedemptionError::RewardNotFound);
    }
    let spec = &reward.spec;
    if !spec.in_window(now) {
        return Err(RedemptionError::OutsideWindow);
    }
    if !spec.tier_allows(tier.as_deref()) {
        return Err(RedemptionError::WrongTier);
    }
    check_limits(txn, member, &reward, now).await?;
    // A read first, so an empty reward says so before anything else is tried; the conditional
    // increment at the end is what guarantees it.
    if reward.stock_remaining == Some(0) {
        return Err(RedemptionError::OutOfStock);
    }
    let id = uuid::Uuid::now_v7().to_string();
    let (code_id, code) = match spec.code_mode {
        CodeMode::None => (None, None),
        CodeMode::Static => (None, spec.static_code.clone()),
        CodeMode::Pool => {
            let (cid, c) = take_code(txn, &reward.id, &id, member, now).await?;
            (Some(cid), Some(c))
        }
    };
    // The ledger's spend itself (not `book_spend`): the redemption id is new, so there is no
    // earlier booking to look up, and this transaction is already all-or-nothing (no savepoint).
    let spend_transaction_id = if spec.points_cost > 0 {
        let meta = Meta {
            reason: format!("Reward {}", spec.code),
            source: SOURCE.into(),
            external_id: Some(id.clone()),
            metadata: serde_json::json!({"rewardId": reward.id, "rewardCode": spec.code, "redemptionId": id}),
            created_by: input.created_by.map(str::to_string),
        };
        let entry = ledger::ops::spend(txn, member, TxType::Spend, spec.points_cost, &meta, now).await?;
        Some(entry.id)
    } else {
        None
    };
    let expires_at = spec.voucher_valid_days.map(|d| now + Duration::days(i64::from(d)));
    // The QR outlives the voucher by a year, so a late scan is told "expired", not "invalid".
    let qr_exp = expires_at.unwrap_or(now + Duration::days(3650)) + Duration::days(365);
    let qr = sign(&QrPayload {
        sub: id.clone(),
        mid: member.to_string(),
        rwd: spec.code.clone(),
        iat: now.timestamp(),
        exp: qr_exp.timestamp(),
    })
    .map_err(RedemptionError::Sign)?;
    let row = redemptions::Model {
        id: id.clone(),
        reward_id: reward.id.clone(),
        member_id: member.to_string(),
        status: "claimed".into(),
        points_cost: spec.points_cost,
        spend_transaction_id: spend_transaction_id.clone(),
        refund_transaction_id: None,
        code: code.clone(),
        code_id,
        snapshot: serde_json::to_string(spec).unwrap_or_else(|_| "{}".into()),
        qr,
        store_id: input.store_id.map(str::to_string),
        expires_at,
        used_at: None,
        cancelled_at: None,
        cancelled_by: None,
        cancel_reason: None,
        expired_at: None,
        created_by: input.created_by.map(str::to_string),
        created_at: now,
        updated_at: now,
    };
    let event = events::insert_statement(
        &RedemptionCreated {
            redemption_id: id.clone(),
            member_id: member.to_string(),
            reward_id: reward.id.clone(),
            reward_code: spec.code.clone(),
            points_cost: spec.points_cost,
            spend_transaction_id,
            code,
            store_id: row.store_id.clone(),
            expires_at,
            at: now,
        },
        now,
    )?;
    let record = redemptions::Entity::insert(row.clone().into_active_model()).into_query();
    sbm_common::db::insert_together(txn, vec![record, event]).await?;
    // Last: the reward's row, which every redeemer of this reward waits for.
    let took = reward_rows::Entity::update_many()
        .col_expr(
            reward_rows::Column::StockClaimed,
            Expr::col(reward_rows::Column::StockClaimed).add(1),
        )
        .filter(reward_rows::Column::Id.eq(&reward.id))
        .filter(
            Condition::any()
                .add(reward_rows::Column::StockTotal.is_null())
                .add(Expr::col(reward_rows::Column::StockClaimed).lt(Expr::col(reward_rows::Column::StockTotal))),
        )
        .exec(txn)
        .await?;
    if took.rows_affected == 0 {
        return Err(RedemptionError::OutOfStock);
    }
    Ok(row.into())
}

/// Redeems in a transaction of its own (no `Idempotency-Key`).
pub async fn redeem_now(
    db: &DatabaseConnection,
    input: &RedeemInput<'_>,
    sign: &Signer,
    now: DateTime<Utc>,
) -> Result<Redemption, RedemptionError> {
    let txn = sbm_common::db::begin_write(db).await?;
    match redeem(&txn, input, sign, now).await {
        Ok(r) => {
            txn.commit().await?;
            Ok(r)
        }
        Err(e) => {
            txn.rollback().await?;
            Err(e)
        }
    }
}

/// Marks a claimed, unexpired redemption used at the till (`store`: where).
pub async fn mark_used(
    db: &DatabaseConnection,
    id: &str,
    store: Option<&str>,
    used_by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Redemption, RedemptionError> {
    let txn = sbm_common::db::begin_write(db).await?;
    let r = find(&txn, id).await?;
    let mut update = redemptions::Entity::update_many()
        .col_expr(redemptions::Column::Status, Expr::value("used"))
        .col_expr(redemptions::Column::UsedAt, Expr::value(now))
        .col_expr(redemptions::Column::UpdatedAt, Expr::value(now))
        .filter(redemptions::Column::Id.eq(id))
        .filter(redemptions::Column::Status.eq("claimed"))
        .filter(
            Condition::any()
                .add(redemptions::Column::ExpiresAt.is_null())
                .add(redemptions::Column::ExpiresAt.gt(now)),
        );
    if let Some(s) = store {
        update = update.col_expr(redemptions::Column::StoreId, Expr::value(s));
    }
    if update.exec(&txn).await?.rows_affected == 0 {
        txn.rollback().await?;
        return Err(match (r.status.as_str(), r.expires_at) {
            ("claimed", Some(e)) => RedemptionError::Expired(e),
            (status, _) => RedemptionError::Status {
                status: status.to_string(),
                action: "used",
            },
        });
    }
    // Its pool code goes with it; a code staff voided meanwhile makes the voucher unusable
    // (cancel it to refund).
    if let Some(cid) = &r.code_id {
        let code = reward_codes::Entity::update_many()
            .col_expr(reward_codes::Column::Status, Expr::value("used"))
            .col_expr(reward_codes::Column::UsedAt, Expr::value(now))
            .col_expr(reward_codes::Column::UpdatedAt, Expr::value(now))
            .filter(reward_codes::Column::Id.eq(cid))
            .filter(reward_codes::Column::Status.eq("assigned"))
            .exec(&txn)
            .await?;
        if code.rows_affected == 0 {
            txn.rollback().await?;
            return Err(RedemptionError::CodeVoided);
        }
    }
    let after = find(&txn, id).await?;
    events::emit(
        &txn,
        &RedemptionUsed {
            redemption_id: after.id.clone(),
            member_id: after.member_id.clone(),
            reward_id: after.reward_id.clone(),
            reward_code: reward_code(&after),
            code: after.code.clone(),
            store_id: after.store_id.clone(),
            used_by: used_by.map(str::to_string),
            at: now,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(after.into())
}

fn reward_code(r: &redemptions::Model) -> String {
    serde_json::from_str::<serde_json::Value>(&r.snapshot)
        .ok()
        .and_then(|v| v["code"].as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Who cancels.
#[derive(Debug, Clone, Copy)]
pub enum Canceller<'a> {
    /// The member, their own claimed and unexpired redemption.
    Member(&'a str),
    /// Staff (or an API key): a claimed or a used one.
    Staff(&'a str),
}

/// The result of a cancel.
#[derive(Debug, Clone)]
pub struct Cancelled {
    pub redemption: Redemption,
    /// True when it was cancelled before (nothing refunded this time).
    pub repeat: bool,
}

/// Cancels a redemption: refunds the points once (a reversal of the spend), gives the stock
/// back and voids its pool code if still assigned (a used one stays `used`: it was shown and
/// taken at a till). Cancelling a cancelled redemption changes nothing.
pub async fn cancel(
    db: &DatabaseConnection,
    id: &str,
    by: Canceller<'_>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Cancelled, RedemptionError> {
    let r = find(db, id).await?;
    let (allowed, who): (&[&str], &str) = match by {
        Canceller::Member(m) if m != r.member_id => return Err(RedemptionError::NotFound),
        Canceller::Member(m) => (&["claimed"], m),
        Canceller::Staff(s) => (&["claimed", "used"], s),
    };
    let repeat = |r: redemptions::Model| Cancelled {
        redemption: r.into(),
        repeat: true,
    };
    if r.status == "cancelled" {
        return Ok(repeat(r));
    }
    if !allowed.contains(&r.status.as_str()) {
        return Err(RedemptionError::Status {
            status: r.status,
            action: "cancelled",
        });
    }
    let txn = sbm_common::db::begin_write(db).await?;
    ledger::lock_member(&txn, &r.member_id, now).await?;
    let mut update = redemptions::Entity::update_many()
        .col_expr(redemptions::Column::Status, Expr::value("cancelled"))
        .col_expr(redemptions::Column::CancelledAt, Expr::value(now))
        .col_expr(redemptions::Column::CancelledBy, Expr::value(who))
        .col_expr(redemptions::Column::CancelReason, Expr::value(reason))
        .col_expr(redemptions::Column::UpdatedAt, Expr::value(now))
        .filter(redemptions::Column::Id.eq(id))
        .filter(redemptions::Column::Status.is_in(allowed.iter().copied()));
    if matches!(by, Canceller::Member(_)) {
        update = update.filter(
            Condition::any()
                .add(redemptions::Column::ExpiresAt.is_null())
                .add(redemptions::Column::ExpiresAt.gt(now)),
        );
    }
    if update.exec(&txn).await?.rows_affected == 0 {
        txn.rollback().await?;
        let now_r = find(db, id).await?;
        return match now_r.status.as_str() {
            "cancelled" => Ok(repeat(now_r)),
            "claimed" => Err(RedemptionError::Expired(now_r.expires_at.unwrap_or(now))),
            status => Err(RedemptionError::Status {
                status: status.to_string(),
                action: "cancelled",
            }),
        };
    }
    let refund = match &r.spend_transaction_id {
        Some(spend) => {
            let meta = Meta {
                reason: format!("Reward {} cancelled", reward_code(&r)),
                source: SOURCE.into(),
                external_id: Some(format!("cancel:{id}")),
                metadata: serde_json::json!({"redemptionId": id}),
                created_by: Some(who.to_string()),
            };
            let booked = ledger::book_reverse(&txn, spend, None, &meta, now).await?;
            Some(booked.transaction)
        }
        None => None,
    };
    if let Some(t) = &refund {
        redemptions::Entity::update_many()
            .col_expr(redemptions::Column::RefundTransactionId, Expr::value(t.id.clone()))
            .filter(redemptions::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    reward_rows::Entity::update_many()
        .col_expr(
            reward_rows::Column::StockClaimed,
            Expr::col(reward_rows::Column::StockClaimed).sub(1),
        )
        .filter(reward_rows::Column::Id.eq(&r.reward_id))
        .filter(reward_rows::Column::StockClaimed.gt(0))
        .exec(&txn)
        .await?;
    if let Some(cid) = &r.code_id {
        reward_codes::Entity::update_many()
            .col_expr(reward_codes::Column::Status, Expr::value("void"))
            .col_expr(reward_codes::Column::VoidedAt, Expr::value(now))
            .col_expr(reward_codes::Column::UpdatedAt, Expr::value(now))
            .filter(reward_codes::Column::Id.eq(cid))
            .filter(reward_codes::Column::Status.eq("assigned"))
            .exec(&txn)
            .await?;
    }
    events::emit(
        &txn,
        &RedemptionCancelled {
            redemption_id: id.to_string(),
            member_id: r.member_id.clone(),
            reward_id: r.reward_id.clone(),
            reward_code: reward_code(&r),
            points_refunded: refund.as_ref().map_or(0, |t| t.points),
            refund_transaction_id: refund.as_ref().map(|t| t.id.clone()),
            from_status: r.status.clone(),
            cancelled_by: Some(who.to_string()),
            reason: reason.map(str::to_string),
            at: now,
        },
        now,
    )
    .await?;
    let after = find(&txn, id).await?;
    txn.commit().await?;
    Ok(Cancelled {
        redemption: after.into(),
        repeat: false,
    })
}

/// Expires claimed redemptions whose voucher life ended: each in its own transaction, by a
/// conditional update (several replicas may sweep at once; each redemption expires once).
/// Points are not refunded and the stock is not returned: the member had the voucher.
pub async fn expire_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, RedemptionError> {
    let mut expired = 0;
    loop {
        let due = redemptions::Entity::find()
            .filter(redemptions::Column::Status.eq("claimed"))
            .filter(redemptions::Column::ExpiresAt.lte(now))
            .order_by_asc(redemptions::Column::ExpiresAt)
            .limit(200)
            .all(db)
            .await?;
        if due.is_empty() {
            return Ok(expired);
        }
        let mut moved = 0;
        for r in due {
            let txn = sbm_common::db::begin_write(db).await?;
            let done = redemptions::Entity::update_many()
                .col_expr(redemptions::Column::Status, Expr::value("expired"))
                .col_expr(redemptions::Column::ExpiredAt, Expr::value(now))
                .col_expr(redemptions::Column::UpdatedAt, Expr::value(now))
                .filter(redemptions::Column::Id.eq(&r.id))
                .filter(redemptions::Column::Status.eq("claimed"))
                .exec(&txn)
                .await?;
            if done.rows_affected == 1 {
                if let Some(cid) = &r.code_id {
                    reward_codes::Entity::update_many()
                        .col_expr(reward_codes::Column::Status, Expr::value("expired"))
                        .col_expr(reward_codes::Column::UpdatedAt, Expr::value(now))
                        .filter(reward_codes::Column::Id.eq(cid))
                        .filter(reward_codes::Column::Status.eq("assigned"))
                        .exec(&txn)
                        .await?;
                }
                events::emit(
                    &txn,
                    &RedemptionExpired {
                        redemption_id: r.id.clone(),
                        member_id: r.member_id.clone(),
                        reward_id: r.reward_id.clone(),
                        reward_code: reward_code(&r),
                        expires_at: r.expires_at.unwrap_or(now),
                        at: now,
                    },
                    now,
                )
                .await?;
                expired += 1;
                moved += 1;
            }
            txn.commit().await?;
        }
        if moved == 0 {
            return Ok(expired);
        }
    }
}

/// The redemption list: filters `status`, `rewardId`, `memberId`, `storeId`, `code`, and
/// `dateFrom`/`dateTo` (the caller applies those); sort `createdAt` (default), `usedAt`,
/// `pointsCost`, `status`.
pub const LIST: ListSpec<redemptions::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("createdAt", redemptions::Column::CreatedAt),
        ("usedAt", redemptions::Column::UsedAt),
        ("pointsCost", redemptions::Column::PointsCost),
        ("status", redemptions::Column::Status),
    ],
    default_sort: redemptions::Column::CreatedAt,
    tiebreak: redemptions::Column::Id,
    search: &[],
    filters: &[
        Filter::Enum(
            "status",
            redemptions::Column::Status,
            &["claimed", "used", "cancelled", "expired"],
        ),
        Filter::Text("rewardId", redemptions::Column::RewardId),
        Filter::Text("memberId", redemptions::Column::MemberId),
        Filter::Text("storeId", redemptions::Column::StoreId),
        Filter::Text("code", redemptions::Column::Code),
    ],
};

/// One page of redemptions (`member`: only theirs), created in `[from, to)` when given.
pub async fn list(
    db: &impl ConnectionTrait,
    q: &ListQuery,
    member: Option<&str>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Page<Redemption>, RedemptionError> {
    let mut select = redemptions::Entity::find();
    if let Some(m) = member {
        select = select.filter(redemptions::Column::MemberId.eq(m));
    }
    if let Some(f) = from {
        select = select.filter(redemptions::Column::CreatedAt.gte(f));
    }
    if let Some(t) = to {
        select = select.filter(redemptions::Column::CreatedAt.lt(t));
    }
    let page = q.page(db, select, &LIST).await?;
    Ok(Page {
        meta: page.meta,
        data: page.data.into_iter().map(Redemption::from).collect(),
    })
}
