//! A measurement, not run by default: a top-50 read's latency on boards of
//! 1,000 and 100,000 members. Every step of a read is O(log N + 50), so its
//! p99 should not grow with the board.
//!
//! `cargo nextest run -p aftercare-surveys --run-ignored only latency`

use std::time::{Duration, Instant};

use aftercare_surveys::boards::{LeagueBoards, Row};

use crate::boards::support::{fresh_prefix, march, redis_boards};

const READS: usize = 5_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run it with --run-ignored only"]
async fn top_50_latency_is_flat_from_1k_to_100k_members() {
    let boards = redis_boards(&fresh_prefix());
    let mut p99s = Vec::new();
    for size in [1_000, 100_000] {
        let board = march(&format!("size-{size}"));
        let rows: Vec<Row> = (0..size)
            .map(|i| {
                Row::ranked(&format!("d-{i}"), (i * 7919 % 1_000) as i64, b"{}".to_vec()).unwrap()
            })
            .collect();
        boards.replace(&board, &rows).await.unwrap();
        for _ in 0..500 {
            boards.top(&board, 50).await.unwrap(); // warm up
        }
        let mut took: Vec<Duration> = Vec::with_capacity(READS);
        for _ in 0..READS {
            let started = Instant::now();
            let top = boards.top(&board, 50).await.unwrap();
            took.push(started.elapsed());
            assert_eq!(top.standings.len(), 50);
        }
        took.sort();
        let (p50, p99) = (took[READS / 2], took[READS * 99 / 100]);
        eprintln!("top-50 of {size} members: p50 {p50:?}, p99 {p99:?}");
        p99s.push(p99);
        boards.delete(&board).await.unwrap();
    }
    assert!(
        p99s[1] <= p99s[0] * 2 + Duration::from_micros(200),
        "p99 grew with the board: {p99s:?}"
    );
}
