//! The complaints' escalation sweep over a million open complaints, for
//! `complaints`: the surveys service built on a fresh PostgreSQL database
//! of its own without its sweep task, the complaints seeded by one
//! set-based statement (generate_series), every 100th with its first
//! response due an hour ago, and `Complaints::sweep_once(now)` timed with
//! those due, then again with none.

use std::time::{Duration, Instant};

use aftercare_auth::Secret;
use aftercare_db::{Backend, sqlx, testing, timestamp};
use aftercare_surveys::{Surveys, SurveysSettings};

use crate::system::open_url;

/// What the sweep bench measured.
#[derive(Debug, Clone)]
pub(crate) struct Swept {
    pub(crate) database: String,
    pub(crate) complaints: i64,
    pub(crate) due: i64,
    pub(crate) seeded_in: Duration,
    /// The first sweep: the due escalated.
    pub(crate) escalated: usize,
    pub(crate) due_sweep: Duration,
    /// The second: nothing due.
    pub(crate) again: usize,
    pub(crate) idle_sweep: Duration,
}

const HOUR: i64 = 3_600_000_000;

/// Seeds `complaints` open complaints (every `due_every`-th due) and times
/// two sweeps.
pub(crate) async fn measure(
    complaints: i64,
    due_every: i64,
    max_connections: u32,
) -> anyhow::Result<Swept> {
    anyhow::ensure!(complaints >= 1 && due_every >= 1, "nothing to sweep");
    let url = testing::fresh_url(Backend::Postgres);
    let name = url.rsplit('/').next().unwrap_or_default();
    let database = format!("PostgreSQL, fresh database {name}");
    let db = open_url(
        &url,
        &database,
        max_connections,
        &aftercare_surveys::MIGRATOR,
    )
    .await?;
    aftercare_outbox::migrate(&db).await?;
    // The sweep is called here alone: no task, no league repairs.
    let surveys = Surveys::new(&SurveysSettings::default(), db.clone(), Secret::generate())
        .without_sweeps()
        .without_repairs();
    let built = surveys.clone().build().await?;
    let sweeper = surveys.complaints(built.handle.clone());

    let now = timestamp::now_micros();
    let started = Instant::now();
    // The due's first response was due an hour ago; the rest's in ten days.
    sqlx::query(
        "INSERT INTO complaints (id, dealer_id, region_id, station_id, technician_ids, \
         part_numbers, description, class, cause, severity, source, state, owner_level, \
         response_due_time, resolution_due_time, due_time, escalate_time, open_time, \
         update_time, revision) \
         SELECT 'CP-190001-' || lpad(g::text, 7, '0'), 'd' || (g % 500), 'r' || (g % 20), \
         's' || (g % 1000), '[]', '[]', 'seeded', 'QUALITY', 'workmanship', 'HIGH', 'STAFF', \
         'OPEN', 'DEALER', d, d + $3, d, d, $1 - $2, $1 - $2, 1 \
         FROM (SELECT g, CASE WHEN g % $5 = 0 THEN $1 - $2 ELSE $1 + 240 * $2 END AS d \
               FROM generate_series(1, $4) AS g) AS s",
    )
    .bind(now)
    .bind(HOUR)
    .bind(48 * HOUR)
    .bind(complaints)
    .bind(due_every)
    .execute(db.pool())
    .await?;
    sqlx::query("ANALYZE complaints").execute(db.pool()).await?;
    let seeded_in = started.elapsed();

    let started = Instant::now();
    let escalated = sweeper.sweep_once(now).await?;
    let due_sweep = started.elapsed();
    let started = Instant::now();
    let again = sweeper.sweep_once(now).await?;
    let idle_sweep = started.elapsed();
    drop(built.running);
    Ok(Swept {
        database,
        complaints,
        due: complaints / due_every,
        seeded_in,
        escalated,
        due_sweep,
        again,
        idle_sweep,
    })
}
