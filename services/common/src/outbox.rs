//! Transactional outbox and its consumer runner.
//!
//! [`emit`] writes an event in the caller's transaction, so an event exists exactly when the
//! change it announces was committed. A [`Consumer`] sees events in id order, at least once,
//! with its handler and its offset advanced in one transaction (so database effects of a
//! handler happen once). Several replicas may run the same consumer: the offset row is locked
//! with `FOR UPDATE SKIP LOCKED`, so one replica works while the others skip.
//!
//! Ids committed out of order: on PostgreSQL a transaction can take id 5, another id 6 and
//! commit first. A consumer that read 6 and moved its offset past 5 would lose 5 for ever. So a
//! consumer reads only up to a *safe id*: it notes the sequence's last value together with the
//! snapshot's `xmax`, and trusts that value once every transaction older than that `xmax` has
//! ended (`xmin` has passed it). Every id up to the noted value was taken by a transaction that
//! had its xid before the note, so all of them are then committed or rolled back. SQLite has
//! one writer, so ids commit in order there.
//!
//! The price: transaction ids are server-wide, so a long transaction anywhere on the same
//! PostgreSQL server (another database included) delays delivery until it ends. Events are
//! late then, never lost or reordered.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, InsertStatement, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Statement,
};
use serde::Serialize;

use crate::clock::Clock;
use crate::db::begin_write;
use crate::entity::{consumer_offsets as offsets, events, processed_events as processed};
use crate::jobs::Job;

/// An event as consumers receive it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: i64,
    pub topic: String,
    pub aggregate_id: String,
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// Writes an untyped event in the caller's transaction. Services emit typed events through
/// [`crate::events::emit`]; this is its storage step (and what tests use for made-up topics).
pub async fn emit_at(
    db: &impl ConnectionTrait,
    topic: &str,
    aggregate_id: &str,
    payload: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    insert_event(db, topic, aggregate_id, payload.to_string(), now).await
}

/// Stores an event whose payload is already JSON text.
async fn insert_event(
    db: &impl ConnectionTrait,
    topic: &str,
    aggregate_id: &str,
    payload: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    db.execute(&event_insert(topic, aggregate_id, payload, now)).await?;
    Ok(())
}

/// The insert of an event whose payload is already JSON text.
pub(crate) fn event_insert(topic: &str, aggregate_id: &str, payload: String, now: DateTime<Utc>) -> InsertStatement {
    events::Entity::insert(events::ActiveModel {
        topic: Set(topic.to_string()),
        aggregate_id: Set(aggregate_id.to_string()),
        payload: Set(payload),
        created_at: Set(now),
        ..Default::default()
    })
    .into_query()
}

/// Reacts to events. Services implement the typed [`crate::events::Handler`] instead.
#[async_trait::async_trait]
pub trait Consumer: Send + Sync {
    /// Unique, stable name: the offset is stored under it.
    fn name(&self) -> &str;
    /// Topics it wants; others are passed over (and the offset still advances).
    fn topics(&self) -> &[&str];
    /// Handles one event inside the transaction that will also advance the offset.
    async fn handle(&self, txn: &DatabaseTransaction, event: &Event) -> anyhow::Result<()>;
    /// Runs after a batch in which it handled events has committed (to wake readers of what
    /// the handler wrote).
    async fn after_commit(&self) {}
}

#[derive(FromQueryResult)]
struct Snapshot {
    xmin: i64,
    xmax: i64,
    seq: i64,
}

/// Runs one consumer: polls, handles in order, advances its offset.
pub struct Runner {
    db: DatabaseConnection,
    consumer: Arc<dyn Consumer>,
    clock: Clock,
    batch: u64,
    safe_id: i64,
    pending: Option<(i64, i64)>,
}

impl Runner {
    pub fn new(db: DatabaseConnection, consumer: Arc<dyn Consumer>) -> Self {
        Self {
            db,
            consumer,
            clock: Clock::default(),
            batch: 100,
            safe_id: 0,
            pending: None,
        }
    }

