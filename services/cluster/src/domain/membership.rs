//! A member's place on the ladder: what counts towards qualification, upgrades (at once, as
//! events arrive), overrides, and evaluation when a tier's validity ends (downgrades, warnings).
//!
//! Every change takes the member's `member_tiers` row first (created for the default tier when
//! missing, then locked), so the consumer, the evaluation job on any replica and staff
//! overrides never interleave on one member. Every change writes a history row and emits
//! `tier.changed` in the same transaction.

use chrono::{DateTime, Datelike, Duration, Months, TimeZone, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, LockBehavior, LockType, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use sbm_common::db::begin_write;

use super::error::TierError;
use super::events::{self, TierChanged, TierDowngradeWarning};
use super::tiers::{self, DowngradePolicy, Metric, Qualification, Tier, WindowKind};
use crate::entity::{member_tier_history as history, member_tiers, tier_activity as activity, tiers as tier_rows};

/// `auto` or `manual`.
pub const AUTO: &str = "auto";
pub const MANUAL: &str = "manual";

/// The live ladder (active, not deleted), by rank.
#[derive(Debug, Clone)]
pub struct Ladder {
    pub tiers: Vec<Tier>,
}

impl Ladder {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, TierError> {
        let tiers = tiers::ladder(db).await?.into_iter().filter(Tier::live).collect();
        Ok(Self { tiers })
    }
    pub fn default_tier(&self) -> Option<&Tier> {
        tiers::default_tier(&self.tiers)
    }
    pub fn by_id(&self, id: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.id == id)
    }
    /// Tiers members reach by qualifying, lowest first.
    pub fn climbable(&self) -> impl DoubleEndedIterator<Item = &Tier> {
        self.tiers.iter().filter(|t| !t.spec.manual_only)
    }
    /// The next climbable tier below `rank` (the default tier at the bottom).
    pub fn below(&self, rank: i32) -> Option<&Tier> {
        self.climbable().rev().find(|t| t.spec.rank < rank)
    }
    /// The next climbable tier above `rank`.
    pub fn above(&self, rank: i32) -> Option<&Tier> {
        self.climbable().find(|t| t.spec.rank > rank)
    }
}

