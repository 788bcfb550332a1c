//! The tier ladder: what a tier is, the rules the ladder as a whole keeps, and the tier rows.
//!
//! Every write (the API's and the operator's) goes through [`save_ladder`]: it takes the ladder
//! lock, applies the change to the ladder read in the same transaction, checks the
//! [ladder rules](check_ladder) on the result and only then writes. So a change that would
//! break the ladder never reaches the table, and two concurrent writes cannot each pass the
//! check against a ladder the other is changing.

use chrono::{DateTime, Datelike, Months, TimeZone, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::error::FieldError;
use sbm_common::query::{Locale, contains_ci};
use sbm_common::{ListQuery, ListSpec, Page, Validator};

use super::error::TierError;
use crate::entity::{member_tiers, tiers};

/// The most tiers a ladder holds (live ones), and benefits a tier lists.
pub const MAX_TIERS: usize = 50;
pub const MAX_BENEFITS: usize = 50;
/// The largest threshold: points or minor currency units.
pub const MAX_THRESHOLD: i64 = 1_000_000_000_000;
/// The key every ladder write serialises on.
const LADDER_LOCK: &str = "cluster.tiers.ladder";

/// What qualifies a member for a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, schemars::JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    #[default]
    /// Points earned in the window: earns minus their reversals, never the spendable balance
    /// (spending and expiry do not lower it).
    PointsEarned,
    /// Purchase amounts (minor units of `currency`) in the window: purchases recorded by the
    /// point service and approved receipts.
    PurchaseAmount,
}

impl Metric {
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::PointsEarned => "points_earned",
            Metric::PurchaseAmount => "purchase_amount",
        }
    }
}

/// The period the metric is summed over, ending at the moment of evaluation.
// Documented as `TierWindowKind`: the badges' window has the type name too (see
// `projection::Measure`). A plain comment: doc comments become the CRD's descriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, schemars::JsonSchema, Default)]
#[schema(as = TierWindowKind)]
#[serde(rename_all = "snake_case")]
pub enum WindowKind {
    /// The last `windowMonths` months.
    RollingMonths,
    /// Since 1 January (UTC) of the evaluation's year.
    CalendarYear,
    /// Everything ever.
    #[default]
    Lifetime,
}

/// How a tier is reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, schemars::JsonSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Qualification {
    pub metric: Metric,
    /// The value (points, or minor currency units) the window must reach. The default tier's
    /// is usually 0.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    #[schemars(range(min = 0, max = 1_000_000_000_000_i64))]
    pub threshold: i64,
    pub window: WindowKind,
    /// For `rolling_months`: 1 to 120.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 120))]
    pub window_months: Option<u32>,
    /// For `purchase_amount`: the currency counted (ISO 4217); default `THB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl Qualification {
    /// Where the window starts when it ends at `at` (`None`: the beginning of time).
    pub fn window_start(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.window {
            WindowKind::Lifetime => None,
            WindowKind::CalendarYear => Utc.with_ymd_and_hms(at.year(), 1, 1, 0, 0, 0).single(),
            WindowKind::RollingMonths => at.checked_sub_months(Months::new(self.window_months.unwrap_or(12))),
        }
    }

    /// The currency a `purchase_amount` tier counts.
    pub fn currency(&self) -> &str {
        self.currency.as_deref().unwrap_or("THB")
    }
}

/// What keeps a member on a tier once reached: the same metric and window as qualification,
/// measured again when the tier's validity ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Retention {
    /// The value the window must hold at evaluation to keep the tier.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    #[schemars(range(min = 0, max = 1_000_000_000_000_i64))]
    pub threshold: i64,
    /// How long the tier is held before it is evaluated again (1 to 120 months).
    #[schemars(range(min = 1, max = 120))]
    pub validity_months: u32,
}

/// Where a member goes when retention fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DowngradePolicy {
    /// The next tier down the ladder.
    #[default]
    OneDown,
    /// The highest tier whose qualification the member meets at evaluation.
    ToQualifying,
    /// Never demoted: the validity is renewed.
    Never,
}

