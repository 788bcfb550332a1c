//! Members' notification preferences.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_preferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: String,
    /// JSON object: category -> shown.
    pub categories: String,
    /// JSON object: channel -> enabled.
    pub channels: String,
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    pub utc_offset_minutes: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
