//! Tiers: the ladder. Qualification, retention, downgrade and benefits are JSON text.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tiers")]
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
    pub rank: i32,
    pub qualification: String,
    pub retention: Option<String>,
    pub downgrade: String,
    pub benefits: String,
    pub manual_only: bool,
    pub is_default: bool,
    pub active: bool,
    pub managed: bool,
    pub managed_by_uid: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
