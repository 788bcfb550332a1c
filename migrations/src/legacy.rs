//! The table the hand-written migrator that came before `sea-orm-migration` kept: one row per
//! applied script, keyed by a numeric version. Databases it created are adopted (see
//! [`crate::migrate`]); the table is left in place so that an older binary rolled back to still
//! finds its scripts applied.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sbm_migrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i64,
    pub name: String,
    pub applied_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
