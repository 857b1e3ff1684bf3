//! No dealers transaction waits on parts: while parts holds a reservation
//! (its ReserveStock held at the gate), the RO it is for and the other ROs
//! of the station move on, and an RO closed meanwhile gives the stock back.

use aftercare_proto::{dealers::v1 as pb, parts::v1::ReservationState};
use tokio::task::JoinHandle;
use tonic::{Code, Response, Status};

use super::*;
use crate::{fixture::rid, workshop};

type Answer = Result<Response<pb::RepairOrder>, Status>;

/// AddPartsLine for `quantity` pads on `ro`, on its way while the test goes
/// on.
fn adding(w: &Workshop, ro: &str, quantity: i64) -> JoinHandle<Answer> {
    let mut ros = w.ros();
    let request = pb::AddPartsLineRequest {
        repair_order_id: ro.into(),
        part_number: PADS.into(),
        quantity,
        request_id: rid(),
        ..Default::default()
    };
    tokio::spawn(async move { ros.add_parts_line(request).await })
}

async fn get(w: &Workshop, id: &str) -> pb::RepairOrder {
    w.ros()
        .get_repair_order(pb::GetRepairOrderRequest { id: id.into() })
        .await
        .answer()
}

workshop!(
    ros_move_while_parts_is_slow_to_reserve,
    |w: Workshop| async move {
        let ro = w.open().await;
        w.parts.gate.hold();
        let line = adding(&w, &ro.id, 4);
        w.parts.gate.waiting(1).await;

        // The RO being reserved for moves: its row is not held.
        let started = within("the RO starts", w.start_work(&ro.id)).await;
        assert_eq!(started.status, pb::RepairOrderStatus::InProgress as i32);
        // Another RO of the station goes all the way.
        let other = w.open().await;
        let delivered = within("another RO is delivered", w.deliver(&other.id)).await;
        assert_eq!(delivered.status, pb::RepairOrderStatus::Delivered as i32);
        assert_eq!(
            w.parts.gate.waiters(),
            1,
            "parts still holds the reservation"
        );
        assert!(!line.is_finished());

        w.parts.gate.open();
        let added = within("the line is added", line)
            .await
            .expect("the call ends")
            .answer();
        assert_eq!(added.status, pb::RepairOrderStatus::InProgress as i32);
        assert_eq!(added.parts_lines.len(), 1);
        assert_eq!(
            added.parts_lines[0].state,
            pb::PartsLineState::Reserved as i32
        );
        assert_eq!(w.level(PADS).await, (10, 4));
    }
);

workshop!(
    a_line_reserved_while_its_ro_was_cancelled_is_released,
    |w: Workshop| async move {
        let ro = w.open().await;
        w.parts.gate.hold();
        let line = adding(&w, &ro.id, 4);
        w.parts.gate.waiting(1).await;

        let cancelled = within(
            "the RO is cancelled",
            w.ros().cancel_repair_order(pb::CancelRepairOrderRequest {
                id: ro.id.clone(),
                reason: "customer withdrew".into(),
                request_id: rid(),
                ..Default::default()
            }),
        )
        .await
        .answer();
        assert_eq!(cancelled.status, pb::RepairOrderStatus::Cancelled as i32);

        w.parts.gate.open();
        let refused = within("the line is refused", line)
            .await
            .expect("the call ends")
            .refused(Code::FailedPrecondition);
        assert!(refused.message().contains("cancelled"), "{refused:?}");
        assert!(get(&w, &ro.id).await.parts_lines.is_empty());
        // The stock parts set aside goes back, through the outbox.
        w.await_reservation(&ro.id, 1, ReservationState::Released)
            .await;
        assert_eq!(w.level(PADS).await, (10, 0));
    }
);

workshop!(
    two_lines_at_once_never_share_a_number,
    |w: Workshop| async move {
        let ro = w.open().await;
        w.parts.gate.hold();
        let first = adding(&w, &ro.id, 4);
        let second = adding(&w, &ro.id, 2);
        w.parts.gate.waiting(2).await;
        w.parts.gate.open();
        let answers = [first, second].map(|line| within("the line is answered", line));
        let mut recorded = 0;
        for answer in answers {
            match answer.await.expect("the call ends") {
                Ok(_) => recorded += 1,
                Err(s) => assert_eq!(s.code(), Code::Aborted, "{s:?}"),
            }
        }
        assert_eq!(recorded, 1, "one takes line 1, the other is told to retry");
        let ro = get(&w, &ro.id).await;
        assert_eq!(ro.parts_lines.len(), 1);
        let reserved = ro.parts_lines[0].quantity;
        assert_eq!(w.level(PADS).await, (10, reserved), "one reservation");
        // The retry takes the next number.
        let ro = w.add_part(&ro.id, PADS, 6 - reserved).await;
        let numbers: Vec<i32> = ro.parts_lines.iter().map(|l| l.line_number).collect();
        assert_eq!(numbers, [1, 2]);
        assert_eq!(w.level(PADS).await, (10, 6));
    }
);