/// How and when a member is demoted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Downgrade {
    #[serde(default)]
    pub policy: DowngradePolicy,
    /// Days after the validity ends before the evaluation runs (activity in them still counts).
    #[serde(default)]
    #[schemars(range(max = 365))]
    pub grace_days: u32,
}

/// A perk of a tier, localized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Benefit {
    pub name_en: String,
    #[serde(default)]
    pub name_th: String,
    #[serde(default)]
    pub name_cn: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub description_th: String,
    #[serde(default)]
    pub description_cn: String,
}

fn yes() -> bool {
    true
}

/// A tier as it is written: the create body, and what a `Tier` resource becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TierSpec {
    /// Stable identifier (lowercase letters, digits, `-`, `_`); point rules' `tierMultipliers`
    /// key on it. Cannot change.
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Position on the ladder: higher is better; unique among live tiers.
    pub rank: i32,
    pub qualification: Qualification,
    /// None: once reached, the tier is kept (no evaluation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Retention>,
    #[serde(default)]
    pub downgrade: Downgrade,
    #[serde(default)]
    pub benefits: Vec<Benefit>,
    /// An invitation tier: only staff assign it (an override); evaluation never reaches it.
    #[serde(default)]
    pub manual_only: bool,
    /// The tier every member holds until they qualify for another. Exactly one per ladder.
    #[serde(default)]
    pub is_default: bool,
    #[serde(default = "yes")]
    pub active: bool,
}

impl TierSpec {
    /// Every problem with this tier on its own, each naming its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut v = Validator::new();
        v.code("code", &self.code);
        v.text("name_en", &self.name_en, 200);
        for (f, s, max) in [
            ("name_th", &self.name_th, 200),
            ("name_cn", &self.name_cn, 200),
            ("description_en", &self.description_en, 2000),
            ("description_th", &self.description_th, 2000),
            ("description_cn", &self.description_cn, 2000),
        ] {
            v.max_chars(f, s, max);
        }
        v.http_url("imageUrl", self.image_url.as_deref());
        v.check(
            (0..=1_000_000).contains(&self.rank),
            "rank",
            "must be between 0 and 1000000",
        );
        let q = &self.qualification;
        v.check(
            (0..=MAX_THRESHOLD).contains(&q.threshold),
            "qualification.threshold",
            "must be between 0 and 1000000000000",
        );
        match q.window {
            WindowKind::RollingMonths => v.check(
                q.window_months.is_some_and(|m| (1..=120).contains(&m)),
                "qualification.windowMonths",
                "is required for a rolling window: 1 to 120",
            ),
            _ => v.check(
                q.window_months.is_none(),
                "qualification.windowMonths",
                "belongs to rolling windows only",
            ),
        }
        match (&q.currency, q.metric) {
            (Some(c), Metric::PurchaseAmount) => v.check(
                c.len() == 3 && c.chars().all(|c| c.is_ascii_uppercase()),
                "qualification.currency",
                "must be an ISO 4217 code such as THB",
            ),
            (Some(_), Metric::PointsEarned) => {
                v.add("qualification.currency", "belongs to the purchase_amount metric only")
            }
            (None, _) => {}
        }
        if let Some(r) = &self.retention {
            v.check(
                (0..=MAX_THRESHOLD).contains(&r.threshold),
                "retention.threshold",
                "must be between 0 and 1000000000000",
            );
            v.check(
                (1..=120).contains(&r.validity_months),
                "retention.validityMonths",
                "must be between 1 and 120",
            );
        }
        v.check(
            self.downgrade.grace_days <= 365,
            "downgrade.graceDays",
            "must be at most 365",
        );
        v.check(
            self.benefits.len() <= MAX_BENEFITS,
            "benefits",
            "must list at most 50 benefits",
        );
        for (i, b) in self.benefits.iter().enumerate() {
            let ok = !b.name_en.trim().is_empty()
                && [&b.name_en, &b.name_th, &b.name_cn]
                    .iter()
                    .all(|s| s.chars().count() <= 200)
                && [&b.description_en, &b.description_th, &b.description_cn]
                    .iter()
                    .all(|s| s.chars().count() <= 2000);
            v.check(
                ok,
                &format!("benefits[{i}]"),
                "needs name_en; names at most 200 and descriptions at most 2000 characters",
            );
        }
        if self.is_default && self.manual_only {
            v.add("isDefault", "the default tier cannot be manual-only");
        }
        v.into_result().err().unwrap_or_default()
    }
}

