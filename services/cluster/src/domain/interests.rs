//! Interest categories (staff CRUD) and each member's choice of them.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::query::Locale;
use sbm_common::{Filter, ListQuery, ListSpec, Page, Validator};

use super::error::InterestError;
use super::events::{self, MemberInterestsUpdated};
use crate::entity::{interests, member_interests};

/// The most interests a member picks.
pub const MAX_PER_MEMBER: usize = 50;

/// An interest as it is written.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InterestSpec {
    /// Stable identifier: lowercase letters, digits, `-`, `_`.
    pub code: String,
    #[serde(rename = "name_en")]
    pub name_en: String,
    #[serde(rename = "name_th", default)]
    pub name_th: String,
    #[serde(rename = "name_cn", default)]
    pub name_cn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// Lower comes first.
    #[serde(default)]
    pub sort_order: i32,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl InterestSpec {
    fn validate(&self) -> Result<(), InterestError> {
        let mut v = Validator::new();
        v.code("code", &self.code);
        v.text("name_en", &self.name_en, 200);
        v.max_chars("name_th", &self.name_th, 200);
        v.max_chars("name_cn", &self.name_cn, 200);
        v.http_url("iconUrl", self.icon_url.as_deref());
        v.check(
            (-1_000_000..=1_000_000).contains(&self.sort_order),
            "sortOrder",
            "must be between -1000000 and 1000000",
        );
        v.into_result().map_err(InterestError::Invalid)
    }
}

/// An interest as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Interest {
    pub id: String,
    #[serde(flatten)]
    pub spec: InterestSpec,
    /// With `?locale=`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Interest {
    pub fn localize(mut self, locale: Option<Locale>) -> Self {
        if let Some(l) = locale {
            self.name = Some(
                l.pick(&self.spec.name_en, &self.spec.name_th, &self.spec.name_cn)
                    .to_string(),
            );
        }
        self
    }
}

