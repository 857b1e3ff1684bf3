//! The escalation sweep over 1,000,000 open complaints of which 1 % are due,
//! on PostgreSQL: ignored in the ordinary run (it seeds for a while); run
//! with `scripts/test -p aftercare-surveys --run-ignored only sweep_scale`
//! and read the printed time per sweep.

use std::time::Instant;

use aftercare_test_support::Backend;

use super::support::{Net, T0, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: seeds a million complaints"]
async fn sweep_scale() {
    let net: Net = start(Backend::Postgres).await;
    let now = aftercare_db::timestamp::to_micros(T0);
    let hour: i64 = 3_600_000_000;
    let seeded = Instant::now();
    // Every 100th complaint's first response was due an hour ago.
    sqlx::query(
        "INSERT INTO complaints (id, dealer_id, region_id, station_id, technician_ids, \
         part_numbers, description, class, cause, severity, source, state, owner_level, \
         response_due_time, resolution_due_time, due_time, escalate_time, open_time, \
         update_time, revision) \
         SELECT 'CP-202603-' || lpad(g::text, 7, '0'), 'd' || (g % 500), 'r' || (g % 20), \
         's' || (g % 1000), '[]', '[]', 'seeded', 'QUALITY', 'workmanship', 'HIGH', 'STAFF', \
         'OPEN', 'DEALER', d, d + $3, d, d, $1 - $2, $1 - $2, 1 \
         FROM (SELECT g, CASE WHEN g % 100 = 0 THEN $1 - $2 ELSE $1 + 240 * $2 END AS d \
               FROM generate_series(1, 1000000) AS g) AS s",
    )
    .bind(now)
    .bind(hour)
    .bind(48 * hour)
    .execute(net.h.db.pool())
    .await
    .expect("seeded");
    sqlx::query("ANALYZE complaints")
        .execute(net.h.db.pool())
        .await
        .unwrap();
    println!("seeded 1,000,000 complaints in {:?}", seeded.elapsed());

    let started = Instant::now();
    let escalated = net.complaints.sweep_once(now).await.expect("swept");
    let first = started.elapsed();
    let started = Instant::now();
    let again = net.complaints.sweep_once(now).await.expect("swept");
    let second = started.elapsed();
    println!("sweep with 10,000 due: {escalated} escalated in {first:?}");
    println!("sweep with none due: {again} escalated in {second:?}");
    assert_eq!((escalated, again), (10_000, 0));
}
