//! sea-orm entities, one per table this service owns (DDL in `migrations/src/sql/`:
//! `0011_notification_inbox.sql`, `0013_notification_stream.sql`). JSON columns are stored as
//! text.

pub mod notification_preferences;
pub mod notifications;
pub mod stream_events;
pub mod stream_retention;
