//! Rewards: what a member can redeem, in a catalog at a position. Staff CRUD (soft delete;
//! rows owned by the operator are read-only), stock that is never set below what is claimed,
//! and a member's view with whether they may redeem it now and why not.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    QueryFilter, QuerySelect,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::query::{Locale, SortOrder};
use sbm_common::{ListQuery, ListSpec, Page, Validator};
use sbm_point::domain::ledger::{MAX_AMOUNT, MAX_POINTS};

use super::catalogs::{self, Viewer};
use super::error::RewardError;
use crate::entity::{redemptions, reward_catalogs, reward_codes, rewards};

/// The most stock a reward may hold, and the largest per-member limit.
pub const MAX_STOCK: i64 = 1_000_000_000;
pub const MAX_LIMIT: i32 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RewardType {
    Voucher,
    Gift,
    Discount,
    Privilege,
}

impl RewardType {
    pub fn as_str(self) -> &'static str {
        match self {
            RewardType::Voucher => "voucher",
            RewardType::Gift => "gift",
            RewardType::Discount => "discount",
            RewardType::Privilege => "privilege",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "voucher" => RewardType::Voucher,
            "gift" => RewardType::Gift,
            "discount" => RewardType::Discount,
            "privilege" => RewardType::Privilege,
            _ => return None,
        })
    }
}

/// What a reward is worth to the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RewardValue {
    /// A percentage off (1 to 100).
    Percent { percent: i64 },
    /// An amount off, in minor units of `currency` (ISO 4217).
    Fixed { amount: i64, currency: String },
    /// An item given.
    Item { item: String },
}

/// The period of a per-member limit (calendar periods in UTC; weeks start on Monday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitPeriod {
    Day,
    Week,
    Month,
}

impl LimitPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            LimitPeriod::Day => "day",
            LimitPeriod::Week => "week",
            LimitPeriod::Month => "month",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "day" => LimitPeriod::Day,
            "week" => LimitPeriod::Week,
            "month" => LimitPeriod::Month,
            _ => return None,
        })
    }
    /// When the period holding `now` began.
    pub fn start(self, now: DateTime<Utc>) -> DateTime<Utc> {
        let day = now.date_naive();
        let first = match self {
            LimitPeriod::Day => day,
            LimitPeriod::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            LimitPeriod::Month => day.with_day(1).unwrap_or(day),
        };
        Utc.from_utc_datetime(&first.and_hms_opt(0, 0, 0).unwrap_or_default())
    }
}

/// Where a redeemed reward's code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum CodeMode {
    /// No code: the redemption's QR is the voucher.
    #[default]
    None,
    /// One code from the reward's pool per redemption.
    Pool,
    /// The same `staticCode` for everyone.
    Static,
}

impl CodeMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeMode::None => "none",
            CodeMode::Pool => "pool",
            CodeMode::Static => "static",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "none" => CodeMode::None,
            "pool" => CodeMode::Pool,
            "static" => CodeMode::Static,
            _ => return None,
        })
    }
}

fn yes() -> bool {
    true
}

/// A reward as it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RewardSpec {
    /// Stable identifier (the key in a `RewardCatalog` resource); cannot change.
    pub code: String,
    /// The catalog it belongs to.
    pub catalog_id: String,
    /// Its place in the catalog (lower first).
    #[serde(default)]
    pub position: i32,
    #[serde(rename = "type")]
    pub reward_type: RewardType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
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
    #[serde(rename = "terms_en", default)]
    pub terms_en: String,
    #[serde(rename = "terms_th", default)]
    pub terms_th: String,
    #[serde(rename = "terms_cn", default)]
    pub terms_cn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Points one redemption costs (0: free).
    pub points_cost: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<RewardValue>,
    /// How many can ever be claimed (none: unlimited). Never below what is claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock_total: Option<i64>,
    /// Redemptions one member may hold over all time (cancelled ones do not count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_lifetime: Option<i32>,
    /// Redemptions one member may make per `limitPeriod`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_per_period: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_period: Option<LimitPeriod>,
    /// Tiers whose holders may redeem it (empty: every tier). Others see it, not eligible.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tier_codes: Vec<String>,
    /// Redeemable from then (none: at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    /// Redeemable until then (none: for good).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
    /// Days a claimed voucher stays usable (none: until used or cancelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voucher_valid_days: Option<i32>,
    #[serde(default)]
    pub code_mode: CodeMode,
    /// The code every redemption shows (`codeMode: static`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub static_code: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

