//! sea-orm entities, one per table this service owns (DDL in
//! `migrations/src/sql/0011_notification_inbox.sql`). JSON columns are stored as text.

pub mod notification_preferences;
pub mod notifications;
