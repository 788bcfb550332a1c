//! Badges: what a badge is, its criteria, and the badge rows (staff CRUD, soft delete).

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::query::Locale;
use sbm_common::{Filter, ListQuery, ListSpec, Page, Validator};

use super::error::BadgeError;
use crate::entity::badges;

/// The most items a criteria filter lists.
pub const MAX_FILTER: usize = 50;

/// Who sees a badge before earning it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Everyone, locked until earned.
    Public,
    /// Hidden until earned.
    InviteOnly,
    /// Shown, and earnable, between `startsAt` and `endsAt` only (kept once earned).
    Seasonal,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::InviteOnly => "invite_only",
            Visibility::Seasonal => "seasonal",
        }
    }
}

/// The event that moves a badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BadgeEvent {
    /// `purchase.recorded`.
    Purchase,
    /// `points.earned`.
    PointsEarned,
    /// `receipt.approved`.
    ReceiptApproved,
    /// `member.registered`.
    Registration,
    /// `action.performed` for the criteria's `action`.
    Action,
    /// `tier.changed` (the `tiers` filter names the tier reached).
    TierChanged,
}

impl BadgeEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            BadgeEvent::Purchase => "purchase",
            BadgeEvent::PointsEarned => "points_earned",
            BadgeEvent::ReceiptApproved => "receipt_approved",
            BadgeEvent::Registration => "registration",
            BadgeEvent::Action => "action",
            BadgeEvent::TierChanged => "tier_changed",
        }
    }
}

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Count,
    /// Purchase or receipt amounts, minor units.
    SumAmount,
    SumPoints,
    DistinctStores,
    /// Distinct UTC days.
    DistinctDays,
}

/// The period progress is counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WindowKind {
    Lifetime,
    /// The last `days` days.
    RollingDays,
    /// The ISO week (Monday to Sunday, UTC).
    CalendarWeek,
    /// The calendar month (UTC).
    CalendarMonth,
    /// From `from` to `to`.
    Fixed,
}

/// A window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Window {
    pub kind: WindowKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<DateTime<Utc>>,
}

impl Window {
    /// Where the window containing `at` starts (`None`: the beginning of time).
    pub fn start(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let midnight = |d: chrono::NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
        match self.kind {
            WindowKind::Lifetime => None,
            WindowKind::RollingDays => Some(at - Duration::days(i64::from(self.days.unwrap_or(30)))),
            WindowKind::CalendarWeek => {
                let d = at.date_naive();
                Some(midnight(
                    d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
                ))
            }
            WindowKind::CalendarMonth => {
                let d = at.date_naive();
                Some(midnight(d.with_day(1).unwrap_or(d)))
            }
            WindowKind::Fixed => self.from,
        }
    }

    /// Where the window containing `at` ends, exclusive (`None`: it has not ended; records
    /// after `at` count, so an event that arrives late still sees the ones dated after it).
    pub fn end(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.kind {
            WindowKind::CalendarWeek => self.start(at).map(|s| s + Duration::days(7)),
            WindowKind::CalendarMonth => self
                .start(at)
                .and_then(|s| s.checked_add_months(chrono::Months::new(1))),
            WindowKind::Fixed => self.to.map(|t| t + Duration::seconds(1)),
            WindowKind::Lifetime | WindowKind::RollingDays => None,
        }
    }

    /// Whether an event at `at` may count at all (fixed windows end).
    pub fn admits(&self, at: DateTime<Utc>) -> bool {
        match self.kind {
            WindowKind::Fixed => self.from.is_none_or(|f| at >= f) && self.to.is_none_or(|t| at <= t),
            _ => true,
        }
    }
}

/// Which events count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Filters {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub store_categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stores: Vec<String>,
    /// Smallest amount (minor units) of a purchase or receipt that counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_amount: Option<i64>,
    /// Tier codes the member must hold (for `tier_changed`: the tier reached).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<String>,
}

/// How a badge is earned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Criteria {
    pub event: BadgeEvent,
    /// For `event: action`: the action's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    pub measure: Measure,
    /// The value the measure must reach (1 to 1e12).
    pub target: i64,
    pub window: Window,
    #[serde(default)]
    pub filters: Filters,
}

fn yes() -> bool {
    true
}

/// A badge as it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BadgeSpec {
    pub code: String,
    #[serde(rename = "name_en")]
    pub name_en: String,
    #[serde(rename = "name_th", default)]
    pub name_th: String,
    #[serde(rename = "name_cn", default)]
    pub name_cn: String,
    #[serde(rename = "description_en", default)]
    pub description_en: String,
    #[serde(rename = "description_th", default)]
    pub description_th: String,
    #[serde(rename = "description_cn", default)]
    pub description_cn: String,
    /// Shown once earned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Shown while locked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_image_url: Option<String>,
    #[serde(default = "general")]
    pub category: String,
    pub visibility: Visibility,
    /// Seasonal badges: when they show and can be earned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
    /// Points the point service credits per award (source `badge`), once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward_points: Option<i64>,
    pub criteria: Criteria,
    /// Earned again once progress reaches the target again (it restarts at each award).
    #[serde(default)]
    pub repeatable: bool,
    /// For repeatable badges: the most awards a member gets (none: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_awards: Option<u32>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn general() -> String {
    "general".into()
}

