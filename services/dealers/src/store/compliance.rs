//! The compliance of a scope and period with the service standards. What
//! each RO stands at against each standard is kept as it changes, in the
//! transaction that records the RO's moments ([`record`]): counts of those
//! decided per station, day and version (spread over a few rows against
//! lock waits), and the ROs still open with their deadlines. A report sums
//! those rows (a station's month is at most a few hundred per standard,
//! however many ROs it had) and judges the open ones at `now`.
//! Both tables are derived from `repair_orders` and the standards alone, and
//! [`Store::rebuild_compliance`] makes them again from those.

use std::collections::{BTreeMap, HashMap};

use aftercare_db::{Backend, Db, Tx, insert::insert_all, list::Arg, timestamp};
use aftercare_values::{OemZone, Period};
use futures::TryStreamExt;
use sqlx::{AnyConnection, AssertSqlSafe, Row, any::AnyRow};
use time::OffsetDateTime;

use super::{Store, Stored, standards::rules};
use crate::{
    domain::{
        compliance::{OpenChange, Scope, ScopeRequest, TallyChange, tally_changes},
        network::{Dealer, Region, Station},
        orders::RepairOrder,
        standards::{Compliance, Moment, Moments, OrderTimes, OrderType, Standard, Standing},
        text::bucket,
    },
    error::{Error, Result},
};

/// The scope with its place in the network; NOT_FOUND when it names
/// nothing.
pub(crate) async fn resolve(conn: &mut AnyConnection, scope: &ScopeRequest) -> Result<Scope> {
    Ok(match scope {
        ScopeRequest::Station(id) => {
            let s = Station::find(conn, id)
                .await?
                .ok_or_else(|| Error::not_found("station", id))?;
            Scope::Station {
                region_id: s.region_id.into_string(),
                dealer_id: s.dealer_id.into_string(),
                station_id: s.id.into_string(),
            }
        }
        ScopeRequest::Dealer(id) => {
            let d = Dealer::find(conn, id)
                .await?
                .ok_or_else(|| Error::not_found("dealer", id))?;
            Scope::Dealer {
                region_id: d.fields.region_id.into_string(),
                dealer_id: d.id.into_string(),
            }
        }
        ScopeRequest::Region(id) => {
            let r = Region::find(conn, id)
                .await?
                .ok_or_else(|| Error::not_found("region", id))?;
            Scope::Region {
                region_id: r.id.into_string(),
            }
        }
        ScopeRequest::Network => Scope::Network,
    })
}

/// The rows of `table` (aliased `t`, with `station_id` and `dealer_id`) in
/// `scope`, whose id, if it has one, is bound as `${id}`.
fn in_scope(table: &str, scope: &Scope, id: usize) -> String {
    match scope {
        Scope::Station { .. } => format!(" FROM {table} t WHERE t.station_id = ${id}"),
        Scope::Dealer { .. } => format!(" FROM {table} t WHERE t.dealer_id = ${id}"),
        Scope::Region { .. } => {
            format!(
                " FROM {table} t JOIN dealers d ON d.id = t.dealer_id WHERE d.region_id = ${id}"
            )
        }
        Scope::Network => format!(" FROM {table} t WHERE 1 = 1"),
    }
}

/// The tally row of a station's day and standard version that counts RO
/// `id`.
fn shard(id: &str) -> i64 {
    i64::from(bucket(id, 8))
}

/// A tally row's day: the OEM's calendar day, counted from 1970-01-01.
fn day_number(day: time::Date) -> i64 {
    (day - OffsetDateTime::UNIX_EPOCH.date()).whole_days()
}

/// The tally day of the instant `micros`: its day in the OEM's time zone.
fn day(micros: i64, zone: &OemZone) -> i64 {
    day_number(zone.local_day(timestamp::from_micros(micros)))
}

