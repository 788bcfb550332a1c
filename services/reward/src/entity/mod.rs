//! sea-orm entities, one per table this service owns (DDL in
//! `migrations/src/sql/0009_reward_catalogs.sql` and `0010_reward_rewards_codes_redemptions.sql`).
//! JSON columns are stored as text.

pub mod redemptions;
pub mod reward_catalogs;
pub mod reward_codes;
pub mod rewards;
