//! The real-time stream's retained log: what members and staff see live on
//! `/notification/api/sse`, kept for [`Config::sse_retention`] so a reconnect with
//! `Last-Event-ID` gets exactly what it missed.
//!
//! Every append takes one lock first (a PostgreSQL transaction-scoped advisory lock; SQLite has
//! one writer anyway) and holds it to commit, so ids become visible in id order. A reader that
//! has seen id `n` has therefore seen every row before `n`: "everything after my last id" is a
//! complete answer, on any replica.
//!
//! [`Config::sse_retention`]: sbm_common::config::Config::sse_retention

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use sbm_common::outbox::Event;
use sbm_common::query::Locale;

use super::inbound;
use super::texts::Draft;
use crate::entity::{stream_events as rows, stream_retention as retention};

/// The advisory lock key stream appends hold until commit.
const APPEND_LOCK: i64 = 727_301;

/// The fan-out channel that wakes readers of the stream.
pub const CHANNEL: &str = "notification.stream";

/// Who sees a stream event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Only the member it is about.
    Member,
    /// Only staff.
    Staff,
    /// The member it is about, and staff.
    Both,
}

impl Audience {
    fn as_str(self) -> &'static str {
        match self {
            Audience::Member => "member",
            Audience::Staff => "staff",
            Audience::Both => "both",
        }
    }
}

/// Whose stream is being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Member(String),
    Staff,
}

impl Viewer {
    /// Whether this viewer sees `row`.
    pub fn sees(&self, row: &rows::Model) -> bool {
        match self {
            Viewer::Member(id) => row.member_id.as_deref() == Some(id) && row.audience != "staff",
            Viewer::Staff => row.audience != "member",
        }
    }

    fn condition(&self) -> Condition {
        match self {
            Viewer::Member(id) => Condition::all()
                .add(rows::Column::MemberId.eq(id.as_str()))
                .add(rows::Column::Audience.ne("staff")),
            Viewer::Staff => Condition::all().add(rows::Column::Audience.ne("member")),
        }
    }
}

/// The SSE event names, as documented.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub enum StreamEventName {
    /// A new inbox notification (`data`: the notification, in the stream's `locale`).
    #[serde(rename = "notification.created")]
    NotificationCreated,
    #[serde(rename = "points.earned")]
    PointsEarned,
    #[serde(rename = "points.spent")]
    PointsSpent,
    #[serde(rename = "points.expired")]
    PointsExpired,
    #[serde(rename = "points.expiring")]
    PointsExpiring,
    #[serde(rename = "tier.changed")]
    TierChanged,
    #[serde(rename = "badge.awarded")]
    BadgeAwarded,
    /// Any change of a redemption (`data.topic`: `redemption.created`, `.used`, `.cancelled`,
    /// `.expired`).
    #[serde(rename = "redemption.updated")]
    RedemptionUpdated,
    /// A receipt submitted or decided (`data.topic`).
    #[serde(rename = "receipt.updated")]
    ReceiptUpdated,
    /// A point request ticket created or decided (`data.topic`).
    #[serde(rename = "ticket.updated")]
    TicketUpdated,
    /// The `Last-Event-ID` is beyond retention (or unknown): what was missed cannot be
    /// replayed; reload state over the REST API. Its `id` is where the stream now continues.
    #[serde(rename = "reset")]
    Reset,
}

/// The topics the stream carries as they are, with their SSE event name.
pub fn event_name(topic: &str) -> Option<&'static str> {
    Some(match topic {
        inbound::POINTS_EARNED => "points.earned",
        inbound::POINTS_SPENT => "points.spent",
        inbound::POINTS_EXPIRED => "points.expired",
        inbound::POINTS_EXPIRING => "points.expiring",
        inbound::TIER_CHANGED => "tier.changed",
        inbound::BADGE_AWARDED => "badge.awarded",
        inbound::REDEMPTION_CREATED
        | inbound::REDEMPTION_USED
        | inbound::REDEMPTION_CANCELLED
        | inbound::REDEMPTION_EXPIRED => "redemption.updated",
        inbound::RECEIPT_SUBMITTED | inbound::RECEIPT_APPROVED | inbound::RECEIPT_REJECTED => "receipt.updated",
        inbound::TICKET_CREATED | inbound::TICKET_APPROVED | inbound::TICKET_REJECTED | inbound::TICKET_CANCELLED => {
            "ticket.updated"
        }
        _ => return None,
    })
}

/// Serializes appends until the caller's transaction ends.
async fn lock(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [APPEND_LOCK.into()],
        ))
        .await?;
    }
    Ok(())
}

/// One row, once per source event, event name and member (a replayed event appends nothing).
struct Append<'a> {
    member_id: Option<&'a str>,
    audience: Audience,
    event: &'a str,
    data: &'a Value,
    event_id: Option<i64>,
}