/// Adds each row's counts (standard, version, met, missed, pending) to
/// `counts`.
fn add_counts(
    counts: &mut HashMap<String, BTreeMap<u32, Compliance>>,
    rows: Vec<AnyRow>,
) -> Result<()> {
    for row in rows {
        let version = u32::try_from(row.try_get::<i64, _>(1)?)
            .map_err(|_| Error::Internal("a compliance tally has a bad version".into()))?;
        let count = |i| -> Result<u64> {
            u64::try_from(row.try_get::<i64, _>(i)?)
                .map_err(|_| Error::Internal("a compliance tally is negative".into()))
        };
        let c = Compliance {
            met: count(2)?,
            missed: count(3)?,
            pending: count(4)?,
        };
        let by_version = counts.entry(row.try_get(0)?).or_default();
        let sum = by_version.entry(version).or_default();
        *sum = *sum + c;
    }
    Ok(())
}

/// Keeps the tallies in step with `ro`, whose recorded times were `before`
/// (none for a new RO), in `tx`, the transaction that records them.
pub(crate) async fn record(
    tx: &mut Tx,
    before: Option<&OrderTimes>,
    ro: &RepairOrder,
    zone: &OemZone,
) -> Result<()> {
    let times = ro.times();
    if before == Some(&times) {
        return Ok(()); // nothing a standard measures has changed
    }
    let standards: Vec<Standard> = rules(tx, None).await?.into_iter().map(|s| s.rule).collect();
    let open_time = ro.open_time();
    for change in tally_changes(&standards, before, &times) {
        apply(tx, ro, open_time, &change, zone).await?;
    }
    Ok(())
}