    /// The clock that stamps offsets and processed ids (the platform's, so tests can move it).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    async fn advance_safe_id(&mut self) -> Result<(), DbErr> {
        if self.db.get_database_backend() != DatabaseBackend::Postgres {
            self.safe_id = i64::MAX;
            return Ok(());
        }
        let snap = Snapshot::find_by_statement(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin, \
             pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax, \
             (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM events_id_seq) AS seq",
        ))
        .one(&self.db)
        .await?
        .ok_or_else(|| DbErr::Custom("no snapshot row".into()))?;
        let Snapshot { xmin, xmax, seq } = snap;
        if let Some((p_seq, p_xmax)) = self.pending
            && xmin >= p_xmax
        {
            self.safe_id = self.safe_id.max(p_seq);
            self.pending = None;
        }
        if self.pending.is_none() && seq > self.safe_id {
            self.pending = Some((seq, xmax));
            // Nothing else in flight: the note is already safe.
            if xmin >= xmax {
                self.safe_id = seq;
                self.pending = None;
            }
        }
        Ok(())
    }

    /// One poll. Returns how many events were read (0 also when another replica holds it).
    pub async fn run_once(&mut self) -> anyhow::Result<usize> {
        self.advance_safe_id().await?;
        let name = self.consumer.name().to_string();
        let now = self.clock.now();
        offsets::Entity::insert(offsets::ActiveModel {
            consumer: Set(name.clone()),
            last_event_id: Set(0),
            updated_at: Set(now),
        })
        .on_conflict(OnConflict::column(offsets::Column::Consumer).do_nothing().to_owned())
        .exec_without_returning(&self.db)
        .await?;
        let txn = begin_write(&self.db).await?;
        let mut find = offsets::Entity::find_by_id(name.clone());
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            find = find.lock_with_behavior(
                sea_orm::sea_query::LockType::Update,
                sea_orm::sea_query::LockBehavior::SkipLocked,
            );
        }
        let Some(offset) = find.one(&txn).await? else {
            txn.rollback().await?;
            return Ok(0);
        };
        let rows = events::Entity::find()
            .filter(events::Column::Id.gt(offset.last_event_id))
            .filter(events::Column::Id.lte(self.safe_id))
            .order_by_asc(events::Column::Id)
            .limit(self.batch)
            .all(&txn)
            .await?;
        let Some(last) = rows.last().map(|e| e.id) else {
            txn.rollback().await?;
            return Ok(0);
        };
        let read = rows.len();
        let mut handled = false;
        for row in rows {
            if !self.consumer.topics().contains(&row.topic.as_str()) {
                continue;
            }
            // Deduplicate by event id: a redelivered event is skipped.
            let fresh = processed::Entity::insert(processed::ActiveModel {
                consumer: Set(name.clone()),
                event_id: Set(row.id),
                processed_at: Set(now),
            })
            .on_conflict(
                OnConflict::columns([processed::Column::Consumer, processed::Column::EventId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
            if fresh == 0 {
                continue;
            }
            let event = Event {
                id: row.id,
                topic: row.topic,
                aggregate_id: row.aggregate_id,
                payload: serde_json::from_str(&row.payload)?,
                created_at: row.created_at,
            };
            self.consumer.handle(&txn, &event).await?;
            handled = true;
        }
        offsets::Entity::update_many()
            .col_expr(offsets::Column::LastEventId, Expr::value(last))
            .col_expr(offsets::Column::UpdatedAt, Expr::value(now))
            .filter(offsets::Column::Consumer.eq(name))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        if handled {
            self.consumer.after_commit().await;
        }
        Ok(read)
    }

    /// The consumer as a periodic job: every `poll` it drains what is there. A failing
    /// handler rolls its batch back and is retried at the next poll.
    pub fn into_job(self, poll: Duration) -> Job {
        let name = format!("outbox.{}", self.consumer.name());
        let runner = Arc::new(tokio::sync::Mutex::new(self));
        Job::new(name, poll, move || {
            let runner = runner.clone();
            async move {
                let mut r = runner.lock().await;
                while r.run_once().await.inspect_err(|_| {
                    metrics::counter!("outbox_consumer_errors_total", "consumer" => r.consumer.name().to_string())
                        .increment(1);
                })? > 0
                {}
                Ok(())
            }
        })
        .at_start()
    }
}
