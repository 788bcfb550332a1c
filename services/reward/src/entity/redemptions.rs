//! Redemptions: a member's claim on a reward, paid in points.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "redemptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub reward_id: String,
    pub member_id: String,
    /// `claimed`, `used`, `cancelled` or `expired`.
    pub status: String,
    pub points_cost: i64,
    pub spend_transaction_id: Option<String>,
    pub refund_transaction_id: Option<String>,
    pub code: Option<String>,
    pub code_id: Option<String>,
    /// JSON: the reward as it was when redeemed.
    pub snapshot: String,
    pub qr: String,
    pub store_id: Option<String>,
    pub expires_at: Option<DateTimeUtc>,
    pub used_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancelled_by: Option<String>,
    pub cancel_reason: Option<String>,
    pub expired_at: Option<DateTimeUtc>,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
