//! The scorecard's rows: the versions of its weights, the dealers'
//! assessment snapshots, and the counts it reads from surveys' own tables
//! (a dealer's region).

use aftercare_db::{Db, Tx};
use aftercare_values::Period;

use crate::{
    domain::scorecard::{Weights, WeightsVersion},
    error::{Error, Result},
};

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Internal(Box::new(e)))
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(Box::new(e)))
}

/// Every version set, newest first.
pub async fn weights(db: &Db) -> Result<Vec<WeightsVersion>> {
    let rows: Vec<(i32, String, i64)> = sqlx::query_as(
        "SELECT version, weights, effective_time FROM scorecard_weights ORDER BY version DESC",
    )
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(version, weights, effective_time)| {
            Ok(WeightsVersion {
                version,
                weights: decode(&weights)?,
                effective_time,
            })
        })
        .collect()
}

/// Adds the next version, effective at `at`; answers its number. Two heads
/// of office setting weights at once: the primary key refuses the second
/// (its transaction is retried by the caller).
pub async fn add_weights(tx: &mut Tx, weights: &Weights, at: i64, by: &str) -> Result<i32> {
    let (latest,): (Option<i32>,) = sqlx::query_as("SELECT MAX(version) FROM scorecard_weights")
        .fetch_one(&mut **tx)
        .await?;
    let version = latest.unwrap_or(0) + 1;
    sqlx::query(
        "INSERT INTO scorecard_weights (version, weights, effective_time, set_by) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(version)
    .bind(encode(weights)?)
    .bind(at)
    .bind(by)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        // Two versions set at once both read the same latest one.
        if aftercare_db::errors::is_unique_violation(&e) {
            Error::Aborted("another version of the weights was set at the same time; retry".into())
        } else {
            e.into()
        }
    })?;
    Ok(version)
}

/// The region `dealer` belonged to on its latest day with responses.
pub async fn dealer_region(db: &Db, dealer: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT region_id FROM survey_aggregates WHERE subject_kind = 'dealer' \
         AND subject_id = $1 ORDER BY day DESC LIMIT 1",
    )
    .bind(dealer)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(r,)| r))
}

/// A dealer's assessment snapshot of a period.
#[derive(Debug, Clone, PartialEq, Eq, aftercare_db::FromRow)]
pub struct Assessment {
    pub dealer_id: String,
    pub region_id: String,
    pub composite: Option<i32>,
    pub sample: i64,
    pub weights_version: i32,
    pub missing_parts: i32,
    pub refresh_time: i64,
    /// The parts' scores and missing reasons, as JSON.
    pub scorecard: String,
    /// The dealer's display name (read only; empty when unknown).
    pub name: String,
}

/// Keeps `a` as `period`'s snapshot of its dealer, in place of the one
/// before.
pub async fn save_assessment(db: &Db, period: Period, a: &Assessment) -> Result<()> {
    sqlx::query(
        "INSERT INTO dealer_assessments (period, dealer_id, region_id, composite, sample, \
         weights_version, missing_parts, refresh_time, scorecard) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (period, dealer_id) DO UPDATE SET region_id = excluded.region_id, \
         composite = excluded.composite, sample = excluded.sample, \
         weights_version = excluded.weights_version, missing_parts = excluded.missing_parts, \
         refresh_time = excluded.refresh_time, scorecard = excluded.scorecard \
         WHERE dealer_assessments.refresh_time <= excluded.refresh_time",
    )
    .bind(period.to_string())
    .bind(&a.dealer_id)
    .bind(&a.region_id)
    .bind(a.composite)
    .bind(a.sample)
    .bind(a.weights_version)
    .bind(a.missing_parts)
    .bind(a.refresh_time)
    .bind(&a.scorecard)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The snapshots of `period` (only `region`'s when given), by dealer id.
pub async fn assessments(db: &Db, period: Period, region: Option<&str>) -> Result<Vec<Assessment>> {
    let rows = sqlx::query_as::<_, Assessment>(
        "SELECT a.dealer_id, a.region_id, a.composite, a.sample, a.weights_version, \
         a.missing_parts, a.refresh_time, a.scorecard, COALESCE(m.display_name, '') AS name \
         FROM dealer_assessments a \
         LEFT JOIN survey_members m ON m.kind = 'dealer' AND m.id = a.dealer_id \
         WHERE a.period = $1 AND ($2 = '' OR a.region_id = $2) ORDER BY a.dealer_id",
    )
    .bind(period.to_string())
    .bind(region.unwrap_or(""))
    .fetch_all(db.pool())
    .await?;
    Ok(rows)
}

/// The periods with snapshots.
pub async fn assessed_periods(db: &Db) -> Result<Vec<Period>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT period FROM dealer_assessments")
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().filter_map(|(p,)| p.parse().ok()).collect())
}

/// The dealers to assess in `period`: those with responses in it, and
/// those assessed in it before; each with its region.
pub async fn dealers_to_assess(db: &Db, period: Period) -> Result<Vec<(String, String)>> {
    let (from, to) = super::aggregates::days(period);
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT subject_id, MIN(region_id) FROM survey_aggregates \
         WHERE subject_kind = 'dealer' AND day >= $1 AND day < $2 GROUP BY subject_id \
         UNION SELECT dealer_id, region_id FROM dealer_assessments WHERE period = $3",
    )
    .bind(from)
    .bind(to)
    .bind(period.to_string())
    .fetch_all(db.pool())
    .await?;
    // A dealer both assessed and answered: its responses' region.
    let mut dealers: std::collections::BTreeMap<String, String> = Default::default();
    for (dealer, region) in rows {
        dealers.entry(dealer).or_insert(region);
    }
    Ok(dealers.into_iter().collect())
}
