//! Reward catalogs.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reward_catalogs")]
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
    /// `all` or `tiers`.
    pub visibility: String,
    /// JSON array of tier codes.
    pub tier_codes: String,
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    pub sort_order: i32,
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
