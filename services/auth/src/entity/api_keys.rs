//! `api_keys`: keys for POS systems and integrations, stored as a SHA-256 hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    /// The key's first 12 characters, to recognise it.
    pub prefix: String,
    #[sea_orm(unique)]
    pub key_hash: String,
    /// JSON array of scope names.
    pub scopes: String,
    /// `standard`, `premium` or `enterprise`.
    pub plan: String,
    pub rate_limit_per_hour: Option<i64>,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    /// Owned by the Kubernetes operator (an `ApiKey` resource): read-only through the API.
    pub managed: bool,
    pub managed_by_uid: Option<String>,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