/// A tier as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tier {
    pub id: String,
    #[serde(flatten)]
    pub spec: TierSpec,
    /// With `?locale=`: `name_*` resolved (English when the wanted one is empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Owned by the Kubernetes operator (a `Tier` resource): read-only through the API.
    pub managed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl Tier {
    /// Adds `name` and `description` in `locale`.
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

    /// Whether the tier takes part in the ladder now.
    pub fn live(&self) -> bool {
        self.deleted_at.is_none() && self.spec.active
    }
}

fn corrupt(id: &str, what: &str, e: serde_json::Error) -> TierError {
    TierError::Corrupt {
        id: id.to_string(),
        cause: format!("{what}: {e}"),
    }
}

impl TryFrom<tiers::Model> for Tier {
    type Error = TierError;
    fn try_from(r: tiers::Model) -> Result<Self, TierError> {
        let spec = TierSpec {
            qualification: serde_json::from_str(&r.qualification).map_err(|e| corrupt(&r.id, "qualification", e))?,
            retention: r
                .retention
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| corrupt(&r.id, "retention", e))?,
            downgrade: serde_json::from_str(&r.downgrade).map_err(|e| corrupt(&r.id, "downgrade", e))?,
            benefits: serde_json::from_str(&r.benefits).map_err(|e| corrupt(&r.id, "benefits", e))?,
            code: r.code,
            name_en: r.name_en,
            name_th: r.name_th,
            name_cn: r.name_cn,
            description_en: r.description_en,
            description_th: r.description_th,
            description_cn: r.description_cn,
            image_url: r.image_url,
            rank: r.rank,
            manual_only: r.manual_only,
            is_default: r.is_default,
            active: r.active,
        };
        Ok(Tier {
            id: r.id,
            spec,
            name: None,
            description: None,
            managed: r.managed,
            created_at: r.created_at,
            updated_at: r.updated_at,
            deleted_at: r.deleted_at,
        })
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// The row for `spec` (id, times and management as given).
fn row(
    id: String,
    spec: &TierSpec,
    managed_by: Option<String>,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
) -> tiers::Model {
    tiers::Model {
        id,
        code: spec.code.clone(),
        name_en: spec.name_en.clone(),
        name_th: spec.name_th.clone(),
        name_cn: spec.name_cn.clone(),
        description_en: spec.description_en.clone(),
        description_th: spec.description_th.clone(),
        description_cn: spec.description_cn.clone(),
        image_url: spec.image_url.clone(),
        rank: spec.rank,
        qualification: json(&spec.qualification),
        retention: spec.retention.as_ref().map(json),
        downgrade: json(&spec.downgrade),
        benefits: json(&spec.benefits),
        manual_only: spec.manual_only,
        is_default: spec.is_default,
        active: spec.active,
        managed: managed_by.is_some(),
        managed_by_uid: managed_by,
        created_at,
        updated_at: now,
        deleted_at,
    }
}

/// A ladder rule a change would break: its name (stable, for clients and the operator's
/// status) and what breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LadderViolation {
    /// `uniqueRanks`, `uniqueCodes`, `thresholdsRising`, `oneDefault`, `defaultLowest` or
    /// `tooManyTiers`.
    pub rule: &'static str,
    /// The tier field the rule is about.
    pub field: &'static str,
    pub message: String,
}

impl LadderViolation {
    fn new(rule: &'static str, field: &'static str, message: String) -> Self {
        Self { rule, field, message }
    }
}

impl std::fmt::Display for LadderViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ladder rule `{}`: {}", self.rule, self.message)
    }
}