fn list_ok(items: &[String]) -> bool {
    items.len() <= MAX_FILTER && items.iter().all(|s| !s.is_empty() && s.chars().count() <= 64)
}

impl BadgeSpec {
    fn validate(&self) -> Result<(), BadgeError> {
        let mut v = Validator::new();
        v.code("code", &self.code);
        v.text("name_en", &self.name_en, 200);
        v.max_chars("name_th", &self.name_th, 200);
        v.max_chars("name_cn", &self.name_cn, 200);
        v.max_chars("description_en", &self.description_en, 2000);
        v.max_chars("description_th", &self.description_th, 2000);
        v.max_chars("description_cn", &self.description_cn, 2000);
        v.http_url("imageUrl", self.image_url.as_deref());
        v.http_url("lockedImageUrl", self.locked_image_url.as_deref());
        v.text("category", &self.category, 64);
        for (f, t) in [("startsAt", &self.starts_at), ("endsAt", &self.ends_at)] {
            if let Some(t) = t {
                v.instant(f, t);
            }
        }
        if self.visibility == Visibility::Seasonal {
            v.check(
                matches!((self.starts_at, self.ends_at), (Some(s), Some(e)) if s < e),
                "endsAt",
                "seasonal badges need startsAt before endsAt",
            );
        }
        if let Some(p) = self.reward_points {
            v.check(
                (1..=1_000_000).contains(&p),
                "rewardPoints",
                "must be between 1 and 1000000",
            );
        }
        let c = &self.criteria;
        match (c.event, &c.action) {
            (BadgeEvent::Action, Some(a)) => v.check(
                !a.is_empty() && a.len() <= 64 && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
                "criteria.action",
                "must be 1 to 64 letters, digits, `-`, `_` or `.`",
            ),
            (BadgeEvent::Action, None) => v.add("criteria.action", "is required for the `action` event"),
            (_, Some(_)) => v.add("criteria.action", "belongs to the `action` event only"),
            (_, None) => {}
        }
        let amounts = matches!(c.event, BadgeEvent::Purchase | BadgeEvent::ReceiptApproved);
        if c.measure == Measure::SumAmount && !amounts {
            v.add(
                "criteria.measure",
                "sum_amount needs the purchase or receipt_approved event",
            );
        }
        if c.measure == Measure::SumPoints
            && !matches!(
                c.event,
                BadgeEvent::PointsEarned | BadgeEvent::Purchase | BadgeEvent::ReceiptApproved | BadgeEvent::Action
            )
        {
            v.add("criteria.measure", "sum_points needs an event that carries points");
        }
        if c.measure == Measure::DistinctStores && !matches!(c.event, BadgeEvent::Purchase | BadgeEvent::Registration) {
            v.add(
                "criteria.measure",
                "distinct_stores needs the purchase or registration event",
            );
        }
        v.check(
            (1..=1_000_000_000_000).contains(&c.target),
            "criteria.target",
            "must be between 1 and 1000000000000",
        );
        match c.window.kind {
            WindowKind::RollingDays => v.check(
                c.window.days.is_some_and(|d| (1..=3660).contains(&d)),
                "criteria.window.days",
                "is required for rolling windows: 1 to 3660",
            ),
            _ => v.check(
                c.window.days.is_none(),
                "criteria.window.days",
                "belongs to rolling windows only",
            ),
        }
        match c.window.kind {
            WindowKind::Fixed => v.check(
                matches!((c.window.from, c.window.to), (Some(f), Some(t)) if f < t),
                "criteria.window.to",
                "fixed windows need from before to",
            ),
            _ => v.check(
                c.window.from.is_none() && c.window.to.is_none(),
                "criteria.window.from",
                "belongs to fixed windows only",
            ),
        }
        let f = &c.filters;
        v.check(
            list_ok(&f.store_categories),
            "criteria.filters.storeCategories",
            "at most 50 values of 1 to 64 characters",
        );
        v.check(
            list_ok(&f.stores),
            "criteria.filters.stores",
            "at most 50 values of 1 to 64 characters",
        );
        v.check(
            list_ok(&f.tiers),
            "criteria.filters.tiers",
            "at most 50 tier codes of 1 to 64 characters",
        );
        if let Some(m) = f.min_amount {
            v.check(
                (0..=1_000_000_000_000).contains(&m),
                "criteria.filters.minAmount",
                "must be between 0 and 1000000000000",
            );
        }
        if (!f.store_categories.is_empty() || !f.stores.is_empty()) && c.event != BadgeEvent::Purchase {
            v.add(
                "criteria.filters",
                "store filters need the purchase event (receipts carry no store)",
            );
        }
        if f.min_amount.is_some() && !amounts {
            v.add(
                "criteria.filters.minAmount",
                "needs the purchase or receipt_approved event",
            );
        }
        match (self.repeatable, self.max_awards) {
            (false, Some(_)) => v.add("maxAwards", "belongs to repeatable badges only"),
            (true, Some(m)) => v.check((1..=10_000).contains(&m), "maxAwards", "must be between 1 and 10000"),
            _ => {}
        }
        v.into_result().map_err(BadgeError::Invalid)
    }

