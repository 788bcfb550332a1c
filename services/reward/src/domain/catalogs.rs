//! Reward catalogs: what they are, who sees them, and the catalog rows (staff CRUD, soft
//! delete; rows owned by the operator are read-only).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::query::{Locale, SortOrder, contains_ci};
use sbm_common::{ListQuery, ListSpec, Page, Validator};

use super::error::CatalogError;
use crate::entity::reward_catalogs as catalogs;

/// The most tiers a catalog names.
pub const MAX_TIERS: usize = 50;

/// Who sees a catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Every member.
    #[default]
    All,
    /// Members holding one of `tierCodes`.
    Tiers,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::All => "all",
            Visibility::Tiers => "tiers",
        }
    }
}

fn yes() -> bool {
    true
}

/// A catalog as it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CatalogSpec {
    /// Stable identifier (the operator's `RewardCatalog` key); cannot change.
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
    #[serde(default)]
    pub visibility: Visibility,
    /// For `visibility: tiers`: the tier codes whose holders see it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tier_codes: Vec<String>,
    /// Members see it from then (none: at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    /// Members see it until then (none: for good).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
    /// Lower comes first.
    #[serde(default)]
    pub sort_order: i32,
    #[serde(default = "yes")]
    pub active: bool,
}

impl CatalogSpec {
    /// Every problem, each naming its field.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let mut v = Validator::new();
        v.code("code", &self.code);
        v.text("name_en", &self.name_en, 200);
        v.max_chars("name_th", &self.name_th, 200);
        v.max_chars("name_cn", &self.name_cn, 200);
        v.max_chars("description_en", &self.description_en, 2000);
        v.max_chars("description_th", &self.description_th, 2000);
        v.max_chars("description_cn", &self.description_cn, 2000);
        v.http_url("imageUrl", self.image_url.as_deref());
        match self.visibility {
            Visibility::Tiers => v.check(
                !self.tier_codes.is_empty() && self.tier_codes.len() <= MAX_TIERS,
                "tierCodes",
                "visibility `tiers` needs 1 to 50 tier codes",
            ),
            Visibility::All => v.check(
                self.tier_codes.is_empty(),
                "tierCodes",
                "belongs to visibility `tiers` only",
            ),
        }
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
        v.check(
            (-1_000_000..=1_000_000).contains(&self.sort_order),
            "sortOrder",
            "must be between -1000000 and 1000000",
        );
        v.into_result().map_err(CatalogError::Invalid)
    }

    /// Whether a member holding `tier` sees it at `now` (active, in its dates, for its tier).
    pub fn visible_to(&self, tier: Option<&str>, now: DateTime<Utc>) -> bool {
        self.active
            && self.starts_at.is_none_or(|s| now >= s)
            && self.ends_at.is_none_or(|e| now < e)
            && match self.visibility {
                Visibility::All => true,
                Visibility::Tiers => tier.is_some_and(|t| self.tier_codes.iter().any(|c| c == t)),
            }
    }
}

/// A catalog as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    pub id: String,
    #[serde(flatten)]
    pub spec: CatalogSpec,
    /// With `?locale=`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Owned by the Kubernetes operator (a `RewardCatalog` resource): read-only through the API.
    pub managed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl Catalog {
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
}

impl TryFrom<catalogs::Model> for Catalog {
    type Error = CatalogError;
    fn try_from(r: catalogs::Model) -> Result<Self, CatalogError> {
        let corrupt = |cause: String| CatalogError::Corrupt {
            id: r.id.clone(),
            cause,
        };
        let tier_codes: Vec<String> = serde_json::from_str(&r.tier_codes).map_err(|e| corrupt(e.to_string()))?;
        let visibility = match r.visibility.as_str() {
            "all" => Visibility::All,
            "tiers" => Visibility::Tiers,
            other => return Err(corrupt(format!("visibility `{other}`"))),
        };
        Ok(Catalog {
            spec: CatalogSpec {
                code: r.code,
                name_en: r.name_en,
                name_th: r.name_th,
                name_cn: r.name_cn,
                description_en: r.description_en,
                description_th: r.description_th,
                description_cn: r.description_cn,
                image_url: r.image_url,
                visibility,
                tier_codes,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                sort_order: r.sort_order,
                active: r.active,
            },
            id: r.id,
            name: None,
            description: None,
            managed: r.managed,
            created_at: r.created_at,
            updated_at: r.updated_at,
            deleted_at: r.deleted_at,
        })
    }
}

