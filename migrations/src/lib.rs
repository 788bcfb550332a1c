//! Schema migrations for every service, run by `sea-orm-migration` and recorded in its
//! `seaql_migrations` table.
//!
//! Each migration is one SQL script written once for both backends; the few type names that
//! differ are placeholders (`{id64}`, `{ts}`, `{blob}`) filled in per backend. This keeps the DDL
//! readable and reviewable next to the entities, which a builder DSL would not. A script runs
//! whole, as one `execute_unprepared` call (the drivers take several statements at once), so a
//! `;` inside a comment or a literal is harmless. Scripts are additive only, because SQLite's
//! ALTER TABLE is limited; none can be undone.
//!
//! What [`migrate`] adds to `sea-orm-migration`'s own `up`:
//! - `up` reads the list of pending migrations once, then applies them with no lock, so two
//!   replicas migrating at once would both run a script and one would fail half-way. Here every
//!   step is its own transaction that first takes a PostgreSQL advisory lock
//!   ([`ADVISORY_LOCK_KEY`], released at commit) and only then looks at what is pending.
//! - `up` wraps a migration in a transaction on PostgreSQL only; here the script and its record
//!   commit together on SQLite too (both have transactional DDL).
//! - A database made by the hand-written migrator that came before (table `sbm_migrations`) is
//!   adopted: its versions are recorded as applied instead of being run again.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, EntityName,
    EntityTrait, TransactionTrait,
};
use sea_orm_migration::{
    IntoSchemaManagerConnection, MigrationName, MigrationTrait, MigratorTrait, SchemaManager, seaql_migrations,
};

mod legacy;

/// The PostgreSQL advisory lock every migration step holds (the same key as the migrator before).
pub const ADVISORY_LOCK_KEY: i64 = 727_272;

/// A migration that is one SQL script, rendered for the backend and run whole.
#[derive(Clone, Copy)]
struct SqlScript {
    name: &'static str,
    /// Its version in the previous migrator's `sbm_migrations` table, for the scripts that
    /// migrator applied.
    legacy_version: Option<i64>,
    sql: &'static str,
}

/// All migrations, oldest first. Append only; never edit a released one.
const SCRIPTS: &[SqlScript] = &[
    SqlScript {
        name: "m20261127_000001_common_outbox_idempotency",
        legacy_version: Some(202611270001),
        sql: include_str!("sql/0001_common.sql"),
    },
    SqlScript {
        name: "m20261127_000002_auth_staff_members_consent_api_keys",
        legacy_version: Some(202611270002),
        sql: include_str!("sql/0002_auth.sql"),
    },
    SqlScript {
        name: "m20261128_000003_point_ledger_rules_receipts_tickets",
        legacy_version: Some(202611280003),
        sql: include_str!("sql/0003_point.sql"),
    },
    SqlScript {
        name: "m20261128_000004_processed_events",
        legacy_version: None,
        sql: include_str!("sql/0004_processed_events.sql"),
    },
    SqlScript {
        name: "m20261130_000005_point_lots_open",
        legacy_version: None,
        sql: include_str!("sql/0005_point_lots_open.sql"),
    },
    SqlScript {
        name: "m20261130_000006_purchases",
        legacy_version: None,
        sql: include_str!("sql/0006_purchases.sql"),
    },
    SqlScript {
        name: "m20261130_000007_cluster_tiers_interests",
        legacy_version: None,
        sql: include_str!("sql/0007_cluster_tiers_interests.sql"),
    },
    SqlScript {
        name: "m20261130_000008_cluster_badges",
        legacy_version: None,
        sql: include_str!("sql/0008_cluster_badges.sql"),
    },
    SqlScript {
        name: "m20261130_000009_reward_catalogs",
        legacy_version: None,
        sql: include_str!("sql/0009_reward_catalogs.sql"),
    },
    SqlScript {
        name: "m20261130_000010_reward_rewards_codes_redemptions",
        legacy_version: None,
        sql: include_str!("sql/0010_reward_rewards_codes_redemptions.sql"),
    },
    SqlScript {
        name: "m20261130_000011_notification_inbox",
        legacy_version: None,
        sql: include_str!("sql/0011_notification_inbox.sql"),
    },
    SqlScript {
        name: "m20261130_000012_point_expiry_warnings",
        legacy_version: None,
        sql: include_str!("sql/0012_point_expiry_warnings.sql"),
    },
    SqlScript {
        name: "m20261130_000013_notification_stream",
        legacy_version: None,
        sql: include_str!("sql/0013_notification_stream.sql"),
    },
    SqlScript {
        name: "m20261130_000014_notification_mail_broadcasts",
        legacy_version: None,
        sql: include_str!("sql/0014_notification_mail_broadcasts.sql"),
    },
    SqlScript {
        name: "m20261130_000015_auth_password_resets",
        legacy_version: None,
        sql: include_str!("sql/0015_auth_password_resets.sql"),
    },
];

fn render(sql: &str, backend: DatabaseBackend) -> String {
    let (id64, ts, blob) = match backend {
        DatabaseBackend::Postgres => ("BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ", "BYTEA"),
        _ => ("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "BLOB"),
    };
    sql.replace("{id64}", id64).replace("{ts}", ts).replace("{blob}", blob)
}

impl MigrationName for SqlScript {
    fn name(&self) -> &str {
        self.name
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for SqlScript {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&render(self.sql, manager.get_database_backend()))
            .await
            .map_err(|e| DbErr::Migration(format!("migration {} failed: {e}", self.name)))?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(format!(
            "migration {} cannot be undone: migrations are additive only (restore a backup instead)",
            self.name
        )))
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// The `sea-orm-migration` migrator over [`SCRIPTS`]. Prefer [`migrate`], which adds the lock and
/// the adoption of older databases.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        SCRIPTS
            .iter()
            .map(|s| Box::new(*s) as Box<dyn MigrationTrait>)
            .collect()
    }
}

