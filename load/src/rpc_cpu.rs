//! Each RPC's CPU per call in each server, from the servers' own
//! `grpc_server_cpu_seconds` histogram (the CPU their threads spent polling
//! the calls: libs/telemetry), read from `/metrics` at both ends of a
//! window.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt::Write,
    net::SocketAddr,
    time::Duration,
};

use anyhow::Context;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const METRIC: &str = "grpc_server_cpu_seconds";

/// A server's process, named as in its `server` label, and where it
/// answers `GET /metrics`.
#[derive(Debug, Clone)]
pub(crate) struct MetricsAt {
    pub(crate) name: String,
    pub(crate) addr: SocketAddr,
}

/// Per (server, method): the calls made in a window and the CPU they took.
pub(crate) type Spent = BTreeMap<(String, String), (u64, Duration)>;

/// Per (server, method): the CPU seconds and calls counted so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Counted(BTreeMap<(String, String), (f64, u64)>);

/// What every server in `at` has counted; a server that does not answer
/// counts nothing.
pub(crate) async fn read(at: &[MetricsAt]) -> Counted {
    let mut counted = Counted::default();
    for server in at {
        match scrape(server.addr).await {
            Ok(text) => counted.0.extend(parse(&text).0),
            Err(e) => eprintln!("{} /metrics: {e:#}", server.name),
        }
    }
    counted
}

async fn scrape(addr: SocketAddr) -> anyhow::Result<String> {
    let get = async {
        let mut stream = TcpStream::connect(addr).await?;
        let request = format!("GET /metrics HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await?;
        anyhow::Ok(String::from_utf8_lossy(&answer).into_owned())
    };
    let answer = tokio::time::timeout(Duration::from_secs(10), get)
        .await
        .context("no answer in 10 s")??;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    anyhow::ensure!(
        head.starts_with("HTTP/1.1 200"),
        "answered {:?}",
        head.lines().next()
    );
    // The exposition is rendered whole and sent with its length; a chunked
    // body would need its chunks joined first.
    anyhow::ensure!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "a chunked answer"
    );
    Ok(body.to_owned())
}

/// The `_sum` and `_count` series of [`METRIC`] in an exposition.
fn parse(text: &str) -> Counted {
    let mut counted = Counted::default();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(METRIC) else {
            continue;
        };
        let (is_sum, rest) = if let Some(rest) = rest.strip_prefix("_sum{") {
            (true, rest)
        } else if let Some(rest) = rest.strip_prefix("_count{") {
            (false, rest)
        } else {
            continue;
        };
        let Some((labels, value)) = rest.split_once("} ") else {
            continue;
        };
        let label = |name: &str| {
            labels.split(',').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                (k == name).then(|| v.trim_matches('"').to_owned())
            })
        };
        let (Some(server), Some(method), Ok(value)) = (
            label("server"),
            label("method"),
            value.trim().parse::<f64>(),
        ) else {
            continue;
        };
        let entry = counted.0.entry((server, method)).or_default();
        if is_sum {
            entry.0 += value;
        } else {
            entry.1 += value as u64;
        }
    }
    counted
}

impl Counted {
    /// What was counted since `before`: per (server, method), the calls
    /// and their CPU.
    pub(crate) fn since(&self, before: &Counted) -> Spent {
        self.0
            .iter()
            .filter_map(|(key, &(sum, count))| {
                let (sum0, count0) = before.0.get(key).copied().unwrap_or_default();
                let calls = count.saturating_sub(count0);
                (calls > 0).then(|| {
                    let cpu = Duration::from_secs_f64((sum - sum0).max(0.0));
                    (key.clone(), (calls, cpu))
                })
            })
            .collect()
    }
}