fn row(id: String, s: &CatalogSpec, created_at: DateTime<Utc>, now: DateTime<Utc>) -> catalogs::Model {
    catalogs::Model {
        id,
        code: s.code.clone(),
        name_en: s.name_en.clone(),
        name_th: s.name_th.clone(),
        name_cn: s.name_cn.clone(),
        description_en: s.description_en.clone(),
        description_th: s.description_th.clone(),
        description_cn: s.description_cn.clone(),
        image_url: s.image_url.clone(),
        visibility: s.visibility.as_str().into(),
        tier_codes: serde_json::to_string(&s.tier_codes).unwrap_or_else(|_| "[]".into()),
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        sort_order: s.sort_order,
        active: s.active,
        managed: false,
        managed_by_uid: None,
        created_at,
        updated_at: now,
        deleted_at: None,
    }
}

/// The catalog list: `search` in names and descriptions; sort `sortOrder` (default,
/// ascending unless `sortOrder` is given), `code`, `createdAt`, `startsAt`, `name_en`.
pub const LIST: ListSpec<catalogs::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("sortOrder", catalogs::Column::SortOrder),
        ("code", catalogs::Column::Code),
        ("createdAt", catalogs::Column::CreatedAt),
        ("startsAt", catalogs::Column::StartsAt),
        ("name_en", catalogs::Column::NameEn),
    ],
    default_sort: catalogs::Column::SortOrder,
    tiebreak: catalogs::Column::Id,
    search: &[
        catalogs::Column::NameEn,
        catalogs::Column::NameTh,
        catalogs::Column::NameCn,
        catalogs::Column::DescriptionEn,
        catalogs::Column::DescriptionTh,
        catalogs::Column::DescriptionCn,
    ],
    filters: &[],
};

/// Catalogs open to everyone, or to `tier` too: `all`, or a JSON array naming the code
/// (matched as `"code"`, quotes included, so no code matches inside another; `%` and `_` are
/// taken literally).
fn open_to(tier: Option<&str>) -> Condition {
    let mut c = Condition::any().add(catalogs::Column::Visibility.eq("all"));
    if let Some(t) = tier {
        c = c.add(contains_ci(Expr::col(catalogs::Column::TierCodes), &format!("\"{t}\"")));
    }
    c
}

/// What a member holding `tier` sees at `now`: live, active, in its dates, open to its tier.
fn member_condition(tier: Option<&str>, now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(catalogs::Column::DeletedAt.is_null())
        .add(catalogs::Column::Active.eq(true))
        .add(
            Condition::any()
                .add(catalogs::Column::StartsAt.is_null())
                .add(catalogs::Column::StartsAt.lte(now)),
        )
        .add(
            Condition::any()
                .add(catalogs::Column::EndsAt.is_null())
                .add(catalogs::Column::EndsAt.gt(now)),
        )
        .add(open_to(tier))
}

