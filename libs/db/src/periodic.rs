//! Background work on a period: sweeps, refreshes, gauges read from the
//! database.

use std::{future::Future, time::Duration};

use tokio::{task::JoinHandle, time::Instant};

/// Runs `work` every `period`, the first time at once, until the returned
/// handle is aborted. See [`every_from`].
pub fn every<W, F>(period: Duration, work: W) -> JoinHandle<()>
where
    W: FnMut() -> F + Send + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    every_from(Instant::now(), period, work)
}

/// Runs `work` every `period` from `start` until the returned handle is
/// aborted: one run at a time, and a run that overran its period delays
/// the next ones rather than having them catch up in a burst (a slow
/// database is not made slower). `work` handles its own errors: a failed
/// run is tried again at the next tick.
pub fn every_from<W, F>(start: Instant, period: Duration, mut work: W) -> JoinHandle<()>
where
    W: FnMut() -> F + Send + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(start, period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            work().await;
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn runs_at_once_then_each_period_and_stops_when_aborted() {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let task = every(Duration::from_secs(10), move || {
            let counted = counted.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
            }
        });
        tokio::time::sleep(Duration::from_secs(25)).await;
        assert_eq!(runs.load(Ordering::SeqCst), 3, "at 0, 10 and 20 s");
        task.abort();
        tokio::time::sleep(Duration::from_secs(30)).await;
        assert_eq!(runs.load(Ordering::SeqCst), 3, "none after the abort");
    }

    #[tokio::test(start_paused = true)]
    async fn a_run_that_overruns_delays_the_next_instead_of_a_burst() {
        let starts = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = starts.clone();
        let origin = Instant::now();
        let task = every(Duration::from_secs(10), move || {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push(origin.elapsed().as_secs());
                // The first run takes 35 s, three periods and a half.
                if seen.lock().unwrap().len() == 1 {
                    tokio::time::sleep(Duration::from_secs(35)).await;
                }
            }
        });
        tokio::time::sleep(Duration::from_secs(60)).await;
        task.abort();
        assert_eq!(*starts.lock().unwrap(), vec![0, 35, 45, 55]);
    }
}
