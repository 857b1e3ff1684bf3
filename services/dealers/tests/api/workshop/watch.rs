//! WatchAtRiskRepairOrders: the station's at-risk ROs now, then pushed again
//! as soon as a write changes them, and nothing when a write leaves them as
//! they were.

use aftercare_proto::dealers::v1 as pb;
use tokio_stream::StreamExt;
use tonic::{Code, Streaming};

use super::*;
use crate::{fixture::rid, workshop};

/// The next message of a watch, within the patience.
async fn next(stream: &mut Streaming<pb::AtRiskRepairOrders>) -> Vec<String> {
    let message = within("the next at-risk update", stream.next())
        .await
        .expect("the stream stays open")
        .expect("an update");
    message.repair_orders.into_iter().map(|ro| ro.id).collect()
}

workshop!(
    an_ro_becoming_at_risk_is_pushed_without_a_new_call,
    |w: Workshop| async move {
        let mut stream = w
            .ros()
            .watch_at_risk_repair_orders(pb::WatchAtRiskRepairOrdersRequest {
                station_id: w.f.s1.id.clone(),
            })
            .await
            .answer();
        assert!(next(&mut stream).await.is_empty(), "nothing at risk yet");
        // Opened with nothing to do: the set is unchanged, so nothing is
        // sent — the next update is the one below.
        let ro = w.open_promised(in_hours(1)).await;
        // 1.5 standard hours left, 1 hour to the promise.
        let ro = w.add_labour(&ro.id, PADS_OP, "").await;
        assert!(ro.at_risk);
        assert_eq!(next(&mut stream).await, [ro.id.clone()]);
        // Cancelled: it leaves the set.
        w.ros()
            .cancel_repair_order(pb::CancelRepairOrderRequest {
                id: ro.id.clone(),
                reason: "customer withdrew".into(),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer();
        assert!(next(&mut stream).await.is_empty(), "the cancelled RO left");
    }
);

workshop!(
    a_watch_checks_its_station_like_the_list,
    |w: Workshop| async move {
        let ro = w.open_promised(in_hours(1)).await;
        w.add_labour(&ro.id, PADS_OP, "").await;
        let watch = |scope| {
            let mut c = w.ros_as(scope);
            let station_id = w.f.s1.id.clone();
            async move {
                c.watch_at_risk_repair_orders(pb::WatchAtRiskRepairOrdersRequest { station_id })
                    .await
            }
        };
        let other_dealer = Scope::Dealer {
            dealer_id: "d2".into(),
            station_ids: vec![],
        };
        watch(other_dealer).await.refused(Code::NotFound);
        let bad = w
            .ros()
            .watch_at_risk_repair_orders(pb::WatchAtRiskRepairOrdersRequest {
                station_id: String::new(),
            })
            .await
            .bad_field();
        assert_eq!(bad, "station_id");
        // Head office sees the station's.
        let mut stream = watch(Scope::Oem).await.answer();
        assert_eq!(next(&mut stream).await, [ro.id.clone()]);
    }
);
