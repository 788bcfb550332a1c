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
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::db::{begin_write, exec, query_all, query_one};

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

/// Writes an event in the caller's transaction.
pub async fn emit(
    db: &impl ConnectionTrait,
    topic: &str,
    aggregate_id: &str,
    payload: serde_json::Value,
) -> Result<(), DbErr> {
    exec(
        db,
        "INSERT INTO events (topic, aggregate_id, payload, created_at) VALUES (?, ?, ?, ?)",
        vec![
            topic.into(),
            aggregate_id.into(),
            payload.to_string().into(),
            Utc::now().into(),
        ],
    )
    .await?;
    Ok(())
}

/// Reacts to events.
#[async_trait::async_trait]
pub trait Consumer: Send + Sync {
    /// Unique, stable name: the offset is stored under it.
    fn name(&self) -> &str;
    /// Topics it wants; others are passed over (and the offset still advances).
    fn topics(&self) -> &[&str];
    /// Handles one event inside the transaction that will also advance the offset.
    async fn handle(&self, txn: &DatabaseTransaction, event: &Event) -> anyhow::Result<()>;
}

/// Runs one consumer: polls, handles in order, advances its offset.
pub struct Runner {
    db: DatabaseConnection,
    consumer: Arc<dyn Consumer>,
    batch: u64,
    safe_id: i64,
    pending: Option<(i64, i64)>,
}

impl Runner {
    pub fn new(db: DatabaseConnection, consumer: Arc<dyn Consumer>) -> Self {
        Self {
            db,
            consumer,
            batch: 100,
            safe_id: 0,
            pending: None,
        }
    }

    async fn advance_safe_id(&mut self) -> Result<(), DbErr> {
        if self.db.get_database_backend() != DatabaseBackend::Postgres {
            self.safe_id = i64::MAX;
            return Ok(());
        }
        let row = query_one(
            &self.db,
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin, \
             pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax, \
             (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM events_id_seq) AS seq",
            vec![],
        )
        .await?
        .ok_or_else(|| DbErr::Custom("no snapshot row".into()))?;
        let xmin: i64 = row.try_get("", "xmin")?;
        let xmax: i64 = row.try_get("", "xmax")?;
        let seq: i64 = row.try_get("", "seq")?;
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

    /// One poll. Returns how many events were handled (0 also when another replica holds it).
    pub async fn run_once(&mut self) -> anyhow::Result<usize> {
        self.advance_safe_id().await?;
        let name = self.consumer.name().to_string();
        exec(
            &self.db,
            "INSERT INTO consumer_offsets (consumer, last_event_id, updated_at) VALUES (?, 0, ?) ON CONFLICT DO NOTHING",
            vec![name.clone().into(), Utc::now().into()],
        )
        .await?;
        let txn = begin_write(&self.db).await?;
        let lock = if txn.get_database_backend() == DatabaseBackend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let Some(row) = query_one(
            &txn,
            &format!("SELECT last_event_id FROM consumer_offsets WHERE consumer = ?{lock}"),
            vec![name.clone().into()],
        )
        .await?
        else {
            txn.rollback().await?;
            return Ok(0);
        };
        let last: i64 = row.try_get("", "last_event_id")?;
        let rows = query_all(
            &txn,
            "SELECT id, topic, aggregate_id, payload, created_at FROM events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?",
            vec![last.into(), self.safe_id.into(), (self.batch as i64).into()],
        )
        .await?;
        if rows.is_empty() {
            txn.rollback().await?;
            return Ok(0);
        }
        let mut handled = 0;
        let mut new_last = last;
        for r in rows {
            let event = Event {
                id: r.try_get("", "id")?,
                topic: r.try_get("", "topic")?,
                aggregate_id: r.try_get("", "aggregate_id")?,
                payload: serde_json::from_str(&r.try_get::<String>("", "payload")?)?,
                created_at: r.try_get("", "created_at")?,
            };
            if self.consumer.topics().contains(&event.topic.as_str()) {
                self.consumer.handle(&txn, &event).await?;
                handled += 1;
            }
            new_last = event.id;
        }
        exec(
            &txn,
            "UPDATE consumer_offsets SET last_event_id = ?, updated_at = ? WHERE consumer = ?",
            vec![new_last.into(), Utc::now().into(), name.into()],
        )
        .await?;
        txn.commit().await?;
        Ok(handled.max(1))
    }

    /// Polls until cancelled. A failing handler is retried (the batch rolls back).
    pub async fn run(mut self, poll: Duration, cancel: CancellationToken) {
        let name = self.consumer.name().to_string();
        loop {
            let wait = match self.run_once().await {
                Ok(0) => poll,
                Ok(_) => Duration::ZERO,
                Err(e) => {
                    metrics::counter!("outbox_consumer_errors_total", "consumer" => name.clone()).increment(1);
                    tracing::error!(consumer = %name, error = %e, "outbox consumer failed; will retry");
                    poll * 4
                }
            };
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
}
