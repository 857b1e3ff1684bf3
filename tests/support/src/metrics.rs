//! The metrics this process records, as Prometheus would scrape them: for
//! a test that checks what a service exports.
//!
//! The recorder is the process's one (`aftercare_telemetry`): a test reads
//! only its own service's figures when it runs in a process of its own,
//! as nextest runs every test.

/// Installs the process's Prometheus recorder, once: call it before the
/// service under test starts, or what it records goes nowhere.
pub fn record_metrics() {
    aftercare_telemetry::install_recorder().expect("the metrics recorder");
}

/// The value of the sample `name` whose labels include `labels`, as the
/// scrape shows it now; none before it is recorded.
pub fn metric(name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let scrape = aftercare_telemetry::install_recorder()
        .expect("the metrics recorder")
        .render();
    let wanted: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    scrape.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (sample, labels) = series.split_once('{').unwrap_or((series, ""));
        let all = wanted.iter().all(|w| {
            labels
                .trim_end_matches('}')
                .split(',')
                .any(|label| label == w)
        });
        (sample == name && all).then(|| value.parse().ok())?
    })
}
