//! The real binary, as a new user starts it: `aftercare run --demo` on a
//! data directory that does not exist yet, then called with a token from
//! `aftercare token`, and its metrics scraped.

use std::{net::SocketAddr, time::Duration};

use aftercare_proto::dealers::v1 as pb;

use crate::support::{
    clients::{Outcome, connect, dealers},
    http1,
    process::{Running, aftercare, token},
};

/// The address in a line the binary printed, e.g. `http://127.0.0.1:41234/…`.
fn address_after(line: &str, prefix: &str) -> SocketAddr {
    let rest = line.strip_prefix(prefix).expect("the prefix");
    let end = rest.find(['/', ' ']).unwrap_or(rest.len());
    rest[..end]
        .parse()
        .unwrap_or_else(|e| panic!("no address in {line:?}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_the_demo_on_a_fresh_data_directory() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let data_dir = tmp.path().join("aftercare-data");
    let data = data_dir.to_str().expect("a UTF-8 path");
    let command = aftercare([
        "run",
        "--data-dir",
        data,
        "--listen",
        "127.0.0.1:0",
        "--demo",
    ]);
    let mut run = Running::spawn("aftercare run", command);

    // Startup includes migrating and seeding new SQLite files: be patient.
    const LISTENING: &str = "aftercare listening on http://";
    const METRICS: &str = "metrics on http://";
    let line = run.line_starting(LISTENING, Duration::from_secs(60));
    let addr = address_after(&line, LISTENING);
    assert!(line.contains(data), "names the data directory: {line}");
    let metrics = address_after(
        &run.line_starting(METRICS, Duration::from_secs(10)),
        METRICS,
    );
    assert_eq!(metrics, addr, "metrics on the gateway's own port");
    assert!(
        data_dir.join("keys.toml").is_file(),
        "keys made on first start"
    );

    let oem = token(&["--role", "oem", "--data-dir", data], &[]);
    let channel = connect(addr).await;
    let request = pb::ListRegionsRequest::default();
    let regions = dealers(&channel, Some(&oem))
        .list_regions(request)
        .await
        .answer();
    let regions: Vec<_> = regions
        .regions
        .iter()
        .map(|r| (r.id.as_str(), r.display_name.as_str()))
        .collect();
    assert_eq!(
        regions,
        [("north", "North"), ("south", "South"), ("west", "West")]
    );

    let answer = http1::get(metrics, "/metrics").await;
    assert!(answer.head.starts_with("http/1.1 200"), "{}", answer.head);
    let text = String::from_utf8(answer.body).expect("UTF-8 metrics");
    let counted = text
        .lines()
        .filter(|l| l.starts_with("grpc_server_requests_total{"))
        .filter(|l| l.contains(r#"method="ListRegions""#))
        .collect::<Vec<_>>();
    assert!(
        counted
            .iter()
            .any(|l| l.contains(r#"server="gateway""#) && l.contains(r#"code="Ok""#)),
        "the gateway counted the calls:\n{text}"
    );

    // The browser pages are served from the same port, by the binary alone.
    for (path, kind) in [
        ("/console/", "text/html"),
        ("/s/a-link-token", "text/html"),
        ("/assets/survey.js", "text/javascript"),
    ] {
        let answer = http1::get(addr, path).await;
        let head = &answer.head;
        assert!(head.starts_with("http/1.1 200"), "{path}: {head}");
        assert!(
            head.contains(&format!("content-type: {kind}")),
            "{path}: {head}"
        );
        assert!(
            head.contains("content-security-policy: default-src 'self'"),
            "{path}: {head}"
        );
        assert!(!answer.body.is_empty(), "{path}: a body");
    }

    run.assert_running();
}
