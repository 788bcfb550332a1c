//! Database connection (PostgreSQL, or the embedded SQLite file), write transactions, and the
//! classification of database errors (constraint names, unavailability).

use std::time::Duration;

use sea_orm::sea_query::{Alias, CommonTableExpression, InsertStatement, WithClause};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::config::Config;

/// The URL used when `SBM_DATABASE_URL` is unset: a SQLite file in the data directory.
pub fn effective_url(config: &Config) -> anyhow::Result<String> {
    match &config.database_url {
        Some(url) => Ok(url.0.clone()),
        None => {
            std::fs::create_dir_all(&config.data_dir)
                .map_err(|e| anyhow::anyhow!("SBM_DATA_DIR: cannot create {}: {e}", config.data_dir.display()))?;
            Ok(format!(
                "sqlite://{}?mode=rwc",
                config.data_dir.join("sbm-crm.db").display()
            ))
        }
    }
}

/// Connects with pool settings and, on SQLite, pragmas on every pooled connection.
pub async fn connect_url(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(5))
        .idle_timeout(Duration::from_secs(600))
        .max_lifetime(Duration::from_secs(1800))
        // Ping only connections idle for a while: a ping on every checkout doubles the round
        // trips of a short request.
        .test_before_acquire_if_idle_for(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        // One writer: SQLite serialises writes anyway, and one connection avoids SQLITE_BUSY.
        opts.max_connections(1).min_connections(1);
        opts.map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    } else {
        opts.max_connections(max_connections).min_connections(1);
    }
    Database::connect(opts).await
}

/// Connects to the configured database.
pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let url = effective_url(config)?;
    connect_url(&url, config.db_max_connections)
        .await
        .map_err(|e| anyhow::anyhow!("SBM_DATABASE_URL: cannot connect: {e}"))
}

/// Begins a write transaction (`BEGIN IMMEDIATE` on SQLite, so it never fails on lock upgrade).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Runs inserts that belong together (an entry, its lots, its event) in one round trip on
/// PostgreSQL: all but the last become data-modifying CTEs of the last (`WITH w0 AS (INSERT …),
/// w1 AS (INSERT …) INSERT …`), so they run as one statement, and foreign keys between them are
/// checked at its end. SQLite has no data-modifying CTEs, but no network either: there they run
/// one by one. The SQL of a given shape is always the same text, so the prepared statement is
/// reused per connection.
pub async fn insert_together(db: &impl ConnectionTrait, mut inserts: Vec<InsertStatement>) -> Result<(), DbErr> {
    let Some(mut last) = inserts.pop() else {
        return Ok(());
    };
    if db.get_database_backend() == DatabaseBackend::Postgres {
        if !inserts.is_empty() {
            let mut with = WithClause::new();
            for (i, insert) in inserts.into_iter().enumerate() {
                with.cte(
                    CommonTableExpression::new()
                        .query(insert)
                        .table_name(Alias::new(format!("w{i}")))
                        .to_owned(),
                );
            }
            last.with_cte(with);
        }
        db.execute(&last).await?;
        return Ok(());
    }
    for insert in inserts {
        db.execute(&insert).await?;
    }
    db.execute(&last).await?;
    Ok(())
}

/// Serialises the transactions that take the same `key` until each ends: a transaction-scoped
/// advisory lock on PostgreSQL; on SQLite the write transaction ([`begin_write`]) already runs
/// alone. For "read the latest, then write the next" steps that have no row to lock yet
/// (numbering versions, say). Call it inside a transaction: outside one the lock would end with
/// the statement.
pub async fn lock_key(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(key.as_bytes());
    let id = i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
    db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1)",
        [id.into()],
    ))
    .await?;
    Ok(())
}

/// The constraint a unique violation broke: on PostgreSQL the constraint or index name (e.g.
/// `members_phone_key`), on SQLite the `table.column[, table.column]` list its message names.
/// Callers map both spellings to a field in one table per service.
pub fn unique_violation(err: &DbErr) -> Option<String> {
    use sea_orm::{RuntimeErr, SqlErr};
    if !matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        return None;
    }
    let db_err = match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e.as_database_error()?,
        _ => return None,
    };
    if let Some(name) = db_err.constraint() {
        return Some(name.to_string());
    }
    db_err
        .message()
        .split_once("UNIQUE constraint failed: ")
        .map(|(_, cols)| cols.trim().to_string())
}

/// Whether the error means the database could not be reached (a 503, not a 500): no connection
/// could be had, the connection broke (I/O, TLS, protocol), or the server said it is shutting
/// down, starting up or lost the connection (SQLSTATE class 08 and 57P01–57P03). After a
/// PostgreSQL restart each pooled connection fails once this way before the pool replaces it.
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_unavailable(e),
        _ => false,
    }
}

fn sqlx_unavailable(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error;
    match e {
        Error::Io(_)
        | Error::Tls(_)
        | Error::Protocol(_)
        | Error::PoolTimedOut
        | Error::PoolClosed
        | Error::WorkerCrashed => true,
        Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}