/// The rules a ladder keeps, over the tiers that are not deleted:
/// - `uniqueCodes` and `uniqueRanks`: no two tiers share a code or a rank;
/// - `oneDefault`: exactly one active default tier (an empty ladder has none);
/// - `defaultLowest`: the default tier has the lowest rank of the active tiers;
/// - `thresholdsRising`: going up by rank, the active tiers that members reach by qualifying
///   (not manual-only) have strictly rising thresholds;
/// - `tooManyTiers`: at most [`MAX_TIERS`].
pub fn check_ladder(ladder: &[&TierSpec]) -> Result<(), LadderViolation> {
    if ladder.len() > MAX_TIERS {
        return Err(LadderViolation::new(
            "tooManyTiers",
            "code",
            format!("a ladder holds at most {MAX_TIERS} tiers"),
        ));
    }
    let mut by_rank: Vec<&TierSpec> = ladder.to_vec();
    by_rank.sort_by_key(|t| t.rank);
    for w in by_rank.windows(2) {
        if w[0].rank == w[1].rank {
            return Err(LadderViolation::new(
                "uniqueRanks",
                "rank",
                format!("tiers `{}` and `{}` both have rank {}", w[0].code, w[1].code, w[0].rank),
            ));
        }
    }
    let mut codes: Vec<&str> = ladder.iter().map(|t| t.code.as_str()).collect();
    codes.sort_unstable();
    if let Some(w) = codes.windows(2).find(|w| w[0] == w[1]) {
        return Err(LadderViolation::new(
            "uniqueCodes",
            "code",
            format!("two tiers have the code `{}`", w[0]),
        ));
    }
    let active: Vec<&TierSpec> = by_rank.into_iter().filter(|t| t.active).collect();
    let defaults: Vec<&&TierSpec> = active.iter().filter(|t| t.is_default).collect();
    if !active.is_empty() && defaults.len() != 1 {
        let names: Vec<&str> = defaults.iter().map(|t| t.code.as_str()).collect();
        return Err(LadderViolation::new(
            "oneDefault",
            "isDefault",
            if names.is_empty() {
                "the ladder needs exactly one active default tier; it would have none".into()
            } else {
                format!(
                    "the ladder needs exactly one active default tier; it would have {}: {}",
                    names.len(),
                    names.join(", ")
                )
            },
        ));
    }
    if let (Some(d), Some(lowest)) = (defaults.first(), active.first())
        && d.code != lowest.code
    {
        return Err(LadderViolation::new(
            "defaultLowest",
            "rank",
            format!(
                "the default tier `{}` (rank {}) must have the lowest rank; `{}` has rank {}",
                d.code, d.rank, lowest.code, lowest.rank
            ),
        ));
    }
    let climbable: Vec<&&TierSpec> = active.iter().filter(|t| !t.manual_only).collect();
    for w in climbable.windows(2) {
        if w[1].qualification.threshold <= w[0].qualification.threshold {
            return Err(LadderViolation::new(
                "thresholdsRising",
                "qualification.threshold",
                format!(
                    "`{}` (rank {}) needs a higher threshold than `{}` (rank {}, threshold {}); it has {}",
                    w[1].code,
                    w[1].rank,
                    w[0].code,
                    w[0].rank,
                    w[0].qualification.threshold,
                    w[1].qualification.threshold
                ),
            ));
        }
    }
    Ok(())
}

/// The tiers list: `search` in names and descriptions; `includeInActive`, `includeDeletedAt`;
/// sort `rank` (default, ascending unless `sortOrder` says), `code`, `createdAt`, `updatedAt`.
pub const LIST: ListSpec<tiers::Column> = ListSpec {
    default_limit: 10,
    sort: &[
        ("rank", tiers::Column::Rank),
        ("code", tiers::Column::Code),
        ("name_en", tiers::Column::NameEn),
        ("createdAt", tiers::Column::CreatedAt),
        ("updatedAt", tiers::Column::UpdatedAt),
    ],
    default_sort: tiers::Column::Rank,
    tiebreak: tiers::Column::Id,
    search: &[],
    filters: &[],
};

