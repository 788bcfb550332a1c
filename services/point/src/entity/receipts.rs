//! Submitted receipts awaiting, or past, review.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "receipts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub member_id: String,
    pub receipt_number: String,
    pub store_id: String,
    pub store_category: Option<String>,
    pub amount: i64,
    pub purchased_at: DateTimeUtc,
    #[sea_orm(unique)]
    pub image_sha256: String,
    pub image_content_type: String,
    pub image_size: i64,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub estimated_points: i64,
    pub approved_amount: Option<i64>,
    pub transaction_id: Option<String>,
    pub reject_reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
