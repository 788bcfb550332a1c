//! Staff broadcasts: one message to every member, to tiers, to interests or to a list of
//! members, now or at a set time. Sending writes each recipient's inbox notification (when
//! their preferences show its category) and streams it; the counts of recipients (the
//! audience) and deliveries (notifications written) are kept on the broadcast.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use sbm_common::db::begin_write;
use sbm_common::query::Filter;
use sbm_common::{ListQuery, ListSpec, Page, Validator};

use super::inbox::{self, Category};
use super::members::{self, Member};
use super::texts::{Draft, tr};
use super::{NotificationError, preferences, stream};
use crate::entity::broadcasts as rows;

/// Who a broadcast goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AudienceKind {
    /// Every active member.
    All,
    /// Members in any of the tier codes in `targets`.
    Tiers,
    /// Members with any of the interest codes in `targets`.
    Interests,
    /// The member ids in `targets`.
    Members,
}

impl AudienceKind {
    fn as_str(self) -> &'static str {
        match self {
            AudienceKind::All => "all",
            AudienceKind::Tiers => "tiers",
            AudienceKind::Interests => "interests",
            AudienceKind::Members => "members",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "tiers" => AudienceKind::Tiers,
            "interests" => AudienceKind::Interests,
            "members" => AudienceKind::Members,
            _ => AudienceKind::All,
        }
    }
}

/// What staff compose.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BroadcastSpec {
    pub category: Category,
    #[serde(rename = "title_en")]
    pub title_en: String,
    #[serde(rename = "title_th", default)]
    pub title_th: String,
    #[serde(rename = "title_cn", default)]
    pub title_cn: String,
    #[serde(rename = "body_en")]
    pub body_en: String,
    #[serde(rename = "body_th", default)]
    pub body_th: String,
    #[serde(rename = "body_cn", default)]
    pub body_cn: String,
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub cta_url: Option<String>,
    pub audience: AudienceKind,
    /// Tier codes, interest codes or member ids (empty for `all`).
    #[serde(default)]
    pub targets: Vec<String>,
    /// When to send (now when absent or past).
    #[serde(default)]
    pub scheduled_at: Option<DateTime<Utc>>,
}

/// A broadcast as staff read it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Broadcast {
    pub id: String,
    #[serde(flatten)]
    pub spec: BroadcastSpec,
    /// `scheduled`, `sent` or `cancelled`.
    pub status: String,
    /// Members the audience matched when it was sent.
    pub recipients: i32,
    /// Inbox notifications written (members who turned the category off get none).
    pub delivered: i32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

fn to_view(r: rows::Model) -> Result<Broadcast, NotificationError> {
    let corrupt = |cause: String| NotificationError::Corrupt {
        id: r.id.clone(),
        cause,
    };
    Ok(Broadcast {
        spec: BroadcastSpec {
            category: Category::parse(&r.category).ok_or_else(|| corrupt(format!("category `{}`", r.category)))?,
            title_en: r.title_en,
            title_th: r.title_th,
            title_cn: r.title_cn,
            body_en: r.body_en,
            body_th: r.body_th,
            body_cn: r.body_cn,
            image_url: r.image_url,
            cta_url: r.cta_url,
            audience: AudienceKind::parse(&r.audience),
            targets: serde_json::from_str(&r.targets).map_err(|e| corrupt(e.to_string()))?,
            scheduled_at: Some(r.scheduled_at),
        },
        id: r.id,
        status: r.status,
        recipients: r.recipients,
        delivered: r.delivered,
        created_by: r.created_by,
        created_at: r.created_at,
        sent_at: r.sent_at,
        cancelled_at: r.cancelled_at,
    })
}

fn check(spec: &BroadcastSpec, now: DateTime<Utc>) -> Result<(), NotificationError> {
    let mut v = Validator::new();
    v.text("title_en", &spec.title_en, 200);
    v.max_chars("title_th", &spec.title_th, 200);
    v.max_chars("title_cn", &spec.title_cn, 200);
    v.text("body_en", &spec.body_en, 2000);
    v.max_chars("body_th", &spec.body_th, 2000);
    v.max_chars("body_cn", &spec.body_cn, 2000);
    for (f, u) in [("imageUrl", &spec.image_url), ("ctaUrl", &spec.cta_url)] {
        if let Some(u) = u {
            v.max_chars(f, u, 2000);
        }
    }
    match spec.audience {
        AudienceKind::All => v.check(spec.targets.is_empty(), "targets", "must be empty for audience `all`"),
        _ => v.check(
            !spec.targets.is_empty(),
            "targets",
            "must name at least one tier, interest or member",
        ),
    }
    v.check(spec.targets.len() <= 10_000, "targets", "at most 10000");
    for (i, t) in spec.targets.iter().enumerate() {
        v.check(
            !t.is_empty() && t.len() <= 128,
            &format!("targets[{i}]"),
            "must be 1 to 128 characters",
        );
    }
    if let Some(at) = spec.scheduled_at {
        v.instant("scheduledAt", &at);
        v.check(
            at <= now + chrono::Duration::days(366),
            "scheduledAt",
            "must be within a year",
        );
    }
    v.into_result().map_err(NotificationError::Invalid)
}