/// One page of tiers.
pub async fn list(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<Tier>, TierError> {
    let mut select = tiers::Entity::find();
    if !q.filter_bool("includeInActive").map_err(list_error)?.unwrap_or(false) {
        select = select.filter(tiers::Column::Active.eq(true));
    }
    if !q.filter_bool("includeDeletedAt").map_err(list_error)?.unwrap_or(false) {
        select = select.filter(tiers::Column::DeletedAt.is_null());
    }
    if let Some(text) = &q.search {
        let mut any = Condition::any();
        for col in [
            tiers::Column::NameEn,
            tiers::Column::NameTh,
            tiers::Column::NameCn,
            tiers::Column::DescriptionEn,
            tiers::Column::DescriptionTh,
            tiers::Column::DescriptionCn,
        ] {
            any = any.add(contains_ci(Expr::col(col), text));
        }
        select = select.filter(any);
    }
    let mut q = q.clone();
    // The ladder reads bottom-up unless the caller sorts otherwise.
    if !q.sort_order_given {
        q.sort_order = sbm_common::query::SortOrder::Asc;
    }
    let page = q.page(db, select, &LIST).await?;
    let locale = q.locale;
    let data = page
        .data
        .into_iter()
        .map(|r| Tier::try_from(r).map(|t| t.localize(locale)))
        .collect::<Result<_, _>>()?;
    Ok(Page { meta: page.meta, data })
}

fn list_error(e: sbm_common::ApiError) -> TierError {
    TierError::Invalid(e.errors)
}

/// One tier (deleted ones too).
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Tier, TierError> {
    tiers::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(TierError::NotFound)?
        .try_into()
}

/// The tier with a code, deleted or not.
pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Tier>, TierError> {
    tiers::Entity::find()
        .filter(tiers::Column::Code.eq(code))
        .one(db)
        .await?
        .map(Tier::try_from)
        .transpose()
}

/// Every tier that is not deleted (active or not), by rank.
pub async fn ladder(db: &impl ConnectionTrait) -> Result<Vec<Tier>, TierError> {
    tiers::Entity::find()
        .filter(tiers::Column::DeletedAt.is_null())
        .order_by_asc(tiers::Column::Rank)
        .all(db)
        .await?
        .into_iter()
        .map(Tier::try_from)
        .collect()
}

/// The codes of every live tier (point rules' `tierMultipliers` may name only these).
pub async fn live_codes(db: &impl ConnectionTrait) -> Result<Vec<String>, TierError> {
    Ok(ladder(db)
        .await?
        .into_iter()
        .filter(Tier::live)
        .map(|t| t.spec.code)
        .collect())
}

/// One change to the ladder, applied by [`save_ladder`].
#[derive(Debug, Clone)]
pub enum Change {
    /// A new tier (unmanaged or, with `managed_by`, owned by a `Tier` resource).
    Create { spec: TierSpec, managed_by: Option<String> },
    /// New contents for a tier (its code stays).
    Update { id: String, spec: TierSpec },
    /// Soft delete.
    Delete { id: String },
    /// A deleted tier back (the operator re-creating a resource for a retained row).
    Restore {
        id: String,
        spec: TierSpec,
        managed_by: Option<String>,
    },
}

/// Checks `spec` on its own.
pub fn validate(spec: &TierSpec) -> Result<(), TierError> {
    let errors = spec.validate();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(TierError::Invalid(errors))
    }
}