impl RewardSpec {
    /// Every problem, each naming its field.
    pub fn validate(&self) -> Result<(), RewardError> {
        let mut v = Validator::new();
        self.check(&mut v);
        v.into_result().map_err(RewardError::Invalid)
    }

    /// The checks of [`Self::validate`], on a validator of the caller's (the operator prefixes
    /// nothing: field names are the resource's too).
    pub fn check(&self, v: &mut Validator) {
        v.code("code", &self.code);
        v.text("catalogId", &self.catalog_id, 64);
        v.check(
            (-1_000_000..=1_000_000).contains(&self.position),
            "position",
            "must be between -1000000 and 1000000",
        );
        if let Some(c) = &self.category {
            v.text("category", c, 64);
        }
        v.text("name_en", &self.name_en, 200);
        v.max_chars("name_th", &self.name_th, 200);
        v.max_chars("name_cn", &self.name_cn, 200);
        for (f, t) in [
            ("description_en", &self.description_en),
            ("description_th", &self.description_th),
            ("description_cn", &self.description_cn),
            ("terms_en", &self.terms_en),
            ("terms_th", &self.terms_th),
            ("terms_cn", &self.terms_cn),
        ] {
            v.max_chars(f, t, 4000);
        }
        v.http_url("imageUrl", self.image_url.as_deref());
        v.check(
            (0..=MAX_POINTS).contains(&self.points_cost),
            "pointsCost",
            "must be between 0 and 1000000000",
        );
        match &self.value {
            Some(RewardValue::Percent { percent }) => v.check(
                (1..=100).contains(percent),
                "value.percent",
                "must be between 1 and 100",
            ),
            Some(RewardValue::Fixed { amount, currency }) => {
                v.check(
                    (1..=MAX_AMOUNT).contains(amount),
                    "value.amount",
                    "must be a positive amount in minor units",
                );
                v.check(
                    currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase()),
                    "value.currency",
                    "must be an ISO 4217 code such as THB",
                );
            }
            Some(RewardValue::Item { item }) => v.text("value.item", item, 200),
            None => {}
        }
        if let Some(s) = self.stock_total {
            v.check(
                (0..=MAX_STOCK).contains(&s),
                "stockTotal",
                "must be between 0 and 1000000000 (omit it for unlimited)",
            );
        }
        for (f, l) in [
            ("limitLifetime", self.limit_lifetime),
            ("limitPerPeriod", self.limit_per_period),
        ] {
            if let Some(l) = l {
                v.check((1..=MAX_LIMIT).contains(&l), f, "must be between 1 and 1000000");
            }
        }
        v.check(
            self.limit_per_period.is_some() == self.limit_period.is_some(),
            "limitPeriod",
            "limitPerPeriod and limitPeriod go together",
        );
        v.check(
            self.tier_codes.len() <= catalogs::MAX_TIERS,
            "tierCodes",
            "must name at most 50 tiers",
        );
        for (i, t) in self.tier_codes.iter().enumerate() {
            v.code(&format!("tierCodes[{i}]"), t);
        }
        for (f, t) in [("startsAt", &self.starts_at), ("endsAt", &self.ends_at)] {
            if let Some(t) = t {
                v.instant(f, t);
            }
        }
        if let (Some(s), Some(e)) = (self.starts_at, self.ends_at) {
            v.check(s < e, "endsAt", "must be after startsAt");
        }
        if let Some(d) = self.voucher_valid_days {
            v.check(
                (1..=3650).contains(&d),
                "voucherValidDays",
                "must be between 1 and 3650",
            );
        }
        match (self.code_mode, &self.static_code) {
            (CodeMode::Static, Some(c)) => v.check(
                !c.trim().is_empty() && c.chars().count() <= 64 && !c.chars().any(char::is_control),
                "staticCode",
                "must be 1 to 64 printable characters",
            ),
            (CodeMode::Static, None) => v.add("staticCode", "is required with codeMode `static`"),
            (_, Some(_)) => v.add("staticCode", "belongs to codeMode `static` only"),
            (_, None) => {}
        }
    }

    /// Whether `now` is in the redemption window.
    pub fn in_window(&self, now: DateTime<Utc>) -> bool {
        self.starts_at.is_none_or(|s| now >= s) && self.ends_at.is_none_or(|e| now < e)
    }

    /// Whether a holder of `tier` may redeem it.
    pub fn tier_allows(&self, tier: Option<&str>) -> bool {
        self.tier_codes.is_empty() || tier.is_some_and(|t| self.tier_codes.iter().any(|c| c == t))
    }
}