async fn append(db: &impl ConnectionTrait, a: Append<'_>, now: DateTime<Utc>) -> Result<(), DbErr> {
    lock(db).await?;
    rows::Entity::insert(rows::ActiveModel {
        member_id: sea_orm::ActiveValue::Set(a.member_id.map(str::to_string)),
        audience: sea_orm::ActiveValue::Set(a.audience.as_str().into()),
        event: sea_orm::ActiveValue::Set(a.event.into()),
        data: sea_orm::ActiveValue::Set(a.data.to_string()),
        event_id: sea_orm::ActiveValue::Set(a.event_id),
        created_at: sea_orm::ActiveValue::Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([rows::Column::EventId, rows::Column::Event, rows::Column::MemberId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Appends an outbox event the stream carries (nothing for other topics). Members see their
/// own; staff see everyone's.
pub async fn append_event(db: &impl ConnectionTrait, event: &Event, now: DateTime<Utc>) -> Result<(), DbErr> {
    let Some(name) = event_name(&event.topic) else {
        return Ok(());
    };
    let mut data = event.payload.clone();
    let member = data.get("memberId").and_then(Value::as_str).map(str::to_string);
    if let Some(obj) = data.as_object_mut() {
        obj.insert("topic".into(), json!(event.topic));
    }
    let a = Append {
        member_id: member.as_deref(),
        audience: Audience::Both,
        event: name,
        data: &data,
        event_id: Some(event.id),
    };
    append(db, a, now).await
}

/// Appends `notification.created` for a notification just written to the inbox: the texts in
/// every locale, narrowed to the stream's locale when sent.
pub async fn append_notification(
    db: &impl ConnectionTrait,
    notification_id: &str,
    draft: &Draft,
    event_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let data = json!({
        "id": notification_id,
        "category": draft.category,
        "kind": draft.kind,
        "title": {"en": draft.title.en, "th": draft.title.th, "cn": draft.title.cn},
        "body": {"en": draft.body.en, "th": draft.body.th, "cn": draft.body.cn},
        "imageUrl": draft.image_url,
        "ctaUrl": draft.cta_url,
        "data": draft.data,
        "readAt": Value::Null,
        "createdAt": now,
    });
    let a = Append {
        member_id: Some(&draft.member_id),
        audience: Audience::Member,
        event: "notification.created",
        data: &data,
        event_id,
    };
    append(db, a, now).await
}

/// A row's `data` as a viewer gets it: a notification's title and body in `locale`.
pub fn render(row: &rows::Model, locale: Option<Locale>) -> String {
    if row.event != "notification.created" {
        return row.data.clone();
    }
    let Ok(mut v) = serde_json::from_str::<Value>(&row.data) else {
        return row.data.clone();
    };
    let l = locale.unwrap_or(Locale::En);
    for field in ["title", "body"] {
        let pick = |k: &str| v[field][k].as_str().unwrap_or_default().to_string();
        let text = l.pick(&pick("en"), &pick("th"), &pick("cn")).to_string();
        v[field] = Value::String(text);
    }
    v.to_string()
}

/// The highest id appended so far (0 before the first), pruned ones included.
pub async fn head(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    Ok(Ord::max(max_id(db).await?, pruned_through(db).await?))
}

async fn max_id(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let max: Option<Option<i64>> = rows::Entity::find()
        .select_only()
        .column_as(Expr::col(rows::Column::Id).max(), "m")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}

/// Every id up to this one may have been pruned.
pub async fn pruned_through(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    Ok(retention::Entity::find_by_id(1)
        .one(db)
        .await?
        .map(|r| r.pruned_through)
        .unwrap_or(0))
}

/// Rows after `after`, in id order, at most `limit` (every audience: the caller filters).
pub async fn after(db: &impl ConnectionTrait, after: i64, limit: u64) -> Result<Vec<rows::Model>, DbErr> {
    rows::Entity::find()
        .filter(rows::Column::Id.gt(after))
        .order_by_asc(rows::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// What `viewer` sees after `after`, in id order, at most `limit`.
pub async fn replay(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    after: i64,
    limit: u64,
) -> Result<Vec<rows::Model>, DbErr> {
    rows::Entity::find()
        .filter(rows::Column::Id.gt(after))
        .filter(viewer.condition())
        .order_by_asc(rows::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Where a resuming stream stands.
#[derive(Debug, PartialEq, Eq)]
pub enum Resume {
    /// Replay everything after the given id.
    Replay(i64),
    /// The id is beyond retention (or was never issued): send `reset`, continue from `head`.
    Reset { head: i64 },
}

/// Whether `last_event_id` can be resumed from.
pub async fn resume(db: &impl ConnectionTrait, last_event_id: i64) -> Result<Resume, DbErr> {
    let pruned = pruned_through(db).await?;
    let head = Ord::max(max_id(db).await?, pruned);
    if last_event_id < pruned || last_event_id > head {
        Ok(Resume::Reset { head })
    } else {
        Ok(Resume::Replay(last_event_id))
    }
}

/// Drops events older than `before` and records how far, so that older `Last-Event-ID`s get
/// a `reset`. Returns how many were dropped.
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let through: Option<Option<i64>> = rows::Entity::find()
        .select_only()
        .column_as(Expr::col(rows::Column::Id).max(), "m")
        .filter(rows::Column::CreatedAt.lt(before))
        .into_tuple()
        .one(db)
        .await?;
    let Some(through) = through.flatten() else {
        return Ok(0);
    };
    // The watermark first: a reader between the two statements resets rather than missing.
    retention::Entity::update_many()
        .col_expr(retention::Column::PrunedThrough, Expr::value(through))
        .filter(retention::Column::Id.eq(1))
        .filter(retention::Column::PrunedThrough.lt(through))
        .exec(db)
        .await?;
    let gone = rows::Entity::delete_many()
        .filter(rows::Column::Id.lte(through))
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}