    /// Whether the badge can be earned at `at` (seasonal ones in their season only).
    pub fn in_season(&self, at: DateTime<Utc>) -> bool {
        self.visibility != Visibility::Seasonal
            || (self.starts_at.is_none_or(|s| at >= s) && self.ends_at.is_none_or(|e| at <= e))
    }

    /// The most awards a member may hold.
    pub fn award_cap(&self) -> u32 {
        if self.repeatable {
            self.max_awards.unwrap_or(u32::MAX)
        } else {
            1
        }
    }
}

/// A badge as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    pub id: String,
    #[serde(flatten)]
    pub spec: BadgeSpec,
    /// With `?locale=`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl Badge {
    pub fn localize(mut self, locale: Option<Locale>) -> Self {
        if let Some(l) = locale {
            let s = &self.spec;
            self.name = Some(l.pick(&s.name_en, &s.name_th, &s.name_cn).to_string());
            self.description = Some(
                l.pick(&s.description_en, &s.description_th, &s.description_cn)
                    .to_string(),
            );
        }
        self
    }
    pub fn live(&self) -> bool {
        self.deleted_at.is_none() && self.spec.active
    }
}

impl TryFrom<badges::Model> for Badge {
    type Error = BadgeError;
    fn try_from(r: badges::Model) -> Result<Self, BadgeError> {
        let criteria = serde_json::from_str(&r.criteria).map_err(|e| BadgeError::Corrupt {
            id: r.id.clone(),
            cause: e.to_string(),
        })?;
        let visibility = serde_json::from_value(serde_json::Value::String(r.visibility.clone())).map_err(|e| {
            BadgeError::Corrupt {
                id: r.id.clone(),
                cause: e.to_string(),
            }
        })?;
        Ok(Badge {
            id: r.id,
            spec: BadgeSpec {
                code: r.code,
                name_en: r.name_en,
                name_th: r.name_th,
                name_cn: r.name_cn,
                description_en: r.description_en,
                description_th: r.description_th,
                description_cn: r.description_cn,
                image_url: r.image_url,
                locked_image_url: r.locked_image_url,
                category: r.category,
                visibility,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                reward_points: r.reward_points,
                criteria,
                repeatable: r.repeatable,
                max_awards: r.max_awards.map(|m| m.max(0) as u32),
                active: r.active,
            },
            name: None,
            description: None,
            created_at: r.created_at,
            updated_at: r.updated_at,
            deleted_at: r.deleted_at,
        })
    }
}

fn row(id: String, s: &BadgeSpec, created_at: DateTime<Utc>, now: DateTime<Utc>) -> badges::Model {
    badges::Model {
        id,
        code: s.code.clone(),
        name_en: s.name_en.clone(),
        name_th: s.name_th.clone(),
        name_cn: s.name_cn.clone(),
        description_en: s.description_en.clone(),
        description_th: s.description_th.clone(),
        description_cn: s.description_cn.clone(),
        image_url: s.image_url.clone(),
        locked_image_url: s.locked_image_url.clone(),
        category: s.category.clone(),
        visibility: s.visibility.as_str().into(),
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        reward_points: s.reward_points,
        criteria: serde_json::to_string(&s.criteria).unwrap_or_else(|_| "null".into()),
        event: s.criteria.event.as_str().into(),
        repeatable: s.repeatable,
        max_awards: s.max_awards.map(|m| m as i32),
        active: s.active,
        created_at,
        updated_at: now,
        deleted_at: None,
    }
}

