//! The real-time stream's retained log (its ids are the SSE event ids).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stream_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: Option<String>,
    /// `member`, `staff` or `both`.
    pub audience: String,
    pub event: String,
    /// JSON object.
    pub data: String,
    pub event_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
