//! Aggregates: each response's integer sums (`aggregate::Aggregate`) added
//! to the rows of its advisor, technicians, station, dealer and region for
//! its delivery day, in the response's transaction; a period's scores are
//! the sums of its days, summed again in SQL and finished by the domain.

use std::collections::BTreeMap;

use aftercare_db::{
    Db, Tx,
    insert::insert_all,
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_values::{OemZone, Period};

use crate::{
    domain::{
        access::ListScope,
        aggregate::{Aggregate, ItemKey, PairSums, ScoreSubject, Tally},
        invitation::Invitation,
        response::Response,
        servqual::Dimension,
    },
    error::Result,
};

/// One row a response adds to: kind, id, and its place (station, dealer,
/// region; empty where the subject spans more).
struct Row<'a> {
    kind: &'static str,
    id: &'a str,
    station_id: &'a str,
    dealer_id: &'a str,
    region_id: &'a str,
}

fn rows(i: &Invitation) -> Vec<Row<'_>> {
    let at_station = |kind, id| Row {
        kind,
        id,
        station_id: &i.station_id,
        dealer_id: &i.dealer_id,
        region_id: &i.region_id,
    };
    let mut rows = vec![];
    if !i.advisor_id.is_empty() {
        rows.push(at_station("advisor", i.advisor_id.as_str()));
    }
    for t in &i.technician_ids {
        rows.push(at_station("technician", t.as_str()));
    }
    rows.push(at_station("station", i.station_id.as_str()));
    rows.push(Row {
        kind: "dealer",
        id: &i.dealer_id,
        station_id: "",
        dealer_id: &i.dealer_id,
        region_id: &i.region_id,
    });
    if !i.region_id.is_empty() {
        rows.push(Row {
            kind: "region",
            id: &i.region_id,
            station_id: "",
            dealer_id: "",
            region_id: &i.region_id,
        });
    }
    rows
}

/// The day, in the OEM's time zone, of a stored time (`micros`): the `day`
/// of the rows it adds to.
pub fn local_day(micros: i64, zone: &OemZone) -> time::Date {
    zone.local_day(timestamp::from_micros(micros))
}

const ADD: &str = "INSERT INTO survey_aggregates (subject_kind, subject_id, day, station_id, \
     dealer_id, region_id, responses, satisfaction_sum, satisfaction_n, promoters, passives, \
     detractors, service_index_sum, service_index_n, unweighted_gap_sum, unweighted_gap_n, \
     weighted_gap_sum, weighted_gap_n)";

const ADD_ON_CONFLICT: &str = "ON CONFLICT (subject_kind, subject_id, station_id, dealer_id, day) \
     DO UPDATE SET \
     responses = survey_aggregates.responses + excluded.responses, \
     satisfaction_sum = survey_aggregates.satisfaction_sum + excluded.satisfaction_sum, \
     satisfaction_n = survey_aggregates.satisfaction_n + excluded.satisfaction_n, \
     promoters = survey_aggregates.promoters + excluded.promoters, \
     passives = survey_aggregates.passives + excluded.passives, \
     detractors = survey_aggregates.detractors + excluded.detractors, \
     service_index_sum = survey_aggregates.service_index_sum + excluded.service_index_sum, \
     service_index_n = survey_aggregates.service_index_n + excluded.service_index_n, \
     unweighted_gap_sum = survey_aggregates.unweighted_gap_sum + excluded.unweighted_gap_sum, \
     unweighted_gap_n = survey_aggregates.unweighted_gap_n + excluded.unweighted_gap_n, \
     weighted_gap_sum = survey_aggregates.weighted_gap_sum + excluded.weighted_gap_sum, \
     weighted_gap_n = survey_aggregates.weighted_gap_n + excluded.weighted_gap_n";

const ADD_DIMENSION: &str = "INSERT INTO survey_aggregate_dimensions (subject_kind, subject_id, \
     day, station_id, dealer_id, region_id, dimension, perception_sum, expectation_sum, n)";

const ADD_DIMENSION_ON_CONFLICT: &str = "ON CONFLICT (subject_kind, subject_id, station_id, \
     dealer_id, day, dimension) DO UPDATE SET \
     perception_sum = survey_aggregate_dimensions.perception_sum + excluded.perception_sum, \
     expectation_sum = survey_aggregate_dimensions.expectation_sum + excluded.expectation_sum, \
     n = survey_aggregate_dimensions.n + excluded.n";

