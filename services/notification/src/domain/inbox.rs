//! The in-app inbox: one notification per member and event (a replayed event writes nothing),
//! read and filtered by its member, marked read one by one or all at once.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::query::{Filter, Locale};
use sbm_common::{ListQuery, ListSpec, Page};

use super::error::NotificationError;
use super::texts::Draft;
use crate::entity::notifications as rows;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Offers,
    Loyalty,
    Updates,
    /// Points moved, rewards redeemed, receipts decided: always shown.
    Transactions,
    /// Account and service messages: always shown.
    System,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Offers,
        Category::Loyalty,
        Category::Updates,
        Category::Transactions,
        Category::System,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Offers => "offers",
            Category::Loyalty => "loyalty",
            Category::Updates => "updates",
            Category::Transactions => "transactions",
            Category::System => "system",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
    /// Transactional categories cannot be turned off.
    pub fn transactional(self) -> bool {
        matches!(self, Category::Transactions | Category::System)
    }
}

/// A notification as its member reads it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub id: String,
    pub category: Category,
    /// The topic it came from, such as `points.earned`.
    pub kind: String,
    /// In `?locale` (`en`, `th`, `cn`; English without one).
    pub title: String,
    pub body: String,
    pub image_url: Option<String>,
    /// Where the app should take the member.
    pub cta_url: Option<String>,
    /// The facts behind the text (points, balance, reward code ...).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Notification {
    fn from_row(r: rows::Model, locale: Option<Locale>) -> Result<Self, NotificationError> {
        let l = locale.unwrap_or(Locale::En);
        let category = Category::parse(&r.category).ok_or_else(|| NotificationError::Corrupt {
            id: r.id.clone(),
            cause: format!("category `{}`", r.category),
        })?;
        let data = serde_json::from_str(&r.data).map_err(|e| NotificationError::Corrupt {
            id: r.id.clone(),
            cause: e.to_string(),
        })?;
        Ok(Notification {
            title: l.pick(&r.title_en, &r.title_th, &r.title_cn).to_string(),
            body: l.pick(&r.body_en, &r.body_th, &r.body_cn).to_string(),
            id: r.id,
            category,
            kind: r.kind,
            image_url: r.image_url,
            cta_url: r.cta_url,
            data,
            read_at: r.read_at,
            created_at: r.created_at,
        })
    }
}

/// Writes `draft` for the event `event_id` once: a second write of the same event and member
/// does nothing. Returns the new notification's id, or `None` when it was already there.
pub async fn write(
    db: &impl ConnectionTrait,
    draft: &Draft,
    event_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Option<String>, NotificationError> {
    let id = uuid::Uuid::now_v7().to_string();
    let row = rows::Model {
        id: id.clone(),
        member_id: draft.member_id.clone(),
        category: draft.category.as_str().into(),
        kind: draft.kind.clone(),
        title_en: draft.title.en.clone(),
        title_th: draft.title.th.clone(),
        title_cn: draft.title.cn.clone(),
        body_en: draft.body.en.clone(),
        body_th: draft.body.th.clone(),
        body_cn: draft.body.cn.clone(),
        image_url: draft.image_url.clone(),
        cta_url: draft.cta_url.clone(),
        data: draft.data.to_string(),
        event_id,
        read_at: None,
        created_at: now,
    };
    let n = rows::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([rows::Column::EventId, rows::Column::MemberId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok((n == 1).then_some(id))
}

/// A member's inbox: filters `category`, `read` (`true`/`false`), `dateFrom`/`dateTo`
/// (the caller applies those two); sort `createdAt` (default, newest first).
pub const LIST: ListSpec<rows::Column> = ListSpec {
    default_limit: 20,
    sort: &[("createdAt", rows::Column::CreatedAt)],
    default_sort: rows::Column::CreatedAt,
    tiebreak: rows::Column::Id,
    search: &[],
    filters: &[Filter::Enum(
        "category",
        rows::Column::Category,
        &["offers", "loyalty", "updates", "transactions", "system"],
    )],
};

/// One page of `member`'s inbox.
pub async fn list(
    db: &impl ConnectionTrait,
    member: &str,
    q: &ListQuery,
    read: Option<bool>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Page<Notification>, NotificationError> {
    let mut select = rows::Entity::find().filter(rows::Column::MemberId.eq(member));
    match read {
        Some(true) => select = select.filter(rows::Column::ReadAt.is_not_null()),
        Some(false) => select = select.filter(rows::Column::ReadAt.is_null()),
        None => {}
    }
    if let Some(f) = from {
        select = select.filter(rows::Column::CreatedAt.gte(f));
    }
    if let Some(t) = to {
        select = select.filter(rows::Column::CreatedAt.lt(t));
    }
    let page = q.page(db, select, &LIST).await?;
    let data = page
        .data
        .into_iter()
        .map(|r| Notification::from_row(r, q.locale))
        .collect::<Result<_, _>>()?;
    Ok(Page { meta: page.meta, data })
}

/// Unread notifications, in all and per category.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnreadCount {
    pub total: i64,
    /// Every category, zero included.
    pub by_category: BTreeMap<String, i64>,
}

#[derive(FromQueryResult)]
struct PerCategory {
    category: String,
    n: i64,
}

pub async fn unread_count(db: &impl ConnectionTrait, member: &str) -> Result<UnreadCount, NotificationError> {
    let counts = rows::Entity::find()
        .select_only()
        .column(rows::Column::Category)
        .column_as(Expr::col(rows::Column::Id).count(), "n")
        .filter(rows::Column::MemberId.eq(member))
        .filter(rows::Column::ReadAt.is_null())
        .group_by(rows::Column::Category)
        .into_model::<PerCategory>()
        .all(db)
        .await?;
    let mut by_category: BTreeMap<String, i64> = Category::ALL.iter().map(|c| (c.as_str().to_string(), 0)).collect();
    for c in counts {
        by_category.insert(c.category, c.n);
    }
    Ok(UnreadCount {
        total: by_category.values().sum(),
        by_category,
    })
}

/// Marks one of `member`'s notifications read or unread.
pub async fn mark(
    db: &impl ConnectionTrait,
    member: &str,
    id: &str,
    read: bool,
    locale: Option<Locale>,
    now: DateTime<Utc>,
) -> Result<Notification, NotificationError> {
    let r = rows::Entity::find_by_id(id)
        .filter(rows::Column::MemberId.eq(member))
        .one(db)
        .await?
        .ok_or(NotificationError::NotFound)?;
    // Reading again keeps the first time it was read.
    let at = match (read, r.read_at) {
        (true, Some(t)) => Some(t),
        (true, None) => Some(now),
        (false, _) => None,
    };
    rows::Entity::update_many()
        .col_expr(rows::Column::ReadAt, Expr::value(at))
        .filter(rows::Column::Id.eq(id))
        .exec(db)
        .await?;
    let r = rows::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(NotificationError::NotFound)?;
    Notification::from_row(r, locale)
}

/// Marks all of `member`'s unread notifications read (of one category, if given); returns how
/// many.
pub async fn read_all(
    db: &impl ConnectionTrait,
    member: &str,
    category: Option<Category>,
    now: DateTime<Utc>,
) -> Result<u64, NotificationError> {
    let mut update = rows::Entity::update_many()
        .col_expr(rows::Column::ReadAt, Expr::value(now))
        .filter(rows::Column::MemberId.eq(member))
        .filter(rows::Column::ReadAt.is_null());
    if let Some(c) = category {
        update = update.filter(rows::Column::Category.eq(c.as_str()));
    }
    Ok(update.exec(db).await?.rows_affected)
}