impl From<interests::Model> for Interest {
    fn from(r: interests::Model) -> Self {
        Interest {
            id: r.id,
            spec: InterestSpec {
                code: r.code,
                name_en: r.name_en,
                name_th: r.name_th,
                name_cn: r.name_cn,
                icon_url: r.icon_url,
                sort_order: r.sort_order,
                active: r.active,
            },
            name: None,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The interests list: filter `active`; `search` in code and names; sort `sortOrder`
/// (default, ascending), `code`, `createdAt`.
pub const LIST: ListSpec<interests::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("sortOrder", interests::Column::SortOrder),
        ("code", interests::Column::Code),
        ("createdAt", interests::Column::CreatedAt),
    ],
    default_sort: interests::Column::SortOrder,
    tiebreak: interests::Column::Id,
    search: &[
        interests::Column::Code,
        interests::Column::NameEn,
        interests::Column::NameTh,
        interests::Column::NameCn,
    ],
    filters: &[Filter::Bool("active", interests::Column::Active)],
};

/// One page of interests.
pub async fn list(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<Interest>, InterestError> {
    let mut q = q.clone();
    if !q.sort_order_given {
        q.sort_order = sbm_common::query::SortOrder::Asc;
    }
    let locale = q.locale;
    Ok(q.page(db, interests::Entity::find(), &LIST)
        .await?
        .map(|r| Interest::from(r).localize(locale)))
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Interest, InterestError> {
    Ok(interests::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(InterestError::NotFound)?
        .into())
}

fn taken(e: sea_orm::DbErr) -> InterestError {
    match sbm_common::db::unique_violation(&e) {
        Some(_) => InterestError::CodeTaken,
        None => e.into(),
    }
}

pub async fn create(
    db: &impl ConnectionTrait,
    spec: &InterestSpec,
    now: DateTime<Utc>,
) -> Result<Interest, InterestError> {
    spec.validate()?;
    let row = interests::Model {
        id: uuid::Uuid::now_v7().to_string(),
        code: spec.code.clone(),
        name_en: spec.name_en.clone(),
        name_th: spec.name_th.clone(),
        name_cn: spec.name_cn.clone(),
        icon_url: spec.icon_url.clone(),
        sort_order: spec.sort_order,
        active: spec.active,
        created_at: now,
        updated_at: now,
    };
    interests::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(db)
        .await
        .map_err(taken)?;
    Ok(row.into())
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    spec: &InterestSpec,
    now: DateTime<Utc>,
) -> Result<Interest, InterestError> {
    spec.validate()?;
    let current = interests::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(InterestError::NotFound)?;
    let mut am = current.into_active_model();
    am.code = Set(spec.code.clone());
    am.name_en = Set(spec.name_en.clone());
    am.name_th = Set(spec.name_th.clone());
    am.name_cn = Set(spec.name_cn.clone());
    am.icon_url = Set(spec.icon_url.clone());
    am.sort_order = Set(spec.sort_order);
    am.active = Set(spec.active);
    am.updated_at = Set(now);
    Ok(am.update(db).await.map_err(taken)?.into())
}

/// Deletes an interest and every member's choice of it; each member whose set changed gets
/// `member.interests_updated`. Call inside a transaction.
pub async fn delete(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<Interest, InterestError> {
    let current = get(db, id).await?;
    let holders: Vec<String> = member_interests::Entity::find()
        .filter(member_interests::Column::InterestId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.member_id)
        .collect();
    member_interests::Entity::delete_many()
        .filter(member_interests::Column::InterestId.eq(id))
        .exec(db)
        .await?;
    interests::Entity::delete_by_id(id).exec(db).await?;
    for member in holders {
        let left: Vec<String> = rows_of(db, &member).await?.into_iter().map(|i| i.code).collect();
        events::emit(
            db,
            &MemberInterestsUpdated {
                member_id: member,
                interest_codes: left,
                added: Vec::new(),
                removed: vec![current.spec.code.clone()],
                at: now,
            },
            now,
        )
        .await?;
    }
    Ok(current)
}

/// A member's interest rows, by sort order.
async fn rows_of(db: &impl ConnectionTrait, member: &str) -> Result<Vec<interests::Model>, InterestError> {
    let ids: Vec<String> = member_interests::Entity::find()
        .filter(member_interests::Column::MemberId.eq(member))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.interest_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(interests::Entity::find()
        .filter(interests::Column::Id.is_in(ids))
        .order_by_asc(interests::Column::SortOrder)
        .order_by_asc(interests::Column::Code)
        .all(db)
        .await?)
}

/// Drops every interest of a member (an anonymised one), without an event: nobody is left to
/// tell.
pub async fn forget(db: &impl ConnectionTrait, member: &str) -> Result<u64, InterestError> {
    Ok(member_interests::Entity::delete_many()
        .filter(member_interests::Column::MemberId.eq(member))
        .exec(db)
        .await?
        .rows_affected)
}

/// A member's interests, by sort order.
pub async fn of_member(
    db: &impl ConnectionTrait,
    member: &str,
    locale: Option<Locale>,
) -> Result<Vec<Interest>, InterestError> {
    sbm_auth::domain::members::get_member(db, member).await?;
    Ok(rows_of(db, member)
        .await?
        .into_iter()
        .map(|r| Interest::from(r).localize(locale))
        .collect())
}

/// Replaces a member's interests with `ids` (each an active interest; duplicates count once).
/// Emits `member.interests_updated` when the set changed. Call inside a transaction.
pub async fn replace(
    db: &impl ConnectionTrait,
    member: &str,
    ids: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<Interest>, InterestError> {
    sbm_auth::domain::members::require_active_member(db, member).await?;
    // One replacement per member at a time: two at once would both delete, then both insert.
    sbm_common::db::lock_key(db, &format!("cluster.interests:{member}")).await?;
    let wanted: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    if wanted.len() > MAX_PER_MEMBER {
        return Err(InterestError::Invalid(vec![sbm_common::error::FieldError::new(
            "interestIds",
            format!("at most {MAX_PER_MEMBER} interests"),
        )]));
    }
    let found = interests::Entity::find()
        .filter(interests::Column::Id.is_in(wanted.iter().copied()))
        .filter(interests::Column::Active.eq(true))
        .all(db)
        .await?;
    if found.len() != wanted.len() {
        let known: BTreeSet<&str> = found.iter().map(|r| r.id.as_str()).collect();
        let missing: Vec<&str> = wanted.difference(&known).copied().collect();
        return Err(InterestError::Invalid(vec![sbm_common::error::FieldError::new(
            "interestIds",
            format!("unknown or inactive interests: {}", missing.join(", ")),
        )]));
    }
    let before: BTreeSet<String> = member_interests::Entity::find()
        .filter(member_interests::Column::MemberId.eq(member))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.interest_id)
        .collect();
    let after: BTreeSet<String> = wanted.iter().map(|s| s.to_string()).collect();
    if before != after {
        member_interests::Entity::delete_many()
            .filter(member_interests::Column::MemberId.eq(member))
            .exec(db)
            .await?;
        if !after.is_empty() {
            member_interests::Entity::insert_many(after.iter().map(|id| member_interests::ActiveModel {
                member_id: Set(member.to_string()),
                interest_id: Set(id.clone()),
                created_at: Set(now),
            }))
            .exec_without_returning(db)
            .await?;
        }
        let code_of = |id: &String| {
            found
                .iter()
                .find(|r| &r.id == id)
                .map(|r| r.code.clone())
                .unwrap_or_else(|| id.clone())
        };
        let all = interests::Entity::find()
            .filter(interests::Column::Id.is_in(before.union(&after).cloned()))
            .all(db)
            .await?;
        let code_any = |id: &String| {
            all.iter()
                .find(|r| &r.id == id)
                .map_or_else(|| id.clone(), |r| r.code.clone())
        };
        events::emit(
            db,
            &MemberInterestsUpdated {
                member_id: member.to_string(),
                interest_codes: after.iter().map(code_of).collect(),
                added: after.difference(&before).map(code_any).collect(),
                removed: before.difference(&after).map(code_any).collect(),
                at: now,
            },
            now,
        )
        .await?;
    }
    of_member(db, member, None).await
}
