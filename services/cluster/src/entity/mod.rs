//! sea-orm entities, one per table this service owns (DDL in
//! `migrations/src/sql/0007_cluster_tiers_interests.sql`). JSON columns are stored as text.

pub mod interests;
pub mod member_interests;
pub mod member_tier_history;
pub mod member_tiers;
pub mod tier_activity;
pub mod tiers;