/// The badges list: filters `category`, `visibility`, `active`; `search` in code and names;
/// sort `code`, `category`, `createdAt`. Deleted badges only with `includeDeletedAt=true`.
pub const LIST: ListSpec<badges::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("code", badges::Column::Code),
        ("category", badges::Column::Category),
        ("createdAt", badges::Column::CreatedAt),
    ],
    default_sort: badges::Column::CreatedAt,
    tiebreak: badges::Column::Id,
    search: &[
        badges::Column::Code,
        badges::Column::NameEn,
        badges::Column::NameTh,
        badges::Column::NameCn,
    ],
    filters: &[
        Filter::Text("category", badges::Column::Category),
        Filter::Enum(
            "visibility",
            badges::Column::Visibility,
            &["public", "invite_only", "seasonal"],
        ),
        Filter::Bool("active", badges::Column::Active),
    ],
};

/// One page of badges; `staff` sees invitation badges and deleted ones on request.
pub async fn list(db: &impl ConnectionTrait, q: &ListQuery, staff: bool) -> Result<Page<Badge>, BadgeError> {
    let mut select = badges::Entity::find();
    let deleted = q
        .filter_bool("includeDeletedAt")
        .map_err(|e| BadgeError::Invalid(e.errors))?
        .unwrap_or(false);
    if !(staff && deleted) {
        select = select.filter(badges::Column::DeletedAt.is_null());
    }
    if !staff {
        select = select
            .filter(badges::Column::Visibility.ne(Visibility::InviteOnly.as_str()))
            .filter(badges::Column::Active.eq(true));
    }
    let page = q.page(db, select, &LIST).await?;
    let locale = q.locale;
    let data = page
        .data
        .into_iter()
        .map(|r| Badge::try_from(r).map(|b| b.localize(locale)))
        .collect::<Result<_, _>>()?;
    Ok(Page { meta: page.meta, data })
}

/// One badge, deleted or not.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Badge, BadgeError> {
    badges::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(BadgeError::NotFound)?
        .try_into()
}

/// Live badges an event kind can move.
pub async fn for_event(db: &impl ConnectionTrait, event: BadgeEvent) -> Result<Vec<Badge>, BadgeError> {
    badges::Entity::find()
        .filter(badges::Column::Event.eq(event.as_str()))
        .filter(badges::Column::Active.eq(true))
        .filter(badges::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(Badge::try_from)
        .collect()
}

/// Every badge that is not deleted.
pub async fn all_live(db: &impl ConnectionTrait) -> Result<Vec<Badge>, BadgeError> {
    badges::Entity::find()
        .filter(badges::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(Badge::try_from)
        .collect()
}

fn taken(e: sea_orm::DbErr) -> BadgeError {
    match sbm_common::db::unique_violation(&e) {
        Some(_) => BadgeError::CodeTaken,
        None => e.into(),
    }
}

pub async fn create(db: &impl ConnectionTrait, spec: &BadgeSpec, now: DateTime<Utc>) -> Result<Badge, BadgeError> {
    spec.validate()?;
    let r = row(uuid::Uuid::now_v7().to_string(), spec, now, now);
    badges::Entity::insert(r.clone().into_active_model())
        .exec_without_returning(db)
        .await
        .map_err(taken)?;
    r.try_into()
}

/// New contents for a live badge; the code cannot change (progress and awards refer to it).
pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    spec: &BadgeSpec,
    now: DateTime<Utc>,
) -> Result<Badge, BadgeError> {
    spec.validate()?;
    let current = get(db, id).await?;
    if current.deleted_at.is_some() {
        return Err(BadgeError::NotFound);
    }
    if current.spec.code != spec.code {
        return Err(BadgeError::CodeImmutable);
    }
    row(id.to_string(), spec, current.created_at, now)
        .into_active_model()
        .reset_all()
        .update(db)
        .await
        .map_err(taken)?
        .try_into()
}

/// Soft delete: no more progress or awards; awards already given stay.
pub async fn delete(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<Badge, BadgeError> {
    let current = get(db, id).await?;
    if current.deleted_at.is_some() {
        return Err(BadgeError::NotFound);
    }
    let mut r = row(id.to_string(), &current.spec, current.created_at, now);
    r.deleted_at = Some(now);
    r.into_active_model().reset_all().update(db).await?.try_into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_start_where_expected() {
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 15, 0, 0).unwrap(); // a Thursday
        let w = |kind| Window {
            kind,
            days: Some(7),
            from: None,
            to: None,
        };
        assert_eq!(
            w(WindowKind::CalendarWeek).start(at),
            Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).single()
        );
        assert_eq!(
            w(WindowKind::CalendarMonth).start(at),
            Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single()
        );
        assert_eq!(
            w(WindowKind::RollingDays).start(at),
            Utc.with_ymd_and_hms(2026, 11, 26, 15, 0, 0).single()
        );
        assert_eq!(w(WindowKind::Lifetime).start(at), None);
        assert_eq!(
            w(WindowKind::CalendarWeek).end(at),
            Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).single()
        );
        assert_eq!(
            w(WindowKind::CalendarMonth).end(at),
            Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).single()
        );
        assert_eq!(w(WindowKind::RollingDays).end(at), None);
    }
}
