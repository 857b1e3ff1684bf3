//! What the league tables are computed from: a period's day aggregates
//! summed per dealer or station (within a region for a regional table),
//! and the network's sums for the prior (`docs/scoring.md` §4); each member
//! with its display name, as the delivered-RO events told it.

use aftercare_db::Db;
use aftercare_values::Period;

use crate::{
    domain::aggregate::Aggregate,
    error::Result,
    store::{
        aggregates::{Sums, days, sums},
        members::MemberKind,
    },
};

/// One member's sums over a period, from its rows of one region (a member
/// that changed region within the period has a row for each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSums {
    pub member: String,
    /// The member's dealer (itself for a dealer), as its rows say (the least
    /// of them, should they differ within the period).
    pub dealer_id: String,
    pub region_id: String,
    /// Its display name; empty when no event has named it.
    pub name: String,
    pub sums: Aggregate,
}

/// A member's sums over one month (`YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthSums {
    pub kind: MemberKind,
    pub month: String,
    pub sums: MemberSums,
}

/// A member's (or the network's) summed rows.
#[derive(aftercare_db::FromRow)]
struct SumsRow {
    subject_id: String,
    dealer_id: String,
    region_id: String,
    name: String,
    #[sqlx(flatten)]
    sums: Sums,
}

impl From<SumsRow> for MemberSums {
    fn from(r: SumsRow) -> Self {
        MemberSums {
            sums: r.sums.aggregate(),
            member: r.subject_id,
            dealer_id: r.dealer_id,
            region_id: r.region_id,
            name: r.name,
        }
    }
}

#[derive(aftercare_db::FromRow)]
struct MonthRow {
    subject_kind: String,
    month: String,
    #[sqlx(flatten)]
    sums: SumsRow,
}

// Each query sums the day rows per member (and region, and month), then
// names the members: a join after the grouping, with one row per member.

const MEMBERS: &str = concat!(
    "SELECT g.*, COALESCE(m.display_name, '') AS name FROM (",
    "SELECT subject_id, MIN(dealer_id) AS dealer_id, region_id, ",
    sums!(),
    " FROM survey_aggregates WHERE subject_kind = $1 AND day >= $2 AND day < $3 \
     GROUP BY subject_id, region_id) g \
     LEFT JOIN survey_members m ON m.kind = $1 AND m.id = g.subject_id"
);

const MEMBERS_OF_REGION: &str = concat!(
    "SELECT g.*, COALESCE(m.display_name, '') AS name FROM (",
    "SELECT subject_id, MIN(dealer_id) AS dealer_id, region_id, ",
    sums!(),
    " FROM survey_aggregates WHERE subject_kind = $1 AND day >= $2 AND day < $3 \
     AND region_id = $4 GROUP BY subject_id, region_id) g \
     LEFT JOIN survey_members m ON m.kind = $1 AND m.id = g.subject_id"
);

const MONTHS_OF_MEMBER: &str = concat!(
    "SELECT g.*, COALESCE(m.display_name, '') AS name FROM (",
    "SELECT subject_kind, SUBSTR(day, 1, 7) AS month, subject_id, MIN(dealer_id) AS dealer_id, \
     region_id, ",
    sums!(),
    " FROM survey_aggregates WHERE ((subject_kind = 'dealer' AND subject_id = $1) \
     OR (subject_kind = 'station' AND subject_id = $2)) AND day >= $3 AND day < $4 \
     GROUP BY subject_kind, subject_id, region_id, SUBSTR(day, 1, 7)) g \
     LEFT JOIN survey_members m ON m.kind = g.subject_kind AND m.id = g.subject_id"
);

const NETWORK: &str = concat!(
    "SELECT '' AS subject_id, '' AS dealer_id, '' AS region_id, '' AS name, ",
    sums!(),
    " FROM survey_aggregates WHERE subject_kind = 'dealer' AND day >= $1 AND day < $2"
);

/// Each member's sums over `period`, per member id and region; only the
/// rows of `region` when given.
pub(super) async fn members(
    db: &Db,
    kind: MemberKind,
    region: Option<&str>,
    period: Period,
) -> Result<Vec<MemberSums>> {
    let (from, to) = days(period);
    let sql = if region.is_some() {
        MEMBERS_OF_REGION
    } else {
        MEMBERS
    };
    let mut query = sqlx::query_as::<_, SumsRow>(sql)
        .bind(kind.as_str())
        .bind(from)
        .bind(to);
    if let Some(region) = region {
        query = query.bind(region);
    }
    let rows = query.fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(MemberSums::from).collect())
}

/// A dealer's and a station's sums per month and region of `year` (what
/// a response moves, in one read).
pub(super) async fn member_months(
    db: &Db,
    dealer: &str,
    station: &str,
    year: Period,
) -> Result<Vec<MonthSums>> {
    let (from, to) = days(year);
    let rows: Vec<MonthRow> = sqlx::query_as(MONTHS_OF_MEMBER)
        .bind(dealer)
        .bind(station)
        .bind(from)
        .bind(to)
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| MonthSums {
            kind: match r.subject_kind.as_str() {
                "dealer" => MemberKind::Dealer,
                _ => MemberKind::Station,
            },
            month: r.month,
            sums: r.sums.into(),
        })
        .collect())
}

/// The whole network's sums over `period` (the prior of the next
/// period's tables).
pub(super) async fn network(db: &Db, period: Period) -> Result<Aggregate> {
    let (from, to) = days(period);
    let row: Option<SumsRow> = sqlx::query_as(NETWORK)
        .bind(from)
        .bind(to)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|r| r.sums.aggregate()).unwrap_or_default())
}

/// Whether `period` has responses (and so, once built, tables).
pub(super) async fn has_responses(db: &Db, period: Period) -> Result<bool> {
    let (from, to) = days(period);
    let found: Option<(i32,)> = sqlx::query_as(
        "SELECT 1 FROM survey_aggregates \
             WHERE subject_kind = 'dealer' AND day >= $1 AND day < $2 LIMIT 1",
    )
    .bind(from)
    .bind(to)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

/// The months with responses, ascending (`YYYY-MM`).
pub(super) async fn months(db: &Db) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT SUBSTR(day, 1, 7) AS month FROM survey_aggregates \
             WHERE subject_kind = 'dealer' ORDER BY month",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(m,)| m).collect())
}
