//! The append-only ledger: one row per movement, never updated.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "point_transactions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub member_id: String,
    /// `earn`, `spend`, `expire`, `reverse` or `adjust`.
    #[sea_orm(column_name = "type")]
    pub tx_type: String,
    pub points: i64,
    pub balance_after: i64,
    pub reason: String,
    pub source: String,
    pub external_id: Option<String>,
    /// JSON text.
    pub metadata: String,
    /// JSON text: the rule breakdown of an earn computed by rules.
    pub breakdown: Option<String>,
    pub related_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