/// One migration as the database sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    pub name: &'static str,
    pub applied: bool,
    /// When it was applied, when recorded (to the second).
    pub applied_at: Option<DateTime<Utc>>,
}

fn legacy_name(version: i64) -> Result<&'static str, DbErr> {
    SCRIPTS
        .iter()
        .find(|s| s.legacy_version == Some(version))
        .map(|s| s.name)
        .ok_or_else(|| DbErr::Migration(format!("sbm_migrations records an unknown version {version}")))
}

/// Applied migrations by name (from `seaql_migrations` and the previous migrator's table),
/// without creating either table.
async fn recorded<C>(db: &C) -> Result<HashMap<String, Option<DateTime<Utc>>>, DbErr>
where
    C: ConnectionTrait,
    for<'a> &'a C: IntoSchemaManagerConnection<'a>,
{
    let manager = SchemaManager::new(db);
    let mut done = HashMap::new();
    if manager.has_table(legacy::Entity.table_name()).await? {
        for row in legacy::Entity::find().all(db).await? {
            done.insert(legacy_name(row.version)?.to_string(), Some(row.applied_at));
        }
    }
    if manager.has_table(seaql_migrations::Entity.table_name()).await? {
        for row in seaql_migrations::Entity::find().all(db).await? {
            done.insert(row.version, DateTime::from_timestamp(row.applied_at, 0));
        }
    }
    Ok(done)
}

/// The name of every migration, oldest first.
pub fn names() -> Vec<&'static str> {
    SCRIPTS.iter().map(|m| m.name).collect()
}

/// Every migration, oldest first, applied or pending. Reads only (creates no table), so it works
/// with a user that may not run DDL. Fails when the database records a migration this build does
/// not know (a newer `sbm-crm` migrated it).
pub async fn status<C>(db: &C) -> Result<Vec<MigrationState>, DbErr>
where
    C: ConnectionTrait,
    for<'a> &'a C: IntoSchemaManagerConnection<'a>,
{
    let mut done = recorded(db).await?;
    let states = SCRIPTS
        .iter()
        .map(|s| {
            let at = done.remove(s.name);
            MigrationState {
                name: s.name,
                applied: at.is_some(),
                applied_at: at.flatten(),
            }
        })
        .collect();
    if !done.is_empty() {
        let mut unknown: Vec<String> = done.into_keys().collect();
        unknown.sort();
        return Err(DbErr::Migration(format!(
            "the database records migrations this build does not know ({}); it was migrated by a newer sbm-crm",
            unknown.join(", ")
        )));
    }
    Ok(states)
}

/// Names of the migrations not yet applied, oldest first. Reads only, like [`status`].
pub async fn pending<C>(db: &C) -> Result<Vec<&'static str>, DbErr>
where
    C: ConnectionTrait,
    for<'a> &'a C: IntoSchemaManagerConnection<'a>,
{
    Ok(status(db)
        .await?
        .into_iter()
        .filter(|m| !m.applied)
        .map(|m| m.name)
        .collect())
}

/// Records the previous migrator's versions in `seaql_migrations` (once; with their times).
async fn adopt_legacy(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    if !SchemaManager::new(txn).has_table(legacy::Entity.table_name()).await? {
        return Ok(());
    }
    Migrator::install(txn).await?;
    let known: HashSet<String> = seaql_migrations::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|m| m.version)
        .collect();
    for row in legacy::Entity::find().all(txn).await? {
        let name = legacy_name(row.version)?;
        if known.contains(name) {
            continue;
        }
        seaql_migrations::Entity::insert(seaql_migrations::ActiveModel {
            version: ActiveValue::Set(name.to_string()),
            applied_at: ActiveValue::Set(row.applied_at.timestamp()),
        })
        .exec(txn)
        .await?;
        tracing::info!(
            migration = name,
            legacy_version = row.version,
            "adopted from sbm_migrations"
        );
    }
    Ok(())
}

/// Applies every pending migration, each in its own transaction together with its record, and
/// returns their names. Safe to run from several replicas at once on PostgreSQL: each step takes
/// an advisory lock before it looks at what is pending.
pub async fn migrate(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    let mut applied = Vec::new();
    loop {
        let txn = db.begin().await?;
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})"))
                .await?;
        }
        adopt_legacy(&txn).await?;
        let next = Migrator::get_pending_migrations(&txn)
            .await?
            .first()
            .map(|m| m.name().to_string());
        let Some(name) = next else {
            txn.commit().await?;
            return Ok(applied);
        };
        Migrator::up(&txn, Some(1)).await?;
        txn.commit().await?;
        tracing::info!(migration = %name, "migration applied");
        applied.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_and_unique() {
        let v: Vec<&str> = SCRIPTS.iter().map(|m| m.name).collect();
        let mut s = v.clone();
        s.sort();
        s.dedup();
        assert_eq!(v, s);
        let legacy: Vec<i64> = SCRIPTS.iter().filter_map(|m| m.legacy_version).collect();
        assert!(legacy.is_sorted());
    }

    #[test]
    fn placeholders_are_all_filled() {
        for m in SCRIPTS {
            for b in [DatabaseBackend::Postgres, DatabaseBackend::Sqlite] {
                assert!(!render(m.sql, b).contains('{'), "{} leaves a placeholder", m.name);
            }
        }
    }

    #[test]
    fn the_migrator_lists_the_scripts_in_order() {
        let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
        assert_eq!(names, SCRIPTS.iter().map(|s| s.name).collect::<Vec<_>>());
    }
}
