//! Staff broadcasts to the inbox.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "broadcasts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub category: String,
    pub title_en: String,
    pub title_th: String,
    pub title_cn: String,
    pub body_en: String,
    pub body_th: String,
    pub body_cn: String,
    pub image_url: Option<String>,
    pub cta_url: Option<String>,
    pub kind: String,
    /// JSON object.
    pub data: String,
    pub audience: String,
    /// JSON array of tier codes, interest codes or member ids.
    pub targets: String,
    pub scheduled_at: DateTimeUtc,
    pub status: String,
    pub cursor: Option<String>,
    pub recipients: i32,
    pub delivered: i32,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
