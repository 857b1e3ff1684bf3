//! Warranty claims: one row each, the claim as a whole in `body` (JSON) and
//! beside it the columns lists filter on and the duplicate check searches.

use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
};
use sqlx::AnyConnection;

use crate::{
    domain::claims::{ApprovalLevel, Claim, ClaimState},
    error::{Error, Result},
    store::corrupt,
};

/// What a list of claims is narrowed to: the request's filters and what the
/// caller may see, each empty when it narrows nothing.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClaimFilter {
    pub dealer_ids: Vec<String>,
    pub region_ids: Vec<String>,
    /// Only claims of these stations (a dealer's staff bound to some).
    pub station_ids: Option<Vec<String>>,
    pub state: Option<ClaimState>,
    pub approval_level: Option<ApprovalLevel>,
}

fn body(claim: &Claim) -> Result<String> {
    serde_json::to_string(claim).map_err(|e| Error::Internal(Box::new(e)))
}

/// Stores a new claim.
pub(crate) async fn insert(tx: &mut Tx, claim: &Claim) -> Result<()> {
    sqlx::query(
        "INSERT INTO warranty_claims (id, repair_order_id, station_id, dealer_id, region_id, vin, \
         causal_part_number, arrival_time, state, approval_level, claimed, approved, body, version, \
         create_time, update_time) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(&claim.id)
    .bind(&claim.repair_order_id)
    .bind(&claim.place.station_id)
    .bind(&claim.place.dealer_id)
    .bind(&claim.place.region_id)
    .bind(&claim.vin)
    .bind(&claim.causal_part_number)
    .bind(claim.arrival_time)
    .bind(claim.state.as_str())
    .bind(claim.approval_level.as_str())
    .bind(claim.claimed)
    .bind(claim.approved)
    .bind(body(claim)?)
    .bind(claim.version)
    .bind(claim.create_time)
    .bind(claim.update_time)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes `claim` over the version `read_version` it was read at; false
/// when the row has moved on since (a concurrent change).
pub(crate) async fn update(tx: &mut Tx, claim: &Claim, read_version: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE warranty_claims SET vin = $1, causal_part_number = $2, state = $3, \
         approval_level = $4, claimed = $5, approved = $6, body = $7, version = $8, \
         update_time = $9 WHERE id = $10 AND version = $11",
    )
    .bind(&claim.vin)
    .bind(&claim.causal_part_number)
    .bind(claim.state.as_str())
    .bind(claim.approval_level.as_str())
    .bind(claim.claimed)
    .bind(claim.approved)
    .bind(body(claim)?)
    .bind(claim.version)
    .bind(claim.update_time)
    .bind(&claim.id)
    .bind(read_version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

fn parse(id: &str, body: &str) -> Result<Claim> {
    serde_json::from_str(body).map_err(|e| corrupt(format!("stored claim {id}: {e}")))
}

/// The claim `id`, if there is one.
pub(crate) async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<Claim>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT body FROM warranty_claims WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|(b,)| parse(id, &b)).transpose()
}

/// The claims, other than `except_id` and not rejected, for `vin` and
/// `part_number` whose RO arrived between `from` and `to` (micros,
/// inclusive).
pub(crate) async fn duplicates(
    conn: &mut AnyConnection,
    vin: &str,
    part_number: &str,
    (from, to): (i64, i64),
    except_id: &str,
) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM warranty_claims WHERE vin = $1 AND causal_part_number = $2 \
         AND arrival_time >= $3 AND arrival_time <= $4 AND id <> $5 AND state <> 'rejected' \
         ORDER BY id",
    )
    .bind(vin)
    .bind(part_number)
    .bind(from)
    .bind(to)
    .bind(except_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Claims `filter` lets through, newest first (then by id, descending),
/// after the claim `after` names by its create time and id.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    filter: &ClaimFilter,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<Claim>> {
    let mut query = ListQuery::new("SELECT id, body FROM warranty_claims", vec![]);
    for dealer in &filter.dealer_ids {
        query.eq("dealer_id", dealer.as_str());
    }
    for region in &filter.region_ids {
        query.eq("region_id", region.as_str());
    }
    if let Some(stations) = &filter.station_ids {
        query.any_of("station_id", stations);
    }
    if let Some(state) = filter.state {
        query.eq("state", state.as_str());
    }
    if let Some(level) = filter.approval_level {
        query.eq("approval_level", level.as_str());
    }
    if let Some((time, id)) = after {
        query.and(
            "create_time < ? OR (create_time = ? AND id < ?)",
            vec![Arg::Int(time), Arg::Int(time), Arg::Text(id)],
        );
    }
    let rows: Vec<(String, String)> = query
        .fetch(&mut *conn, "create_time DESC, id DESC", Some(limit))
        .await?;
    rows.iter().map(|(id, b)| parse(id, b)).collect()
}