async fn apply(
    tx: &mut Tx,
    ro: &RepairOrder,
    open_time: OffsetDateTime,
    change: &TallyChange<'_>,
    zone: &OemZone,
) -> Result<()> {
    let open_micros = timestamp::to_micros(open_time);
    if change.met != 0 || change.missed != 0 {
        sqlx::query(
            "INSERT INTO compliance_tallies (station_id, dealer_id, open_day, shard, standard_code, version, met, missed) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (station_id, open_day, standard_code, version, shard) DO UPDATE \
             SET met = compliance_tallies.met + excluded.met, missed = compliance_tallies.missed + excluded.missed",
        )
        .bind(ro.opening.station_id.as_str())
        .bind(ro.dealer_id.as_str())
        .bind(day(open_micros, zone))
        .bind(shard(ro.id.as_str()))
        .bind(change.code)
        .bind(i64::from(change.version))
        .bind(change.met)
        .bind(change.missed)
        .execute(&mut **tx)
        .await?;
    }
    match change.open {
        OpenChange::Unchanged => {}
        OpenChange::Closed => {
            sqlx::query(
                "DELETE FROM compliance_open WHERE repair_order_id = $1 AND standard_code = $2",
            )
            .bind(ro.id.as_str())
            .bind(change.code)
            .execute(&mut **tx)
            .await?;
        }
        OpenChange::Open(deadline) => {
            sqlx::query(
                "INSERT INTO compliance_open (repair_order_id, standard_code, version, station_id, dealer_id, \
                 open_time, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (repair_order_id, standard_code) DO UPDATE \
                 SET version = excluded.version, deadline = excluded.deadline",
            )
            .bind(ro.id.as_str())
            .bind(change.code)
            .bind(i64::from(change.version))
            .bind(ro.opening.station_id.as_str())
            .bind(ro.dealer_id.as_str())
            .bind(open_micros)
            .bind(timestamp::to_micros(deadline))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// The recorded times of the ROs opened from $1 on, for a rebuild.
const ALL_TIMES: &str = "SELECT id, station_id, dealer_id, order_type, fast_lane, arrival_time, open_time, \
     start_time, complete_time, delivery_time, promise_time, call_back_time, cancel_time FROM repair_orders \
     WHERE open_time >= $1";

/// One row of [`ALL_TIMES`]: the RO's id, dealer and times.
fn all_times(row: &AnyRow) -> Result<(String, String, OrderTimes)> {
    let time = |i| -> Result<Option<OffsetDateTime>> {
        Ok(row
            .try_get::<Option<i64>, _>(i)?
            .map(timestamp::from_micros))
    };
    let order_type: String = row.try_get(3)?;
    let moments: Moments = [
        (Moment::Arrival, time(5)?),
        (Moment::Opened, time(6)?),
        (Moment::Started, time(7)?),
        (Moment::Completed, time(8)?),
        (Moment::Delivered, time(9)?),
        (Moment::Promised, time(10)?),
        (Moment::CalledBack, time(11)?),
    ]
    .into_iter()
    .filter_map(|(m, at)| at.map(|at| (m, at)))
    .collect();
    Ok((
        row.try_get(0)?,
        row.try_get(2)?,
        OrderTimes {
            station_id: row.try_get(1)?,
            order_type: OrderType::parse(&order_type)
                .ok_or_else(|| Error::Internal("a repair order has an unknown type".into()))?,
            fast_lane: row.try_get::<i64, _>(4)? == 1,
            moments,
            cancelled: time(12)?,
        },
    ))
}

/// Tallies `standards`, none of which has tallies yet, over the ROs opened
/// from `opened_from` on, in `tx`; returns the ROs read.
pub(crate) async fn tally_all(
    tx: &mut Tx,
    standards: &[Standard],
    opened_from: OffsetDateTime,
    zone: &OemZone,
) -> Result<u64> {
    // The columns of a tally row before its counts → (met, missed).
    let mut tallies: BTreeMap<Vec<Arg>, (i64, i64)> = BTreeMap::new();
    let mut open = vec![];
    let mut read = 0;
    let mut rows = sqlx::query(ALL_TIMES)
        .bind(timestamp::to_micros(opened_from))
        .fetch(&mut **tx);
    while let Some(row) = rows.try_next().await? {
        read += 1;
        let (id, dealer_id, ro) = all_times(&row)?;
        let opened = ro
            .moments
            .get(&Moment::Opened)
            .map_or(0, |t| timestamp::to_micros(*t));
        for standard in standards {
            let Some((standing, version)) = standard.settle(&ro) else {
                continue;
            };
            // A row's columns: the RO's station and dealer, `these`, then
            // the standard and its version.
            let columns = |these: [Arg; 2]| -> Vec<Arg> {
                let [first, second] = these;
                vec![
                    ro.station_id.as_str().into(),
                    dealer_id.as_str().into(),
                    first,
                    second,
                    standard.code.as_str().into(),
                    i64::from(version.version).into(),
                ]
            };
            let tally = || columns([day(opened, zone).into(), shard(&id).into()]);
            match standing {
                Standing::Met => tallies.entry(tally()).or_default().0 += 1,
                Standing::Missed => tallies.entry(tally()).or_default().1 += 1,
                Standing::Open { deadline } => {
                    let mut row = vec![id.as_str().into()];
                    row.extend(columns([
                        opened.into(),
                        timestamp::to_micros(deadline).into(),
                    ]));
                    open.push(row);
                }
            }
        }
    }
    drop(rows);
    let tallies = tallies.into_iter().map(|(mut row, (met, missed))| {
        row.extend([met.into(), missed.into()]);
        row
    });
    insert_all(
        tx,
        "INSERT INTO compliance_tallies (station_id, dealer_id, open_day, shard, standard_code, version, met, missed)",
        "",
        &tallies.collect::<Vec<_>>(),
    )
    .await?;
    insert_all(
        tx,
        "INSERT INTO compliance_open (repair_order_id, station_id, dealer_id, open_time, deadline, standard_code, version)",
        "",
        &open,
    )
    .await?;
    Ok(read)
}

/// Holds every change to the ROs until `tx` ends, for a change to the
/// standards that tallies ROs: an RO moving meanwhile would be tallied
/// against the standards as they were. SQLite has one writer at a time.
pub(crate) async fn hold_repair_orders(db: &Db, tx: &mut Tx) -> Result<()> {
    if db.backend() == Backend::Postgres {
        sqlx::query("LOCK TABLE repair_orders IN SHARE MODE")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The counts of the ROs of `scope` in `period` with each standard version
/// (the open ones judged at `now`), by standard code.
pub(crate) async fn counts(
    tx: &mut Tx,
    scope: &Scope,
    period: &Period,
    now: OffsetDateTime,
    zone: &OemZone,
) -> Result<HashMap<String, BTreeMap<u32, Compliance>>> {
    let id = match scope {
        Scope::Station { station_id, .. } => Some(station_id),
        Scope::Dealer { dealer_id, .. } => Some(dealer_id),
        Scope::Region { region_id } => Some(region_id),
        Scope::Network => None,
    };
    let (start, end) = zone.period_bounds(period);
    let (start, end) = (timestamp::to_micros(start), timestamp::to_micros(end));
    let decided = format!(
        "SELECT t.standard_code, t.version, CAST(SUM(t.met) AS BIGINT), \
         CAST(SUM(t.missed) AS BIGINT), CAST(0 AS BIGINT){} \
         AND t.open_day >= $1 AND t.open_day < $2 GROUP BY t.standard_code, t.version",
        in_scope("compliance_tallies", scope, 3)
    );
    let open = format!(
        "SELECT t.standard_code, t.version, \
         CAST(0 AS BIGINT), CAST(SUM(CASE WHEN t.deadline < $3 THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN t.deadline < $3 THEN 0 ELSE 1 END) AS BIGINT){} \
         AND t.open_time >= $1 AND t.open_time < $2 GROUP BY t.standard_code, t.version",
        in_scope("compliance_open", scope, 4)
    );
    let mut decided = sqlx::query(AssertSqlSafe(decided))
        .bind(day_number(period.first_day()))
        .bind(day_number(period.end_day()));
    let mut open = sqlx::query(AssertSqlSafe(open))
        .bind(start)
        .bind(end)
        .bind(timestamp::to_micros(now));
    if let Some(id) = id {
        decided = decided.bind(id.as_str());
        open = open.bind(id.as_str());
    }
    let mut counts = HashMap::new();
    add_counts(&mut counts, decided.fetch_all(&mut **tx).await?)?;
    add_counts(&mut counts, open.fetch_all(&mut **tx).await?)?;
    Ok(counts)
}

impl Store {
    /// Makes the compliance tallies again from the ROs and the standards;
    /// returns the ROs read. For a database no RO is being changed in: at
    /// start-up, before serving, and after ROs were loaded by other means.
    pub async fn rebuild_compliance(&self) -> Result<u64> {
        let mut tx = self.db.begin().await?;
        for table in [
            "compliance_tallies",
            "compliance_open",
            "compliance_rebuilds",
        ] {
            sqlx::query(AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(&mut *tx)
                .await?;
        }
        let standards: Vec<Standard> = rules(&mut tx, None)
            .await?
            .into_iter()
            .map(|s| s.rule)
            .collect();
        let read = tally_all(&mut tx, &standards, OffsetDateTime::UNIX_EPOCH, &self.zone).await?;
        sqlx::query(
            "INSERT INTO compliance_rebuilds (rebuild_time, repair_orders, time_zone) \
             VALUES ($1, $2, $3)",
        )
        .bind(timestamp::now_micros())
        .bind(read as i64)
        .bind(self.zone.name())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(read)
    }

    /// Rebuilds the tallies if they never were (a database whose ROs were
    /// recorded before the tallies were kept), or were tallied by the days
    /// of another time zone than the store's.
    pub(super) async fn rebuild_compliance_once(&self) -> Result<()> {
        let tallied_in: Vec<String> =
            sqlx::query_scalar("SELECT time_zone FROM compliance_rebuilds")
                .fetch_all(self.db.pool())
                .await?;
        if tallied_in.iter().all(|zone| zone != self.zone.name()) {
            tracing::info!(
                time_zone = %self.zone,
                was = ?tallied_in,
                "rebuilding the compliance tallies by the days of the time zone"
            );
            self.rebuild_compliance().await?;
        }
        Ok(())
    }
}
