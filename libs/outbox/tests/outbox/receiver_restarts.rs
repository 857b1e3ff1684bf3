//! The receiver killed and restarted again and again during a burst of
//! events: every event is applied exactly once.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use aftercare_db::Db;
use aftercare_outbox::{Backoff, Event, RelaySettings, pending_by_destination};
use aftercare_proto::echo::v1::EchoRequest;
use prost::Message;

use crate::{
    both,
    receiver::{Moment, Receiver, ToReceiver},
    support::*,
};

/// Events in the burst, at least: it goes on until the kills are over.
const EVENTS: usize = 500;
const PER_TRANSACTION: usize = 10;
const KILLS: usize = 6;

both!(
    every_event_is_applied_once_across_receiver_restarts,
    |db: Db| async move {
        let mut receiver = Receiver::start(db.backend()).await;
        let relay = spawn(
            &db,
            ToReceiver::new(receiver.addr()),
            RelaySettings {
                backoff: Backoff {
                    base: Duration::from_millis(10),
                    cap: Duration::from_millis(100),
                },
                ..fast()
            },
        );

        // The burst: a transaction of events every 20 ms.
        let kills_done = Arc::new(AtomicBool::new(false));
        let burst = tokio::spawn({
            let db = db.clone();
            let kills_done = kills_done.clone();
            async move {
                let mut sent = HashMap::new();
                while sent.len() < EVENTS || !kills_done.load(Ordering::Relaxed) {
                    let events: Vec<Event> = (0..PER_TRANSACTION)
                        .map(|_| {
                            let body = format!("body {}", sent.len());
                            let payload = EchoRequest {
                                payload: body.clone().into_bytes(),
                            };
                            let event =
                                Event::new("receiver", "echo.Echo", payload.encode_to_vec());
                            sent.insert(event.id.clone(), body);
                            event
                        })
                        .collect();
                    commit(&db, &events).await;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                sent
            }
        });
        // Meanwhile the receiver dies in the middle of calls, by turns
        // before and after it commits, and comes back a little later.
        for kill in 0..KILLS {
            let moment = if kill % 2 == 0 {
                Moment::Committed
            } else {
                Moment::InTransaction
            };
            receiver.kill_at(moment).await;
            tokio::time::sleep(Duration::from_millis(50)).await;
            receiver.restart().await;
        }
        kills_done.store(true, Ordering::Relaxed);
        let sent = burst.await.expect("the burst is sent");

        eventually("the outbox is empty", || async {
            pending_by_destination(&db)
                .await
                .unwrap()
                .iter()
                .all(|b| b.pending == 0 && b.failed == 0)
        })
        .await;
        relay.stop().await;

        let applied = receiver.applied().await;
        receiver.kill().await;
        let distinct: HashSet<&String> = applied.iter().map(|(id, _)| id).collect();
        assert_eq!(distinct.len(), applied.len(), "an event was applied twice");
        assert_eq!(applied.len(), sent.len(), "an event was lost");
        for (id, body) in &applied {
            assert_eq!(
                sent.get(id),
                Some(body),
                "event {id} applied with another body"
            );
        }
        // Each event whose answer was lost after the commit came again, and
        // was not applied again.
        assert!(receiver.duplicates() >= KILLS / 2);
        let inbox = count(
            &db,
            "SELECT COUNT(*) FROM outbox_events WHERE delivered_time IS NULL",
        )
        .await;
        assert_eq!(inbox, 0);
        eprintln!(
            "{} events applied once; {} duplicate deliveries skipped",
            sent.len(),
            receiver.duplicates()
        );
    }
);
