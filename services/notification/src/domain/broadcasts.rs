//! Staff broadcasts: one message to every member, to tiers, to interests or to a list of
//! members, now or at a set time. The dispatcher sends a due broadcast in chunks of members,
//! one transaction each (claimed with `SKIP LOCKED`, resumed from its cursor after a crash),
//! writing each recipient's inbox notification (when their preferences show its category) and
//! streaming it; the counts of recipients (the audience) and deliveries (notifications
//! written) grow on the broadcast as it goes.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict};
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
    /// `scheduled`, `sending` (in chunks), `sent` or `cancelled`.
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
            stream::append_notification(db, &id, &draft, event_id, now).await?;
            written += 1;
        }
    }
    Ok(written)
}

/// Members written per transaction: each chunk holds the stream's append lock only briefly, so
/// the consumer and other writers go on between chunks.
const CHUNK: u64 = 500;

fn draft_of(r: &rows::Model) -> Result<Draft, NotificationError> {
    let b = to_view(r.clone())?;
    let mut data: serde_json::Value = serde_json::from_str(&r.data).map_err(|e| NotificationError::Corrupt {
        id: r.id.clone(),
        cause: e.to_string(),
    })?;
    if let Some(o) = data.as_object_mut() {
        o.insert("broadcastId".into(), json!(r.id));
    }
    Ok(Draft {
        member_id: String::new(),
        category: b.spec.category,
        kind: r.kind.clone(),
        title: tr(b.spec.title_en, b.spec.title_th, b.spec.title_cn),
        body: tr(b.spec.body_en, b.spec.body_th, b.spec.body_cn),
        data,
        cta_url: b.spec.cta_url,
        image_url: b.spec.image_url,
    })
}

/// A new row, `scheduled` (the dispatcher sends it when due).
fn new_row(
    id: String,
    spec: &BroadcastSpec,
    kind: &str,
    data: serde_json::Value,
    by: &str,
    now: DateTime<Utc>,
) -> rows::Model {
    rows::Model {
        id,
        category: spec.category.as_str().into(),
        title_en: spec.title_en.trim().into(),
        title_th: spec.title_th.trim().into(),
        title_cn: spec.title_cn.trim().into(),
        body_en: spec.body_en.trim().into(),
        body_th: spec.body_th.trim().into(),
        body_cn: spec.body_cn.trim().into(),
        image_url: spec.image_url.clone(),
        cta_url: spec.cta_url.clone(),
        kind: kind.into(),
        data: data.to_string(),
        audience: spec.audience.as_str().into(),
        targets: serde_json::to_string(&spec.targets).expect("serializable"),
        scheduled_at: Ord::max(spec.scheduled_at.unwrap_or(now), now),
        status: "scheduled".into(),
        cursor: None,
        recipients: 0,
        delivered: 0,
        created_by: by.into(),
        created_at: now,
        sent_at: None,
        cancelled_at: None,
    }
}

/// Creates a broadcast. The dispatcher sends it when due (within a poll interval for one
/// without `scheduledAt`), in chunks of members.
pub async fn create(
    db: &impl ConnectionTrait,
    spec: BroadcastSpec,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Broadcast, NotificationError> {
    check(&spec, now)?;
    let row = new_row(uuid::Uuid::now_v7().to_string(), &spec, "broadcast", json!({}), by, now);
    rows::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(db)
        .await?;
    to_view(row)
}

/// A system broadcast for an event (a new consent document to every member): once per event,
/// however often the event is replayed.
pub async fn announce(
    db: &impl ConnectionTrait,
    event_id: i64,
    spec: BroadcastSpec,
    kind: &str,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), NotificationError> {
    let row = new_row(format!("event-{event_id}"), &spec, kind, data, "system", now);
    rows::Entity::insert(row.into_active_model())
        .on_conflict(OnConflict::column(rows::Column::Id).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Sends one chunk of one due broadcast, claimed so that no two replicas write the same chunk.
/// Returns `None` when nothing is due, else whether a broadcast was finished.
async fn send_chunk(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Option<bool>, NotificationError> {
    let txn = begin_write(db).await?;
    let mut select = rows::Entity::find()
        .filter(rows::Column::Status.is_in(["scheduled", "sending"]))
        .filter(rows::Column::ScheduledAt.lte(now))
        .order_by_asc(rows::Column::ScheduledAt)
        .limit(1);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let Some(row) = select.one(&txn).await? else {
        txn.rollback().await?;
        return Ok(None);
    };
    let draft = draft_of(&row)?;
    let targets: Vec<String> = serde_json::from_str(&row.targets).map_err(|e| NotificationError::Corrupt {
        id: row.id.clone(),
        cause: e.to_string(),
    })?;
    let chunk = members::audience(&txn, &row.audience, &targets, row.cursor.as_deref(), CHUNK).await?;
    let delivered = write_to(&txn, &chunk.members, &draft, None, now).await?;
    let done = !chunk.full;
    let mut update = rows::Entity::update_many()
        .col_expr(rows::Column::Status, Expr::value(if done { "sent" } else { "sending" }))
        .col_expr(
            rows::Column::Recipients,
            Expr::col(rows::Column::Recipients).add(chunk.members.len() as i32),
        )
        .col_expr(
            rows::Column::Delivered,
            Expr::col(rows::Column::Delivered).add(delivered),
        );
    if let Some(last) = chunk.last {
        update = update.col_expr(rows::Column::Cursor, Expr::value(last));
    }
    if done {
        update = update.col_expr(rows::Column::SentAt, Expr::value(now));
    }
    update.filter(rows::Column::Id.eq(row.id.as_str())).exec(&txn).await?;
    txn.commit().await?;
    Ok(Some(done))
}

/// Sends what is due, chunk by chunk. Returns how many chunks were written (each woke the
/// stream's readers when the caller notifies).
pub async fn send_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, NotificationError> {
    let mut chunks = 0;
    while send_chunk(db, now).await?.is_some() {
        chunks += 1;
    }
    Ok(chunks)
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
        Filter::Enum(
            "status",
            rows::Column::Status,
            &["scheduled", "sending", "sent", "cancelled"],
        ),
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
