//! The fault runs: the distributed mode with the real binary (see
//! [`cluster`]), a load on it, and one fault at a time, made by killing a
//! process or by a fault proxy (`aftercare-faults`) in front of
//! PostgreSQL, Redis or a service; then what the stores hold, checked.
//!
//! Each run takes its sizes in its settings and hands back its figures:
//! `aftercare-load fault-…` prints them at full size (scripts/fault-*), and
//! the test suite runs them small (tests/tests/e2e/faults.rs).

pub mod cluster;
pub mod invariants;
pub mod outbox;
pub mod postgres;
pub mod redis;
pub mod slow;
pub mod work;

use std::{future::Future, time::Duration};

use tokio::time::Instant;

/// Checks `check` every 20 ms until it holds; an error naming `what` when
/// it did not within `patience`, or when the check itself fails.
pub async fn until<F, Fut>(what: &str, patience: Duration, mut check: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<bool>>,
{
    let deadline = Instant::now() + patience;
    loop {
        if check().await? {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "not within {patience:?}: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