/// A reward as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reward {
    pub id: String,
    #[serde(flatten)]
    pub spec: RewardSpec,
    /// With `?locale=`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
    /// Redemptions holding stock (claimed, used or expired).
    pub stock_claimed: i64,
    /// What is left (none: unlimited).
    pub stock_remaining: Option<i64>,
    /// Owned by the Kubernetes operator (a `RewardCatalog` resource): read-only through the API.
    pub managed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl Reward {
    pub fn localize(mut self, locale: Option<Locale>) -> Self {
        if let Some(l) = locale {
            let s = &self.spec;
            self.name = Some(l.pick(&s.name_en, &s.name_th, &s.name_cn).to_string());
            self.description = Some(
                l.pick(&s.description_en, &s.description_th, &s.description_cn)
                    .to_string(),
            );
            self.terms = Some(l.pick(&s.terms_en, &s.terms_th, &s.terms_cn).to_string());
        }
        self
    }
}

impl TryFrom<rewards::Model> for Reward {
    type Error = RewardError;
    fn try_from(r: rewards::Model) -> Result<Self, RewardError> {
        let corrupt = |cause: String| RewardError::Corrupt {
            id: r.id.clone(),
            cause,
        };
        let tier_codes: Vec<String> = serde_json::from_str(&r.tier_codes).map_err(|e| corrupt(e.to_string()))?;
        let value = r
            .value
            .as_deref()
            .map(serde_json::from_str::<RewardValue>)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?;
        let reward_type =
            RewardType::parse(&r.reward_type).ok_or_else(|| corrupt(format!("type `{}`", r.reward_type)))?;
        let code_mode = CodeMode::parse(&r.code_mode).ok_or_else(|| corrupt(format!("codeMode `{}`", r.code_mode)))?;
        let limit_period = match r.limit_period.as_deref() {
            None => None,
            Some(p) => Some(LimitPeriod::parse(p).ok_or_else(|| corrupt(format!("limitPeriod `{p}`")))?),
        };
        Ok(Reward {
            stock_remaining: r.stock_total.map(|t| Ord::max(t - r.stock_claimed, 0)),
            spec: RewardSpec {
                code: r.code,
                catalog_id: r.catalog_id,
                position: r.position,
                reward_type,
                category: r.category,
                name_en: r.name_en,
                name_th: r.name_th,
                name_cn: r.name_cn,
                description_en: r.description_en,
                description_th: r.description_th,
                description_cn: r.description_cn,
                terms_en: r.terms_en,
                terms_th: r.terms_th,
                terms_cn: r.terms_cn,
                image_url: r.image_url,
                points_cost: r.points_cost,
                value,
                stock_total: r.stock_total,
                limit_lifetime: r.limit_lifetime,
                limit_per_period: r.limit_per_period,
                limit_period,
                tier_codes,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                voucher_valid_days: r.voucher_valid_days,
                code_mode,
                static_code: r.static_code,
                active: r.active,
            },
            id: r.id,
            name: None,
            description: None,
            terms: None,
            stock_claimed: r.stock_claimed,
            managed: r.managed,
            created_at: r.created_at,
            updated_at: r.updated_at,
            deleted_at: r.deleted_at,
        })
    }
}

