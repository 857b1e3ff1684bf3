use std::sync::atomic::{AtomicI64, Ordering};

use aftercare_db::{Tx, timestamp};

use crate::event::{Event, encode_payload};

/// Writes `event` into the outbox in `tx`, the caller's transaction: the
/// event is sent if and only if `tx` commits. An id already in the outbox is
/// a unique violation.
pub async fn enqueue(tx: &mut Tx, event: &Event) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox_destinations (destination, next_attempt_time, lease_until) \
         VALUES ($1, 0, 0) ON CONFLICT DO NOTHING",
    )
    .bind(&event.destination)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO outbox_events (event_id, destination, kind, payload, create_time, attempts) \
         VALUES ($1, $2, $3, $4, $5, 0)",
    )
    .bind(&event.id)
    .bind(&event.destination)
    .bind(&event.kind)
    .bind(encode_payload(&event.payload))
    .bind(create_time())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The time an event is written, strictly increasing in this process: the
/// relay delivers by it, so two events of one transaction (written within
/// the same microsecond, or across a clock step back) keep their order.
fn create_time() -> i64 {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let now = timestamp::now_micros();
    let previous = LAST
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| {
            Some(now.max(last + 1))
        })
        .unwrap_or_else(|last| last);
    now.max(previous + 1)
}

#[cfg(test)]
mod tests {
    use super::create_time;

    #[test]
    fn create_times_strictly_increase() {
        let times: Vec<i64> = (0..1000).map(|_| create_time()).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]));
    }
}
