//! Badges: criteria as JSON text, with the columns lists and the consumer filter on.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "badges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub code: String,
    pub name_en: String,
    pub name_th: String,
    pub name_cn: String,
    pub description_en: String,
    pub description_th: String,
    pub description_cn: String,
    pub image_url: Option<String>,
    pub locked_image_url: Option<String>,
    pub category: String,
    pub visibility: String,
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    pub reward_points: Option<i64>,
    pub criteria: String,
    pub event: String,
    pub repeatable: bool,
    pub max_awards: Option<i32>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