/// A table: a row per method, a column per server (as its `server`
/// label names it), each cell the CPU per call in µs; then each server's
/// CPU spent on calls against its process's CPU over the window
/// (`process_cpu`, by process name), the rest being what no call paid for
/// (connections, relays, sweeps).
pub(crate) fn report(spent: &Spent, process_cpu: &BTreeMap<String, Duration>) -> String {
    let servers: BTreeSet<&String> = spent.keys().map(|(s, _)| s).collect();
    let mut out = String::new();
    let _ = write!(out, "{:<28}", "cpu µs per call: rpc");
    for server in &servers {
        let _ = write!(out, "  {server:>9}");
    }
    out.push('\n');
    let mut methods: Vec<&String> = spent.keys().map(|(_, m)| m).collect();
    methods.sort();
    methods.dedup();
    for method in methods {
        let _ = write!(out, "{method:<28}");
        for &server in &servers {
            let cell = spent.get(&(server.clone(), method.clone())).map_or_else(
                || "-".to_owned(),
                |(calls, cpu)| format!("{:.0}", cpu.as_secs_f64() * 1e6 / *calls as f64),
            );
            let _ = write!(out, "  {cell:>9}");
        }
        out.push('\n');
    }
    let paid: Vec<String> = servers
        .iter()
        .map(|&server| {
            let on_calls: Duration = spent
                .iter()
                .filter(|((s, _), _)| s == server)
                .map(|(_, (_, cpu))| *cpu)
                .sum();
            match process_cpu.get(server) {
                Some(all) if !all.is_zero() => format!(
                    "{server} {:.1} of {:.1} s ({:.0} %)",
                    on_calls.as_secs_f64(),
                    all.as_secs_f64(),
                    100.0 * on_calls.as_secs_f64() / all.as_secs_f64()
                ),
                _ => format!("{server} {:.1} s", on_calls.as_secs_f64()),
            }
        })
        .collect();
    let _ = writeln!(
        out,
        "CPU spent on calls, of the process's: {}",
        paid.join(", ")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRAPE: &str = r#"# TYPE grpc_server_cpu_seconds histogram
grpc_server_cpu_seconds_bucket{server="dealers",service="aftercare.dealers.v1.RepairOrderService",method="CreateAppointment",le="0.001"} 3
grpc_server_cpu_seconds_sum{server="dealers",service="aftercare.dealers.v1.RepairOrderService",method="CreateAppointment"} 0.004
grpc_server_cpu_seconds_count{server="dealers",service="aftercare.dealers.v1.RepairOrderService",method="CreateAppointment"} 4
grpc_server_request_duration_seconds_sum{server="dealers",service="aftercare.dealers.v1.RepairOrderService",method="CreateAppointment"} 9
grpc_server_cpu_seconds_sum{server="gateway",service="aftercare.dealers.v1.RepairOrderService",method="CreateAppointment"} 0.001
grpc_server_cpu_seconds_count{server="gateway",service="aftercare.dealers.v1.RepairOrderService",method="CreateAppointment"} 4
"#;

    #[test]
    fn the_cpu_per_call_of_each_server_is_read_between_two_scrapes() {
        let before = parse(SCRAPE);
        let after = parse(
            &SCRAPE
                .replace("} 0.004", "} 0.010")
                .replace("} 4\n", "} 10\n"),
        );
        let spent = after.since(&before);
        let key = |server: &str| (server.to_owned(), "CreateAppointment".to_owned());
        let (calls, cpu) = spent[&key("dealers")];
        assert_eq!(calls, 6);
        assert!((cpu.as_secs_f64() - 0.006).abs() < 1e-9, "{cpu:?}");
        assert_eq!(spent[&key("gateway")].0, 6);

        let process = BTreeMap::from([("dealers".to_owned(), Duration::from_millis(12))]);
        let table = report(&spent, &process);
        assert!(table.contains("CreateAppointment"), "{table}");
        // Columns dealers, gateway: 1 ms per call at the dealers, none at
        // the gateway.
        assert!(table.contains("1000          0"), "{table}");
        assert!(table.contains("dealers 0.0 of 0.0 s (50 %)"), "{table}");
    }

    #[test]
    fn a_scrape_without_the_metric_counts_nothing() {
        assert_eq!(parse("up 1\n"), Counted::default());
    }
}
