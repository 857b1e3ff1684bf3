//! What must hold in the stores after a fault, read by SQL straight from
//! PostgreSQL: nothing half-written, nothing acknowledged and lost.
//!
//! - parts: each stock row equals its ledger (its last movement's balances,
//!   as many movements as its sequence says) and its open reservations;
//! - costs: each claim's amount equals the sum of its lines;
//! - surveys: the dealers' aggregates count every stored response once.

use std::fmt;

use aftercare_db::{Db, sqlx};

use super::cluster::{Cluster, Service};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invariants {
    /// The services whose stores were read; the others' figures are 0.
    pub checked: Vec<Service>,
    pub stock_rows: i64,
    /// Stock rows that differ from their ledger or reservations.
    pub stock_rows_off: i64,
    /// Reservations issued (one unit each in the runs).
    pub issued: i64,
    /// On hand now, and received less issued.
    pub on_hand: i64,
    pub claims: i64,
    /// Claims whose amount is not the sum of their lines.
    pub claims_off: i64,
    pub responses: i64,
    /// The responses the dealer aggregates count.
    pub aggregated: i64,
}

impl Invariants {
    /// Every invariant holds, the on-hand quantity being `received` less
    /// what was issued.
    pub fn hold(&self, received: i64) -> bool {
        self.stock_rows_off == 0
            && self.claims_off == 0
            && self.responses == self.aggregated
            && (self.stock_rows == 0 || self.on_hand == received - self.issued)
    }
}

impl fmt::Display for Invariants {
    /// A line for each service read.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines = Vec::new();
        if self.checked.contains(&Service::Parts) {
            lines.push(format!(
                "parts: {} stock rows, {} off their ledger; {} reservations issued, {} on hand",
                self.stock_rows, self.stock_rows_off, self.issued, self.on_hand
            ));
        }
        if self.checked.contains(&Service::Costs) {
            lines.push(format!(
                "costs: {} claims, {} off the sum of their lines",
                self.claims, self.claims_off
            ));
        }
        if self.checked.contains(&Service::Surveys) {
            lines.push(format!(
                "surveys: {} responses stored, {} counted in the dealers' aggregates",
                self.responses, self.aggregated
            ));
        }
        write!(f, "{}", lines.join("\n"))
    }
}

/// Reads the invariants of the services whose databases `cluster` has
/// migrated among parts, costs and surveys.
pub async fn check(cluster: &Cluster, services: &[Service]) -> anyhow::Result<Invariants> {
    let mut found = Invariants {
        checked: services.to_vec(),
        ..Invariants::default()
    };
    if services.contains(&Service::Parts) {
        let db = cluster.database(Service::Parts).await?;
        parts(&db, &mut found).await?;
        db.close().await;
    }
    if services.contains(&Service::Costs) {
        let db = cluster.database(Service::Costs).await?;
        costs(&db, &mut found).await?;
        db.close().await;
    }
    if services.contains(&Service::Surveys) {
        let db = cluster.database(Service::Surveys).await?;
        surveys(&db, &mut found).await?;
        db.close().await;
    }
    Ok(found)
}

async fn parts(db: &Db, found: &mut Invariants) -> anyhow::Result<()> {
    (found.stock_rows, found.stock_rows_off, found.on_hand) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), \
                CAST(COUNT(*) FILTER (WHERE NOT ok) AS BIGINT), \
                CAST(COALESCE(SUM(on_hand), 0) AS BIGINT) \
         FROM (SELECT s.on_hand, \
                      s.on_hand = m.on_hand_after AND s.reserved = m.reserved_after \
                      AND s.last_sequence = (SELECT COUNT(*) FROM stock_movements x \
                          WHERE x.warehouse_id = s.warehouse_id \
                            AND x.part_number = s.part_number) \
                      AND s.reserved = (SELECT COALESCE(SUM(r.quantity), 0) FROM reservations r \
                          WHERE r.warehouse_id = s.warehouse_id \
                            AND r.part_number = s.part_number AND r.state = 'reserved') AS ok \
               FROM stock s LEFT JOIN stock_movements m \
                 ON m.warehouse_id = s.warehouse_id AND m.part_number = s.part_number \
                AND m.sequence = s.last_sequence) AS rows",
    )
    .fetch_one(db.pool())
    .await?;
    (found.issued,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM reservations \
         WHERE state = 'issued'",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(())
}

async fn costs(db: &Db, found: &mut Invariants) -> anyhow::Result<()> {
    (found.claims, found.claims_off) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), \
                CAST(COUNT(*) FILTER (WHERE c.claimed <> (\
                    SELECT COALESCE(SUM(CAST(l ->> 'claimed' AS BIGINT)), 0) \
                    FROM jsonb_array_elements(CAST(c.body AS jsonb) -> 'lines') AS l)) AS BIGINT) \
         FROM warranty_claims c",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(())
}

async fn surveys(db: &Db, found: &mut Invariants) -> anyhow::Result<()> {
    (found.responses,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM survey_responses")
        .fetch_one(db.pool())
        .await?;
    (found.aggregated,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(responses), 0) AS BIGINT) FROM survey_aggregates \
         WHERE subject_kind = 'dealer'",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(())
}
