//! `members`: loyalty members; anonymised rather than deleted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub member_code: String,
    #[sea_orm(unique)]
    pub wechat_openid: Option<String>,
    #[sea_orm(unique)]
    pub wechat_unionid: Option<String>,
    #[sea_orm(unique)]
    pub phone: Option<String>,
    #[sea_orm(unique)]
    pub email: Option<String>,
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub locale: String,
    /// `active` or `anonymized`.
    pub status: String,
    /// `wechat`, `pos` or `staff`.
    pub source: String,
    pub store_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub anonymized_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
