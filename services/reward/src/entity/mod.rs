//! sea-orm entities, one per table this service owns (DDL in
//! `migrations/src/sql/0009_reward_catalogs.sql`). JSON columns are stored as text.

pub mod reward_catalogs;
