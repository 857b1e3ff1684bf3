//! What the league tables are computed from: a period's day aggregates
//! summed per dealer or station (within a region for a regional table),
//! and the network's sums for the prior (`docs/scoring.md` §4); and the
//! members' display names, as the delivered-RO events told them.

use std::collections::HashMap;

use aftercare_values::Period;

use super::{
    Store,
    aggregates::{Sums, days, local_day, sums},
};
use crate::{domain::aggregate::Aggregate, error::Result};

/// Dealers or stations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    Dealer,
    Station,
}

impl MemberKind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            MemberKind::Dealer => "dealer",
            MemberKind::Station => "station",
        }
    }
}

/// One member's sums over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSums {
    pub member: String,
    /// The member's dealer (itself for a dealer) and region, as its rows
    /// say (the least of them, should they differ within the period).
    pub dealer_id: String,
    pub region_id: String,
    pub sums: Aggregate,
}

/// A member's (or the network's) summed rows.
#[derive(sqlx::FromRow)]
struct SumsRow {
    subject_id: String,
    dealer_id: String,
    region_id: String,
    #[sqlx(flatten)]
    sums: Sums,
}

const MEMBERS: &str = concat!(
    "SELECT subject_id, MIN(dealer_id) AS dealer_id, MIN(region_id) AS region_id, ",
    sums!(),
    " FROM survey_aggregates WHERE subject_kind = $1 AND day >= $2 AND day < $3 \
     GROUP BY subject_id ORDER BY subject_id"
);

const MEMBERS_OF_REGION: &str = concat!(
    "SELECT subject_id, MIN(dealer_id) AS dealer_id, MIN(region_id) AS region_id, ",
    sums!(),
    " FROM survey_aggregates WHERE subject_kind = $1 AND day >= $2 AND day < $3 \
     AND region_id = $4 GROUP BY subject_id ORDER BY subject_id"
);

const NETWORK: &str = concat!(
    "SELECT '' AS subject_id, '' AS dealer_id, '' AS region_id, ",
    sums!(),
    " FROM survey_aggregates WHERE subject_kind = 'dealer' AND day >= $1 AND day < $2"
);

const NAMES: &str = "SELECT id, display_name FROM survey_members WHERE kind = $1 AND id IN \
     (SELECT subject_id FROM survey_aggregates WHERE subject_kind = $2 AND day >= $3 AND day < $4)";

const NAMES_OF_REGION: &str = "SELECT id, display_name FROM survey_members WHERE kind = $1 AND id IN \
     (SELECT subject_id FROM survey_aggregates WHERE subject_kind = $2 AND day >= $3 AND day < $4 \
     AND region_id = $5)";

impl Store {
    /// Each member's sums over `period`, by member id; only the rows of
    /// `region` when given.
    pub async fn league_members(
        &self,
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
        let rows = query.fetch_all(self.db.pool()).await?;
        Ok(rows
            .into_iter()
            .map(|r| MemberSums {
                sums: r.sums.aggregate(),
                member: r.subject_id,
                dealer_id: r.dealer_id,
                region_id: r.region_id,
            })
            .collect())
    }

    /// The display names of the members with rows in `period` (of `region`
    /// when given), by id; a member no event has named is left out.
    pub async fn member_names(
        &self,
        kind: MemberKind,
        region: Option<&str>,
        period: Period,
    ) -> Result<HashMap<String, String>> {
        let (from, to) = days(period);
        let sql = if region.is_some() {
            NAMES_OF_REGION
        } else {
            NAMES
        };
        let mut query = sqlx::query_as::<_, (String, String)>(sql)
            .bind(kind.as_str())
            .bind(kind.as_str())
            .bind(from)
            .bind(to);
        if let Some(region) = region {
            query = query.bind(region);
        }
        Ok(query.fetch_all(self.db.pool()).await?.into_iter().collect())
    }

    /// The whole network's sums over `period` (the prior of the next
    /// period's tables).
    pub async fn league_network(&self, period: Period) -> Result<Aggregate> {
        let (from, to) = days(period);
        let row: Option<SumsRow> = sqlx::query_as(NETWORK)
            .bind(from)
            .bind(to)
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.map(|r| r.sums.aggregate()).unwrap_or_default())
    }

    /// The regions with responses in `period`, ascending.
    pub async fn league_regions(&self, period: Period) -> Result<Vec<String>> {
        let (from, to) = days(period);
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT region_id FROM survey_aggregates WHERE subject_kind = 'dealer' \
             AND day >= $1 AND day < $2 AND region_id <> '' ORDER BY region_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(|(r,)| r).collect())
    }

    /// The months with responses, ascending (`YYYY-MM`).
    pub async fn league_months(&self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT SUBSTR(day, 1, 7) AS month FROM survey_aggregates \
             WHERE subject_kind = 'dealer' ORDER BY month",
        )
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(|(m,)| m).collect())
    }

    /// The day in the OEM's time zone of an RO delivered at `micros`.
    pub fn delivery_day(&self, micros: i64) -> time::Date {
        local_day(micros, self.rules.oem_offset)
    }
}
