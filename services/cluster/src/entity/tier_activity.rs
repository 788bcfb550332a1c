//! What counts towards qualification: one row per consumed event.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tier_activity")]
pub struct Model {
    /// The outbox id of the event it came from.
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: i64,
    pub member_id: String,
    /// `points_earned` or `purchase_amount`.
    pub metric: String,
    pub value: i64,
    pub currency: Option<String>,
    pub transaction_id: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