/// The row for `spec` (`stock_claimed` is left to the caller: no write from the API or the
/// operator ever sets it).
pub(crate) fn row(id: String, s: &RewardSpec, created_at: DateTime<Utc>, now: DateTime<Utc>) -> rewards::Model {
    rewards::Model {
        id,
        code: s.code.clone(),
        catalog_id: s.catalog_id.clone(),
        position: s.position,
        reward_type: s.reward_type.as_str().into(),
        category: s.category.clone(),
        name_en: s.name_en.clone(),
        name_th: s.name_th.clone(),
        name_cn: s.name_cn.clone(),
        description_en: s.description_en.clone(),
        description_th: s.description_th.clone(),
        description_cn: s.description_cn.clone(),
        terms_en: s.terms_en.clone(),
        terms_th: s.terms_th.clone(),
        terms_cn: s.terms_cn.clone(),
        image_url: s.image_url.clone(),
        points_cost: s.points_cost,
        value: s.value.as_ref().and_then(|v| serde_json::to_string(v).ok()),
        stock_total: s.stock_total,
        stock_claimed: 0,
        limit_lifetime: s.limit_lifetime,
        limit_per_period: s.limit_per_period,
        limit_period: s.limit_period.map(|p| p.as_str().to_string()),
        tier_codes: serde_json::to_string(&s.tier_codes).unwrap_or_else(|_| "[]".into()),
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        voucher_valid_days: s.voucher_valid_days,
        code_mode: s.code_mode.as_str().into(),
        static_code: s.static_code.clone(),
        active: s.active,
        managed: false,
        managed_by_uid: None,
        created_at,
        updated_at: now,
        deleted_at: None,
    }
}

/// The reward list: `search` in names and descriptions; sort `position` (default, ascending
/// unless `sortOrder` is given), `code`, `pointsCost`, `createdAt`, `name_en`; filters
/// `catalogId`, `type`, `category`, `codeMode`.
pub const LIST: ListSpec<rewards::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("position", rewards::Column::Position),
        ("code", rewards::Column::Code),
        ("pointsCost", rewards::Column::PointsCost),
        ("createdAt", rewards::Column::CreatedAt),
        ("name_en", rewards::Column::NameEn),
    ],
    default_sort: rewards::Column::Position,
    tiebreak: rewards::Column::Id,
    search: &[
        rewards::Column::Code,
        rewards::Column::NameEn,
        rewards::Column::NameTh,
        rewards::Column::NameCn,
        rewards::Column::DescriptionEn,
        rewards::Column::DescriptionTh,
        rewards::Column::DescriptionCn,
    ],
    filters: &[
        sbm_common::query::Filter::Text("catalogId", rewards::Column::CatalogId),
        sbm_common::query::Filter::Enum(
            "type",
            rewards::Column::RewardType,
            &["voucher", "gift", "discount", "privilege"],
        ),
        sbm_common::query::Filter::Text("category", rewards::Column::Category),
        sbm_common::query::Filter::Enum("codeMode", rewards::Column::CodeMode, &["none", "pool", "static"]),
    ],
};

fn flag(q: &ListQuery, key: &str) -> Result<bool, RewardError> {
    Ok(q.filter_bool(key)
        .map_err(|e| RewardError::Invalid(e.errors))?
        .unwrap_or(false))
}

