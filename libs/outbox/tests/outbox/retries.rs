//! Failed deliveries: retried with back-off while they may pass, set aside
//! when the receiver refuses them for good.

use std::time::Duration;

use aftercare_db::Db;
use aftercare_outbox::{Backoff, RelaySettings, pending_by_destination, requeue_failed};

use crate::{both, support::*};

both!(
    a_failing_delivery_is_retried_with_growing_back_off,
    |db: Db| async move {
        const FAILURES: usize = 3;
        let backoff = Backoff {
            base: Duration::from_millis(40),
            cap: Duration::from_secs(1),
        };
        let deliverer = TestDeliverer::new();
        deliverer.fail_next(FAILURES);
        let events = [event("parts", "first"), event("parts", "second")];
        commit(&db, &events).await;
        let relay = spawn(&db, deliverer.clone(), RelaySettings { backoff, ..fast() });
        eventually("both events are delivered", || async {
            deliverer.delivered().len() == 2
        })
        .await;
        relay.stop().await;

        // The first is tried until it passes; the second waits behind it.
        let attempts = deliverer.attempts();
        let tried: Vec<&str> = attempts.iter().map(|a| a.event.id.as_str()).collect();
        let (first, second) = (events[0].id.as_str(), events[1].id.as_str());
        assert_eq!(tried, [first, first, first, first, second]);
        assert!(attempts[..FAILURES].iter().all(|a| a.outcome.is_err()));
        assert!(attempts[FAILURES..].iter().all(|a| a.outcome.is_ok()));
        // Each wait is at least half its ceiling, which doubles.
        for (n, pair) in attempts[..=FAILURES].windows(2).enumerate() {
            let waited = pair[1].time - pair[0].time;
            let floor = backoff.ceiling(n as i64 + 1) / 2;
            assert!(
                waited >= floor,
                "wait {} was {waited:?}, below {floor:?}",
                n + 1
            );
        }
        let (tries, delivered, _, error) = record(&db, first).await;
        assert_eq!(tries, FAILURES as i64 + 1);
        assert!(delivered.is_some());
        assert_eq!(error.as_deref(), Some("failing as told"));
    }
);

both!(
    a_refused_event_is_set_aside_and_the_queue_moves_on,
    |db: Db| async move {
        let deliverer = TestDeliverer::new();
        let events = [
            event("parts", "first"),
            event("parts", "refused"),
            event("parts", "third"),
        ];
        deliverer.refuse(&events[1].id);
        commit(&db, &events).await;
        let relay = spawn(&db, deliverer.clone(), fast());
        eventually("the others are delivered", || async {
            deliverer.delivered().len() == 2
        })
        .await;
        assert_eq!(
            deliverer.delivered(),
            ids(&[events[0].clone(), events[2].clone()])
        );
        // The receiver answers before the relay records the outcome.
        eventually("the outbox shows one set aside, none waiting", || async {
            let backlog = pending_by_destination(&db).await.unwrap();
            (backlog[0].pending, backlog[0].failed) == (0, 1)
        })
        .await;
        let (tries, delivered, failed, error) = record(&db, &events[1].id).await;
        assert_eq!((tries, delivered), (1, None));
        assert!(failed.is_some());
        assert!(error.unwrap().contains("refused"));

        // Once the receiver is fixed, an operator puts it back.
        deliverer.accept(&events[1].id);
        assert_eq!(requeue_failed(&db, "parts").await.unwrap(), 1);
        eventually("the requeued event is delivered", || async {
            deliverer.delivered().len() == 3
        })
        .await;
        relay.stop().await;
        assert_eq!(deliverer.delivered()[2], events[1].id);
        let backlog = pending_by_destination(&db).await.unwrap();
        assert_eq!((backlog[0].pending, backlog[0].failed), (0, 0));
    }
);
