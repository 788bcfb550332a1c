//! Earned points, each lot with its own expiry.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "point_lots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub member_id: String,
    pub transaction_id: String,
    pub points: i64,
    pub remaining: i64,
    pub expires_at: Option<DateTimeUtc>,
    pub expired_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// "The lot still holds points": `remaining > 0` with the 0 written literally (not bound), as
/// the partial index `point_lots_open` states it, so the planner can use the index.
pub fn open() -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::ExprTrait;
    Expr::col(Column::Remaining).gt(Expr::cust("0"))
}
