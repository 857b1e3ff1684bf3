use aftercare_db::{Tx, timestamp};

/// Records that the receiver applies event `event_id`, in `tx`, the
/// transaction of the change the event causes. `true`: first time, make the
/// change and commit; `false`: applied before, skip the change and answer OK
/// (the sender's relay retried after a lost answer).
///
/// A concurrent duplicate waits for the first one's transaction (on the
/// primary key in PostgreSQL; SQLite write transactions queue) and then sees
/// its row, or inserts its own if the first rolled back.
pub async fn apply_once(tx: &mut Tx, event_id: &str) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO inbox_events (event_id, apply_time) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(event_id)
    .bind(timestamp::now_micros())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}
