//! sea-orm entities of the tables `common` owns: the outbox, consumer offsets, processed event
//! ids and stored idempotent responses.

pub mod consumer_offsets;
pub mod events;
pub mod idempotency_keys;
pub mod processed_events;
