//! sea-orm entities, one per table this service owns (DDL in `migrations/src/sql/`:
//! `0011_notification_inbox.sql`, `0013_notification_stream.sql`,
//! `0014_notification_mail_broadcasts.sql`). JSON columns are stored as text.

pub mod broadcasts;
pub mod mail_actions;
pub mod mail_deliveries;
pub mod mail_senders;
pub mod mail_templates;
pub mod notification_members;
pub mod notification_preferences;
pub mod notifications;
pub mod stream_events;
pub mod stream_retention;
