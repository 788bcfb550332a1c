//! Typed domain events on top of the outbox.
//!
//! Each topic is one serde type owned by the emitting service's domain ([`DomainEvent`]);
//! [`emit`] writes it in the caller's transaction. A consumer implements [`Handler`] for one
//! event type and receives it parsed; [`consumer`] turns it into the runner's [`Consumer`],
//! which skips an event id the consumer has already processed.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::InsertStatement;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::outbox::{Consumer, Event};

/// One event type: its topic and the id of the thing it is about (a member, a receipt).
pub trait DomainEvent: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The topic, e.g. `points.earned`; stable, as consumers and clients key on it.
    const TOPIC: &'static str;
    /// The aggregate the event belongs to (ordering and lookups use it).
    fn aggregate_id(&self) -> String;
}

/// The scope under which an event field holding a secret (a password reset link) is sealed by
/// its emitter ([`seal_field`]): the outbox keeps only the sealed text, and the consumer that
/// must use the secret opens it with the same secret, scope and field name.
pub const SEALED_FIELD_SCOPE: &str = "event-field";

/// Seals the value of the event field `field` (see [`SEALED_FIELD_SCOPE`]).
pub fn seal_field(secret: &[u8; 32], field: &str, value: &str) -> String {
    crate::idempotency::seal(secret, SEALED_FIELD_SCOPE, field, value)
}

/// Writes `event` to the outbox inside the caller's transaction.
pub async fn emit<E: DomainEvent>(db: &impl ConnectionTrait, event: &E, now: DateTime<Utc>) -> Result<(), DbErr> {
    db.execute(&insert_statement(event, now)?).await?;
    Ok(())
}

/// The insert that [`emit`] runs, for writing the event together with the change it announces
/// in one round trip ([`crate::db::insert_together`]).
pub fn insert_statement<E: DomainEvent>(event: &E, now: DateTime<Utc>) -> Result<InsertStatement, DbErr> {
    // Straight to JSON text: no intermediate `Value` tree on every earn and spend.
    let payload = serde_json::to_string(event).map_err(|e| DbErr::Custom(format!("event {}: {e}", E::TOPIC)))?;
    Ok(crate::outbox::event_insert(
        E::TOPIC,
        &event.aggregate_id(),
        payload,
        now,
    ))
}

/// Where an event came from, for handlers that record it (e.g. as an external id).
#[derive(Debug, Clone)]
pub struct EventMeta {
    pub id: i64,
    pub topic: String,
    pub aggregate_id: String,
    pub created_at: DateTime<Utc>,
}

/// Reacts to one event type, inside the transaction that also advances the consumer's offset.
#[async_trait::async_trait]
pub trait Handler: Send + Sync + 'static {
    type Event: DomainEvent;
    /// Unique and stable: the offset and the processed ids are stored under it.
    const NAME: &'static str;
    async fn handle(&self, txn: &DatabaseTransaction, meta: &EventMeta, event: Self::Event) -> anyhow::Result<()>;
}

/// A typed handler as the outbox runner drives it.
pub fn consumer<H: Handler>(handler: H) -> Arc<dyn Consumer> {
    Arc::new(Typed {
        topics: [H::Event::TOPIC],
        handler,
    })
}

struct Typed<H> {
    topics: [&'static str; 1],
    handler: H,
}

#[async_trait::async_trait]
impl<H: Handler> Consumer for Typed<H> {
    fn name(&self) -> &str {
        H::NAME
    }
    fn topics(&self) -> &[&str] {
        &self.topics
    }
    async fn handle(&self, txn: &DatabaseTransaction, event: &Event) -> anyhow::Result<()> {
        let parsed: H::Event = serde_json::from_value(event.payload.clone())
            .map_err(|e| anyhow::anyhow!("event {} ({}): payload does not parse: {e}", event.id, event.topic))?;
        let meta = EventMeta {
            id: event.id,
            topic: event.topic.clone(),
            aggregate_id: event.aggregate_id.clone(),
            created_at: event.created_at,
        };
        self.handler.handle(txn, &meta, parsed).await
    }
}
