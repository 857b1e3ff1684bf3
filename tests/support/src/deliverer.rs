//! A deliverer for tests: it records every attempt and fails the ones it
//! is told to, so that a test can watch the relay retry, back off, wait and
//! keep order.

use std::{
    collections::HashSet,
    future::Future,
    sync::{Arc, Mutex, MutexGuard},
    time::Instant,
};

use aftercare_outbox::{Deliver, DeliveryError, StoredEvent};

/// Clones share their state: keep one, give one to the relay.
#[derive(Debug, Clone, Default)]
pub struct TestDeliverer {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    down: HashSet<String>,
    failures_left: usize,
    refused: HashSet<String>,
    attempts: Vec<Attempt>,
}

/// One call of [`Deliver::deliver`].
#[derive(Debug, Clone)]
pub struct Attempt {
    pub event: StoredEvent,
    pub time: Instant,
    pub outcome: Result<(), DeliveryError>,
}

impl TestDeliverer {
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock has failed already.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Deliveries to `destination` fail (retryably) until [`Self::set_up`].
    pub fn set_down(&self, destination: &str) {
        self.state().down.insert(destination.to_owned());
    }

    pub fn set_up(&self, destination: &str) {
        self.state().down.remove(destination);
    }

    /// The next `n` deliveries fail (retryably), whatever their destination.
    pub fn fail_next(&self, n: usize) {
        self.state().failures_left = n;
    }

    /// Deliveries of event `event_id` fail for good until [`Self::accept`].
    pub fn refuse(&self, event_id: &str) {
        self.state().refused.insert(event_id.to_owned());
    }

    pub fn accept(&self, event_id: &str) {
        self.state().refused.remove(event_id);
    }

    /// Every attempt so far, in order.
    pub fn attempts(&self) -> Vec<Attempt> {
        self.state().attempts.clone()
    }

    /// The ids of the events delivered, in order.
    pub fn delivered(&self) -> Vec<String> {
        self.state()
            .attempts
            .iter()
            .filter(|a| a.outcome.is_ok())
            .map(|a| a.event.id.clone())
            .collect()
    }
}

impl Deliver for TestDeliverer {
    fn deliver(
        &self,
        event: &StoredEvent,
    ) -> impl Future<Output = Result<(), DeliveryError>> + Send {
        let mut state = self.state();
        let outcome = if state.refused.contains(&event.id) {
            Err(DeliveryError::Permanent(format!("{} refused", event.id)))
        } else if state.down.contains(&event.destination) {
            Err(DeliveryError::Retryable(format!(
                "{} is down",
                event.destination
            )))
        } else if state.failures_left > 0 {
            state.failures_left -= 1;
            Err(DeliveryError::Retryable("failing as told".into()))
        } else {
            Ok(())
        };
        state.attempts.push(Attempt {
            event: event.clone(),
            time: Instant::now(),
            outcome: outcome.clone(),
        });
        std::future::ready(outcome)
    }
}
