//! The load itself: N clients, spread over M connections, each making one
//! call after another. The first moments warm up connections, pools and
//! caches and are not counted; then the calls that end inside the measured
//! window are.

use std::{
    collections::HashMap,
    future::Future,
    time::{Duration, Instant},
};

use anyhow::Context;
use tonic::{
    Code, Response, Status,
    transport::{Channel, Endpoint},
};

use crate::{
    cpu,
    latency::Latencies,
    scenarios::{Auth, Client, NewClient, Scenario},
};

/// How hard and how long to push.
#[derive(Debug, Clone)]
pub(crate) struct LoadSettings {
    /// Clients calling at once, each waiting for its answer before the
    /// next call.
    pub(crate) clients: usize,
    /// Connections the clients are spread over, round robin. Real callers
    /// do not share one HTTP/2 connection, so this is usually `clients`.
    pub(crate) connections: usize,
    /// Calls made before the window opens, not counted.
    pub(crate) warmup: Duration,
    /// The measured window.
    pub(crate) duration: Duration,
}

/// What one run measured.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    /// Of the calls that succeeded inside the window.
    pub(crate) latencies: Latencies,
    /// Calls that failed inside the window, by gRPC code; they are not
    /// latency samples.
    pub(crate) errors: Vec<(Code, u64)>,
    pub(crate) window: Duration,
    /// CPU time the whole process used in the window (clients, and servers
    /// when they run here); None where it cannot be read.
    pub(crate) cpu: Option<Duration>,
}

impl Outcome {
    /// The tallies of several clients' calls of one kind as one outcome
    /// over `window` (with no CPU figure of its own).
    pub(crate) fn of(tallies: impl IntoIterator<Item = Tally>, window: Duration) -> Outcome {
        let mut samples = vec![];
        let mut errors: HashMap<Code, u64> = HashMap::new();
        for tally in tallies {
            samples.push(tally.nanos);
            for (code, n) in tally.errors {
                *errors.entry(code).or_default() += n;
            }
        }
        Outcome {
            latencies: Latencies::merge(samples),
            errors: sorted(errors),
            window,
            cpu: None,
        }
    }

    /// Successful calls per second.
    pub(crate) fn throughput(&self) -> f64 {
        self.latencies.count() as f64 / self.window.as_secs_f64()
    }

    /// CPU time per successful call.
    pub(crate) fn cpu_per_call(&self) -> Option<Duration> {
        let calls = u32::try_from(self.latencies.count())
            .ok()
            .filter(|&n| n > 0)?;
        Some(self.cpu? / calls)
    }

    pub(crate) fn error_count(&self) -> u64 {
        self.errors.iter().map(|(_, n)| n).sum()
    }

    /// Two runs of the same target as one: their samples, errors and
    /// windows together.
    pub(crate) fn combine(self, other: Outcome) -> Outcome {
        let mut errors: HashMap<Code, u64> = self.errors.into_iter().collect();
        for (code, n) in other.errors {
            *errors.entry(code).or_default() += n;
        }
        Outcome {
            latencies: self.latencies.combine(other.latencies),
            errors: sorted(errors),
            window: self.window + other.window,
            cpu: self.cpu.zip(other.cpu).map(|(a, b)| a + b),
        }
    }
}

/// The measured window: a call counts when it ends inside it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub(crate) start: Instant,
    pub(crate) end: Instant,
}

impl Window {
    pub(crate) fn contains(&self, t: Instant) -> bool {
        t >= self.start && t < self.end
    }
}

/// The calls of one kind one client made inside the window: the latencies
/// of those that succeeded, and the codes of those that failed.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    nanos: Vec<u64>,
    errors: HashMap<Code, u64>,
}

impl Tally {
    /// Counts a call that began at `started` and has just ended with
    /// `result`, when it ended inside `window`; its answer, None when it
    /// failed.
    pub(crate) fn record<T>(
        &mut self,
        window: Window,
        started: Instant,
        result: Result<T, Status>,
    ) -> Option<T> {
        let ended = Instant::now();
        if window.contains(ended) {
            match &result {
                Ok(_) => self.nanos.push(nanos(ended - started)),
                Err(status) => *self.errors.entry(status.code()).or_default() += 1,
            }
        }
        result.ok()
    }

    /// Times one gRPC call and records it.
    pub(crate) async fn time<T>(
        &mut self,
        window: Window,
        call: impl Future<Output = Result<Response<T>, Status>>,
    ) -> Option<T> {
        let started = Instant::now();
        let result = call.await;
        self.record(window, started, result.map(Response::into_inner))
    }
}