/// The ids of the catalogs a member holding `tier` sees at `now`.
pub async fn visible_ids(
    db: &impl ConnectionTrait,
    tier: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, CatalogError> {
    Ok(catalogs::Entity::find()
        .select_only()
        .column(catalogs::Column::Id)
        .filter(member_condition(tier, now))
        .into_tuple::<String>()
        .all(db)
        .await?)
}

/// Who is listing: staff (and keys) see every catalog, with `includeInActive` and
/// `includeDeletedAt`; a member sees only what is visible to its tier now.
pub enum Viewer<'a> {
    Staff,
    Member { tier: Option<&'a str>, now: DateTime<Utc> },
}

fn flag(q: &ListQuery, key: &str) -> Result<bool, CatalogError> {
    Ok(q.filter_bool(key)
        .map_err(|e| CatalogError::Invalid(e.errors))?
        .unwrap_or(false))
}

/// One page of catalogs as `viewer` may see them; `tierCode` narrows to catalogs open to a
/// tier (staff).
pub async fn list(db: &impl ConnectionTrait, q: &ListQuery, viewer: Viewer<'_>) -> Result<Page<Catalog>, CatalogError> {
    let mut select = catalogs::Entity::find();
    let staff = matches!(viewer, Viewer::Staff);
    if !(staff && flag(q, "includeDeletedAt")?) {
        select = select.filter(catalogs::Column::DeletedAt.is_null());
    }
    if !(staff && flag(q, "includeInActive")?) {
        select = select.filter(catalogs::Column::Active.eq(true));
    }
    match &viewer {
        Viewer::Staff => {
            if let Some(t) = q.filter("tierCode") {
                select = select.filter(open_to(Some(t)));
            }
        }
        Viewer::Member { tier, now } => select = select.filter(member_condition(*tier, *now)),
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
        .map(|r| Catalog::try_from(r).map(|c| c.localize(locale)))
        .collect::<Result<_, _>>()?;
    Ok(Page { meta: page.meta, data })
}

/// One catalog (deleted ones too).
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Catalog, CatalogError> {
    catalogs::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(CatalogError::NotFound)?
        .try_into()
}

/// One catalog as a member holding `tier` sees it: a catalog it cannot see is not found.
pub async fn get_visible(
    db: &impl ConnectionTrait,
    id: &str,
    tier: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Catalog, CatalogError> {
    let c = get(db, id).await?;
    if c.deleted_at.is_some() || !c.spec.visible_to(tier, now) {
        return Err(CatalogError::NotFound);
    }
    Ok(c)
}

fn taken(e: sea_orm::DbErr) -> CatalogError {
    match sbm_common::db::unique_violation(&e) {
        Some(_) => CatalogError::CodeTaken,
        None => e.into(),
    }
}

pub async fn create(
    db: &impl ConnectionTrait,
    spec: &CatalogSpec,
    now: DateTime<Utc>,
) -> Result<Catalog, CatalogError> {
    spec.validate()?;
    let r = row(uuid::Uuid::now_v7().to_string(), spec, now, now);
    catalogs::Entity::insert(r.clone().into_active_model())
        .exec_without_returning(db)
        .await
        .map_err(taken)?;
    r.try_into()
}

/// A live catalog the API may change (managed ones: [`CatalogError::Managed`]).
pub async fn get_unmanaged(db: &impl ConnectionTrait, id: &str) -> Result<Catalog, CatalogError> {
    let c = get(db, id).await?;
    if c.deleted_at.is_some() {
        return Err(CatalogError::NotFound);
    }
    if c.managed {
        return Err(CatalogError::Managed);
    }
    Ok(c)
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    spec: &CatalogSpec,
    now: DateTime<Utc>,
) -> Result<Catalog, CatalogError> {
    spec.validate()?;
    let current = get_unmanaged(db, id).await?;
    if current.spec.code != spec.code {
        return Err(CatalogError::CodeImmutable);
    }
    row(id.to_string(), spec, current.created_at, now)
        .into_active_model()
        .reset_all()
        .update(db)
        .await
        .map_err(taken)?
        .try_into()
}

/// Soft delete (an archive: redemptions will keep their snapshot).
pub async fn delete(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<Catalog, CatalogError> {
    let current = get_unmanaged(db, id).await?;
    let mut r = row(id.to_string(), &current.spec, current.created_at, now);
    r.deleted_at = Some(now);
    r.into_active_model().reset_all().update(db).await?.try_into()
}

/// The row of a catalog the operator writes (the caller sets ownership and `created_at`).
pub(crate) fn managed_row(id: String, s: &CatalogSpec, now: DateTime<Utc>) -> catalogs::Model {
    row(id, s, now, now)
}
