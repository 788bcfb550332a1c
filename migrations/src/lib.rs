//! Schema migrations for every service, applied in order and recorded in `sbm_migrations`.
//!
//! Each migration is one SQL script written once for both backends; the few type names that
//! differ are placeholders (`{id64}`, `{ts}`, `{blob}`) filled in per backend. This keeps the DDL readable
//! and reviewable next to the entities, which a builder DSL would not. Scripts are additive only,
//! because SQLite's ALTER TABLE is limited.

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement, TransactionTrait};

/// One migration: a version (sortable), a name and its script.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// All migrations, oldest first. Append only; never edit a released one.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 202611270001,
        name: "common_outbox_idempotency",
        sql: include_str!("sql/0001_common.sql"),
    },
    Migration {
        version: 202611270002,
        name: "auth_staff_members_consent_api_keys",
        sql: include_str!("sql/0002_auth.sql"),
    },
    Migration {
        version: 202611280003,
        name: "point_ledger_rules_receipts_tickets",
        sql: include_str!("sql/0003_point.sql"),
    },
    Migration {
        version: 202611280004,
        name: "processed_events",
        sql: include_str!("sql/0004_processed_events.sql"),
    },
];

fn render(sql: &str, backend: DatabaseBackend) -> String {
    let (id64, ts, blob) = match backend {
        DatabaseBackend::Postgres => ("BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ", "BYTEA"),
        _ => ("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "BLOB"),
    };
    sql.replace("{id64}", id64).replace("{ts}", ts).replace("{blob}", blob)
}

async fn ensure_table(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let ts = match db.get_database_backend() {
        DatabaseBackend::Postgres => "TIMESTAMPTZ",
        _ => "TEXT",
    };
    db.execute_unprepared(&format!(
        "CREATE TABLE IF NOT EXISTS sbm_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at {ts} NOT NULL)"
    ))
    .await?;
    Ok(())
}

/// Versions already applied.
pub async fn applied(db: &impl ConnectionTrait) -> Result<Vec<i64>, DbErr> {
    ensure_table(db).await?;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM sbm_migrations ORDER BY version",
        ))
        .await?;
    rows.iter().map(|r| r.try_get::<i64>("", "version")).collect()
}

/// Migrations not yet applied, oldest first.
pub async fn pending<C: ConnectionTrait>(db: &C) -> Result<Vec<&'static Migration>, DbErr> {
    let done = applied(db).await?;
    Ok(MIGRATIONS.iter().filter(|m| !done.contains(&m.version)).collect())
}

/// Applies every pending migration, each in its own transaction. Safe to run from several
/// replicas at once on PostgreSQL: an advisory lock serialises them.
pub async fn migrate(db: &DatabaseConnection) -> Result<Vec<&'static str>, DbErr> {
    let backend = db.get_database_backend();
    ensure_table(db).await?;
    let mut names = Vec::new();
    for m in MIGRATIONS {
        let txn = db.begin().await?;
        if backend == DatabaseBackend::Postgres {
            txn.execute_unprepared("SELECT pg_advisory_xact_lock(727272)").await?;
        }
        let exists = txn
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                match backend {
                    DatabaseBackend::Postgres => "SELECT version FROM sbm_migrations WHERE version = $1",
                    _ => "SELECT version FROM sbm_migrations WHERE version = ?",
                },
                [m.version.into()],
            ))
            .await?
            .is_some();
        if exists {
            txn.commit().await?;
            continue;
        }
        for stmt in render(m.sql, backend)
            .split(";\n")
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            txn.execute_unprepared(stmt)
                .await
                .map_err(|e| DbErr::Migration(format!("migration {} ({}) failed: {e}", m.version, m.name)))?;
        }
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                DatabaseBackend::Postgres => {
                    "INSERT INTO sbm_migrations (version, name, applied_at) VALUES ($1, $2, $3)"
                }
                _ => "INSERT INTO sbm_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            },
            [m.version.into(), m.name.into(), chrono::Utc::now().into()],
        ))
        .await?;
        txn.commit().await?;
        tracing::info!(version = m.version, name = m.name, "migration applied");
        names.push(m.name);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_sorted_and_unique() {
        let v: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
        let mut s = v.clone();
        s.sort();
        s.dedup();
        assert_eq!(v, s);
    }

    #[test]
    fn placeholders_are_all_filled() {
        for m in MIGRATIONS {
            for b in [DatabaseBackend::Postgres, DatabaseBackend::Sqlite] {
                assert!(!render(m.sql, b).contains('{'), "{} leaves a placeholder", m.name);
            }
        }
    }
}
