//! The delivery log: one row per action and event (a replayed event makes none), worked
//! through by the dispatcher. `queued` rows are claimed (`sending`), sent, and end `sent`;
//! a failure goes back to `queued` with an exponential backoff until the attempts run out
//! (`failed`). A member without an address or who turned mail off is `skipped`; quiet hours
//! only postpone. Staff list deliveries and retry a failed or skipped one.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use sbm_common::db::begin_write;
use sbm_common::idempotency::{SEALED, open, seal};
use sbm_common::outbox::Event;
use sbm_common::query::{Filter, Locale};
use sbm_common::{ListQuery, ListSpec, Page};

use super::actions::{self, Recipient};
use super::{senders, templates};
use crate::domain::{NotificationError, members, preferences};
use crate::entity::mail_deliveries as rows;

const SCOPE: &str = "mail-delivery";

/// A delivery as staff read it (its variables stay sealed: they may hold a reset link).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub id: String,
    pub action_id: Option<String>,
    pub template_id: String,
    pub sender_id: String,
    pub event_id: Option<i64>,
    pub member_id: Option<String>,
    /// `member`, `staff` or `address`.
    pub recipient_kind: String,
    /// The address it went (or goes) to; for members, known once sent.
    pub recipient: Option<String>,
    pub subject: Option<String>,
    /// `queued`, `sending`, `sent`, `failed` or `skipped`.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<rows::Model> for Delivery {
    fn from(r: rows::Model) -> Self {
        Delivery {
            id: r.id,
            action_id: r.action_id,
            template_id: r.template_id,
            sender_id: r.sender_id,
            event_id: r.event_id,
            member_id: r.member_id,
            recipient_kind: r.recipient_kind,
            recipient: r.recipient,
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            next_attempt_at: r.next_attempt_at,
            sent_at: r.sent_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Queues what the active actions for `event` say, once per action and event.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    event: &Event,
    secret: &[u8; 32],
    now: DateTime<Utc>,
) -> Result<usize, NotificationError> {
    let mut queued = 0;
    for a in actions::for_event(db, &event.topic).await? {
        if !actions::matches(&a.spec.conditions, &event.payload) {
            continue;
        }
        let member_id = event
            .payload
            .get("memberId")
            .and_then(Value::as_str)
            .map(str::to_string);
        let recipient = match a.spec.recipient {
            Recipient::Member => None,
            Recipient::Staff => event.payload.get("email").and_then(Value::as_str).map(str::to_string),
            Recipient::Address => a.spec.address.clone(),
        };
        let id = uuid::Uuid::now_v7().to_string();
        let vars = seal(secret, SCOPE, &id, &event.payload.to_string());
        let n = rows::Entity::insert(rows::ActiveModel {
            id: Set(id),
            action_id: Set(Some(a.id.clone())),
            template_id: Set(a.spec.template_id.clone()),
            sender_id: Set(a.spec.sender_id.clone()),
            event_id: Set(Some(event.id)),
            member_id: Set(member_id),
            recipient: Set(recipient),
            recipient_kind: Set(a.spec.recipient.as_str().into()),
            variables_sealed: Set(vars),
            subject: Set(None),
            status: Set("queued".into()),
            attempts: Set(0),
            last_error: Set(None),
            next_attempt_at: Set(now + chrono::Duration::seconds(i64::from(a.spec.delay_seconds))),
            sent_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([rows::Column::ActionId, rows::Column::EventId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        queued += n as usize;
    }
    Ok(queued)
}

/// How the dispatcher retries.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub max_attempts: u32,
    pub base: Duration,
}

/// A `sending` row older than this was abandoned (the replica died mid-send): claim it again.
const ABANDONED: chrono::Duration = chrono::Duration::minutes(10);

/// Claims due deliveries (at most `limit`) for this replica: `sending`, one more attempt.
async fn claim(db: &DatabaseConnection, now: DateTime<Utc>, limit: u64) -> Result<Vec<rows::Model>, NotificationError> {
    let txn = begin_write(db).await?;
    let mut select = rows::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(rows::Column::Status.eq("queued"))
                        .add(rows::Column::NextAttemptAt.lte(now)),
                )
                .add(
                    Condition::all()
                        .add(rows::Column::Status.eq("sending"))
                        .add(rows::Column::UpdatedAt.lt(now - ABANDONED)),
                ),
        )
        .order_by_asc(rows::Column::NextAttemptAt)
        .limit(limit);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let due = select.all(&txn).await?;
    let ids: Vec<String> = due.iter().map(|d| d.id.clone()).collect();
    if !ids.is_empty() {
        rows::Entity::update_many()
            .col_expr(rows::Column::Status, Expr::value("sending"))
            .col_expr(rows::Column::Attempts, Expr::col(rows::Column::Attempts).add(1))
            .col_expr(rows::Column::UpdatedAt, Expr::value(now))
            .filter(rows::Column::Id.is_in(ids))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(due
        .into_iter()
        .map(|mut d| {
            d.attempts += 1;
            d
        })
        .collect())
}

/// What became of one attempt.
enum Outcome {
    Sent {
        to: String,
        subject: String,
    },
    Skipped(String),
    Postponed(DateTime<Utc>),
    /// `permanent`: retrying cannot help (a template that cannot render).
    Failed {
        error: String,
        permanent: bool,
    },
}

async fn attempt(db: &DatabaseConnection, d: &rows::Model, secret: &[u8; 32], now: DateTime<Utc>) -> Outcome {
    let vars = match d
        .variables_sealed
        .strip_prefix(SEALED)
        .and_then(|s| open(secret, SCOPE, &d.id, s))
        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
    {
        Some(Value::Object(m)) => m,
        _ => {
            return Outcome::Failed {
                error: "the delivery's variables cannot be opened (the platform's signing key changed?)".into(),
                permanent: true,
            };
        }
    };
    let mut vars = vars;
    // Fields their emitter sealed (a reset link) are opened only here, to be rendered.
    for (k, v) in vars.iter_mut() {
        if let Some(inner) = v.as_str().and_then(|s| s.strip_prefix(SEALED))
            && let Some(plain) = open(secret, sbm_common::events::SEALED_FIELD_SCOPE, k, inner)
        {
            *v = Value::String(plain);
        }
    }
    let (to, locale) = match d.recipient_kind.as_str() {
        "member" => {
            let Some(member_id) = &d.member_id else {
                return Outcome::Skipped("the event names no member".into());
            };
            let m = match members::get(db, member_id).await {
                Ok(Some(m)) => m,
                Ok(None) => return Outcome::Skipped("the member is not known to notification".into()),
                Err(e) => {
                    return Outcome::Failed {
                        error: e.to_string(),
                        permanent: false,
                    };
                }
            };
            if !m.active {
                return Outcome::Skipped("the member was anonymised".into());
            }
            let Some(email) = m.email.clone() else {
                return Outcome::Skipped("the member has no email address".into());
            };
            match preferences::get(db, member_id).await {
                Ok(p) => {
                    if !p.channels.get("email").copied().unwrap_or(true) {
                        return Outcome::Skipped("the member turned email off".into());
                    }
                    if let Some(until) = p.quiet_until(now) {
                        return Outcome::Postponed(until);
                    }
                }
                Err(e) => {
                    return Outcome::Failed {
                        error: e.to_string(),
                        permanent: false,
                    };
                }
            }
            vars.entry("firstName").or_insert(json!(m.first_name));
            (email, members::locale(&m))
        }
        _ => match &d.recipient {
            Some(a) => (a.clone(), Locale::En),
            None => return Outcome::Skipped("the event carries no address".into()),
        },
    };
    let template = match templates::get(db, &d.template_id).await {
        Ok(t) => t,
        Err(e) => {
            return Outcome::Failed {
                error: e.to_string(),
                permanent: matches!(e, NotificationError::Missing(_)),
            };
        }
    };
    let mail = match templates::render(&template, locale, &vars) {
        Ok(m) => m,
        Err(e) => {
            let detail = match &e {
                NotificationError::Unprocessable(errs) => errs
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            };
            return Outcome::Failed {
                error: detail,
                permanent: true,
            };
        }
    };
    match senders::send(db, &d.sender_id, secret, &to, &mail, &d.id).await {
        Ok(()) => Outcome::Sent {
            to,
            subject: mail.subject,
        },
        Err(e) => Outcome::Failed {
            error: e.to_string(),
            permanent: matches!(e, NotificationError::Missing(_)),
        },
    }
}

/// Sends what is due; returns how many deliveries it worked on.
pub async fn dispatch(
    db: &DatabaseConnection,
    secret: &[u8; 32],
    retry: Retry,
    now: DateTime<Utc>,
) -> Result<usize, NotificationError> {
    // One at a time: a claim is fresh when its send starts, however slow the ones before.
    let due = claim(db, now, 1).await?;
    for d in &due {
        let outcome = attempt(db, d, secret, now).await;
        let mut update = rows::Entity::update_many().col_expr(rows::Column::UpdatedAt, Expr::value(now));
        update = match outcome {
            Outcome::Sent { to, subject } => {
                tracing::info!(delivery = %d.id, "mail sent");
                update
                    .col_expr(rows::Column::Status, Expr::value("sent"))
                    .col_expr(rows::Column::Recipient, Expr::value(to))
                    .col_expr(rows::Column::Subject, Expr::value(subject))
                    .col_expr(rows::Column::SentAt, Expr::value(now))
                    .col_expr(rows::Column::LastError, Expr::value(Option::<String>::None))
            }
            Outcome::Skipped(why) => update
                .col_expr(rows::Column::Status, Expr::value("skipped"))
                .col_expr(rows::Column::LastError, Expr::value(why)),
            // Quiet hours are not an attempt.
            Outcome::Postponed(until) => update
                .col_expr(rows::Column::Status, Expr::value("queued"))
                .col_expr(rows::Column::Attempts, Expr::value(d.attempts - 1))
                .col_expr(rows::Column::NextAttemptAt, Expr::value(until)),
            Outcome::Failed { error, permanent } => {
                tracing::warn!(delivery = %d.id, attempts = d.attempts, error = %error, "mail delivery failed");
                let out_of_tries = permanent || d.attempts >= i32::try_from(retry.max_attempts).unwrap_or(i32::MAX);
                if out_of_tries {
                    update
                        .col_expr(rows::Column::Status, Expr::value("failed"))
                        .col_expr(rows::Column::LastError, Expr::value(error))
                } else {
                    let factor = 2u32.saturating_pow(Ord::min(u32::try_from(d.attempts - 1).unwrap_or(0), 16));
                    let wait = chrono::Duration::from_std(retry.base * factor).unwrap_or(chrono::Duration::hours(1));
                    update
                        .col_expr(rows::Column::Status, Expr::value("queued"))
                        .col_expr(rows::Column::LastError, Expr::value(error))
                        .col_expr(rows::Column::NextAttemptAt, Expr::value(now + wait))
                }
            }
        };
        // Only the claim this replica holds (a row reclaimed as abandoned is another's now).
        update
            .filter(rows::Column::Id.eq(d.id.as_str()))
            .filter(rows::Column::Status.eq("sending"))
            .filter(rows::Column::Attempts.eq(d.attempts))
            .exec(db)
            .await?;
    }
    Ok(due.len())
}

pub const LIST: ListSpec<rows::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("createdAt", rows::Column::CreatedAt),
        ("nextAttemptAt", rows::Column::NextAttemptAt),
    ],
    default_sort: rows::Column::CreatedAt,
    tiebreak: rows::Column::Id,
    search: &[rows::Column::Recipient, rows::Column::Subject],
    filters: &[
        Filter::Enum(
            "status",
            rows::Column::Status,
            &["queued", "sending", "sent", "failed", "skipped"],
        ),
        Filter::Text("actionId", rows::Column::ActionId),
        Filter::Text("memberId", rows::Column::MemberId),
    ],
};

pub async fn list(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<Delivery>, NotificationError> {
    let page = q.page(db, rows::Entity::find(), &LIST).await?;
    Ok(Page {
        meta: page.meta,
        data: page.data.into_iter().map(Delivery::from).collect(),
    })
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Delivery, NotificationError> {
    Ok(rows::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(NotificationError::Missing("Mail delivery"))?
        .into())
}

/// Queues a failed or skipped delivery again, now (409 for the others).
pub async fn retry(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<Delivery, NotificationError> {
    let d = get(db, id).await?;
    let n = rows::Entity::update_many()
        .col_expr(rows::Column::Status, Expr::value("queued"))
        .col_expr(rows::Column::NextAttemptAt, Expr::value(now))
        .col_expr(rows::Column::Attempts, Expr::value(0))
        .col_expr(rows::Column::UpdatedAt, Expr::value(now))
        .filter(rows::Column::Id.eq(id))
        .filter(rows::Column::Status.is_in(["failed", "skipped"]))
        .exec(db)
        .await?
        .rows_affected;
    if n == 0 {
        return Err(NotificationError::Conflict(format!(
            "Only a failed or skipped delivery can be retried; this one is {}",
            d.status
        )));
    }
    get(db, id).await
}