/// Writes `draft` (its member replaced) to each member whose preferences show it, and streams
/// each; returns how many were written. With `event_id`, a second write for the same event
/// and member does nothing.
pub async fn write_to(
    db: &impl ConnectionTrait,
    members: &[Member],
    draft: &Draft,
    event_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i32, NotificationError> {
    let mut written = 0;
    for m in members {
        let draft = Draft {
            member_id: m.member_id.clone(),
            ..draft.clone()
        };
        if !preferences::get(db, &m.member_id).await?.shows(draft.category) {
            continue;
        }
        if let Some(id) = inbox::write(db, &draft, event_id, now).await? {
            stream::append_notification(db, &id, &draft, now).await?;
            written += 1;
        }
    }
    Ok(written)
}

/// Sends the broadcast `r` (whose row the caller holds) and records the counts.
async fn send(db: &impl ConnectionTrait, r: &rows::Model, now: DateTime<Utc>) -> Result<(), NotificationError> {
    let b = to_view(r.clone())?;
    let audience = members::audience(db, b.spec.audience.as_str(), &b.spec.targets).await?;
    let draft = Draft {
        member_id: String::new(),
        category: b.spec.category,
        kind: "broadcast".into(),
        title: tr(
            b.spec.title_en.clone(),
            b.spec.title_th.clone(),
            b.spec.title_cn.clone(),
        ),
        body: tr(b.spec.body_en.clone(), b.spec.body_th.clone(), b.spec.body_cn.clone()),
        data: json!({"broadcastId": b.id}),
        cta_url: b.spec.cta_url.clone(),
        image_url: b.spec.image_url.clone(),
    };
    let delivered = write_to(db, &audience, &draft, None, now).await?;
    rows::Entity::update_many()
        .col_expr(rows::Column::Status, Expr::value("sent"))
        .col_expr(rows::Column::Recipients, Expr::value(audience.len() as i32))
        .col_expr(rows::Column::Delivered, Expr::value(delivered))
        .col_expr(rows::Column::SentAt, Expr::value(now))
        .filter(rows::Column::Id.eq(r.id.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Creates a broadcast; one due now is sent before this returns.
pub async fn create(
    db: &DatabaseConnection,
    spec: BroadcastSpec,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Broadcast, NotificationError> {
    check(&spec, now)?;
    let row = rows::Model {
        id: uuid::Uuid::now_v7().to_string(),
        category: spec.category.as_str().into(),
        title_en: spec.title_en.trim().into(),
        title_th: spec.title_th.trim().into(),
        title_cn: spec.title_cn.trim().into(),
        body_en: spec.body_en.trim().into(),
        body_th: spec.body_th.trim().into(),
        body_cn: spec.body_cn.trim().into(),
        image_url: spec.image_url.clone(),
        cta_url: spec.cta_url.clone(),
        audience: spec.audience.as_str().into(),
        targets: serde_json::to_string(&spec.targets).expect("serializable"),
        scheduled_at: spec.scheduled_at.unwrap_or(now).max(now),
        status: "scheduled".into(),
        recipients: 0,
        delivered: 0,
        created_by: by.into(),
        created_at: now,
        sent_at: None,
        cancelled_at: None,
    };
    let txn = begin_write(db).await?;
    rows::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(&txn)
        .await?;
    if row.scheduled_at <= now {
        send(&txn, &row, now).await?;
    }
    txn.commit().await?;
    get(db, &row.id).await
}

/// Sends the scheduled broadcasts that are due (each in its own transaction, claimed so that
/// two replicas never send one twice). Returns how many.
pub async fn send_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, NotificationError> {
    let mut sent = 0;
    loop {
        let txn = begin_write(db).await?;
        let mut select = rows::Entity::find()
            .filter(rows::Column::Status.eq("scheduled"))
            .filter(rows::Column::ScheduledAt.lte(now))
            .order_by_asc(rows::Column::ScheduledAt)
            .limit(1);
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let Some(row) = select.one(&txn).await? else {
            txn.rollback().await?;
            return Ok(sent);
        };
        send(&txn, &row, now).await?;
        txn.commit().await?;
        sent += 1;
    }
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Broadcast, NotificationError> {
    to_view(
        rows::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(NotificationError::Missing("Broadcast"))?,
    )
}

/// Cancels a scheduled broadcast (409 once sent or cancelled).
pub async fn cancel(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<Broadcast, NotificationError> {
    let b = get(db, id).await?;
    let n = rows::Entity::update_many()
        .col_expr(rows::Column::Status, Expr::value("cancelled"))
        .col_expr(rows::Column::CancelledAt, Expr::value(now))
        .filter(rows::Column::Id.eq(id))
        .filter(rows::Column::Status.eq("scheduled"))
        .exec(db)
        .await?
        .rows_affected;
    if n == 0 {
        return Err(NotificationError::Conflict(format!(
            "Only a scheduled broadcast can be cancelled; this one is {}",
            b.status
        )));
    }
    get(db, id).await
}

pub const LIST: ListSpec<rows::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("createdAt", rows::Column::CreatedAt),
        ("scheduledAt", rows::Column::ScheduledAt),
    ],
    default_sort: rows::Column::CreatedAt,
    tiebreak: rows::Column::Id,
    search: &[rows::Column::TitleEn],
    filters: &[
        Filter::Enum("status", rows::Column::Status, &["scheduled", "sent", "cancelled"]),
        Filter::Enum(
            "audience",
            rows::Column::Audience,
            &["all", "tiers", "interests", "members"],
        ),
    ],
};

pub async fn list(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<Broadcast>, NotificationError> {
    let page = q.page(db, rows::Entity::find(), &LIST).await?;
    let data = page.data.into_iter().map(to_view).collect::<Result<_, _>>()?;
    Ok(Page { meta: page.meta, data })
}
