//! Per member and badge: standing awards and the last award time.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "badge_member_progress")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub badge_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: String,
    pub awards: i32,
    pub last_awarded_at: Option<DateTimeUtc>,
    /// Records up to this event id counted towards the awards given; the next award counts
    /// from the one after.
    pub last_event_id: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
