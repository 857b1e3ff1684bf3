//! Fresh databases for tests: a new SQLite file, or a new PostgreSQL
//! database on the server named by `AFTERCARE_TEST_POSTGRES_URL` (which
//! `scripts/test` starts and sets).

use crate::{Backend, Db};

pub const POSTGRES_URL_VAR: &str = "AFTERCARE_TEST_POSTGRES_URL";

/// A URL for a database nobody else uses, on `backend`.
pub fn fresh_url(backend: Backend) -> String {
    let name = format!("aftercare_test_{}", uuid::Uuid::new_v4().simple());
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            format!("sqlite://{}?mode=rwc", path.display())
        }
        Backend::Postgres => {
            let server = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
                panic!("{POSTGRES_URL_VAR} is not set: run the tests with scripts/test, which starts PostgreSQL")
            });
            let base = server
                .rsplit_once('/')
                .map_or(server.as_str(), |(base, _)| base);
            format!("{base}/{name}")
        }
    }
}

/// A migrated, empty database on `backend`.
pub async fn fresh(backend: Backend, migrator: &sqlx::migrate::Migrator) -> Db {
    let db = Db::connect(&fresh_url(backend), 8)
        .await
        .expect("test database connects");
    db.migrate(migrator).await.expect("test database migrates");
    db
}