/// Records what an event adds to a member's qualification, once per event id. Returns
/// whether it was new (a replayed event changes nothing).
#[allow(clippy::too_many_arguments)]
pub async fn record_activity(
    db: &impl ConnectionTrait,
    event_id: i64,
    member: &str,
    metric: Metric,
    value: i64,
    currency: Option<&str>,
    transaction_id: Option<&str>,
    at: DateTime<Utc>,
) -> Result<bool, TierError> {
    let n = activity::Entity::insert(activity::ActiveModel {
        event_id: Set(event_id),
        member_id: Set(member.to_string()),
        metric: Set(metric.as_str().to_string()),
        value: Set(value),
        currency: Set(currency.map(str::to_string)),
        transaction_id: Set(transaction_id.map(str::to_string)),
        at: Set(at),
    })
    .on_conflict(OnConflict::column(activity::Column::EventId).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(n > 0)
}

/// When the earn `transaction_id` counted, if it did: its reversal counts at the same moment,
/// so it leaves the window together with the earn.
pub async fn earned_at(db: &impl ConnectionTrait, transaction_id: &str) -> Result<Option<DateTime<Utc>>, TierError> {
    Ok(activity::Entity::find()
        .select_only()
        .column(activity::Column::At)
        .filter(activity::Column::TransactionId.eq(transaction_id))
        .filter(activity::Column::Metric.eq(Metric::PointsEarned.as_str()))
        .order_by_asc(activity::Column::At)
        .into_tuple()
        .one(db)
        .await?)
}

/// The member's qualifying value for `q` in the window that ends at `end` (activity after
/// `end` is not counted).
pub async fn value(
    db: &impl ConnectionTrait,
    member: &str,
    q: &Qualification,
    end: DateTime<Utc>,
) -> Result<i64, TierError> {
    value_between(db, member, q, q.window_start(end), end).await
}

/// What evaluation measures for a period that ended at `until`: the window that ends at
/// `until` (a calendar year: the year `until` closes), plus what came in after it up to `end`
/// (the grace days count).
pub async fn period_value(
    db: &impl ConnectionTrait,
    member: &str,
    q: &Qualification,
    until: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<i64, TierError> {
    let closing = until - Duration::seconds(1);
    value_between(db, member, q, q.window_start(closing), Ord::max(end, closing)).await
}

/// The member's value for `q` from `start` (none: all) to `end`.
pub async fn value_between(
    db: &impl ConnectionTrait,
    member: &str,
    q: &Qualification,
    start: Option<DateTime<Utc>>,
    end: DateTime<Utc>,
) -> Result<i64, TierError> {
    let mut select = activity::Entity::find()
        .select_only()
        .column_as(
            Expr::expr(Func::cast_as(
                Func::sum(Expr::col(activity::Column::Value)),
                Alias::new("BIGINT"),
            )),
            "total",
        )
        .filter(activity::Column::MemberId.eq(member))
        .filter(activity::Column::Metric.eq(q.metric.as_str()))
        .filter(activity::Column::At.lte(end));
    if q.metric == Metric::PurchaseAmount {
        select = select.filter(activity::Column::Currency.eq(q.currency()));
    }
    if let Some(start) = start {
        select = select.filter(activity::Column::At.gte(start));
    }
    // SUM over no rows is NULL.
    let total: Option<Option<i64>> = select.into_tuple().one(db).await?;
    Ok(Ord::max(total.flatten().unwrap_or(0), 0))
}

/// Values per tier, each computed once per distinct qualification.
struct Values<'a> {
    member: &'a str,
    end: DateTime<Utc>,
    /// For evaluation: the period end the windows close at (see [`period_value`]).
    until: Option<DateTime<Utc>>,
    seen: Vec<(Qualification, i64)>,
}

impl<'a> Values<'a> {
    fn new(member: &'a str, end: DateTime<Utc>) -> Self {
        Self {
            member,
            end,
            until: None,
            seen: Vec::new(),
        }
    }
    fn for_period(member: &'a str, until: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self {
            until: Some(until),
            ..Self::new(member, end)
        }
    }
    async fn of(&mut self, db: &impl ConnectionTrait, q: &Qualification) -> Result<i64, TierError> {
        let key = Qualification {
            threshold: 0,
            ..q.clone()
        };
        if let Some((_, v)) = self.seen.iter().find(|(k, _)| *k == key) {
            return Ok(*v);
        }
        let v = match self.until {
            Some(until) => period_value(db, self.member, q, until, self.end).await?,
            None => value(db, self.member, q, self.end).await?,
        };
        self.seen.push((key, v));
        Ok(v)
    }
    /// The highest climbable tier whose qualification the member meets (at least the
    /// default), with the value that met it.
    async fn best<'l>(
        &mut self,
        db: &impl ConnectionTrait,
        ladder: &'l Ladder,
    ) -> Result<Option<(&'l Tier, i64)>, TierError> {
        for t in ladder.climbable().rev() {
            let v = self.of(db, &t.spec.qualification).await?;
            if v >= t.spec.qualification.threshold {
                return Ok(Some((t, v)));
            }
        }
        Ok(None)
    }
}

/// When a tier reached (or renewed) at `from` is next evaluated (`None`: never; it has no
/// retention): `validityMonths` later, and for a calendar-year tier at the end of the year
/// that falls in (1 January, UTC), so that evaluation measures a whole calendar year.
pub fn valid_until(tier: &Tier, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let r = tier.spec.retention.as_ref()?;
    let end = from.checked_add_months(Months::new(r.validity_months))?;
    if tier.spec.qualification.window != WindowKind::CalendarYear {
        return Some(end);
    }
    let jan1 = |y: i32| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single();
    if jan1(end.year()) == Some(end) {
        Some(end)
    } else {
        jan1(end.year() + 1)
    }
}

/// When a member whose validity ends at `until` is evaluated: after the tier's grace.
pub fn evaluates_at(tier: &Tier, until: DateTime<Utc>) -> DateTime<Utc> {
    until + Duration::days(i64::from(tier.spec.downgrade.grace_days))
}

/// Whether an override is in force at `now`.
pub fn override_active(row: &member_tiers::Model, now: DateTime<Utc>) -> bool {
    row.source == MANUAL && row.override_expires_at.is_none_or(|e| e > now)
}

