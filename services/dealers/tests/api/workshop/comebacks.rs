//! Comebacks, the at-risk warning and certified work, on hand-built ROs.

use aftercare_proto::dealers::v1::{self as pb, StaffPosition};
use tonic::Code;

use super::*;
use crate::{
    fixture::{create_staff, rid},
    values::staff,
    workshop,
};

/// An RO of v1 with `op`, carried to delivery.
async fn delivered_with(w: &Workshop, op: &str) -> pb::RepairOrder {
    let ro = w.open().await;
    w.add_labour(&ro.id, op, &w.f.tech1.id).await;
    w.deliver(&ro.id).await
}

/// Moves `ro`'s delivery `days` back in time, as if it had been then.
async fn delivered_days_ago(w: &Workshop, ro: &str, days: i64) {
    let micros =
        (time::OffsetDateTime::now_utc() - time::Duration::days(days)).unix_timestamp() * 1_000_000;
    sqlx::query("UPDATE repair_orders SET delivery_time = $1 WHERE id = $2")
        .bind(micros)
        .bind(ro)
        .execute(w.dealers_db.pool())
        .await
        .expect("the delivery moves back");
}

// The hand-built case: v1 had its brake pads done on RO A, delivered 29
// days ago, and its HV battery on RO B, delivered 31 days ago. It comes back
// on RO C for both: the pads are a comeback of A (29 ≤ 30 days), the
// battery is not (31 > 30), and C is flagged as a comeback of A.
workshop!(
    the_same_work_on_the_same_vehicle_within_30_days_is_a_comeback,
    |w: Workshop| async move {
        let a = delivered_with(&w, PADS_OP).await;
        delivered_days_ago(&w, &a.id, 29).await;
        let b = delivered_with(&w, HV_OP).await;
        delivered_days_ago(&w, &b.id, 31).await;

        let c = w.open().await;
        let c = w.add_labour(&c.id, HV_OP, &w.f.tech1.id).await;
        assert!(
            !c.comeback && !c.labour_lines[0].comeback,
            "31 days is outside the window"
        );
        let c = w.add_labour(&c.id, PADS_OP, "").await;
        assert!(c.labour_lines[1].comeback);
        assert!(c.comeback);
        assert_eq!(c.comeback_of_repair_order_id, a.id);
        assert!(!a.comeback, "the first time is no comeback");
    }
);

workshop!(
    an_ro_that_will_miss_its_promise_is_flagged_before,
    |w: Workshop| async move {
        let tight = w.open_promised(in_hours(1)).await;
        assert!(!tight.at_risk, "nothing to do yet");
        // 1.5 standard hours left, 1 hour to the promise.
        let tight = w.add_labour(&tight.id, PADS_OP, "").await;
        assert!(tight.at_risk);
        // 1.5 hours left, 4 hours to the promise.
        let easy = w.open().await;
        let easy = w.add_labour(&easy.id, PADS_OP, "").await;
        assert!(!easy.at_risk);

        let listed = w
            .ros()
            .list_at_risk_repair_orders(pb::ListAtRiskRepairOrdersRequest {
                station_id: w.f.s1.id.clone(),
                advisor_id: w.f.advisor1.id.clone(),
            })
            .await
            .answer();
        let ids: Vec<_> = listed.repair_orders.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, [tight.id.as_str()]);
    }
);

workshop!(
    hours_recorded_short_of_the_standard_leave_the_rest_to_do,
    |w: Workshop| async move {
        let ro = w.open_promised(in_minutes(15)).await;
        let ro = w.add_labour(&ro.id, ALIGN_OP, "").await;
        assert!(ro.at_risk, "2.5 h to do, the promise 15 minutes away");
        w.start_work(&ro.id).await;
        let record = |centihours| pb::RecordLabourTimeRequest {
            repair_order_id: ro.id.clone(),
            line_number: 1,
            actual_centihours: centihours,
            technician_id: w.f.tech1.id.clone(),
            request_id: rid(),
            ..Default::default()
        };
        // 2 h of 2.5 recorded: half an hour still to do, 15 minutes left.
        let ro = w.ros().record_labour_time(record(200)).await.answer();
        assert!(ro.at_risk, "half an hour is still to do");
        let listed = w
            .ros()
            .list_at_risk_repair_orders(pb::ListAtRiskRepairOrdersRequest {
                station_id: w.f.s1.id.clone(),
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(listed.repair_orders.len(), 1);
        // The whole standard recorded: nothing left, in time.
        let ro = w.ros().record_labour_time(record(250)).await.answer();
        assert!(!ro.at_risk);
    }
);

workshop!(
    certified_work_needs_a_certified_technician,
    |w: Workshop| async move {
        let apprentice = create_staff(
            &mut w.h.oem(),
            staff(&w.f.s1.id, "Al Apprentice", StaffPosition::Technician),
        )
        .await;
        let ro = w.open().await;
        let refused = w
            .ros()
            .add_labour_line(pb::AddLabourLineRequest {
                repair_order_id: ro.id.clone(),
                operation_code: HV_OP.into(),
                technician_id: apprentice.id.clone(),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .refused(Code::FailedPrecondition);
        assert!(refused.message().contains("HV-2"), "{}", refused.message());
        // Without a technician the line is added; the hours are then recorded
        // by a certified one only.
        let ro = w.add_labour(&ro.id, HV_OP, "").await;
        w.start_work(&ro.id).await;
        let record = |technician: &str| pb::RecordLabourTimeRequest {
            repair_order_id: ro.id.clone(),
            line_number: 1,
            actual_centihours: 280,
            technician_id: technician.into(),
            request_id: rid(),
            ..Default::default()
        };
        w.ros()
            .record_labour_time(record(&apprentice.id))
            .await
            .refused(Code::FailedPrecondition);
        let done = w
            .ros()
            .record_labour_time(record(&w.f.tech1.id))
            .await
            .answer();
        assert_eq!(done.labour_lines[0].actual_centihours, 280);
        assert_eq!(done.labour_lines[0].standard_centihours, 300);
        assert_eq!(done.labour_lines[0].technician_id, w.f.tech1.id);
    }
);
