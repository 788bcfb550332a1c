//! What each consumed event added towards a badge for a member.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "badge_progress_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub badge_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: i64,
    pub member_id: String,
    pub amount: i64,
    pub points: i64,
    pub store_id: Option<String>,
    /// `YYYY-MM-DD` (UTC), for `distinct_days`.
    pub day: String,
    pub at: DateTimeUtc,
    /// Set when one occurrence may arrive as several events (see the DDL).
    pub dedup_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