/// The member's row, locked for this transaction; created for the default tier first when
/// missing. `None` when the ladder has no default tier (no tiers yet).
pub async fn lock_state(
    db: &impl ConnectionTrait,
    member: &str,
    ladder: &Ladder,
    now: DateTime<Utc>,
) -> Result<Option<member_tiers::Model>, TierError> {
    let Some(default) = ladder.default_tier() else {
        return Ok(None);
    };
    member_tiers::Entity::insert(member_tiers::ActiveModel {
        member_id: Set(member.to_string()),
        tier_id: Set(default.id.clone()),
        source: Set(AUTO.into()),
        since: Set(now),
        valid_until: Set(valid_until(default, now)),
        override_reason: Set(None),
        override_expires_at: Set(None),
        override_by: Set(None),
        warned_for: Set(None),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(member_tiers::Column::MemberId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let mut find = member_tiers::Entity::find_by_id(member);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        find = find.lock(LockType::Update);
    }
    Ok(find.one(db).await?)
}

/// The member's row as stored (no lock, not created).
pub async fn state(db: &impl ConnectionTrait, member: &str) -> Result<Option<member_tiers::Model>, TierError> {
    Ok(member_tiers::Entity::find_by_id(member).one(db).await?)
}

/// What a change writes besides the new tier.
pub struct ChangeWhy<'a> {
    pub reason: &'a str,
    pub source: &'a str,
    pub qualifying_value: Option<i64>,
    pub note: Option<String>,
    pub by: Option<String>,
    /// The override to keep on the row (`None`: none).
    pub override_until: Option<Option<DateTime<Utc>>>,
}

/// Moves the member (whose row `row` is locked) to `to`: row, history, `tier.changed` (the
/// event only when the tier differs).
pub async fn change(
    db: &impl ConnectionTrait,
    row: &member_tiers::Model,
    from: Option<&Tier>,
    to: &Tier,
    why: ChangeWhy<'_>,
    now: DateTime<Utc>,
) -> Result<Option<TierChanged>, TierError> {
    let moved = from.is_none_or(|f| f.id != to.id);
    let direction = match from {
        Some(f) if f.spec.rank > to.spec.rank => "down",
        Some(f) if f.spec.rank == to.spec.rank => "same",
        _ => "up",
    };
    let until = match why.override_until {
        Some(expiry) => expiry,
        None => valid_until(to, now),
    };
    let manual = why.override_until.is_some();
    let mut am = row.clone().into_active_model();
    am.tier_id = Set(to.id.clone());
    am.source = Set(why.source.to_string());
    if moved || manual || row.source != why.source {
        am.since = Set(now);
    }
    am.valid_until = Set(until);
    am.override_reason = Set(if manual { why.note.clone() } else { None });
    am.override_expires_at = Set(why.override_until.flatten());
    am.override_by = Set(if manual { why.by.clone() } else { None });
    am.warned_for = Set(None);
    am.updated_at = Set(now);
    member_tiers::Entity::update(am).exec(db).await?;
    history::Entity::insert(history::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        member_id: Set(row.member_id.clone()),
        from_tier_id: Set(from.map(|f| f.id.clone())),
        from_tier_code: Set(from.map(|f| f.spec.code.clone())),
        to_tier_id: Set(to.id.clone()),
        to_tier_code: Set(to.spec.code.clone()),
        direction: Set(direction.into()),
        reason: Set(why.reason.into()),
        source: Set(why.source.into()),
        qualifying_value: Set(why.qualifying_value),
        note: Set(why.note.clone()),
        created_by: Set(why.by.clone()),
        at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    if !moved {
        return Ok(None);
    }
    let event = TierChanged {
        member_id: row.member_id.clone(),
        from_tier_id: from.map(|f| f.id.clone()),
        from_tier_code: from.map(|f| f.spec.code.clone()),
        to_tier_id: to.id.clone(),
        to_tier_code: to.spec.code.clone(),
        direction: direction.into(),
        reason: why.reason.into(),
        source: why.source.into(),
        qualifying_value: why.qualifying_value,
        valid_until: until,
        at: now,
    };
    events::emit(db, &event, now).await?;
    metrics::counter!("tier_changes_total", "direction" => direction, "reason" => why.reason.to_string()).increment(1);
    Ok(Some(event))
}

/// Upgrades the member at once if they now qualify for a tier above theirs (no downgrades
/// here: those wait for evaluation). Overridden members are left alone.
pub async fn upgrade(
    db: &impl ConnectionTrait,
    member: &str,
    now: DateTime<Utc>,
) -> Result<Option<TierChanged>, TierError> {
    let ladder = Ladder::load(db).await?;
    let Some(row) = lock_state(db, member, &ladder, now).await? else {
        return Ok(None);
    };
    if override_active(&row, now) {
        return Ok(None);
    }
    let current = ladder.by_id(&row.tier_id);
    let mut values = Values::new(member, now);
    let Some((best, v)) = values.best(db, &ladder).await? else {
        return Ok(None);
    };
    if current.is_some_and(|c| c.spec.rank >= best.spec.rank) {
        return Ok(None);
    }
    change(
        db,
        &row,
        current,
        best,
        ChangeWhy {
            reason: "qualified",
            source: AUTO,
            qualifying_value: Some(v),
            note: None,
            by: None,
            override_until: None,
        },
        now,
    )
    .await
}

/// A staff assignment: pins the member to `tier` until `expires_at` (none: until removed).
/// An override is not a floor: when it ends, evaluation starts again from the member's
/// activity and may place them lower.
pub async fn set_override(
    db: &impl ConnectionTrait,
    member: &str,
    tier_id: &str,
    reason: &str,
    expires_at: Option<DateTime<Utc>>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), TierError> {
    sbm_auth::domain::members::require_active_member(db, member).await?;
    let ladder = Ladder::load(db).await?;
    let to = match ladder.by_id(tier_id) {
        Some(t) => t.clone(),
        None => {
            let t = tiers::get(db, tier_id).await?;
            return Err(if t.deleted_at.is_some() {
                TierError::NotFound
            } else {
                TierError::Inactive(t.spec.code)
            });
        }
    };
    let row = lock_state(db, member, &ladder, now).await?.ok_or(TierError::NoLadder)?;
    let from = ladder.by_id(&row.tier_id);
    change(
        db,
        &row,
        from,
        &to,
        ChangeWhy {
            reason: "override",
            source: MANUAL,
            qualifying_value: None,
            note: Some(reason.to_string()),
            by: Some(by.to_string()),
            override_until: Some(expires_at),
        },
        now,
    )
    .await?;
    Ok(())
}

/// Ends an override (`reason`: `override_removed` by staff, `override_expired` by the job) and
/// places the member where their activity puts them now. Returns false when there was none.
pub async fn end_override(
    db: &impl ConnectionTrait,
    member: &str,
    reason: &str,
    by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, TierError> {
    let ladder = Ladder::load(db).await?;
    let Some(row) = lock_state(db, member, &ladder, now).await? else {
        return Ok(false);
    };
    if row.source != MANUAL {
        return Ok(false);
    }
    let from = ladder.by_id(&row.tier_id);
    let mut values = Values::new(member, now);
    let Some((to, v)) = values.best(db, &ladder).await? else {
        return Ok(false);
    };
    change(
        db,
        &row,
        from,
        to,
        ChangeWhy {
            reason,
            source: AUTO,
            qualifying_value: Some(v),
            note: None,
            by: by.map(str::to_string),
            override_until: None,
        },
        now,
    )
    .await?;
    Ok(true)
}

/// Moves every holder of `from` to `to` (a tier being deleted), one history row and event each.
pub async fn reassign(
    db: &impl ConnectionTrait,
    from: &Tier,
    to: &Tier,
    by: &str,
    now: DateTime<Utc>,
) -> Result<u64, TierError> {
    let rows = member_tiers::Entity::find()
        .filter(member_tiers::Column::TierId.eq(&from.id))
        .all(db)
        .await?;
    let n = rows.len() as u64;
    for row in rows {
        let manual = row.source == MANUAL;
        change(
            db,
            &row,
            Some(from),
            to,
            ChangeWhy {
                reason: "reassigned",
                source: if manual { MANUAL } else { AUTO },
                qualifying_value: None,
                note: Some(format!("tier `{}` was deleted", from.spec.code)),
                by: Some(by.to_string()),
                override_until: manual.then_some(row.override_expires_at),
            },
            now,
        )
        .await?;
    }
    Ok(n)
}

/// The member's tier code as point rules' `tierMultipliers` see it: their row's tier, or the
/// default tier when they have none yet. One statement.
pub async fn tier_code(db: &impl ConnectionTrait, member: &str) -> Result<Option<String>, TierError> {
    let mine = member_tiers::Entity::find()
        .select_only()
        .column(member_tiers::Column::TierId)
        .filter(member_tiers::Column::MemberId.eq(member))
        .into_query();
    let none = member_tiers::Entity::find()
        .select_only()
        .column(member_tiers::Column::MemberId)
        .filter(member_tiers::Column::MemberId.eq(member))
        .into_query();
    Ok(tier_rows::Entity::find()
        .select_only()
        .column(tier_rows::Column::Code)
        .filter(
            Condition::any().add(tier_rows::Column::Id.in_subquery(mine)).add(
                Condition::all()
                    .add(tier_rows::Column::IsDefault.eq(true))
                    .add(tier_rows::Column::Active.eq(true))
                    .add(tier_rows::Column::DeletedAt.is_null())
                    .add(Expr::exists(none).not()),
            ),
        )
        .into_tuple()
        .one(db)
        .await?)
}

/// What one evaluation run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Evaluated {
    pub downgraded: u64,
    pub renewed: u64,
    pub overrides_ended: u64,
    pub warned: u64,
}

/// Where evaluation at `at` of a period that ended at `until` would put a member on `tier`
/// (`None`: they keep it), with the value it measured ([`period_value`]).
pub async fn evaluation_target<'l>(
    db: &impl ConnectionTrait,
    member: &str,
    ladder: &'l Ladder,
    tier: &Tier,
    until: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<(Option<&'l Tier>, i64), TierError> {
    let v = period_value(db, member, &tier.spec.qualification, until, at).await?;
    let Some(retention) = &tier.spec.retention else {
        return Ok((None, v));
    };
    if v >= retention.threshold {
        return Ok((None, v));
    }
    let target = match tier.spec.downgrade.policy {
        DowngradePolicy::Never => None,
        DowngradePolicy::OneDown => ladder.below(tier.spec.rank),
        DowngradePolicy::ToQualifying => {
            let mut values = Values::for_period(member, until, at);
            let mut found = None;
            for t in ladder.climbable().rev().filter(|t| t.spec.rank < tier.spec.rank) {
                if values.of(db, &t.spec.qualification).await? >= t.spec.qualification.threshold {
                    found = Some(t);
                    break;
                }
            }
            found.or_else(|| ladder.default_tier().filter(|d| d.spec.rank < tier.spec.rank))
        }
    };
    Ok((target, v))
}

/// Keyset pages of member ids matching `cond`, so a long backlog is walked whole.
async fn due_members(db: &DatabaseConnection, cond: Condition, after: Option<&str>) -> Result<Vec<String>, TierError> {
    let mut select = member_tiers::Entity::find()
        .select_only()
        .column(member_tiers::Column::MemberId)
        .filter(cond)
        .order_by_asc(member_tiers::Column::MemberId)
        .limit(500);
    if let Some(a) = after {
        select = select.filter(member_tiers::Column::MemberId.gt(a));
    }
    Ok(select.into_tuple().all(db).await?)
}

/// Locks the member's row inside `txn`, skipping it when another replica holds it.
async fn lock_existing(db: &impl ConnectionTrait, member: &str) -> Result<Option<member_tiers::Model>, TierError> {
    let mut find = member_tiers::Entity::find_by_id(member);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        find = find.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    Ok(find.one(db).await?)
}

/// The evaluation job: ends expired overrides, evaluates members whose validity ended (after
/// the grace), and warns `warning_days` before an evaluation that would demote. Each member is
/// one transaction whose row lock is taken with SKIP LOCKED, so replicas share the work and
/// never evaluate one member twice.
pub async fn evaluate_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    warning_days: u32,
) -> Result<Evaluated, TierError> {
    let mut out = Evaluated::default();
    // 1. Overrides that expired.
    let expired = Condition::all()
        .add(member_tiers::Column::Source.eq(MANUAL))
        .add(member_tiers::Column::OverrideExpiresAt.lte(now));
    let mut after: Option<String> = None;
    loop {
        let ids = due_members(db, expired.clone(), after.as_deref()).await?;
        let Some(last) = ids.last().cloned() else { break };
        for m in ids {
            let txn = begin_write(db).await?;
            let Some(row) = lock_existing(&txn, &m).await? else {
                txn.rollback().await?;
                continue;
            };
            if row.source == MANUAL && row.override_expires_at.is_some_and(|e| e <= now) {
                end_override(&txn, &m, "override_expired", None, now).await?;
                out.overrides_ended += 1;
            }
            txn.commit().await?;
        }
        after = Some(last);
    }
    // 2. Validity ended: retained (renewed) or demoted, once the grace has passed.
    let ended = Condition::all()
        .add(member_tiers::Column::Source.eq(AUTO))
        .add(member_tiers::Column::ValidUntil.lte(now));
    let mut after: Option<String> = None;
    loop {
        let ids = due_members(db, ended.clone(), after.as_deref()).await?;
        let Some(last) = ids.last().cloned() else { break };
        for m in ids {
            let txn = begin_write(db).await?;
            let ladder = Ladder::load(&txn).await?;
            let Some(row) = lock_existing(&txn, &m).await? else {
                txn.rollback().await?;
                continue;
            };
            let (Some(tier), Some(until)) = (ladder.by_id(&row.tier_id), row.valid_until) else {
                txn.rollback().await?;
                continue;
            };
            if row.source != AUTO || now < evaluates_at(tier, until) {
                txn.rollback().await?;
                continue;
            }
            let (target, v) = evaluation_target(&txn, &m, &ladder, tier, until, now).await?;
            match target {
                Some(to) => {
                    change(
                        &txn,
                        &row,
                        Some(tier),
                        to,
                        ChangeWhy {
                            reason: "downgrade",
                            source: AUTO,
                            qualifying_value: Some(v),
                            note: None,
                            by: None,
                            override_until: None,
                        },
                        now,
                    )
                    .await?;
                    out.downgraded += 1;
                }
                None => {
                    renew(&txn, &row, tier, until, now).await?;
                    out.renewed += 1;
                }
            }
            txn.commit().await?;
        }
        after = Some(last);
    }
    // 3. Warnings ahead of an evaluation that would demote.
    let soon = Condition::all()
        .add(member_tiers::Column::Source.eq(AUTO))
        .add(member_tiers::Column::ValidUntil.lte(now + Duration::days(i64::from(warning_days))))
        .add(
            Condition::any()
                .add(member_tiers::Column::WarnedFor.is_null())
                .add(Expr::col(member_tiers::Column::WarnedFor).ne(Expr::col(member_tiers::Column::ValidUntil))),
        );
    let mut after: Option<String> = None;
    loop {
        let ids = due_members(db, soon.clone(), after.as_deref()).await?;
        let Some(last) = ids.last().cloned() else { break };
        for m in ids {
            let txn = begin_write(db).await?;
            let ladder = Ladder::load(&txn).await?;
            let Some(row) = lock_existing(&txn, &m).await? else {
                txn.rollback().await?;
                continue;
            };
            let (Some(tier), Some(until)) = (ladder.by_id(&row.tier_id), row.valid_until) else {
                txn.rollback().await?;
                continue;
            };
            let at = evaluates_at(tier, until);
            if row.warned_for == Some(until) || now >= at || now + Duration::days(i64::from(warning_days)) < at {
                txn.rollback().await?;
                continue;
            }
            let (target, v) = evaluation_target(&txn, &m, &ladder, tier, until, at).await?;
            if let (Some(to), Some(r)) = (target, &tier.spec.retention) {
                events::emit(
                    &txn,
                    &TierDowngradeWarning {
                        member_id: m.clone(),
                        tier_id: tier.id.clone(),
                        tier_code: tier.spec.code.clone(),
                        to_tier_code: to.spec.code.clone(),
                        evaluates_at: at,
                        metric: tier.spec.qualification.metric.as_str().into(),
                        threshold: r.threshold,
                        projected_value: v,
                        needed: Ord::max(r.threshold - v, 0),
                        at: now,
                    },
                    now,
                )
                .await?;
                let mut am = row.into_active_model();
                am.warned_for = Set(Some(until));
                member_tiers::Entity::update(am).exec(&txn).await?;
                out.warned += 1;
                txn.commit().await?;
            } else {
                txn.rollback().await?;
            }
        }
        after = Some(last);
    }
    Ok(out)
}

/// Keeps the tier for another validity period (the next one that ends after `now`).
async fn renew(
    db: &impl ConnectionTrait,
    row: &member_tiers::Model,
    tier: &Tier,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), TierError> {
    let mut next = Some(until);
    while let Some(n) = next
        && n <= now
    {
        next = valid_until(tier, n);
    }
    let mut am = row.clone().into_active_model();
    am.valid_until = Set(next);
    am.warned_for = Set(None);
    am.updated_at = Set(now);
    member_tiers::Entity::update(am).exec(db).await?;
    Ok(())
}
