//! Each member's current tier (no row: the default tier).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_tiers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: String,
    pub tier_id: String,
    /// `auto` or `manual` (an override).
    pub source: String,
    pub since: DateTimeUtc,
    pub valid_until: Option<DateTimeUtc>,
    pub override_reason: Option<String>,
    pub override_expires_at: Option<DateTimeUtc>,
    pub override_by: Option<String>,
    pub warned_for: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