/// One page of rewards as `viewer` sees them: staff every reward (with `includeInActive`,
/// `includeDeletedAt`); a member the active ones in catalogs visible to it now.
pub async fn list(db: &impl ConnectionTrait, q: &ListQuery, viewer: &Viewer<'_>) -> Result<Page<Reward>, RewardError> {
    let mut select = rewards::Entity::find();
    let staff = matches!(viewer, Viewer::Staff);
    if !(staff && flag(q, "includeDeletedAt")?) {
        select = select.filter(rewards::Column::DeletedAt.is_null());
    }
    if !(staff && flag(q, "includeInActive")?) {
        select = select.filter(rewards::Column::Active.eq(true));
    }
    if let Viewer::Member { tier, now } = viewer {
        let visible = catalogs::visible_ids(db, *tier, *now).await?;
        select = select.filter(rewards::Column::CatalogId.is_in(visible));
    }
    let mut q = q.clone();
    if !q.sort_order_given {
        q.sort_order = SortOrder::Asc;
    }
    let page = q.page(db, select, &LIST).await?;
    let locale = q.locale;
    let data = page
        .data
        .into_iter()
        .map(|r| Reward::try_from(r).map(|c| c.localize(locale)))
        .collect::<Result<_, _>>()?;
    Ok(Page { meta: page.meta, data })
}

/// One reward (deleted ones too).
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Reward, RewardError> {
    rewards::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(RewardError::NotFound)?
        .try_into()
}

/// A reward a member holding `tier` can see at `now`: live, active, in a catalog visible to it.
pub async fn get_visible(
    db: &impl ConnectionTrait,
    id: &str,
    tier: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Reward, RewardError> {
    let r = get(db, id).await?;
    if r.deleted_at.is_some() || !r.spec.active {
        return Err(RewardError::NotFound);
    }
    catalogs::get_visible(db, &r.spec.catalog_id, tier, now)
        .await
        .map_err(|e| match e {
            super::CatalogError::NotFound => RewardError::NotFound,
            other => other.into(),
        })?;
    Ok(r)
}

/// Why a member may not redeem a reward now (checked in this order, as a redemption does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ineligible {
    /// Outside the reward's redemption window.
    Window,
    /// The member's tier is not among the reward's tiers.
    Tier,
    /// The member reached a per-member limit.
    Limit,
    /// Nothing left: stock, or codes in the pool.
    Stock,
    /// The balance does not cover the cost.
    Points,
}

/// What a member's read of a reward adds (absent for staff and keys, hence optional in the
/// document).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Eligibility {
    /// Whether a redemption now would go through (as far as can be told before trying).
    pub eligible: bool,
    /// Why not, when not.
    pub reason: Option<Ineligible>,
    /// The member's redemptions of it (cancelled ones do not count).
    pub redeemed_count: i64,
    /// Redemptions left under its per-member limits (none: no limit).
    pub limit_remaining: Option<i64>,
}

/// A reward as the list and the read show it: a member's read adds its eligibility.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberReward {
    #[serde(flatten)]
    pub reward: Reward,
    /// Members only.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<Eligibility>,
}

#[derive(FromQueryResult)]
struct Counted {
    reward_id: String,
    n: i64,
}

/// Per reward: the member's redemptions that count towards limits, over all time and since
/// `since` (per reward's own period start).
pub(crate) async fn redeemed_counts(
    db: &impl ConnectionTrait,
    member: &str,
    reward_ids: &[String],
    since: Option<DateTime<Utc>>,
) -> Result<HashMap<String, i64>, RewardError> {
    if reward_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = redemptions::Entity::find()
        .select_only()
        .column(redemptions::Column::RewardId)
        .column_as(Expr::col(redemptions::Column::Id).count(), "n")
        .filter(redemptions::Column::MemberId.eq(member))
        .filter(redemptions::Column::RewardId.is_in(reward_ids.iter().cloned()))
        .filter(redemptions::Column::Status.ne("cancelled"))
        .group_by(redemptions::Column::RewardId);
    if let Some(s) = since {
        q = q.filter(redemptions::Column::CreatedAt.gte(s));
    }
    Ok(q.into_model::<Counted>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.reward_id, c.n))
        .collect())
}

/// Available codes per pool reward.
async fn available_codes(
    db: &impl ConnectionTrait,
    reward_ids: &[String],
) -> Result<HashMap<String, i64>, RewardError> {
    if reward_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(reward_codes::Entity::find()
        .select_only()
        .column_as(reward_codes::Column::RewardId, "reward_id")
        .column_as(Expr::col(reward_codes::Column::Id).count(), "n")
        .filter(reward_codes::Column::RewardId.is_in(reward_ids.iter().cloned()))
        .filter(reward_codes::Column::Status.eq("available"))
        .group_by(reward_codes::Column::RewardId)
        .into_model::<Counted>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.reward_id, c.n))
        .collect())
}

