//! Targets measured one after another, in rounds.

use crate::{
    report::Row,
    run::{LoadSettings, Outcome, measure},
    scenarios::{Auth, Scenario},
};
use anyhow::Context;

/// One thing measured: a scenario on a server, calling as someone.
pub(crate) struct Target {
    pub(crate) label: String,
    pub(crate) url: String,
    pub(crate) scenario: Scenario,
    pub(crate) auth: Auth,
}

/// Measures every target `rounds` times. Rounds alternate the targets, so
/// that whatever else the machine does meanwhile weighs on all of them
/// alike; each target's rounds are summed.
pub(crate) async fn in_rounds(
    load: &LoadSettings,
    rounds: u32,
    targets: &[Target],
) -> anyhow::Result<Vec<Outcome>> {
    anyhow::ensure!(rounds >= 1, "--rounds must be at least 1");
    if rounds > 1 {
        println!("rounds: {rounds} (targets in turn; the table sums them)");
    }
    let mut sums: Vec<Option<Outcome>> = targets.iter().map(|_| None).collect();
    for round in 1..=rounds {
        for (t, sum) in targets.iter().zip(&mut sums) {
            let label = if rounds > 1 {
                format!("{}, round {round}/{rounds}", t.label)
            } else {
                t.label.clone()
            };
            let outcome = step(load, &label, &t.url, &t.scenario, t.auth.clone()).await?;
            *sum = Some(match sum.take() {
                Some(before) => before.combine(outcome),
                None => outcome,
            });
        }
    }
    Ok(sums.into_iter().flatten().collect())
}

pub(crate) fn rows(targets: &[Target], outcomes: &[Outcome]) -> Vec<Row> {
    targets
        .iter()
        .zip(outcomes)
        .map(|(t, outcome)| Row {
            target: t.label.clone(),
            outcome: outcome.clone(),
        })
        .collect()
}

/// Measures one target, saying so on stderr while it runs.
pub(crate) async fn step(
    load: &LoadSettings,
    label: &str,
    target: &str,
    scenario: &Scenario,
    auth: Auth,
) -> anyhow::Result<Outcome> {
    eprintln!(
        "running {label} ({:?} warm-up, {:?} measured)",
        load.warmup, load.duration
    );
    let outcome = measure(load, target, scenario, auth)
        .await
        .with_context(|| format!("{label} failed"))?;
    let p50 = outcome.latencies.percentile(50.0).unwrap_or_default();
    eprintln!(
        "  {:.1} req/s, p50 {:.3} ms, {} errors",
        outcome.throughput(),
        p50.as_secs_f64() * 1e3,
        outcome.error_count()
    );
    Ok(outcome)
}

pub(crate) fn row(target: &str, outcome: &Outcome) -> Row {
    Row {
        target: target.to_owned(),
        outcome: outcome.clone(),
    }
}