/// Adds `response` to its subjects' rows for `day` (its delivery day), in
/// `tx`: one
/// statement per table, the rows in key order, so that concurrent responses
/// take the locks of the rows they share (their station's, dealer's,
/// region's) in one order.
pub async fn add(
    tx: &mut Tx,
    invitation: &Invitation,
    response: &Response,
    day: time::Date,
) -> Result<()> {
    let a = Aggregate::of(&response.score);
    let day = timestamp::date_to_text(day);
    let n = |v: u64| Arg::Int(v as i64);
    let mut subjects = rows(invitation);
    subjects.sort_by_key(|r| (r.kind, r.id));
    // A technician named twice on the RO counts once.
    subjects.dedup_by_key(|r| (r.kind, r.id));
    let place = |r: &Row<'_>| -> Vec<Arg> {
        vec![
            r.kind.into(),
            r.id.into(),
            day.as_str().into(),
            r.station_id.into(),
            r.dealer_id.into(),
            r.region_id.into(),
        ]
    };
    let sums: Vec<Vec<Arg>> = subjects
        .iter()
        .map(|r| {
            let mut row = place(r);
            row.extend([
                n(a.responses),
                a.satisfaction.sum.into(),
                n(a.satisfaction.n),
                n(a.promoters),
                n(a.passives),
                n(a.detractors),
                a.service_index.sum.into(),
                n(a.service_index.n),
                a.unweighted_gap.sum.into(),
                n(a.unweighted_gap.n),
                a.weighted_gap.sum.into(),
                n(a.weighted_gap.n),
            ]);
            row
        })
        .collect();
    insert_all(tx, ADD, ADD_ON_CONFLICT, &sums).await?;
    let dimensions: Vec<Vec<Arg>> = subjects
        .iter()
        .flat_map(|r| {
            Dimension::ALL.into_iter().filter_map(|d| {
                let sums = a.dimension(d);
                (sums.n > 0).then(|| {
                    let mut row = place(r);
                    row.extend([
                        d.as_str().into(),
                        sums.perception.into(),
                        sums.expectation.into(),
                        n(sums.n),
                    ]);
                    row
                })
            })
        })
        .collect();
    insert_all(tx, ADD_DIMENSION, ADD_DIMENSION_ON_CONFLICT, &dimensions).await?;
    Ok(())
}

/// The summed columns of `survey_aggregates`, as a period's scores and the
/// league tables read them.
#[derive(aftercare_db::FromRow)]
pub(crate) struct Sums {
    responses: i64,
    satisfaction_sum: i64,
    satisfaction_n: i64,
    promoters: i64,
    passives: i64,
    detractors: i64,
    service_index_sum: i64,
    service_index_n: i64,
    unweighted_gap_sum: i64,
    unweighted_gap_n: i64,
    weighted_gap_sum: i64,
    weighted_gap_n: i64,
}

impl Sums {
    /// The sums as the domain adds them up, without the SERVQUAL items.
    pub(crate) fn aggregate(&self) -> Aggregate {
        let u = |v: i64| v.max(0) as u64;
        let tally = |sum, n| Tally { sum, n: u(n) };
        Aggregate {
            responses: u(self.responses),
            satisfaction: tally(self.satisfaction_sum, self.satisfaction_n),
            promoters: u(self.promoters),
            passives: u(self.passives),
            detractors: u(self.detractors),
            service_index: tally(self.service_index_sum, self.service_index_n),
            unweighted_gap: tally(self.unweighted_gap_sum, self.unweighted_gap_n),
            weighted_gap: tally(self.weighted_gap_sum, self.weighted_gap_n),
            items: BTreeMap::new(),
        }
    }
}

/// The SELECT list of [`Sums`] (an SQL literal: values are bound).
macro_rules! sums {
    () => {
        "CAST(COALESCE(SUM(responses), 0) AS BIGINT) AS responses, \
         CAST(COALESCE(SUM(satisfaction_sum), 0) AS BIGINT) AS satisfaction_sum, \
         CAST(COALESCE(SUM(satisfaction_n), 0) AS BIGINT) AS satisfaction_n, \
         CAST(COALESCE(SUM(promoters), 0) AS BIGINT) AS promoters, \
         CAST(COALESCE(SUM(passives), 0) AS BIGINT) AS passives, \
         CAST(COALESCE(SUM(detractors), 0) AS BIGINT) AS detractors, \
         CAST(COALESCE(SUM(service_index_sum), 0) AS BIGINT) AS service_index_sum, \
         CAST(COALESCE(SUM(service_index_n), 0) AS BIGINT) AS service_index_n, \
         CAST(COALESCE(SUM(unweighted_gap_sum), 0) AS BIGINT) AS unweighted_gap_sum, \
         CAST(COALESCE(SUM(unweighted_gap_n), 0) AS BIGINT) AS unweighted_gap_n, \
         CAST(COALESCE(SUM(weighted_gap_sum), 0) AS BIGINT) AS weighted_gap_sum, \
         CAST(COALESCE(SUM(weighted_gap_n), 0) AS BIGINT) AS weighted_gap_n"
    };
}
pub(crate) use sums;