/// Applies `changes` as one ladder write: under the ladder lock, each spec valid on its own,
/// the ladder after all of them keeping [`check_ladder`], then written. Returns the tiers
/// written, in the order of `changes`. Call inside a transaction.
pub async fn save_ladder(
    db: &impl ConnectionTrait,
    changes: Vec<Change>,
    now: DateTime<Utc>,
) -> Result<Vec<Tier>, TierError> {
    sbm_common::db::lock_key(db, LADDER_LOCK).await?;
    let mut current: Vec<Tier> = ladder(db).await?;
    let mut writes: Vec<(tiers::Model, bool)> = Vec::new();
    for change in changes {
        match change {
            Change::Create { spec, managed_by } => {
                validate(&spec)?;
                if let Some(existing) = find_by_code(db, &spec.code).await? {
                    return Err(if existing.deleted_at.is_some() {
                        TierError::CodeTakenByDeleted
                    } else {
                        TierError::CodeTaken
                    });
                }
                let r = row(uuid::Uuid::now_v7().to_string(), &spec, managed_by, now, now, None);
                current.push(Tier::try_from(r.clone())?);
                writes.push((r, true));
            }
            Change::Update { id, spec } => {
                validate(&spec)?;
                let i = current.iter().position(|t| t.id == id).ok_or(TierError::NotFound)?;
                if current[i].spec.code != spec.code {
                    return Err(TierError::CodeImmutable);
                }
                if current[i].spec.active && !spec.active {
                    let held = holders(db, &id).await?;
                    if held > 0 {
                        return Err(TierError::HeldDeactivate { holders: held });
                    }
                }
                let managed = tiers::Entity::find_by_id(&id)
                    .one(db)
                    .await?
                    .and_then(|r| r.managed_by_uid);
                let r = row(id, &spec, managed, current[i].created_at, now, None);
                current[i] = Tier::try_from(r.clone())?;
                writes.push((r, false));
            }
            Change::Delete { id } => {
                let i = current.iter().position(|t| t.id == id).ok_or(TierError::NotFound)?;
                let t = current.remove(i);
                let managed = tiers::Entity::find_by_id(&id)
                    .one(db)
                    .await?
                    .and_then(|r| r.managed_by_uid);
                writes.push((row(id, &t.spec, managed, t.created_at, now, Some(now)), false));
            }
            Change::Restore { id, spec, managed_by } => {
                validate(&spec)?;
                let before = get(db, &id).await?;
                if before.spec.code != spec.code {
                    return Err(TierError::CodeImmutable);
                }
                let r = row(id, &spec, managed_by, before.created_at, now, None);
                current.retain(|t| t.id != r.id);
                current.push(Tier::try_from(r.clone())?);
                writes.push((r, false));
            }
        }
    }
    let specs: Vec<&TierSpec> = current.iter().map(|t| &t.spec).collect();
    check_ladder(&specs).map_err(TierError::Ladder)?;
    // Ranks are unique among live rows statement by statement (the index is not deferrable),
    // so rows whose rank changes first step aside to a rank no valid tier has: a ladder that
    // swaps two ranks in one write then passes.
    for (i, (r, insert)) in writes.iter().enumerate() {
        if !insert {
            tiers::Entity::update_many()
                .col_expr(tiers::Column::Rank, Expr::value(-1 - i as i32))
                .filter(tiers::Column::Id.eq(&r.id))
                .exec(db)
                .await?;
        }
    }
    let mut out = Vec::with_capacity(writes.len());
    for (r, insert) in writes {
        let saved = if insert {
            tiers::Entity::insert(r.clone().into_active_model())
                .exec_without_returning(db)
                .await
                .map_err(|e| match sbm_common::db::unique_violation(&e) {
                    Some(_) => TierError::CodeTaken,
                    None => e.into(),
                })?;
            r
        } else {
            // Every column written (a model's own active model marks them all unchanged).
            r.clone().into_active_model().reset_all().update(db).await?
        };
        out.push(Tier::try_from(saved)?);
    }
    Ok(out)
}

/// How many members hold the tier (automatically or by an override).
pub async fn holders(db: &impl ConnectionTrait, tier_id: &str) -> Result<u64, TierError> {
    Ok(member_tiers::Entity::find()
        .filter(member_tiers::Column::TierId.eq(tier_id))
        .count(db)
        .await?)
}

/// The default tier, if the ladder has one.
pub fn default_tier(ladder: &[Tier]) -> Option<&Tier> {
    ladder.iter().find(|t| t.live() && t.spec.is_default)
}

/// The tier rows a `Tier` resource (by uid) owns, deleted ones included.
pub async fn managed_rows(db: &impl ConnectionTrait, uid: &str) -> Result<Vec<Tier>, TierError> {
    tiers::Entity::find()
        .filter(tiers::Column::ManagedByUid.eq(uid))
        .all(db)
        .await?
        .into_iter()
        .map(Tier::try_from)
        .collect()
}

