//! Test support shared by the SBM CRM suites (a dev-dependency only).
//!
//! [`TestDb`] is a fresh PostgreSQL database for one test, created on the server named by
//! `TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`, trust auth on the
//! developers' machines and in CI) and dropped when the value is dropped.

use sea_orm::{ConnectionTrait, Database};

/// The PostgreSQL server tests create their databases on: a URL whose database is one the test
/// user may connect to in order to create and drop others.
pub fn pg_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A uniquely named, empty PostgreSQL database, dropped (with any connections still open to it)
/// when this value is dropped.
#[derive(Debug)]
pub struct TestDb {
    /// The database's name, `sbm_test_<uuid>`.
    pub name: String,
    /// A URL for it: the admin URL with its database replaced.
    pub url: String,
}

impl TestDb {
    /// Creates the database. Panics when the PostgreSQL server cannot be reached, naming it.
    pub async fn create() -> Self {
        let admin_url = pg_admin_url();
        let name = format!("sbm_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL for tests unreachable at {admin_url} (TEST_DATABASE_URL): {e}"));
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap_or_else(|e| panic!("creating test database {name}: {e}"));
        admin.close().await.ok();
        let url = database_url(&admin_url, &name);
        TestDb { name, url }
    }
}

/// `admin_url` with its database (the last path segment) replaced by `name`; any query string
/// is kept.
fn database_url(admin_url: &str, name: &str) -> String {
    let (path, query) = admin_url
        .split_once('?')
        .map_or((admin_url, None), |(p, q)| (p, Some(q)));
    let (scheme, rest) = path.split_once("://").unwrap_or(("postgres", path));
    let authority = rest.split_once('/').map_or(rest, |(a, _)| a);
    match query {
        Some(q) => format!("{scheme}://{authority}/{name}?{q}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = std::mem::take(&mut self.name);
        // The test's runtime may be ending (or absent): drop the database from a runtime of our
        // own, on a thread of its own.
        std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            rt.block_on(async move {
                if let Ok(admin) = Database::connect(pg_admin_url()).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .await;
                    admin.close().await.ok();
                }
            });
        })
        .join()
        .ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_replaces_the_admin_one() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            database_url("postgres://u:p@db:5432/admin?sslmode=disable", "t1"),
            "postgres://u:p@db:5432/t1?sslmode=disable"
        );
        assert_eq!(database_url("postgres://u@db:5432", "t1"), "postgres://u@db:5432/t1");
    }

    #[tokio::test]
    async fn a_test_database_exists_until_dropped() {
        let db = TestDb::create().await;
        let conn = Database::connect(&db.url).await.unwrap();
        conn.execute_unprepared("CREATE TABLE t (x INT)").await.unwrap();
        conn.close().await.ok();
        let name = db.name.clone();
        drop(db);
        let admin = Database::connect(pg_admin_url()).await.unwrap();
        let row = admin
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT count(*) AS n FROM pg_database WHERE datname = $1",
                [name.into()],
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get::<i64>("", "n").unwrap(), 0);
    }
}
