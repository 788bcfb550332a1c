//! Lots a member was told are about to expire (`points.expiring`, once per lot).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "point_expiry_warnings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub lot_id: String,
    pub member_id: String,
    pub warned_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
