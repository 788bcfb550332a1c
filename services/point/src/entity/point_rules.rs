//! Point rules: the spec as JSON text, with the columns lists filter and sort on.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "point_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// `purchase` or `action`.
    pub kind: String,
    /// JSON text of the `RuleSpec`.
    pub spec: String,
    pub active: bool,
    pub priority: i32,
    pub managed: bool,
    pub managed_by_uid: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
