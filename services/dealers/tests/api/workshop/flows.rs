//! Parts lines against the real parts service: reserve at once, issue on
//! completion, release on cancellation — and with parts stopped, the RO
//! still moves on and the issue arrives once parts is back, applied once.

use aftercare_proto::{
    dealers::v1 as pb,
    parts::v1::{self as parts_pb, ReservationState},
};
use tonic::Code;

use super::*;
use crate::{fixture::rid, workshop};

async fn complete(
    w: &Workshop,
    id: &str,
) -> Result<tonic::Response<pb::RepairOrder>, tonic::Status> {
    w.ros()
        .complete_repair_order(pb::CompleteRepairOrderRequest {
            id: id.into(),
            request_id: rid(),
            ..Default::default()
        })
        .await
}

/// The issue entries of `part`'s ledger at s1 for `ro`.
async fn issues(w: &Workshop, part: &str, ro: &str) -> Vec<i64> {
    let mut out = vec![];
    let mut page_token = String::new();
    loop {
        let page = w
            .stock_as(d1())
            .list_stock_movements(parts_pb::ListStockMovementsRequest {
                warehouse_id: WAREHOUSE.into(),
                part_number: part.into(),
                page_size: 1000,
                page_token,
                ..Default::default()
            })
            .await
            .answer();
        out.extend(
            page.stock_movements
                .iter()
                .filter(|m| {
                    m.kind == parts_pb::MovementKind::Issue as i32 && m.reference.contains(ro)
                })
                .map(|m| m.quantity),
        );
        if page.next_page_token.is_empty() {
            return out;
        }
        page_token = page.next_page_token;
    }
}

