//! The code pool of rewards with `codeMode: pool`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reward_codes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub reward_id: String,
    #[sea_orm(unique)]
    pub code: String,
    /// `available`, `assigned`, `used`, `void` or `expired`.
    pub status: String,
    pub redemption_id: Option<String>,
    pub member_id: Option<String>,
    pub batch: Option<String>,
    pub created_at: DateTimeUtc,
    pub assigned_at: Option<DateTimeUtc>,
    pub used_at: Option<DateTimeUtc>,
    pub voided_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
