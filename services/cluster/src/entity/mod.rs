//! sea-orm entities, one per table this service owns (DDL in
//! `migrations/src/sql/0007_cluster_tiers_interests.sql` and `0008_cluster_badges.sql`). JSON
//! columns are stored as text.

pub mod badge_awards;
pub mod badge_member_progress;
pub mod badge_progress_events;
pub mod badges;
pub mod interests;
pub mod member_interests;
pub mod member_tier_history;
pub mod member_tiers;
pub mod tier_activity;
pub mod tiers;
