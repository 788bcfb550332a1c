//! Badge progress and awards.
//!
//! Each consumed event that a live badge's criteria admit (event kind, action, season, window,
//! filters) is recorded once per badge and event id; the measure (count, sums, distinct stores
//! or days) is taken over those records in the badge's window, after the member's last award,
//! so a repeatable badge starts again at each award. Reaching the target awards the badge in
//! the same transaction and emits `badge.awarded` (the point service credits its points).
//! The member's progress row is locked first, so awards never race.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, Func, OnConflict, SimpleExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use sbm_common::query::Locale;
use sbm_common::{ListQuery, Page};

use super::badges::{self, Badge, BadgeEvent, Measure, Visibility};
use super::error::BadgeError;
use super::events::{self, BadgeAwarded, BadgeRevoked};
use super::membership;
use crate::entity::{badge_awards as awards, badge_member_progress as progress, badge_progress_events as records};

/// One consumed event as badges see it.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub event_id: i64,
    pub member: String,
    pub kind: BadgeEvent,
    pub action: Option<String>,
    pub amount: i64,
    pub points: i64,
    pub store_id: Option<String>,
    pub store_category: Option<String>,
    /// For `tier_changed`: the tier reached.
    pub tier_reached: Option<String>,
    /// The same occurrence arriving as another event carries the same key: counted once.
    pub dedup_key: Option<String>,
    pub at: DateTime<Utc>,
}