/// Hands a row to a `Tier` resource (`Some(uid)`) or back to the API (`None`).
pub async fn set_managed(
    db: &impl ConnectionTrait,
    id: &str,
    uid: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), TierError> {
    tiers::Entity::update_many()
        .col_expr(tiers::Column::Managed, Expr::value(uid.is_some()))
        .col_expr(tiers::Column::ManagedByUid, Expr::value(uid.map(str::to_string)))
        .col_expr(tiers::Column::UpdatedAt, Expr::value(now))
        .filter(tiers::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The uid of the `Tier` resource that owns a row, if any.
pub async fn managed_by(db: &impl ConnectionTrait, id: &str) -> Result<Option<String>, TierError> {
    Ok(tiers::Entity::find_by_id(id)
        .one(db)
        .await?
        .and_then(|r| r.managed_by_uid))
}

/// Tiers that are not managed by the operator, for the API to change.
pub async fn get_unmanaged(db: &impl ConnectionTrait, id: &str) -> Result<Tier, TierError> {
    let t = get(db, id).await?;
    if t.managed {
        return Err(TierError::Managed);
    }
    if t.deleted_at.is_some() {
        return Err(TierError::NotFound);
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn spec(code: &str, rank: i32, threshold: i64) -> TierSpec {
        TierSpec {
            code: code.into(),
            name_en: code.into(),
            name_th: String::new(),
            name_cn: String::new(),
            description_en: String::new(),
            description_th: String::new(),
            description_cn: String::new(),
            image_url: None,
            rank,
            qualification: Qualification {
                metric: Metric::PointsEarned,
                threshold,
                window: WindowKind::RollingMonths,
                window_months: Some(12),
                currency: None,
            },
            retention: None,
            downgrade: Downgrade::default(),
            benefits: vec![],
            manual_only: false,
            is_default: rank == 0,
            active: true,
        }
    }

    fn rule(ladder: &[TierSpec]) -> Option<&'static str> {
        check_ladder(&ladder.iter().collect::<Vec<_>>()).err().map(|v| v.rule)
    }

    #[test]
    fn ladder_rules() {
        let good = vec![spec("base", 0, 0), spec("silver", 1, 1000), spec("gold", 2, 5000)];
        assert_eq!(rule(&good), None);
        assert_eq!(rule(&[]), None);
        let mut same_rank = good.clone();
        same_rank[2].rank = 1;
        assert_eq!(rule(&same_rank), Some("uniqueRanks"));
        let mut falling = good.clone();
        falling[2].qualification.threshold = 1000;
        assert_eq!(rule(&falling), Some("thresholdsRising"));
        let mut two_defaults = good.clone();
        two_defaults[1].is_default = true;
        assert_eq!(rule(&two_defaults), Some("oneDefault"));
        let mut none = good.clone();
        none[0].is_default = false;
        assert_eq!(rule(&none), Some("oneDefault"));
        let mut high_default = good.clone();
        high_default[0].is_default = false;
        high_default[2].is_default = true;
        assert_eq!(rule(&high_default), Some("defaultLowest"));
        // An invitation tier may sit anywhere with any threshold; an inactive one is not
        // part of the ladder's thresholds.
        let mut invite = good.clone();
        invite.push(TierSpec {
            manual_only: true,
            ..spec("vip", 3, 0)
        });
        invite.push(TierSpec {
            active: false,
            ..spec("old", 4, 10)
        });
        assert_eq!(rule(&invite), None);
        let mut dup = good.clone();
        dup[2].code = "silver".into();
        assert_eq!(rule(&dup), Some("uniqueCodes"));
    }

    #[test]
    fn windows() {
        let at = Utc.with_ymd_and_hms(2026, 3, 31, 12, 0, 0).unwrap();
        let mut q = spec("x", 0, 0).qualification;
        assert_eq!(q.window_start(at), Utc.with_ymd_and_hms(2025, 3, 31, 12, 0, 0).single());
        q.window = WindowKind::CalendarYear;
        q.window_months = None;
        assert_eq!(q.window_start(at), Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single());
        q.window = WindowKind::Lifetime;
        assert_eq!(q.window_start(at), None);
    }

    #[test]
    fn a_tier_on_its_own() {
        let mut s = spec("Bad Code", 0, -1);
        s.qualification.window_months = None;
        s.is_default = true;
        s.manual_only = true;
        let fields: Vec<String> = s.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "code",
                "qualification.threshold",
                "qualification.windowMonths",
                "isDefault"
            ]
        );
    }
}
