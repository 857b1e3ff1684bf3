//! The dashboards and alert rules in `deploy/observability/` read only
//! metrics the servers export: every metric name their PromQL names is in
//! the `/metrics` scrape of some server while traffic flows (the
//! distributed test calls [`every_name_is_exported`] after its journeys).
//! A renamed metric, or a panel written for a metric nobody exports, fails
//! here rather than as an empty graph or an alert that never fires.

use std::{
    collections::BTreeSet,
    net::SocketAddr,
    path::{Path, PathBuf},
};

use aftercare_test_support::{patience, poll_until};

use crate::support::http1;

/// Series Prometheus makes itself for every target, not in any scrape.
const PROMETHEUS_OWN: &[&str] = &["up"];

/// Waits until the scrapes of `servers` together export every metric the
/// dashboards and rules name (the outbox gauges appear at a relay's next
/// housekeeping), and fails naming the missing ones and who reads them.
pub(crate) async fn every_name_is_exported(servers: &[SocketAddr]) {
    let named = named_by_dashboards_and_rules();
    assert!(
        named.len() >= 5,
        "the dashboards and rules name too few metrics to be read: {named:?}"
    );
    let (named, servers) = (&named, servers);
    let all_exported = poll_until(patience(), move || async move {
        missing(named, servers).await.is_empty()
    })
    .await;
    if all_exported.is_none() {
        let missing = missing(named, servers).await;
        panic!(
            "not within {:?}: the servers export no metric named {} (raise \
             AFTERCARE_TEST_PATIENCE_SECS on a slow machine)",
            patience(),
            missing.join(", ")
        );
    }
}

/// The names the dashboards and rules read that no server's scrape has, each
/// with the file that reads it.
async fn missing(named: &[(String, String)], servers: &[SocketAddr]) -> Vec<String> {
    let mut exported = BTreeSet::new();
    for &server in servers {
        exported.extend(exported_names(&scrape(server).await));
    }
    named
        .iter()
        .filter(|(name, _)| !exported.contains(name) && !PROMETHEUS_OWN.contains(&name.as_str()))
        .map(|(name, file)| format!("{name} (in {file})"))
        .collect()
}

async fn scrape(server: SocketAddr) -> String {
    let answer = http1::get(server, "/metrics").await;
    assert!(
        answer.head.starts_with("http/1.1 200"),
        "{server}: {}",
        answer.head
    );
    String::from_utf8(answer.body).expect("the scrape is UTF-8")
}

/// The names a scrape exports, as PromQL may name them: each sample's name,
/// and for a histogram only its `_bucket`, `_sum` and `_count` series (the
/// family's own name is no series), for a summary the family and its
/// `_sum` and `_count`.
fn exported_names(scrape: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in scrape.lines() {
        if let Some(declared) = line.strip_prefix("# TYPE ") {
            let mut words = declared.split_whitespace();
            if let (Some(family), Some(kind)) = (words.next(), words.next()) {
                let suffixes: &[&str] = match kind {
                    "histogram" => &["_bucket", "_sum", "_count"],
                    "summary" => &["", "_sum", "_count"],
                    _ => &[""],
                };
                names.extend(suffixes.iter().map(|s| format!("{family}{s}")));
            }
        } else if !line.starts_with('#') && !line.trim().is_empty() {
            let end = line.find(['{', ' ']).unwrap_or(line.len());
            names.insert(line[..end].to_owned());
        }
    }
    names
}

/// Every metric name in the dashboards' and rules' expressions, with the
/// file that names it (the first one).
fn named_by_dashboards_and_rules() -> Vec<(String, String)> {
    let observability = repository().join("deploy/observability");
    let mut named: Vec<(String, String)> = Vec::new();
    let mut add = |expr: &str, file: &Path| {
        let file = file
            .strip_prefix(&observability)
            .unwrap_or(file)
            .display()
            .to_string();
        for name in metric_names(expr) {
            if !named.iter().any(|(n, _)| *n == name) {
                named.push((name, file.clone()));
            }
        }
    };
    for file in files(&observability.join("grafana/dashboards"), "json") {
        let text = std::fs::read_to_string(&file).expect("a dashboard");
        let json: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
        let mut exprs = Vec::new();
        dashboard_expressions(&json, &mut exprs);
        assert!(!exprs.is_empty(), "{}: no expression", file.display());
        for expr in exprs {
            add(&expr, &file);
        }
    }
    for file in files(&observability.join("prometheus/rules"), "yaml") {
        let text = std::fs::read_to_string(&file).expect("a rule file");
        let exprs = rule_expressions(&text);
        assert!(!exprs.is_empty(), "{}: no expression", file.display());
        for expr in exprs {
            add(&expr, &file);
        }
    }
    named
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the repository")
        .to_path_buf()
}

fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no .{extension} file in {}",
        dir.display()
    );
    files
}

/// The PromQL of a dashboard: each panel target's `expr`, and each
/// template variable's query (`label_values(<selector>, <label>)` reads
/// the selector).
fn dashboard_expressions(json: &serde_json::Value, out: &mut Vec<String>) {
    match json {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("expr", serde_json::Value::String(expr)) => out.push(expr.clone()),
                    ("definition", serde_json::Value::String(query)) => {
                        out.extend(variable_selector(query));
                    }
                    _ => dashboard_expressions(value, out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                dashboard_expressions(item, out);
            }
        }
        _ => {}
    }
}

/// `label_values(metric{…}, label)` → `metric{…}`; `label_values(label)`
/// names no metric.
fn variable_selector(query: &str) -> Option<String> {
    let inner = query
        .trim()
        .strip_prefix("label_values(")?
        .strip_suffix(')')?;
    let (selector, _label) = inner.rsplit_once(',')?;
    Some(selector.to_owned())
}

/// The `expr` of each rule in a Prometheus rule file: written on its line
/// (plain or quoted), or as a block scalar (`expr: |`) on the more indented
/// lines below it.
fn rule_expressions(yaml: &str) -> Vec<String> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut exprs = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start().trim_start_matches("- ");
        i += 1;
        let Some(value) = trimmed.strip_prefix("expr:") else {
            continue;
        };
        let value = value.trim();
        if value.starts_with('|') || value.starts_with('>') {
            let mut block = Vec::new();
            while i < lines.len() {
                let next = lines[i];
                let next_indent = next.len() - next.trim_start().len();
                if !next.trim().is_empty() && next_indent <= indent {
                    break;
                }
                block.push(next.trim());
                i += 1;
            }
            exprs.push(block.join("\n"));
        } else {
            let unquoted = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            exprs.push(unquoted.to_owned());
        }
    }
    exprs
}

/// PromQL's words that are not metric names wherever they stand.
const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "unless",
    "atan2",
    "bool",
    "offset",
    "inf",
    "nan",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
];

/// Keywords followed by a list of label names in parentheses.
const LABEL_LISTS: &[&str] = &[
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
];

/// Aggregations, which may stand before `by (…)` or `without (…)` rather
/// than their parenthesis.
const AGGREGATIONS: &[&str] = &[
    "sum",
    "min",
    "max",
    "avg",
    "group",
    "stddev",
    "stdvar",
    "count",
    "count_values",
    "bottomk",
    "topk",
    "quantile",
    "limitk",
    "limit_ratio",
];

