//! The responses' archive (migration 0013): the oldest responses and their
//! items moved out of the live tables, a batch per short transaction.

use aftercare_db::Db;
use sqlx::AssertSqlSafe;

const RESPONSE_COLUMNS: &str = "id, invitation_id, channel, agent, answers, submit_time, \
     service_index, unweighted_gap, weighted_gap, top_two_box, nps_class, low_score";
const ITEM_COLUMNS: &str = "response_id, position, item, dimension, expectation, perception";

/// Moves at most `limit` responses submitted before `before`, oldest
/// first, with their items, into the archive. Returns how many.
///
/// The ids are read first and every statement names them: a replica
/// sweeping at the same time moves the same rows or none of them, never a
/// response without its items (the archive's inserts skip what the other
/// moved first).
pub async fn archive_responses(db: &Db, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM survey_responses WHERE submit_time < $1 ORDER BY submit_time, id LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let params: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let ids_in = params.join(", ");
    let statements = [
        format!(
            "INSERT INTO survey_response_items_archive ({ITEM_COLUMNS}) SELECT {ITEM_COLUMNS} \
             FROM survey_response_items WHERE response_id IN ({ids_in}) ON CONFLICT DO NOTHING"
        ),
        format!(
            "INSERT INTO survey_responses_archive ({RESPONSE_COLUMNS}) SELECT {RESPONSE_COLUMNS} \
             FROM survey_responses WHERE id IN ({ids_in}) ON CONFLICT DO NOTHING"
        ),
        format!("DELETE FROM survey_response_items WHERE response_id IN ({ids_in})"),
        format!("DELETE FROM survey_responses WHERE id IN ({ids_in})"),
    ];
    let mut moved = 0;
    for sql in statements {
        // Only placeholders go into the text; the ids are bound.
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for id in &ids {
            query = query.bind(id.clone());
        }
        moved = query.execute(&mut *tx).await?.rows_affected();
    }
    tx.commit().await?;
    Ok(moved)
}
