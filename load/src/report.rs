//! The figures as a table, and as ratios to each other.

use std::{fmt::Write, time::Duration};

use crate::{
    fill_rate::{Seeded, Timing},
    run::Outcome,
};

/// One target's line of the table.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) target: String,
    pub(crate) outcome: Outcome,
}

/// The table: calls and req/s count the successful calls; errors are
/// listed by code below it. CPU per call is the whole process's (clients
/// and any servers in it) over the successful calls.
pub(crate) fn table(rows: &[Row]) -> String {
    let width = rows
        .iter()
        .map(|r| r.target.chars().count())
        .chain([6])
        .max()
        .unwrap_or(6);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>9}  {:>7}  {:>10}  {:>9}  {:>9}  {:>9}  {:>11}",
        "target", "calls", "errors", "req/s", "p50 ms", "p99 ms", "max ms", "cpu µs/call"
    );
    for Row { target, outcome } in rows {
        let l = &outcome.latencies;
        let _ = writeln!(
            out,
            "{target:<width$}  {:>9}  {:>7}  {:>10.1}  {:>9}  {:>9}  {:>9}  {:>11}",
            l.count(),
            outcome.error_count(),
            outcome.throughput(),
            ms(l.percentile(50.0), 3),
            ms(l.percentile(99.0), 3),
            ms(l.max(), 3),
            outcome
                .cpu_per_call()
                .map_or_else(|| "-".into(), |d| format!("{:.0}", d.as_secs_f64() * 1e6)),
        );
    }
    for Row { target, outcome } in rows.iter().filter(|r| r.outcome.error_count() > 0) {
        let errors: Vec<String> = outcome
            .errors
            .iter()
            .map(|(code, n)| format!("{code:?} × {n}"))
            .collect();
        let _ = writeln!(out, "errors of {target}: {}", errors.join(", "));
    }
    out
}

/// The gateway against the direct call and the bare echo, with the aims
/// they are held to.
pub(crate) fn ratios(gateway: &Outcome, direct: &Outcome, echo: &Outcome) -> String {
    let mut out = String::new();
    let verdict = |met: bool| if met { "met" } else { "MISSED" };

    let kept = percent(gateway.throughput(), direct.throughput());
    let _ = writeln!(
        out,
        "gateway / direct throughput  {:>7}   aim ≥ 80 %: {}",
        show(kept, " %"),
        verdict(kept.is_some_and(|k| k >= 80.0)),
    );

    let p50 = |o: &Outcome| o.latencies.percentile(50.0).map(|d| d.as_secs_f64());
    let added = match (p50(gateway), p50(direct)) {
        (Some(g), Some(d)) if d > 0.0 => Some((g / d - 1.0) * 100.0),
        _ => None,
    };
    let _ = writeln!(
        out,
        "gateway p50 / direct p50     {:>7}   aim ≤ +15 %: {}  ({}{} ms)",
        show(added.map(|a| a + 100.0), " %"),
        verdict(added.is_some_and(|a| a <= 15.0)),
        if added.is_some_and(|a| a < 0.0) {
            ""
        } else {
            "+"
        },
        match (p50(gateway), p50(direct)) {
            (Some(g), Some(d)) => format!("{:.3}", (g - d) * 1e3),
            _ => "-".into(),
        },
    );

    let of_echo = percent(gateway.throughput(), echo.throughput());
    let _ = writeln!(
        out,
        "gateway / echo throughput    {:>7}   aim ≥ 50 %: {}",
        show(of_echo, " %"),
        verdict(of_echo.is_some_and(|k| k >= 50.0)),
    );
    let _ = writeln!(
        out,
        "direct / echo throughput     {:>7}",
        show(percent(direct.throughput(), echo.throughput()), " %"),
    );
    let cpu = |o: &Outcome| o.cpu_per_call().map(|d| d.as_secs_f64() * 1e6);
    if let (Some(g), Some(d), Some(e)) = (cpu(gateway), cpu(direct), cpu(echo)) {
        let _ = writeln!(
            out,
            "cpu per call: the gateway adds {:+.0} µs to a direct call; \
             a direct call costs {:+.0} µs over an echo",
            g - d,
            d - e,
        );
    }
    out
}