/// The metric names an expression reads: identifiers used bare or followed
/// by a selector (`{…}`) or a range (`[…]`), not functions (followed by
/// `(`), aggregations, keywords, label names (inside `{…}` or after `by`,
/// `on`…), strings, numbers, durations or Grafana's `$variables`.
fn metric_names(expr: &str) -> BTreeSet<String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut names = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' || c == '`' {
            i = skip_string(&chars, i);
        } else if c == '{' {
            i = skip_group(&chars, i, '{', '}');
        } else if c == '[' {
            i = skip_group(&chars, i, '[', ']');
        } else if c == '#' {
            // A comment, to the end of the line.
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '$' {
            // A Grafana variable: $name or ${name}.
            i += 1;
            if chars.get(i) == Some(&'{') {
                i = skip_group(&chars, i, '{', '}');
            } else {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            // A number or a duration: 0.99, 1e-3, 0x1f, 5m, 1h30m.
            let start = i;
            while i < chars.len() {
                let d = chars[i];
                let exponent_sign = (d == '+' || d == '-')
                    && matches!(chars[i - 1], 'e' | 'E')
                    && !chars[start..i].contains(&'x');
                if d.is_ascii_alphanumeric() || d == '.' || d == '_' || exponent_sign {
                    i += 1;
                } else {
                    break;
                }
            }
        } else if c.is_ascii_alphabetic() || c == '_' || c == ':' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == ':')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let next = chars[i..]
                .iter()
                .position(|c| !c.is_whitespace())
                .map(|p| i + p);
            let next_char = next.map(|n| chars[n]);
            let next_word: String = next
                .map(|n| {
                    chars[n..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                        .collect()
                })
                .unwrap_or_default();
            let lower = word.to_ascii_lowercase();
            if LABEL_LISTS.contains(&lower.as_str()) {
                if let (Some(n), Some('(')) = (next, next_char) {
                    i = skip_group(&chars, n, '(', ')');
                }
            } else if KEYWORDS.contains(&lower.as_str()) || next_char == Some('(') {
                // A keyword, or a function or aggregation called.
            } else if AGGREGATIONS.contains(&lower.as_str())
                && (next_word == "by" || next_word == "without")
            {
                // An aggregation with its grouping before its parenthesis.
            } else {
                names.insert(word);
            }
        } else {
            i += 1;
        }
    }
    names
}

/// The index after the string opened at `start`.
fn skip_string(chars: &[char], start: usize) -> usize {
    let quote = chars[start];
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if quote != '`' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// The index after the group opened at `start`, strings inside included.
fn skip_group(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' || c == '`' {
            i = skip_string(chars, i);
            continue;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(expr: &str) -> Vec<String> {
        metric_names(expr).into_iter().collect()
    }

    #[test]
    fn a_selector_a_range_and_a_bare_name_are_metrics() {
        assert_eq!(
            names(r#"rate(a_total{code=~"Internal|Unknown", x="}"}[5m]) / b + c[1h:5m]"#),
            ["a_total", "b", "c"]
        );
    }

    #[test]
    fn functions_aggregations_and_their_label_lists_are_not() {
        let expr = r#"histogram_quantile(0.99, sum by (server, le) (rate(h_bucket{server=~"$server"}[$__rate_interval])))
            and sum without(pod) (x) > 0.1 unless max(y) by (job)"#;
        assert_eq!(names(expr), ["h_bucket", "x", "y"]);
    }

    #[test]
    fn matching_keywords_numbers_and_modifiers_are_not() {
        let expr = "a * on(job) group_left(pod, node) b offset 5m > bool 1e-3 or c @ start() # d";
        assert_eq!(names(expr), ["a", "b", "c"]);
        assert_eq!(names("up{job=\"aftercare\"} == 0"), ["up"]);
        assert_eq!(names("count(x) by (le) + 0x1F + .5 + 1h30m"), ["x"]);
    }

    #[test]
    fn a_variable_query_reads_its_selector() {
        assert_eq!(
            variable_selector(r#"label_values(m{server=~"$server"}, method)"#).as_deref(),
            Some(r#"m{server=~"$server"}"#)
        );
        assert_eq!(variable_selector("label_values(server)"), None);
    }

    #[test]
    fn rule_expressions_on_their_line_and_in_blocks() {
        let yaml = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: |\n          sum(rate(a[5m]))\n            > 1\n        for: 5m\n      - alert: B\n        expr: 'up == 0'\n      - record: r\n        expr: b\n";
        assert_eq!(
            rule_expressions(yaml),
            ["sum(rate(a[5m]))\n> 1", "up == 0", "b"]
        );
    }

    #[test]
    fn a_histogram_exports_its_series_not_its_family() {
        let scrape = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n# TYPE c counter\nc{a=\"b\"} 2\nplain 3\n";
        let exported: Vec<_> = exported_names(scrape).into_iter().collect();
        assert_eq!(exported, ["c", "h_bucket", "h_count", "h_sum", "plain"]);
    }

    #[test]
    fn the_dashboards_and_rules_name_the_rpc_outbox_and_services_metrics() {
        let named: BTreeSet<String> = named_by_dashboards_and_rules()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        for name in [
            "grpc_server_requests_total",
            "grpc_server_request_duration_seconds_bucket",
            "outbox_pending_events",
            "outbox_oldest_pending_age_seconds",
            "league_tables_behind_seconds",
            "league_table_store_losses_total",
            "complaints_overdue",
            "complaints_escalations_total",
            "parts_stock_outs",
            "parts_backorders_open",
            "parts_backorders_overdue",
            "warranty_budgets",
        ] {
            assert!(named.contains(name), "{name} not in {named:?}");
        }
    }
}
