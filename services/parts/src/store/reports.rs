//! The counts the first-time fill rate is made of.

use aftercare_db::Db;

use crate::error::Result;

/// How many lines were asked between `from` and `to` (micros), and how many
/// of them were served from stock at once; of a dealer and of a region when
/// given.
pub(crate) async fn lines_served(
    db: &Db,
    from: i64,
    to: i64,
    dealer: Option<&str>,
    region: Option<&str>,
) -> Result<(i64, i64)> {
    let mut sql = String::from(
        "SELECT COUNT(*), CAST(COALESCE(SUM(served_at_once), 0) AS BIGINT) FROM reservations \
         WHERE create_time >= $1 AND create_time < $2",
    );
    let mut args = vec![];
    for (column, value) in [("dealer_id", dealer), ("region_id", region)] {
        if let Some(v) = value {
            args.push(v);
            sql.push_str(&format!(" AND {column} = ${}", args.len() + 2));
        }
    }
    let mut query = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql))
        .bind(from)
        .bind(to);
    for a in args {
        query = query.bind(a);
    }
    Ok(query.fetch_one(db.pool()).await?)
}