/// The hot part against the rate PostgreSQL itself keeps on one row here
/// (pgbench's one-row UPDATE, when measured), the spread against the hot
/// part, and the hot part through the gateway against straight to the
/// service (when measured).
pub(crate) fn stock_ratios(
    hot: &Outcome,
    spread: &Outcome,
    spread_label: &str,
    direct: Option<&Outcome>,
    pgbench_tps: Option<f64>,
) -> String {
    let mut out = String::new();
    match pgbench_tps {
        Some(tps) => {
            let _ = writeln!(out, "{:<28} {tps:>7.1} tps", "pgbench, one-row UPDATE");
            let share = percent(hot.throughput(), tps);
            let _ = writeln!(
                out,
                "{:<28} {:>7}   aim ≥ 50 %: {}",
                "hot part / pgbench",
                show(share, " %"),
                if share.is_some_and(|s| s >= 50.0) {
                    "met"
                } else {
                    "MISSED"
                },
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{:<28} {:>7}   (no --pgbench-tps; scripts/bench-parts measures it)",
                "hot part / pgbench", "-"
            );
        }
    }
    let times = (hot.throughput() > 0.0).then(|| spread.throughput() / hot.throughput());
    let _ = writeln!(
        out,
        "{:<28} {:>7}",
        format!("{spread_label} / hot part"),
        show(times, " ×")
    );
    if let Some(direct) = direct {
        let _ = writeln!(
            out,
            "{:<28} {:>7}",
            "hot part, gateway / direct",
            show(percent(hot.throughput(), direct.throughput()), " %")
        );
    }
    out
}

/// The fill-rate timings: per scope the lines it counts, the rate, and
/// the latency of its calls.
pub(crate) fn fill_rate(seeded: &Seeded, timings: &[Timing]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "fill rate over {} seeded lines and {} ledger entries (seeded by SQL in {:.1} s, then ANALYZE)",
        seeded.lines,
        seeded.ledger_entries,
        seeded.took.as_secs_f64()
    );
    let width = timings
        .iter()
        .map(|t| t.scope.chars().count())
        .chain([5])
        .max()
        .unwrap_or(5);
    let _ = writeln!(
        out,
        "{:<width$}  {:>7}  {:>7}  {:>5}  {:>9}  {:>9}  {:>9}",
        "scope", "lines", "rate %", "calls", "min ms", "median ms", "max ms"
    );
    for t in timings {
        let l = &t.latencies;
        let _ = writeln!(
            out,
            "{:<width$}  {:>7}  {:>7.2}  {:>5}  {:>9}  {:>9}  {:>9}",
            t.scope,
            t.lines_asked,
            f64::from(t.rate_basis_points) / 100.0,
            l.count(),
            ms(l.percentile(0.0), 3),
            ms(l.percentile(50.0), 3),
            ms(l.max(), 3),
        );
    }
    if let Some(first) = timings.first() {
        let max = first.latencies.max();
        let _ = writeln!(
            out,
            "{}: slowest call {} ms   aim < 1 s: {}",
            first.scope,
            ms(max, 3),
            if max.is_some_and(|m| m < Duration::from_secs(1)) {
                "met"
            } else {
                "MISSED"
            },
        );
    }
    out
}

fn percent(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part / whole * 100.0)
}

fn show(value: Option<f64>, unit: &str) -> String {
    value.map_or_else(|| "-".into(), |v| format!("{v:.1}{unit}"))
}

/// Milliseconds with `decimals` decimals (three: microsecond resolution);
/// "-" for none.
pub(crate) fn ms(d: Option<Duration>, decimals: usize) -> String {
    d.map_or_else(
        || "-".into(),
        |d| format!("{:.decimals$}", d.as_secs_f64() * 1e3),
    )
}

#[cfg(test)]
mod tests {
    use tonic::Code;

    use super::*;
    use crate::latency::Latencies;

    /// The text with every run of spaces made one, so that the tests do
    /// not hang on column widths.
    fn words(text: &str) -> String {
        text.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn outcome(ms_samples: &[u64], errors: Vec<(Code, u64)>) -> Outcome {
        Outcome {
            latencies: Latencies::merge([ms_samples.iter().map(|m| m * 1_000_000).collect()]),
            errors,
            window: Duration::from_secs(1),
            cpu: Some(Duration::from_millis(3)),
        }
    }

    #[test]
    fn the_table_shows_each_target_and_its_errors() {
        let rows = [Row {
            target: "GetStation direct".into(),
            outcome: outcome(&[1, 2, 3], vec![(Code::Unavailable, 2)]),
        }];
        let t = words(&table(&rows));
        assert!(
            t.contains("GetStation direct 3 2 3.0 2.000 3.000 3.000 1000"),
            "{t}"
        );
        assert!(
            t.contains("errors of GetStation direct: Unavailable × 2"),
            "{t}"
        );
    }

    #[test]
    fn ratios_compare_the_gateway_with_direct_and_echo() {
        // 8 calls against 10 direct and 20 echoed; p50 2 ms against 2 ms.
        let gateway = outcome(&[2; 8], vec![]);
        let direct = outcome(&[2; 10], vec![]);
        let echo = outcome(&[1; 20], vec![]);
        let r = words(&ratios(&gateway, &direct, &echo));
        assert!(
            r.contains("gateway / direct throughput 80.0 % aim ≥ 80 %: met"),
            "{r}"
        );
        assert!(
            r.contains("gateway p50 / direct p50 100.0 % aim ≤ +15 %: met (+0.000 ms)"),
            "{r}"
        );
        assert!(
            r.contains("gateway / echo throughput 40.0 % aim ≥ 50 %: MISSED"),
            "{r}"
        );
    }
}
