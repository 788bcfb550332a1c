//! Purchases the point service was told of, worth points or not (tiers and badges count them).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "purchases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub member_id: String,
    /// Minor units of `currency`.
    pub amount: i64,
    pub currency: String,
    pub store_id: Option<String>,
    pub store_category: Option<String>,
    pub purchased_at: DateTimeUtc,
    pub source: String,
    pub external_id: Option<String>,
    /// The earn it gave, if it gave points.
    pub transaction_id: Option<String>,
    pub points: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
