//! Every tier change of a member, append-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_tier_history")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub member_id: String,
    pub from_tier_id: Option<String>,
    pub from_tier_code: Option<String>,
    pub to_tier_id: String,
    pub to_tier_code: String,
    /// `up`, `down` or `same`.
    pub direction: String,
    pub reason: String,
    pub source: String,
    pub qualifying_value: Option<i64>,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
