//! Waiting for what is eventually true (an outbox delivery, a league table
//! rebuilt, a server listening) instead of sleeping: a condition polled
//! until it holds, within a patience a slow machine can raise.

use std::{fmt::Display, future::Future, time::Duration};

use tokio::time::Instant;

/// The variable that raises the patience, in whole seconds.
const PATIENCE_VAR: &str = "AFTERCARE_TEST_PATIENCE_SECS";

/// How often a condition is checked again.
const POLL_EVERY: Duration = Duration::from_millis(20);

/// How long a test waits for what happens in the background: 30 seconds,
/// or `AFTERCARE_TEST_PATIENCE_SECS` on a slow machine.
pub fn patience() -> Duration {
    let seconds = std::env::var(PATIENCE_VAR)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    Duration::from_secs(seconds)
}

/// What a check answers: `true` once it holds, or `Some(value)` once what
/// it looks for is there.
pub trait Condition {
    type Value;
    fn holds(self) -> Option<Self::Value>;
}

impl Condition for bool {
    type Value = ();
    fn holds(self) -> Option<()> {
        self.then_some(())
    }
}

impl<T> Condition for Option<T> {
    type Value = T;
    fn holds(self) -> Option<T> {
        self
    }
}

/// Checks `check` until it holds and returns what it found; fails the test,
/// naming `what` was awaited, when it did not hold within [`patience`].
///
/// ```ignore
/// eventually("the event is delivered", || async { deliverer.delivered().len() == 1 }).await;
/// let table = eventually("the table is rebuilt", || async { read().await.ok() }).await;
/// ```
pub async fn eventually<C, F, Fut>(what: impl Display, check: F) -> C::Value
where
    C: Condition,
    F: FnMut() -> Fut,
    Fut: Future<Output = C>,
{
    let patience = patience();
    match poll(patience, check).await {
        Ok(value) => value,
        Err(checks) => panic!(
            "not within {patience:?} ({checks} checks): {what} \
             (raise {PATIENCE_VAR} on a slow machine)"
        ),
    }
}

/// Checks `check` until it holds, for at most `patience`; `None` when it
/// never did, for a caller that has something else to do then.
pub async fn poll_until<C, F, Fut>(patience: Duration, check: F) -> Option<C::Value>
where
    C: Condition,
    F: FnMut() -> Fut,
    Fut: Future<Output = C>,
{
    poll(patience, check).await.ok()
}

/// What `future` gives; fails the test, naming `what` was awaited, when it
/// takes longer than [`patience`] — a wait that would otherwise hang.
pub async fn within<T>(what: impl Display, future: impl Future<Output = T>) -> T {
    let patience = patience();
    tokio::time::timeout(patience, future)
        .await
        .unwrap_or_else(|_| {
            panic!("not done within {patience:?}: {what} (raise {PATIENCE_VAR} on a slow machine)")
        })
}

/// The value once `check` holds, or how many checks were made in vain.
async fn poll<C, F, Fut>(patience: Duration, mut check: F) -> Result<C::Value, u32>
where
    C: Condition,
    F: FnMut() -> Fut,
    Fut: Future<Output = C>,
{
    let deadline = Instant::now() + patience;
    let mut checks = 0;
    loop {
        checks += 1;
        if let Some(value) = check().await.holds() {
            return Ok(value);
        }
        if Instant::now() >= deadline {
            return Err(checks);
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_condition_is_checked_until_it_holds() {
        let mut checks = 0;
        let found = eventually("the third check", || {
            checks += 1;
            let now = checks;
            async move { (now == 3).then_some(now) }
        })
        .await;
        assert_eq!(found, 3);
    }

    #[tokio::test]
    async fn a_condition_that_never_holds_is_given_up_on() {
        let found = poll_until(Duration::from_millis(50), || async { false }).await;
        assert_eq!(found, None);
    }

    #[tokio::test]
    async fn giving_up_counts_the_checks_made() {
        let checks = poll(Duration::from_millis(50), || async { false }).await;
        assert!(matches!(checks, Err(n) if n >= 2), "{checks:?}");
    }
}
