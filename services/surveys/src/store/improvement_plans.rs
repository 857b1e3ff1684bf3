//! Improvement plans' rows: each response's attribute values added to its
//! dealer's day (`survey_attribute_sums`, in the response's transaction),
//! a period's moments summed back, and the plans themselves.

use aftercare_db::{
    Db, Tx,
    insert::insert_all,
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_edge::resource::meta_from_row;
use aftercare_values::Period;
use sqlx::AnyConnection;

use super::aggregates::days;
use crate::{
    domain::{
        access::ListScope,
        improvement::{Attribute, AttributeSums, Moments},
        invitation::Invitation,
        plan::{Plan, PlanState},
    },
    error::{Error, Result},
};

const ADD: &str = "INSERT INTO survey_attribute_sums (dealer_id, region_id, day, attribute, n, \
     value_sum, square_sum)";

const ADD_ON_CONFLICT: &str = "ON CONFLICT (dealer_id, day, attribute) DO UPDATE SET \
     n = survey_attribute_sums.n + excluded.n, \
     value_sum = survey_attribute_sums.value_sum + excluded.value_sum, \
     square_sum = survey_attribute_sums.square_sum + excluded.square_sum";

/// Adds one response's attribute `values` to its dealer's row of `day`, in
/// `tx`, in attribute order (concurrent responses lock rows in one order).
pub async fn add_response(
    tx: &mut Tx,
    invitation: &Invitation,
    values: &[(Attribute, i64)],
    day: time::Date,
) -> Result<()> {
    let day = timestamp::date_to_text(day);
    let mut sums: Vec<(String, Moments)> = vec![];
    for (a, v) in values {
        let id = a.to_string();
        match sums.iter_mut().find(|(s, _)| *s == id) {
            Some((_, m)) => *m = *m + Moments::of(*v),
            None => sums.push((id, Moments::of(*v))),
        }
    }
    sums.sort_by(|a, b| a.0.cmp(&b.0));
    let rows: Vec<Vec<Arg>> = sums
        .into_iter()
        .map(|(id, m)| {
            vec![
                invitation.dealer_id.as_str().into(),
                invitation.region_id.as_str().into(),
                day.as_str().into(),
                id.into(),
                Arg::Int(m.n as i64),
                m.sum.into(),
                m.squares.into(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    insert_all(tx, ADD, ADD_ON_CONFLICT, &rows).await?;
    Ok(())
}

#[derive(aftercare_db::FromRow)]
struct SumRow {
    attribute: String,
    n: i64,
    value_sum: i64,
    square_sum: i64,
}

/// The moments of `period` per attribute: of `dealer_id`, or of the whole
/// network without one.
pub async fn sums(
    conn: &mut AnyConnection,
    dealer_id: Option<&str>,
    period: Period,
) -> Result<AttributeSums> {
    let (from, to) = days(period);
    let mut sql = String::from(
        "SELECT attribute, CAST(SUM(n) AS BIGINT) AS n, \
         CAST(SUM(value_sum) AS BIGINT) AS value_sum, \
         CAST(SUM(square_sum) AS BIGINT) AS square_sum \
         FROM survey_attribute_sums WHERE day >= $1 AND day < $2",
    );
    if dealer_id.is_some() {
        sql.push_str(" AND dealer_id = $3");
    }
    sql.push_str(" GROUP BY attribute");
    let mut query = sqlx::query_as::<_, SumRow>(sqlx::AssertSqlSafe(sql))
        .bind(from)
        .bind(to);
    if let Some(d) = dealer_id {
        query = query.bind(d);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let m = Moments {
                n: r.n.max(0) as u64,
                sum: r.value_sum,
                squares: r.square_sum,
            };
            Some((Attribute::parse(&r.attribute)?, m))
        })
        .collect())
}

/// The region of `dealer_id`, as its latest delivered RO told it; none for
/// a dealer surveys has never heard of.
pub async fn dealer_region(conn: &mut AnyConnection, dealer_id: &str) -> Result<Option<String>> {
    let region: Option<(String,)> = sqlx::query_as(
        "SELECT region_id FROM survey_invitations WHERE dealer_id = $1 \
         ORDER BY delivery_time DESC LIMIT 1",
    )
    .bind(dealer_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(region.map(|(r,)| r))
}

macro_rules! plans {
    ($rest:literal) => {
        concat!(
            "SELECT id, dealer_id, region_id, state, attributes, baseline_period, check_period, \
             owner, deadline_time, check_due_time, met, check_time, checked_by, version, \
             create_time, update_time FROM improvement_plans",
            $rest
        )
    };
}

#[derive(aftercare_db::FromRow)]
struct PlanRow {
    id: String,
    dealer_id: String,
    region_id: String,
    state: String,
    attributes: String,
    baseline_period: String,
    check_period: String,
    owner: String,
    deadline_time: i64,
    check_due_time: i64,
    met: Option<i64>,
    check_time: Option<i64>,
    checked_by: Option<String>,
    version: i64,
    create_time: i64,
    update_time: i64,
}

impl PlanRow {
    fn parse(self) -> Result<Plan> {
        let broken = |what: &str| Error::Internal(format!("plan {}: bad {what}", self.id).into());
        Ok(Plan {
            state: PlanState::parse(&self.state).ok_or_else(|| broken("state"))?,
            attributes: serde_json::from_str(&self.attributes).map_err(|_| broken("attributes"))?,
            baseline_period: self
                .baseline_period
                .parse()
                .map_err(|_| broken("baseline_period"))?,
            check_period: self
                .check_period
                .parse()
                .map_err(|_| broken("check_period"))?,
            meta: meta_from_row(self.version, self.create_time, self.update_time),
            met: self.met.map(|m| m == 1),
            id: self.id,
            dealer_id: self.dealer_id,
            region_id: self.region_id,
            owner: self.owner,
            deadline: self.deadline_time,
            check_due_time: self.check_due_time,
            check_time: self.check_time,
            checked_by: self.checked_by,
        })
    }
}

fn attributes_json(plan: &Plan) -> Result<String> {
    serde_json::to_string(&plan.attributes).map_err(|e| Error::Internal(e.into()))
}

pub async fn insert(tx: &mut Tx, plan: &Plan) -> Result<()> {
    sqlx::query(
        "INSERT INTO improvement_plans (id, dealer_id, region_id, state, attributes, \
         baseline_period, check_period, owner, deadline_time, check_due_time, version, \
         create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&plan.id)
    .bind(&plan.dealer_id)
    .bind(&plan.region_id)
    .bind(plan.state.as_str())
    .bind(attributes_json(plan)?)
    .bind(plan.baseline_period.to_string())
    .bind(plan.check_period.to_string())
    .bind(&plan.owner)
    .bind(plan.deadline)
    .bind(plan.check_due_time)
    .bind(plan.meta.version)
    .bind(timestamp::to_micros(plan.meta.create_time))
    .bind(timestamp::to_micros(plan.meta.update_time))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes `plan` over its row if the row is still at `version` and open:
/// false when another writer (a replica's check, a cancel) got there first.
pub async fn update(tx: &mut Tx, plan: &Plan, version: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE improvement_plans SET state = $1, attributes = $2, owner = $3, \
         deadline_time = $4, met = $5, check_time = $6, checked_by = $7, version = $8, \
         update_time = $9 WHERE id = $10 AND version = $11 AND state = 'open'",
    )
    .bind(plan.state.as_str())
    .bind(attributes_json(plan)?)
    .bind(&plan.owner)
    .bind(plan.deadline)
    .bind(plan.met.map(i64::from))
    .bind(plan.check_time)
    .bind(plan.checked_by.as_deref())
    .bind(plan.meta.version)
    .bind(timestamp::to_micros(plan.meta.update_time))
    .bind(&plan.id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Plan>> {
    let row: Option<PlanRow> = sqlx::query_as(plans!(" WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(PlanRow::parse).transpose()
}

/// Plans within `scope`, filtered, newest first (ids are time-ordered),
/// after the page's key.
pub async fn list(
    db: &Db,
    scope: &ListScope,
    dealer_id: &str,
    region_id: &str,
    state: Option<PlanState>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Plan>> {
    let mut query = ListQuery::new(plans!(""), vec![]);
    match scope {
        ListScope::All => {}
        ListScope::Region(r) => {
            query.eq("region_id", r.as_str());
        }
        ListScope::Dealer { dealer_id, .. } => {
            query.eq("dealer_id", dealer_id.as_str());
        }
    }
    query
        .filter("dealer_id", dealer_id)
        .filter("region_id", region_id);
    if let Some(state) = state {
        query.eq("state", state.as_str());
    }
    if let Some(after) = after {
        query.and("id < ?", vec![Arg::Text(after.to_owned())]);
    }
    let rows: Vec<PlanRow> = query.fetch(db.pool(), "id DESC", Some(limit)).await?;
    rows.into_iter().map(PlanRow::parse).collect()
}

/// Up to `limit` open plans whose check is due at `now`, earliest first.
pub async fn due(db: &Db, now: i64, limit: i64) -> Result<Vec<String>> {
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM improvement_plans WHERE state = 'open' AND check_due_time <= $1 \
         ORDER BY check_due_time, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(ids.into_iter().map(|(id,)| id).collect())
}