/// The member's progress row for a badge, locked (created first when missing).
async fn lock_progress(
    db: &impl ConnectionTrait,
    badge: &str,
    member: &str,
    now: DateTime<Utc>,
) -> Result<progress::Model, BadgeError> {
    progress::Entity::insert(progress::ActiveModel {
        badge_id: Set(badge.to_string()),
        member_id: Set(member.to_string()),
        awards: Set(0),
        last_awarded_at: Set(None),
        last_event_id: Set(0),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([progress::Column::BadgeId, progress::Column::MemberId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let mut find = progress::Entity::find_by_id((badge.to_string(), member.to_string()));
    if db.get_database_backend() == DatabaseBackend::Postgres {
        find = find.lock(sea_orm::sea_query::LockType::Update);
    }
    find.one(db)
        .await?
        .ok_or_else(|| BadgeError::Db(sea_orm::DbErr::RecordNotFound("badge progress".into())))
}

fn admits(badge: &Badge, occ: &Occurrence, tier: Option<&str>) -> bool {
    let c = &badge.spec.criteria;
    let f = &c.filters;
    badge.spec.in_season(occ.at)
        && c.window.admits(occ.at)
        && (c.event != BadgeEvent::Action || c.action == occ.action)
        && (f.store_categories.is_empty()
            || occ
                .store_category
                .as_ref()
                .is_some_and(|s| f.store_categories.contains(s)))
        && (f.stores.is_empty() || occ.store_id.as_ref().is_some_and(|s| f.stores.contains(s)))
        && f.min_amount.is_none_or(|m| occ.amount >= m)
        && (f.tiers.is_empty() || tier.is_some_and(|t| f.tiers.iter().any(|x| x == t)))
}

/// Records `occ` for every badge it moves and awards those it completes. Returns the awards.
pub async fn record(db: &impl ConnectionTrait, occ: &Occurrence) -> Result<Vec<BadgeAwarded>, BadgeError> {
    let candidates = badges::for_event(db, occ.kind).await?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let tier = match (
        &occ.tier_reached,
        candidates.iter().any(|b| !b.spec.criteria.filters.tiers.is_empty()),
    ) {
        (Some(t), _) => Some(t.clone()),
        (None, true) => membership::tier_code(db, &occ.member).await?,
        (None, false) => None,
    };
    let mut out = Vec::new();
    for badge in candidates {
        if !admits(&badge, occ, tier.as_deref()) {
            continue;
        }
        let row = lock_progress(db, &badge.id, &occ.member, occ.at).await?;
        if i64::from(row.awards) >= i64::from(badge.spec.award_cap()) {
            continue;
        }
        let fresh = records::Entity::insert(records::ActiveModel {
            badge_id: Set(badge.id.clone()),
            event_id: Set(occ.event_id),
            member_id: Set(occ.member.clone()),
            amount: Set(occ.amount),
            points: Set(occ.points),
            store_id: Set(occ.store_id.clone()),
            day: Set(occ.at.format("%Y-%m-%d").to_string()),
            at: Set(occ.at),
            dedup_key: Set(occ.dedup_key.clone()),
        })
        // Either key: the event id (a replay) or the dedup key (a retold occurrence).
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
        if fresh == 0 {
            continue;
        }
        let value = measure(db, &badge, &occ.member, row.last_event_id, occ.at).await?;
        if value >= badge.spec.criteria.target {
            out.push(give(db, &badge, row, "auto", None, Some(occ.event_id), None, occ.at).await?);
        }
    }
    Ok(out)
}

/// The measure of `badge` for `member` in the window that contains `at`, over the records
/// after event `after` (the one that completed the last award).
pub async fn measure(
    db: &impl ConnectionTrait,
    badge: &Badge,
    member: &str,
    after: i64,
    at: DateTime<Utc>,
) -> Result<i64, BadgeError> {
    let c = &badge.spec.criteria;
    let expr: SimpleExpr = match c.measure {
        Measure::Count => Func::count(Expr::col(records::Column::EventId)).into(),
        Measure::SumAmount => Func::sum(Expr::col(records::Column::Amount)).into(),
        Measure::SumPoints => Func::sum(Expr::col(records::Column::Points)).into(),
        Measure::DistinctStores => Func::count_distinct(Expr::col(records::Column::StoreId)).into(),
        Measure::DistinctDays => Func::count_distinct(Expr::col(records::Column::Day)).into(),
    };
    let mut select = records::Entity::find()
        .select_only()
        .column_as(Expr::expr(Func::cast_as(expr, Alias::new("BIGINT"))), "v")
        .filter(records::Column::BadgeId.eq(&badge.id))
        .filter(records::Column::MemberId.eq(member))
        .filter(records::Column::EventId.gt(after));
    if let Some(start) = c.window.start(at) {
        select = select.filter(records::Column::At.gte(start));
    }
    if let Some(end) = c.window.end(at) {
        select = select.filter(records::Column::At.lt(end));
    }
    let v: Option<Option<i64>> = select.into_tuple().one(db).await?;
    Ok(v.flatten().unwrap_or(0))
}

/// Awards `badge` to the member whose progress row `row` is locked.
#[allow(clippy::too_many_arguments)]
async fn give(
    db: &impl ConnectionTrait,
    badge: &Badge,
    row: progress::Model,
    source: &str,
    reason: Option<String>,
    event_id: Option<i64>,
    by: Option<String>,
    at: DateTime<Utc>,
) -> Result<BadgeAwarded, BadgeError> {
    if i64::from(row.awards) >= i64::from(badge.spec.award_cap()) {
        return Err(BadgeError::CapReached {
            held: i64::from(row.awards),
        });
    }
    let seq = awards::Entity::find()
        .filter(awards::Column::BadgeId.eq(&badge.id))
        .filter(awards::Column::MemberId.eq(&row.member_id))
        .count(db)
        .await? as i32
        + 1;
    let id = uuid::Uuid::now_v7().to_string();
    awards::Entity::insert(awards::ActiveModel {
        id: Set(id.clone()),
        badge_id: Set(badge.id.clone()),
        member_id: Set(row.member_id.clone()),
        seq: Set(seq),
        source: Set(source.into()),
        reason: Set(reason),
        event_id: Set(event_id),
        reward_points: Set(badge.spec.reward_points),
        awarded_by: Set(by),
        awarded_at: Set(at),
        revoked_at: Set(None),
        revoked_by: Set(None),
        revoke_reason: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    // Progress restarts after what counted: the completing event, or (by hand) all recorded.
    let counted = match event_id {
        Some(e) => e,
        None => records::Entity::find()
            .select_only()
            .column_as(Expr::expr(Func::max(Expr::col(records::Column::EventId))), "m")
            .filter(records::Column::BadgeId.eq(&badge.id))
            .filter(records::Column::MemberId.eq(&row.member_id))
            .into_tuple::<Option<i64>>()
            .one(db)
            .await?
            .flatten()
            .unwrap_or(0),
    };
    let member = row.member_id.clone();
    let last_counted = row.last_event_id;
    let awards_now = row.awards + 1;
    let mut am = row.into_active_model();
    am.awards = Set(awards_now);
    am.last_awarded_at = Set(Some(at));
    am.last_event_id = Set(Ord::max(counted, last_counted));
    am.updated_at = Set(at);
    progress::Entity::update(am).exec(db).await?;
    let event = BadgeAwarded {
        award_id: id,
        badge_id: badge.id.clone(),
        badge_code: badge.spec.code.clone(),
        member_id: member,
        seq,
        source: source.into(),
        reward_points: badge.spec.reward_points,
        at,
    };
    events::emit(db, &event, at).await?;
    metrics::counter!("badges_awarded_total", "source" => source.to_string()).increment(1);
    Ok(event)
}

/// Staff award a badge by hand (criteria aside; the badge's award cap still holds).
pub async fn award(
    db: &impl ConnectionTrait,
    badge_id: &str,
    member: &str,
    reason: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<BadgeAward, BadgeError> {
    sbm_auth::domain::members::require_active_member(db, member).await?;
    let badge = badges::get(db, badge_id).await?;
    if badge.deleted_at.is_some() {
        return Err(BadgeError::NotFound);
    }
    let row = lock_progress(db, &badge.id, member, now).await?;
    let e = give(
        db,
        &badge,
        row,
        "manual",
        Some(reason.to_string()),
        None,
        Some(by.to_string()),
        now,
    )
    .await?;
    get_award(db, &e.award_id).await
}

/// Staff revoke an award: it stops counting (the member may earn the badge again), and
/// `badge.revoked` lets the point service take back what it credited.
pub async fn revoke(
    db: &impl ConnectionTrait,
    award_id: &str,
    reason: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<BadgeAward, BadgeError> {
    let a = awards::Entity::find_by_id(award_id)
        .one(db)
        .await?
        .ok_or(BadgeError::AwardNotFound)?;
    let badge = badges::get(db, &a.badge_id).await?;
    let row = lock_progress(db, &a.badge_id, &a.member_id, now).await?;
    // Read again under the lock: a concurrent revoke may have won.
    let a = awards::Entity::find_by_id(award_id)
        .one(db)
        .await?
        .ok_or(BadgeError::AwardNotFound)?;
    if a.revoked_at.is_some() {
        return Err(BadgeError::AlreadyRevoked);
    }
    let (member, badge_id) = (a.member_id.clone(), a.badge_id.clone());
    let mut am = a.into_active_model();
    am.revoked_at = Set(Some(now));
    am.revoked_by = Set(Some(by.to_string()));
    am.revoke_reason = Set(Some(reason.to_string()));
    awards::Entity::update(am).exec(db).await?;
    let held = (row.awards - 1).max(0);
    let mut pm = row.into_active_model();
    pm.awards = Set(held);
    pm.updated_at = Set(now);
    progress::Entity::update(pm).exec(db).await?;
    events::emit(
        db,
        &BadgeRevoked {
            award_id: award_id.to_string(),
            badge_id,
            badge_code: badge.spec.code.clone(),
            member_id: member,
            reason: reason.to_string(),
            at: now,
        },
        now,
    )
    .await?;
    get_award(db, award_id).await
}

/// An award as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgeAward {
    pub id: String,
    pub badge_id: String,
    pub member_id: String,
    pub seq: i32,
    /// `auto` or `manual`.
    pub source: String,
    pub reason: Option<String>,
    pub reward_points: Option<i64>,
    pub awarded_by: Option<String>,
    pub awarded_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

impl From<awards::Model> for BadgeAward {
    fn from(a: awards::Model) -> Self {
        Self {
            id: a.id,
            badge_id: a.badge_id,
            member_id: a.member_id,
            seq: a.seq,
            source: a.source,
            reason: a.reason,
            reward_points: a.reward_points,
            awarded_by: a.awarded_by,
            awarded_at: a.awarded_at,
            revoked_at: a.revoked_at,
            revoke_reason: a.revoke_reason,
        }
    }
}

pub async fn get_award(db: &impl ConnectionTrait, id: &str) -> Result<BadgeAward, BadgeError> {
    Ok(awards::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(BadgeError::AwardNotFound)?
        .into())
}

async fn awards_of(db: &impl ConnectionTrait, badge: &str, member: &str) -> Result<Vec<BadgeAward>, BadgeError> {
    Ok(awards::Entity::find()
        .filter(awards::Column::BadgeId.eq(badge))
        .filter(awards::Column::MemberId.eq(member))
        .order_by_asc(awards::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(BadgeAward::from)
        .collect())
}

/// A badge, briefly.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgeBrief {
    pub id: String,
    pub code: String,
    #[serde(rename = "name_en")]
    pub name_en: String,
    #[serde(rename = "name_th")]
    pub name_th: String,
    #[serde(rename = "name_cn")]
    pub name_cn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub category: String,
    pub visibility: Visibility,
    pub reward_points: Option<i64>,
}

/// A member's standing on one badge.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgeProgress {
    pub badge: BadgeBrief,
    pub member_id: String,
    /// Holds at least one standing award.
    pub earned: bool,
    /// Standing awards (revoked ones aside).
    pub awards: i32,
    pub last_awarded_at: Option<DateTime<Utc>>,
    /// The earned image once earned, the locked one before.
    pub image_url: Option<String>,
    pub measure: Measure,
    /// Progress towards the next award, in the current window (0 once a non-repeatable badge is
    /// earned or the cap is reached).
    pub value: i64,
    pub target: i64,
    /// 0 to 100.
    pub percentage: f64,
    /// Every award, revoked ones included.
    pub history: Vec<BadgeAward>,
}

async fn standing(
    db: &impl ConnectionTrait,
    badge: &Badge,
    member: &str,
    locale: Option<Locale>,
    now: DateTime<Utc>,
) -> Result<BadgeProgress, BadgeError> {
    let row = progress::Entity::find_by_id((badge.id.clone(), member.to_string()))
        .one(db)
        .await?;
    let (held, last, after) = row.map_or((0, None, 0), |r| (r.awards, r.last_awarded_at, r.last_event_id));
    let capped = i64::from(held) >= i64::from(badge.spec.award_cap());
    let value = if capped {
        0
    } else {
        measure(db, badge, member, after, now).await?
    };
    let target = badge.spec.criteria.target;
    let s = &badge.spec;
    let pct = ((value as f64 / target as f64) * 100.0).clamp(0.0, 100.0);
    Ok(BadgeProgress {
        badge: BadgeBrief {
            id: badge.id.clone(),
            code: s.code.clone(),
            name_en: s.name_en.clone(),
            name_th: s.name_th.clone(),
            name_cn: s.name_cn.clone(),
            name: locale.map(|l| l.pick(&s.name_en, &s.name_th, &s.name_cn).to_string()),
            description: locale.map(|l| {
                l.pick(&s.description_en, &s.description_th, &s.description_cn)
                    .to_string()
            }),
            category: s.category.clone(),
            visibility: s.visibility,
            reward_points: s.reward_points,
        },
        member_id: member.to_string(),
        earned: held > 0,
        awards: held,
        last_awarded_at: last,
        image_url: if held > 0 {
            s.image_url.clone()
        } else {
            s.locked_image_url.clone()
        },
        measure: s.criteria.measure,
        value,
        target,
        percentage: (pct * 100.0).round() / 100.0,
        history: awards_of(db, &badge.id, member).await?,
    })
}

/// A member's own badges: earned ones (whatever became of the badge since) and the locked
/// ones they can see (public; seasonal in season; invitation badges stay hidden until
/// earned), earned first, then by category and code; paged in `q`.
pub async fn of_member(
    db: &impl ConnectionTrait,
    member: &str,
    q: &ListQuery,
    now: DateTime<Utc>,
) -> Result<Page<BadgeProgress>, BadgeError> {
    sbm_auth::domain::members::get_member(db, member).await?;
    let held: Vec<String> = progress::Entity::find()
        .select_only()
        .column(progress::Column::BadgeId)
        .filter(progress::Column::MemberId.eq(member))
        .filter(progress::Column::Awards.gt(0))
        .into_tuple()
        .all(db)
        .await?;
    let mut shown: Vec<Badge> = Vec::new();
    for b in badges::all_live(db).await? {
        let earned = held.contains(&b.id);
        let visible = b.live()
            && match b.spec.visibility {
                Visibility::Public => true,
                Visibility::Seasonal => b.spec.in_season(now),
                Visibility::InviteOnly => false,
            };
        if earned || visible {
            shown.push(b);
        }
    }
    for id in &held {
        if !shown.iter().any(|b| &b.id == id) {
            shown.push(badges::get(db, id).await?);
        }
    }
    shown.sort_by(|a, b| {
        (!held.contains(&a.id), &a.spec.category, &a.spec.code).cmp(&(
            !held.contains(&b.id),
            &b.spec.category,
            &b.spec.code,
        ))
    });
    let total = shown.len() as u64;
    let mut data = Vec::new();
    for b in shown.iter().skip(q.offset() as usize).take(q.limit as usize) {
        data.push(standing(db, b, member, q.locale, now).await?);
    }
    Ok(Page::new(data, q.page, q.limit, total))
}

/// Progress rows for staff, by `memberId` and/or `badgeId`, newest change first.
pub async fn list(
    db: &impl ConnectionTrait,
    member: Option<&str>,
    badge: Option<&str>,
    q: &ListQuery,
    now: DateTime<Utc>,
) -> Result<Page<BadgeProgress>, BadgeError> {
    let mut select = progress::Entity::find();
    if let Some(m) = member {
        select = select.filter(progress::Column::MemberId.eq(m));
    }
    if let Some(b) = badge {
        select = select.filter(progress::Column::BadgeId.eq(b));
    }
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_desc(progress::Column::UpdatedAt)
        .order_by_asc(progress::Column::BadgeId)
        .order_by_asc(progress::Column::MemberId)
        .offset(q.offset())
        .limit(q.limit)
        .all(db)
        .await?;
    let mut data = Vec::with_capacity(rows.len());
    let mut cache: Vec<Badge> = Vec::new();
    for r in rows {
        let b = match cache.iter().find(|b| b.id == r.badge_id) {
            Some(b) => b.clone(),
            None => {
                let b = badges::get(db, &r.badge_id).await?;
                cache.push(b.clone());
                b
            }
        };
        data.push(standing(db, &b, &r.member_id, q.locale, now).await?);
    }
    Ok(Page::new(data, q.page, q.limit, total))
}
