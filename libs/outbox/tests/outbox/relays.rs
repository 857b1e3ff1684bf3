//! Several relays on one outbox (several processes of one service).

use aftercare_db::Db;
use aftercare_outbox::{Event, RelaySettings};

use crate::{both, support::*};

both!(
    two_relays_share_the_outbox_without_sending_an_event_twice,
    |db: Db| async move {
        const DESTINATIONS: [&str; 4] = ["dealers", "parts", "surveys", "costs"];
        let events: Vec<Event> = (0..160)
            .map(|i| event(DESTINATIONS[i % 4], &i.to_string()))
            .collect();
        for chunk in events.chunks(10) {
            commit(&db, chunk).await;
        }
        // One deliverer sees both relays' calls, in the order they are made.
        let deliverer = TestDeliverer::new();
        // Small batches: the destinations change hands often.
        let settings = RelaySettings {
            batch_size: 5,
            ..fast()
        };
        let a = spawn(&db, deliverer.clone(), settings.clone());
        let b = spawn(&db, deliverer.clone(), settings);
        eventually("every event is delivered", || async {
            deliverer.delivered().len() >= events.len()
        })
        .await;
        a.stop().await;
        b.stop().await;

        let attempts = deliverer.attempts();
        assert_eq!(attempts.len(), events.len(), "an event was sent twice");
        for destination in DESTINATIONS {
            let sent: Vec<&String> = events
                .iter()
                .filter(|e| e.destination == destination)
                .map(|e| &e.id)
                .collect();
            let delivered: Vec<&String> = attempts
                .iter()
                .filter(|a| a.event.destination == destination)
                .map(|a| &a.event.id)
                .collect();
            assert_eq!(delivered, sent, "{destination} out of order");
        }
    }
);