workshop!(
    the_journey_reserves_issues_and_releases,
    |w: Workshop| async move {
        let ro = w.open().await;
        let ro = w.add_labour(&ro.id, PADS_OP, &w.f.tech1.id).await;
        let ro = w.add_part(&ro.id, PADS, 4).await;
        assert_eq!(ro.parts_lines[0].state, pb::PartsLineState::Reserved as i32);
        assert_eq!(w.level(PADS).await, (10, 4), "reserved at once");
        let ro = w.add_part(&ro.id, DISC, 1).await;
        assert_eq!(
            ro.parts_lines[1].state,
            pb::PartsLineState::Backordered as i32
        );

        // Work cannot be completed while a line waits for its part.
        w.start_work(&ro.id).await;
        complete(&w, &ro.id).await.refused(Code::FailedPrecondition);
        w.ros()
            .wait_for_parts(pb::WaitForPartsRequest {
                id: ro.id.clone(),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer();
        let resume = pb::ResumeRepairOrderRequest {
            id: ro.id.clone(),
            request_id: rid(),
            ..Default::default()
        };
        w.ros()
            .resume_repair_order(resume.clone())
            .await
            .refused(Code::FailedPrecondition);
        // The disc arrives: parts fills the backorder, and work resumes.
        w.receive(DISC, 2).await;
        let resumed = w
            .ros()
            .resume_repair_order(pb::ResumeRepairOrderRequest {
                request_id: rid(),
                ..resume
            })
            .await
            .answer();
        assert_eq!(
            resumed.parts_lines[1].state,
            pb::PartsLineState::Reserved as i32
        );

        let done = complete(&w, &ro.id).await.answer();
        assert_eq!(done.status, pb::RepairOrderStatus::Completed as i32);
        assert!(
            done.parts_lines
                .iter()
                .all(|l| l.state == pb::PartsLineState::Issued as i32)
        );
        w.await_reservation(&ro.id, 1, ReservationState::Issued)
            .await;
        w.await_reservation(&ro.id, 2, ReservationState::Issued)
            .await;
        assert_eq!(w.level(PADS).await, (6, 0));
        assert_eq!(w.level(DISC).await, (1, 0));

        // A bill above the estimate needs the customer's approval.
        let deliver = pb::DeliverRepairOrderRequest {
            id: ro.id.clone(),
            final_bill: eur(25_000),
            handover: handover(),
            request_id: rid(),
            ..Default::default()
        };
        w.ros()
            .deliver_repair_order(deliver.clone())
            .await
            .refused(Code::FailedPrecondition);
        let delivered = w
            .ros()
            .deliver_repair_order(pb::DeliverRepairOrderRequest {
                customer_approval: Some(pb::CustomerApproval {
                    method: "signed at the desk".into(),
                    approve_time: in_hours(0),
                }),
                request_id: rid(),
                ..deliver
            })
            .await
            .answer();
        assert_eq!(delivered.status, pb::RepairOrderStatus::Delivered as i32);
        assert_eq!(delivered.handover.len(), 3);
        // Surveys and costs have no receivers yet: their events wait.
        assert_eq!(
            (w.pending("surveys").await, w.pending("costs").await),
            (1, 1)
        );
        let statuses: Vec<i32> = delivered.history.iter().map(|c| c.status).collect();
        use pb::RepairOrderStatus::*;
        assert_eq!(
            statuses,
            [
                Opened,
                InProgress,
                WaitingParts,
                InProgress,
                Completed,
                Delivered
            ]
            .map(|s| s as i32)
        );

        // Cancelling gives the stock back.
        let other = w.open().await;
        w.add_part(&other.id, PADS, 3).await;
        assert_eq!(w.level(PADS).await, (6, 3));
        let cancelled = w
            .ros()
            .cancel_repair_order(pb::CancelRepairOrderRequest {
                id: other.id.clone(),
                reason: "customer withdrew".into(),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(cancelled.cancel_reason, "customer withdrew");
        w.await_reservation(&other.id, 1, ReservationState::Released)
            .await;
        assert_eq!(w.level(PADS).await, (6, 0));
    }
);

workshop!(
    with_parts_stopped_the_issue_arrives_later_and_once,
    |mut w: Workshop| async move {
        // Ten ROs of one pad each, all started.
        let mut ids = vec![];
        for _ in 0..10 {
            let ro = w.open().await;
            w.add_part(&ro.id, PADS, 1).await;
            w.start_work(&ro.id).await;
            ids.push(ro.id);
        }
        assert_eq!(w.level(PADS).await, (10, 10));

        // Parts goes away, comes back and goes away again while the ROs are
        // completed: none of that stops the workshop.
        for (i, id) in ids.iter().enumerate() {
            if i % 3 == 0 {
                w.parts.down().await;
            }
            let done = complete(&w, id).await.answer();
            assert_eq!(done.status, pb::RepairOrderStatus::Completed as i32);
            if i % 3 == 1 {
                w.parts.up().await;
                w.await_delivered("parts").await;
            }
        }
        w.parts.down().await;
        assert!(w.pending("parts").await > 0, "the issues wait for parts");
        w.parts.up().await;

        for id in &ids {
            w.await_reservation(id, 1, ReservationState::Issued).await;
            assert_eq!(issues(&w, PADS, id).await, [1], "issued exactly once");
        }
        assert_eq!(w.level(PADS).await, (0, 0));
        assert_eq!(w.pending("parts").await, 0);
    }
);

workshop!(
    a_line_without_parts_reachable_records_nothing,
    |mut w: Workshop| async move {
        let ro = w.open().await;
        w.parts.down().await;
        let request = pb::AddPartsLineRequest {
            repair_order_id: ro.id.clone(),
            part_number: PADS.into(),
            quantity: 1,
            request_id: rid(),
            ..Default::default()
        };
        let refused = w
            .ros()
            .add_parts_line(request.clone())
            .await
            .refused(Code::Unavailable);
        assert!(refused.message().contains("nothing was recorded"));
        w.parts.up().await;
        let again = w
            .ros()
            .get_repair_order(pb::GetRepairOrderRequest { id: ro.id.clone() })
            .await
            .answer();
        assert!(again.parts_lines.is_empty());
        assert_eq!(again.etag, ro.etag, "the RO is as it was");

        // Parts is back: the same request adds the line, once.
        let added = w.ros().add_parts_line(request.clone()).await.answer();
        assert_eq!(added.parts_lines.len(), 1);
        let replayed = w.ros().add_parts_line(request).await.answer();
        assert_eq!(
            (replayed.etag, replayed.parts_lines),
            (added.etag, added.parts_lines),
            "a retry gets the first answer"
        );
        assert_eq!(w.level(PADS).await, (10, 1), "reserved once");
    }
);
