//! The migrator against real databases: a fresh SQLite file and fresh PostgreSQL databases.

use chrono::{DateTime, Utc};
use sbm_testkit::TestDb;
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement};

const ALL: usize = 15;

/// A SQLite file in a directory of its own, removed on drop.
struct SqliteFile(std::path::PathBuf);

impl Drop for SqliteFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A connection to a new SQLite file (the connection drops first, then the file).
async fn sqlite() -> (DatabaseConnection, SqliteFile) {
    let dir = std::env::temp_dir().join(format!("sbm-migr-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
    (Database::connect(&url).await.unwrap(), SqliteFile(dir))
}

/// A connection to a new PostgreSQL database (dropped with the `TestDb`).
async fn postgres() -> (DatabaseConnection, TestDb) {
    let t = TestDb::create().await;
    (Database::connect(&t.url).await.unwrap(), t)
}

async fn fresh_then_up_to_date(db: &DatabaseConnection) {
    let before = sbm_migrations::status(db).await.unwrap();
    assert_eq!(before.len(), ALL);
    assert!(before.iter().all(|m| !m.applied && m.applied_at.is_none()));
    assert_eq!(sbm_migrations::pending(db).await.unwrap().len(), ALL);

    let applied = sbm_migrations::migrate(db).await.unwrap();
    assert_eq!(applied, before.iter().map(|m| m.name.to_string()).collect::<Vec<_>>());
    let after = sbm_migrations::status(db).await.unwrap();
    assert!(after.iter().all(|m| m.applied && m.applied_at.is_some()), "{after:?}");
    assert!(sbm_migrations::pending(db).await.unwrap().is_empty());
    assert!(
        sbm_migrations::migrate(db).await.unwrap().is_empty(),
        "a second run applies nothing"
    );

    // 0004: one row per (consumer, event).
    let insert = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('c', 1, CURRENT_TIMESTAMP)"
        }
        _ => "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('c', 1, '2026-11-28T00:00:00Z')",
    };
    db.execute_unprepared(insert).await.unwrap();
    assert!(
        db.execute_unprepared(insert).await.is_err(),
        "the primary key refuses a second row"
    );
}

/// A database as the previous hand-written migrator left it: scripts 1-3 applied and recorded in
/// `sbm_migrations`.
async fn legacy_database(db: &DatabaseConnection, at: DateTime<Utc>) {
    let backend = db.get_database_backend();
    let (id64, ts, blob) = match backend {
        DatabaseBackend::Postgres => ("BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ", "BYTEA"),
        _ => ("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "BLOB"),
    };
    db.execute_unprepared(&format!(
        "CREATE TABLE IF NOT EXISTS sbm_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at {ts} NOT NULL)"
    ))
    .await
    .unwrap();
    let scripts = [
        (
            202611270001_i64,
            "common_outbox_idempotency",
            include_str!("../src/sql/0001_common.sql"),
        ),
        (
            202611270002,
            "auth_staff_members_consent_api_keys",
            include_str!("../src/sql/0002_auth.sql"),
        ),
        (
            202611280003,
            "point_ledger_rules_receipts_tickets",
            include_str!("../src/sql/0003_point.sql"),
        ),
    ];
    let insert = match backend {
        DatabaseBackend::Postgres => "INSERT INTO sbm_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        _ => "INSERT INTO sbm_migrations (version, name, applied_at) VALUES (?, ?, ?)",
    };
    for (version, name, sql) in scripts {
        let sql = sql.replace("{id64}", id64).replace("{ts}", ts).replace("{blob}", blob);
        db.execute_unprepared(&sql).await.unwrap();
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            insert,
            [version.into(), name.into(), at.into()],
        ))
        .await
        .unwrap();
    }
}

async fn adopts_the_previous_migrator(db: &DatabaseConnection) {
    let at = DateTime::from_timestamp(1_795_000_000, 0).unwrap();
    legacy_database(db, at).await;
    let pending = sbm_migrations::pending(db).await.unwrap();
    let after_the_legacy = [
        "m20261128_000004_processed_events",
        "m20261130_000005_point_lots_open",
        "m20261130_000006_purchases",
        "m20261130_000007_cluster_tiers_interests",
        "m20261130_000008_cluster_badges",
        "m20261130_000009_reward_catalogs",
        "m20261130_000010_reward_rewards_codes_redemptions",
        "m20261130_000011_notification_inbox",
        "m20261130_000012_point_expiry_warnings",
        "m20261130_000013_notification_stream",
        "m20261130_000014_notification_mail_broadcasts",
        "m20261130_000015_auth_password_resets",
    ];
    assert_eq!(pending, after_the_legacy, "read before adoption");
    let applied = sbm_migrations::migrate(db).await.unwrap();
    assert_eq!(applied, after_the_legacy, "scripts 1-3 are not run again");
    let status = sbm_migrations::status(db).await.unwrap();
    assert!(status.iter().all(|m| m.applied), "{status:?}");
    assert!(status[..3].iter().all(|m| m.applied_at == Some(at)), "{status:?}");
    assert!(sbm_migrations::migrate(db).await.unwrap().is_empty());
}

#[tokio::test]
async fn sqlite_migrates_a_fresh_database() {
    let (db, _file) = sqlite().await;
    fresh_then_up_to_date(&db).await;
}

#[tokio::test]
async fn sqlite_adopts_a_database_of_the_previous_migrator() {
    let (db, _file) = sqlite().await;
    adopts_the_previous_migrator(&db).await;
}

#[tokio::test]
async fn postgres_migrates_a_fresh_database() {
    let (db, _pg) = postgres().await;
    fresh_then_up_to_date(&db).await;
}

#[tokio::test]
async fn postgres_adopts_a_database_of_the_previous_migrator() {
    let (db, _pg) = postgres().await;
    adopts_the_previous_migrator(&db).await;
}

#[tokio::test]
async fn postgres_replicas_migrating_at_once_apply_each_migration_once() {
    let (db, t) = postgres().await;
    let mut runs = Vec::new();
    for _ in 0..4 {
        let db = Database::connect(&t.url).await.unwrap();
        runs.push(tokio::spawn(async move {
            let applied = sbm_migrations::migrate(&db).await;
            db.close().await.ok();
            applied
        }));
    }
    let mut applied = Vec::new();
    for r in runs {
        applied.extend(r.await.unwrap().expect("every replica succeeds"));
    }
    applied.sort();
    let all: Vec<String> = sbm_migrations::status(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.name.to_string())
        .collect();
    assert_eq!(applied, all, "each migration applied by exactly one replica");
}

#[tokio::test]
async fn a_database_of_a_newer_build_is_refused() {
    let (db, _file) = sqlite().await;
    sbm_migrations::migrate(&db).await.unwrap();
    db.execute_unprepared("INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20990101_000001_future', 0)")
        .await
        .unwrap();
    let err = sbm_migrations::status(&db).await.unwrap_err().to_string();
    assert!(err.contains("m20990101_000001_future"), "{err}");
    assert!(sbm_migrations::migrate(&db).await.is_err());
}
