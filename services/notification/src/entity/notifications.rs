//! The in-app inbox.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub member_id: String,
    pub category: String,
    pub kind: String,
    pub title_en: String,
    pub title_th: String,
    pub title_cn: String,
    pub body_en: String,
    pub body_th: String,
    pub body_cn: String,
    pub image_url: Option<String>,
    pub cta_url: Option<String>,
    /// JSON object.
    pub data: String,
    pub event_id: Option<i64>,
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