pub(crate) fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Longer than any call should take: a call that hangs becomes an error
/// (Cancelled) instead of holding its client past the window.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// `count` connections to `target` (`http://host:port`), each its own
/// HTTP/2 connection, opened now so that connecting is not measured.
pub(crate) async fn connect(target: &str, count: usize) -> anyhow::Result<Vec<Channel>> {
    let endpoint = Endpoint::from_shared(target.to_owned())
        .with_context(|| format!("{target} is not a valid target"))?
        .tcp_nodelay(true)
        .timeout(CALL_TIMEOUT);
    let mut channels = Vec::with_capacity(count);
    for _ in 0..count {
        let channel = endpoint
            .connect()
            .await
            .with_context(|| format!("failed to connect to {target}"))?;
        channels.push(channel);
    }
    Ok(channels)
}

/// Runs `settings.clients` clients made by `new_client` over
/// `connections` (shared round robin) for the warm-up and the window.
pub(crate) async fn run(
    settings: &LoadSettings,
    connections: &[Channel],
    new_client: &NewClient,
) -> anyhow::Result<Outcome> {
    anyhow::ensure!(!connections.is_empty(), "no connection to call over");
    let clients: Vec<Box<dyn Client>> = (0..settings.clients)
        .map(|i| new_client(connections[i % connections.len()].clone()))
        .collect();
    let start = Instant::now() + settings.warmup;
    let window = Window {
        start,
        end: start + settings.duration,
    };
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|client| tokio::spawn(drive(client, window)))
        .collect();
    let cpu = tokio::spawn(cpu_between(window.start, window.end));

    let mut tallies = Vec::with_capacity(tasks.len());
    for task in tasks {
        tallies.push(task.await.context("a client task failed")?);
    }
    Ok(Outcome {
        cpu: cpu.await.context("the cpu clock task failed")?,
        ..Outcome::of(tallies, settings.duration)
    })
}

/// The process's CPU time between two instants.
pub(crate) async fn cpu_between(start: Instant, end: Instant) -> Option<Duration> {
    tokio::time::sleep_until(start.into()).await;
    let before = cpu::process_time()?;
    tokio::time::sleep_until(end.into()).await;
    Some(cpu::process_time()?.saturating_sub(before))
}

fn sorted(errors: HashMap<Code, u64>) -> Vec<(Code, u64)> {
    let mut errors: Vec<(Code, u64)> = errors.into_iter().collect();
    errors.sort_by_key(|(code, _)| *code as i32);
    errors
}

/// Calls until the window closes; a call counts when it ends inside the
/// window, which makes the count over the window the throughput.
async fn drive(mut client: Box<dyn Client>, window: Window) -> Tally {
    let mut tally = Tally::default();
    loop {
        let started = Instant::now();
        if started >= window.end {
            return tally;
        }
        let result = client.call().await;
        tally.record(window, started, result);
    }
}

/// Prepares `scenario` against `target` and runs it: the whole measure of
/// one target.
pub(crate) async fn measure(
    settings: &LoadSettings,
    target: &str,
    scenario: &Scenario,
    auth: Auth,
) -> anyhow::Result<Outcome> {
    let setup = connect(target, 1).await?.remove(0);
    let new_client = scenario.prepare(setup, auth).await?;
    let connections = connect(target, settings.connections.max(1)).await?;
    run(settings, &connections, &new_client).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combined_runs_add_their_samples_errors_and_windows() {
        let run = |nanos: Vec<u64>, errors| Outcome {
            latencies: Latencies::merge([nanos]),
            errors,
            window: Duration::from_secs(2),
            cpu: Some(Duration::from_secs(1)),
        };
        let a = run(vec![3, 1], vec![(Code::Unavailable, 1)]);
        let b = run(
            vec![2, 4],
            vec![(Code::Internal, 2), (Code::Unavailable, 3)],
        );
        let both = a.combine(b);
        assert_eq!(both.latencies, Latencies::merge([vec![1, 2, 3, 4]]));
        assert_eq!(
            both.errors,
            vec![(Code::Internal, 2), (Code::Unavailable, 4)]
        );
        assert_eq!(both.window, Duration::from_secs(4));
        assert_eq!(both.throughput(), 1.0);
        assert_eq!(both.error_count(), 6);
        assert_eq!(both.cpu_per_call(), Some(Duration::from_millis(500)));
    }
}
