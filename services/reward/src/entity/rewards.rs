//! Rewards, each in a catalog at a position.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rewards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub code: String,
    pub catalog_id: String,
    pub position: i32,
    /// `voucher`, `gift`, `discount` or `privilege`.
    pub reward_type: String,
    pub category: Option<String>,
    pub name_en: String,
    pub name_th: String,
    pub name_cn: String,
    pub description_en: String,
    pub description_th: String,
    pub description_cn: String,
    pub terms_en: String,
    pub terms_th: String,
    pub terms_cn: String,
    pub image_url: Option<String>,
    pub points_cost: i64,
    /// JSON of the reward's value, or none.
    pub value: Option<String>,
    /// None: unlimited.
    pub stock_total: Option<i64>,
    pub stock_claimed: i64,
    pub limit_lifetime: Option<i32>,
    pub limit_per_period: Option<i32>,
    /// `day`, `week` or `month`.
    pub limit_period: Option<String>,
    /// JSON array of tier codes (empty: every tier).
    pub tier_codes: String,
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    pub voucher_valid_days: Option<i32>,
    /// `none`, `pool` or `static`.
    pub code_mode: String,
    pub static_code: Option<String>,
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
