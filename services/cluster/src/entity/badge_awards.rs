//! Every badge award, automatic or by hand.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "badge_awards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub badge_id: String,
    pub member_id: String,
    pub seq: i32,
    /// `auto` or `manual`.
    pub source: String,
    pub reason: Option<String>,
    pub event_id: Option<i64>,
    pub reward_points: Option<i64>,
    pub awarded_by: Option<String>,
    pub awarded_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<String>,
    pub revoke_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