/// The first day of `period` and the first after it, as the rows' `day`.
pub(crate) fn days(period: Period) -> (String, String) {
    (
        timestamp::date_to_text(period.first_day()),
        timestamp::date_to_text(period.end_day()),
    )
}

#[derive(aftercare_db::FromRow)]
struct DimensionRow {
    perception_sum: i64,
    expectation_sum: i64,
    n: i64,
}

macro_rules! sum {
    ($c:literal) => {
        concat!("CAST(COALESCE(SUM(", $c, "), 0) AS BIGINT) AS ", $c)
    };
}

/// The rows of `subject` within `scope`, as a query on `table` to finish.
fn scoped_query(
    select: &str,
    scope: &ListScope,
    subject: &ScoreSubject,
    period: Period,
) -> ListQuery {
    let station_bound =
        matches!(scope, ListScope::Dealer { station_ids, .. } if !station_ids.is_empty());
    let (kind, id) = match subject {
        ScoreSubject::Visible if station_bound => ("station", None),
        ScoreSubject::Visible => ("dealer", None),
        ScoreSubject::Advisor(id) => ("advisor", Some(id)),
        ScoreSubject::Technician(id) => ("technician", Some(id)),
        ScoreSubject::Station(id) => ("station", Some(id)),
        ScoreSubject::Dealer(id) => ("dealer", Some(id)),
        ScoreSubject::Region(id) => ("region", Some(id)),
    };
    let mut query = ListQuery::new(select, vec![]);
    query.eq("subject_kind", kind);
    if let Some(id) = id {
        query.eq("subject_id", id.as_str());
    }
    match scope {
        ListScope::All => {}
        ListScope::Region(region_id) => {
            query.eq("region_id", region_id.as_str());
        }
        ListScope::Dealer {
            dealer_id,
            station_ids,
        } => {
            query.eq("dealer_id", dealer_id.as_str());
            if !station_ids.is_empty() {
                query.any_of("station_id", station_ids);
            }
        }
    }
    let (from, to) = days(period);
    query.and("day >= ? AND day < ?", vec![Arg::Text(from), Arg::Text(to)]);
    query
}

/// The sums of `subject`'s days in `period`, within `scope`, read in one
/// snapshot.
pub async fn scores(
    db: &Db,
    scope: &ListScope,
    subject: &ScoreSubject,
    period: Period,
) -> Result<Aggregate> {
    let totals = concat!("SELECT ", sums!(), " FROM survey_aggregates");
    let mut tx = db.begin_snapshot().await?;
    let row: Vec<Sums> = scoped_query(totals, scope, subject, period)
        .fetch(&mut *tx, "1", None)
        .await?;
    let dimensions = concat!(
        "SELECT ",
        sum!("perception_sum"),
        ", ",
        sum!("expectation_sum"),
        ", ",
        sum!("n"),
        " FROM survey_aggregate_dimensions"
    );
    // One small sum per dimension (ListQuery has no GROUP BY).
    let mut dims = vec![];
    for d in Dimension::ALL {
        let mut query = scoped_query(dimensions, scope, subject, period);
        query.eq("dimension", d.as_str());
        let sums: Vec<DimensionRow> = query.fetch(&mut *tx, "1", None).await?;
        if let Some(sums) = sums.into_iter().next().filter(|s| s.n > 0) {
            dims.push((d, sums));
        }
    }
    tx.commit().await?;
    let Some(r) = row.into_iter().next() else {
        return Ok(Aggregate::default());
    };
    let u = |v: i64| v.max(0) as u64;
    let mut items = BTreeMap::new();
    for (dimension, d) in dims {
        // One key per dimension: the sums of its items.
        items.insert(
            ItemKey {
                dimension,
                item: dimension.as_str().to_owned(),
            },
            PairSums {
                perception: d.perception_sum,
                expectation: d.expectation_sum,
                n: u(d.n),
            },
        );
    }
    Ok(Aggregate {
        items,
        ..r.aggregate()
    })
}