/// Redemptions a member has left under a reward's limits, given what it redeemed in all and
/// in the current period (none: no limit).
pub(crate) fn limit_left(spec: &RewardSpec, lifetime: i64, in_period: i64) -> Option<i64> {
    let a = spec.limit_lifetime.map(|l| i64::from(l) - lifetime);
    let b = spec.limit_per_period.map(|l| i64::from(l) - in_period);
    match (a, b) {
        (Some(a), Some(b)) => Some(Ord::max(Ord::min(a, b), 0)),
        (x, y) => x.or(y).map(|v| Ord::max(v, 0)),
    }
}

/// The member's read of `rewards`: eligibility in the order a redemption checks it.
pub async fn for_member(
    db: &impl ConnectionTrait,
    member: &str,
    tier: Option<&str>,
    rewards: Vec<Reward>,
    now: DateTime<Utc>,
) -> Result<Vec<MemberReward>, RewardError> {
    let ids: Vec<String> = rewards.iter().map(|r| r.id.clone()).collect();
    let lifetime = redeemed_counts(db, member, &ids, None).await?;
    // Period counts, one query per distinct period in the page (at most three).
    let mut by_period: HashMap<LimitPeriod, HashMap<String, i64>> = HashMap::new();
    for p in [LimitPeriod::Day, LimitPeriod::Week, LimitPeriod::Month] {
        let of: Vec<String> = rewards
            .iter()
            .filter(|r| r.spec.limit_period == Some(p))
            .map(|r| r.id.clone())
            .collect();
        if !of.is_empty() {
            by_period.insert(p, redeemed_counts(db, member, &of, Some(p.start(now))).await?);
        }
    }
    let pools: Vec<String> = rewards
        .iter()
        .filter(|r| r.spec.code_mode == CodeMode::Pool)
        .map(|r| r.id.clone())
        .collect();
    let codes = available_codes(db, &pools).await?;
    let balance = sbm_point::domain::ledger::current_balance(db, member)
        .await
        .map_err(|e| RewardError::Ledger(Box::new(e)))?;
    Ok(rewards
        .into_iter()
        .map(|r| {
            let all = lifetime.get(&r.id).copied().unwrap_or(0);
            let period = r
                .spec
                .limit_period
                .and_then(|p| by_period.get(&p))
                .and_then(|m| m.get(&r.id))
                .copied()
                .unwrap_or(0);
            let left = limit_left(&r.spec, all, period);
            let no_codes = r.spec.code_mode == CodeMode::Pool && codes.get(&r.id).copied().unwrap_or(0) == 0;
            let reason = if !r.spec.in_window(now) {
                Some(Ineligible::Window)
            } else if !r.spec.tier_allows(tier) {
                Some(Ineligible::Tier)
            } else if left == Some(0) {
                Some(Ineligible::Limit)
            } else if r.stock_remaining == Some(0) || no_codes {
                Some(Ineligible::Stock)
            } else if balance < r.spec.points_cost {
                Some(Ineligible::Points)
            } else {
                None
            };
            MemberReward {
                reward: r,
                eligibility: Some(Eligibility {
                    eligible: reason.is_none(),
                    reason,
                    redeemed_count: all,
                    limit_remaining: left,
                }),
            }
        })
        .collect())
}

fn taken(e: sea_orm::DbErr) -> RewardError {
    match sbm_common::db::unique_violation(&e) {
        Some(_) => RewardError::CodeTaken,
        None => e.into(),
    }
}

