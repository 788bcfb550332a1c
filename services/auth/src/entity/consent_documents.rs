//! `consent_documents`: versioned legal documents; a new version is a new row.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `privacy_policy` or `terms_of_service`.
    pub kind: String,
    pub version: i32,
    pub title_en: String,
    pub title_th: String,
    pub title_cn: String,
    pub body_en: String,
    pub body_th: String,
    pub body_cn: String,
    pub effective_at: DateTimeUtc,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
