//! Every suite runs on both stores: SQLite (a temporary file) and
//! PostgreSQL (a fresh database on the server at
//! `AFTERCARE_TEST_POSTGRES_URL`, which `scripts/test` starts and sets).

use aftercare_db::{Backend, Db, sqlx::migrate::Migrator, testing::fresh};

/// A fresh database migrated by `migrator`, with the outbox tables beside:
/// for a service that sends events.
pub async fn fresh_with_outbox(backend: Backend, migrator: &Migrator) -> Db {
    let db = fresh(backend, migrator).await;
    aftercare_outbox::migrate(&db)
        .await
        .expect("the outbox migrates");
    db
}

/// Runs a test body once per store: `on_both_stores!(name, start, |x| async
/// move { … })` makes the module `name` with the tests `sqlite` and
/// `postgres`, each calling `start(backend).await` and handing what it
/// makes to the body. A test crate wraps it in its own `both!` with its
/// `start`.
#[macro_export]
macro_rules! on_both_stores {
    ($name:ident, $start:path, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)($start($crate::Backend::Sqlite).await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)($start($crate::Backend::Postgres).await).await;
            }
        }
    };
}

/// A suite's `both!`: `both!(name, |h| async move { … })` runs the body on
/// what the suite's own `crate::support::start(backend)` makes, once per
/// store; `both!(name, start, |x| …)` with another start function. A suite
/// imports it at its root: `use aftercare_test_support::both;`.
// `crate::support::start` on purpose: `crate` is the suite calling it.
#[allow(clippy::crate_in_macro_def)]
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        $crate::on_both_stores!($name, crate::support::start, $body);
    };
    ($name:ident, $start:path, $body:expr) => {
        $crate::on_both_stores!($name, $start, $body);
    };
}
