use std::{str::FromStr, time::Duration};

use sqlx::{
    Any, AnyPool, Transaction,
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::{MigrateDatabase, Migrator},
};

/// A write transaction.
pub type Tx = Transaction<'static, Any>;

/// The engine behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// A service's database: a pool over PostgreSQL (distributed mode) or a
/// SQLite file (embedded mode).
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// The tables this crate owns, tracked apart from each service's own.
static OWN_MIGRATIONS: Migrator = crate::migrate!("./migrations");
const OWN_MIGRATIONS_TABLE: &str = "_aftercare_db_migrations";

impl Db {
    /// Connects to `url` (`postgres://…` or `sqlite://…`), creating the
    /// database when it does not exist yet.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(sqlx::Error::Configuration(
                "database url must start with postgres:// or sqlite://".into(),
            ));
        };
        if !Any::database_exists(url).await? {
            Any::create_database(url).await?;
        }
        let options = AnyConnectOptions::from_str(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers go on while one writer writes;
                        // the busy timeout queues writers instead of failing.
                        sqlx::raw_sql(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                        )
                        .execute(conn)
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self { pool, backend })
    }

    /// Brings the schema up to date: this crate's tables, then the service's.
    pub async fn migrate(&self, service: &Migrator) -> Result<(), sqlx::migrate::MigrateError> {
        let mut own = Migrator {
            migrations: OWN_MIGRATIONS.migrations.clone(),
            ..Migrator::DEFAULT
        };
        own.dangerous_set_table_name(OWN_MIGRATIONS_TABLE);
        own.run(&self.pool).await?;
        service.run(&self.pool).await
    }

    /// Begins a transaction that will write. On SQLite it takes the write
    /// lock at once, so that two writers queue instead of one failing when
    /// it upgrades from reading.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Postgres => self.pool.begin().await,
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
        }
    }

    /// Begins a transaction for reads that must agree with each other (a
    /// row and its child rows): every statement in it sees one snapshot.
    /// PostgreSQL needs REPEATABLE READ for that; a SQLite transaction keeps
    /// the snapshot of its first read.
    pub async fn begin_snapshot(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
            }
            Backend::Sqlite => self.pool.begin().await,
        }
    }

    /// For reads outside a transaction.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
