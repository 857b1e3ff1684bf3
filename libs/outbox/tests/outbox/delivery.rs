//! An event is sent if and only if its transaction commits, and once; a
//! relay stops cleanly.

use std::time::Duration;

use aftercare_db::{Db, timestamp};
use aftercare_outbox::{DeliveryError, StoredEvent, enqueue, pending_by_destination};

use crate::{both, support::*};

both!(a_rolled_back_event_is_never_sent, |db: Db| async move {
    let deliverer = TestDeliverer::new();
    let relay = spawn(&db, deliverer.clone(), fast());

    let dropped = event("parts", "dropped");
    let mut tx = db.begin().await.unwrap();
    enqueue(&mut tx, &dropped).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM outbox_events").await, 0);
    assert_eq!(pending_by_destination(&db).await.unwrap(), vec![]);

    // A committed event after it is delivered: the relay was running all
    // along and found nothing of the first.
    let sent = event("parts", "sent");
    commit(&db, std::slice::from_ref(&sent)).await;
    eventually("the committed event is delivered", || async {
        deliverer.delivered() == [sent.id.clone()]
    })
    .await;
    relay.stop().await;
    assert_eq!(deliverer.attempts().len(), 1);
});

both!(a_committed_event_is_delivered_once, |db: Db| async move {
    let deliverer = TestDeliverer::new();
    let relay = spawn(&db, deliverer.clone(), fast());
    let first = event("parts", "first");
    commit(&db, std::slice::from_ref(&first)).await;
    eventually("the event is delivered", || async {
        !deliverer.delivered().is_empty()
    })
    .await;
    // Another event delivered later shows the relay kept polling after the
    // first, without sending it again.
    let second = event("parts", "second");
    commit(&db, std::slice::from_ref(&second)).await;
    eventually("the second event is delivered", || async {
        deliverer.delivered().len() == 2
    })
    .await;
    relay.stop().await;

    let attempts = deliverer.attempts();
    assert_eq!(deliverer.delivered(), ids(&[first.clone(), second]));
    let got = &attempts[0].event;
    assert_eq!(
        (
            got.destination.as_str(),
            got.kind.as_str(),
            got.payload.as_slice()
        ),
        ("parts", "test.Body", b"first".as_slice())
    );
    assert_eq!(got.attempts, 0);
    let (attempts, delivered, failed, error) = record(&db, &first.id).await;
    assert_eq!(attempts, 1);
    assert!(delivered.is_some() && failed.is_none() && error.is_none());
    let backlog = pending_by_destination(&db).await.unwrap();
    assert_eq!((backlog[0].pending, backlog[0].failed), (0, 0));
});

both!(
    a_stopped_relay_finishes_its_delivery_and_lets_go,
    |db: Db| async move {
        let events = [event("parts", "1"), event("parts", "2")];
        commit(&db, &events).await;
        // A slow receiver, as a closure, that tells when a call starts.
        let (started, mut calls) = tokio::sync::mpsc::unbounded_channel();
        let slow = move |e: StoredEvent| {
            let started = started.clone();
            async move {
                let _ = started.send(e.id);
                tokio::time::sleep(Duration::from_millis(200)).await;
                Ok::<_, DeliveryError>(())
            }
        };
        let relay = spawn(&db, slow, fast());
        let first = calls.recv().await.unwrap();
        relay.stop().await;

        // The call under way was finished and recorded, no other started,
        // and the destination is free for the next relay at once.
        assert_eq!(first, events[0].id);
        assert!(calls.try_recv().is_err());
        assert!(record(&db, &events[0].id).await.1.is_some());
        assert!(record(&db, &events[1].id).await.1.is_none());
        let lease_until: i64 = sqlx::query_scalar("SELECT lease_until FROM outbox_destinations")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert!(lease_until <= timestamp::now_micros());
    }
);