/// The catalog must be there, live, and not owned by the operator (a `RewardCatalog` owns its
/// list of rewards).
async fn check_catalog(db: &impl ConnectionTrait, id: &str) -> Result<(), RewardError> {
    let catalog = reward_catalogs::Entity::find_by_id(id)
        .filter(reward_catalogs::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(RewardError::CatalogNotFound)?;
    if catalog.managed {
        return Err(RewardError::CatalogManaged);
    }
    Ok(())
}

pub async fn create(db: &impl ConnectionTrait, spec: &RewardSpec, now: DateTime<Utc>) -> Result<Reward, RewardError> {
    spec.validate()?;
    check_catalog(db, &spec.catalog_id).await?;
    insert(db, spec, None, now).await
}

/// Inserts a reward row (`managed_by`: the operator's resource uid).
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    spec: &RewardSpec,
    managed_by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Reward, RewardError> {
    let mut r = row(uuid::Uuid::now_v7().to_string(), spec, now, now);
    r.managed = managed_by.is_some();
    r.managed_by_uid = managed_by.map(str::to_string);
    rewards::Entity::insert(r.clone().into_active_model())
        .exec_without_returning(db)
        .await
        .map_err(taken)?;
    r.try_into()
}

/// A live reward the API may change (managed ones: [`RewardError::Managed`]).
pub async fn get_unmanaged(db: &impl ConnectionTrait, id: &str) -> Result<Reward, RewardError> {
    let r = get(db, id).await?;
    if r.deleted_at.is_some() {
        return Err(RewardError::NotFound);
    }
    if r.managed {
        return Err(RewardError::Managed);
    }
    Ok(r)
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    spec: &RewardSpec,
    now: DateTime<Utc>,
) -> Result<Reward, RewardError> {
    spec.validate()?;
    let current = get_unmanaged(db, id).await?;
    if current.spec.code != spec.code {
        return Err(RewardError::CodeImmutable);
    }
    if current.spec.catalog_id != spec.catalog_id {
        check_catalog(db, &spec.catalog_id).await?;
    }
    write_config(db, id, spec, current.created_at, None, now).await?;
    get(db, id).await
}

/// Writes a reward's configuration (never `stock_claimed`), refusing a `stockTotal` below what
/// is claimed in the same statement, so a redemption committing meanwhile cannot slip under it.
pub(crate) async fn write_config(
    db: &impl ConnectionTrait,
    id: &str,
    spec: &RewardSpec,
    created_at: DateTime<Utc>,
    managed_by: Option<Option<&str>>,
    now: DateTime<Utc>,
) -> Result<(), RewardError> {
    let mut am = row(id.to_string(), spec, created_at, now)
        .into_active_model()
        .reset_all();
    am.id = NotSet;
    am.stock_claimed = NotSet;
    am.created_at = NotSet;
    am.deleted_at = NotSet;
    match managed_by {
        None => {
            am.managed = NotSet;
            am.managed_by_uid = NotSet;
        }
        Some(uid) => {
            am.managed = sea_orm::ActiveValue::Set(uid.is_some());
            am.managed_by_uid = sea_orm::ActiveValue::Set(uid.map(str::to_string));
        }
    }
    let mut update = rewards::Entity::update_many()
        .set(am)
        .filter(rewards::Column::Id.eq(id));
    if let Some(total) = spec.stock_total {
        update = update.filter(Expr::col(rewards::Column::StockClaimed).lte(total));
    }
    let done = update.exec(db).await.map_err(taken)?;
    if done.rows_affected == 0 {
        let claimed = get(db, id).await?.stock_claimed;
        return Err(RewardError::StockBelowClaimed { claimed });
    }
    Ok(())
}

/// Soft delete (an archive: redemptions keep their snapshot and can still be used or cancelled).
pub async fn delete(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<Reward, RewardError> {
    get_unmanaged(db, id).await?;
    archive(db, id, now).await?;
    get(db, id).await
}

pub(crate) async fn archive(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<(), RewardError> {
    rewards::Entity::update_many()
        .col_expr(rewards::Column::DeletedAt, Expr::value(now))
        .col_expr(rewards::Column::UpdatedAt, Expr::value(now))
        .filter(rewards::Column::Id.eq(id))
        .filter(rewards::Column::DeletedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
