//! Where each station sits, as the dealers service last told.

use aftercare_db::Tx;
use sqlx::AnyConnection;

use crate::{domain::scope::Place, error::Result};

/// Records (or corrects) where a station sits.
pub(crate) async fn remember(tx: &mut Tx, place: &Place) -> Result<()> {
    sqlx::query(
        "INSERT INTO places (station_id, dealer_id, region_id) VALUES ($1, $2, $3) \
         ON CONFLICT (station_id) DO UPDATE SET dealer_id = excluded.dealer_id, \
         region_id = excluded.region_id",
    )
    .bind(&place.station_id)
    .bind(&place.dealer_id)
    .bind(&place.region_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Where `station_id` sits, if the service heard of it.
pub(crate) async fn station(conn: &mut AnyConnection, station_id: &str) -> Result<Option<Place>> {
    first(conn, "station_id", station_id).await
}

/// A station of `dealer_id`, to tell the dealer's region.
pub(crate) async fn dealer(conn: &mut AnyConnection, dealer_id: &str) -> Result<Option<Place>> {
    first(conn, "dealer_id", dealer_id).await
}

/// The first place whose `column` (a constant of this file) is `value`.
async fn first(conn: &mut AnyConnection, column: &str, value: &str) -> Result<Option<Place>> {
    let row: Option<(String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT station_id, dealer_id, region_id FROM places WHERE {column} = $1 LIMIT 1"
    )))
    .bind(value)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(station_id, dealer_id, region_id)| Place {
        station_id,
        dealer_id,
        region_id,
    }))
}
