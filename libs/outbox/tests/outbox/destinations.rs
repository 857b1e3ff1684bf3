//! A destination that is down keeps its events, in the metrics too, while
//! the others' are delivered.

use aftercare_db::Db;
use aftercare_outbox::pending_by_destination;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::{both, support::*};

both!(
    a_destination_that_is_down_keeps_its_events_waiting,
    |db: Db| async move {
        let metrics = aftercare_telemetry::install_recorder().unwrap();
        // Unique per store, in case both run in one process.
        let down = format!("surveys-{:?}", db.backend());
        let up = format!("costs-{:?}", db.backend());
        let deliverer = TestDeliverer::new();
        deliverer.set_down(&down);
        let to_down = [event(&down, "1"), event(&down, "2"), event(&down, "3")];
        let to_up = [event(&up, "a"), event(&up, "b")];
        commit(
            &db,
            &[
                to_down[0].clone(),
                to_up[0].clone(),
                to_down[1].clone(),
                to_up[1].clone(),
                to_down[2].clone(),
            ],
        )
        .await;
        let relay = spawn(&db, deliverer.clone(), fast());

        eventually("the other destination's events are delivered", || async {
            deliverer.delivered() == ids(&to_up)
        })
        .await;
        eventually("the metric shows the waiting events", || async {
            gauge(&metrics, "outbox_pending_events", &down) == Some(3.0)
                && gauge(&metrics, "outbox_pending_events", &up) == Some(0.0)
        })
        .await;
        let backlog = pending_by_destination(&db).await.unwrap();
        let waiting = backlog.iter().find(|b| b.destination == down).unwrap();
        assert_eq!((waiting.pending, waiting.failed), (3, 0));
        assert!(waiting.oldest_pending_time.is_some());
        assert!(gauge(&metrics, "outbox_oldest_pending_age_seconds", &down).unwrap() > 0.0);
        // Only the oldest was tried: the others wait behind it.
        let tried_down: Vec<String> = deliverer
            .attempts()
            .into_iter()
            .filter(|a| a.event.destination == down)
            .map(|a| a.event.id)
            .collect();
        assert!(!tried_down.is_empty());
        assert!(tried_down.iter().all(|id| *id == to_down[0].id));

        deliverer.set_up(&down);
        eventually("the waiting events are delivered", || async {
            deliverer.delivered().len() == 5
        })
        .await;
        eventually("the metric shows none waiting", || async {
            gauge(&metrics, "outbox_pending_events", &down) == Some(0.0)
        })
        .await;
        relay.stop().await;
        assert_eq!(deliverer.delivered()[2..], ids(&to_down));
    }
);

/// The value of the gauge `name` for `destination`, as Prometheus reads it.
fn gauge(metrics: &PrometheusHandle, name: &str, destination: &str) -> Option<f64> {
    let label = format!("destination=\"{destination}\"");
    metrics
        .render()
        .lines()
        .find(|l| l.starts_with(&format!("{name}{{")) && l.contains(&label))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}
