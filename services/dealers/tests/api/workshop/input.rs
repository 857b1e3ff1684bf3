//! Bad input: each bad field answered INVALID_ARGUMENT naming it, with
//! nothing written; retries with the same request_id applied once.

use aftercare_proto::{common::v1::Money, dealers::v1 as pb};

use super::*;

/// A change that makes an opening bad.
type Spoil = Box<dyn Fn(&mut pb::RepairOrder)>;
use crate::{fixture::rid, workshop};

workshop!(a_bad_opening_names_its_field, |w: Workshop| async move {
    let cases: Vec<(&str, Spoil)> = vec![
        (
            "repair_order.station_id",
            Box::new(|r| r.station_id.clear()),
        ),
        (
            "repair_order.vehicle_id",
            Box::new(|r| r.vehicle_id = "no such!".into()),
        ),
        (
            "repair_order.advisor_id",
            Box::new(|r| r.advisor_id.clear()),
        ),
        ("repair_order.type", Box::new(|r| r.r#type = 0)),
        (
            "repair_order.promise_time",
            Box::new(|r| r.promise_time = None),
        ),
        (
            "repair_order.promise_time",
            Box::new(|r| r.promise_time = in_hours(-1)),
        ),
        (
            "repair_order.arrival_time",
            Box::new(|r| r.arrival_time = in_hours(1)),
        ),
        ("repair_order.estimate", Box::new(|r| r.estimate = None)),
        (
            "repair_order.estimate.minor_units",
            Box::new(|r| r.estimate = eur(-1)),
        ),
        (
            "repair_order.estimate.minor_units",
            Box::new(|r| r.estimate = eur(aftercare_values::MAX_MINOR_UNITS + 1)),
        ),
        (
            "repair_order.estimate.currency_code",
            Box::new(|r| {
                r.estimate = Some(Money {
                    currency_code: "euro".into(),
                    minor_units: 1,
                })
            }),
        ),
        ("repair_order.mileage_km", Box::new(|r| r.mileage_km = -5)),
    ];
    for (field, spoil) in cases {
        let mut ro = w.opening();
        spoil(&mut ro);
        let named = w
            .ros()
            .create_repair_order(pb::CreateRepairOrderRequest {
                repair_order: Some(ro),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .bad_field();
        assert_eq!(named, field);
    }
    // The advisor must be one of the station's advisors, not a technician.
    let mut ro = w.opening();
    ro.advisor_id = w.f.tech1.id.clone();
    let named = w
        .ros()
        .create_repair_order(pb::CreateRepairOrderRequest {
            repair_order: Some(ro),
            request_id: rid(),
            ..Default::default()
        })
        .await
        .bad_field();
    assert_eq!(named, "repair_order.advisor_id");
    let listed = w
        .ros()
        .list_repair_orders(pb::ListRepairOrdersRequest::default())
        .await
        .answer();
    assert!(listed.repair_orders.is_empty(), "nothing was opened");
});

workshop!(
    bad_lines_and_moves_name_their_field,
    |w: Workshop| async move {
        let ro = w.open().await;
        let part = |part_number: &str, quantity| pb::AddPartsLineRequest {
            repair_order_id: ro.id.clone(),
            part_number: part_number.into(),
            quantity,
            request_id: rid(),
            ..Default::default()
        };
        assert_eq!(
            w.ros().add_parts_line(part(PADS, 0)).await.bad_field(),
            "quantity"
        );
        assert_eq!(
            w.ros()
                .add_parts_line(part("not a part", 1))
                .await
                .bad_field(),
            "part_number"
        );
        assert_eq!(
            w.ros()
                .add_parts_line(part("NO-SUCH-PART", 1))
                .await
                .bad_field(),
            "part_number"
        );
        let op = |code: &str| pb::AddLabourLineRequest {
            repair_order_id: ro.id.clone(),
            operation_code: code.into(),
            request_id: rid(),
            ..Default::default()
        };
        assert_eq!(
            w.ros().add_labour_line(op("NO-SUCH-OP")).await.bad_field(),
            "operation_code"
        );
        assert_eq!(
            w.ros().add_labour_line(op("")).await.bad_field(),
            "operation_code"
        );
        assert_eq!(w.level(PADS).await, (10, 0), "nothing was reserved");

        let cancel = |reason: &str| pb::CancelRepairOrderRequest {
            id: ro.id.clone(),
            reason: reason.into(),
            request_id: rid(),
            ..Default::default()
        };
        assert_eq!(
            w.ros().cancel_repair_order(cancel(" ")).await.bad_field(),
            "reason"
        );

        let ro = w.add_labour(&ro.id, PADS_OP, "").await;
        let mut c = w.ros();
        c.start_repair_order(pb::StartRepairOrderRequest {
            id: ro.id.clone(),
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer();
        let time = |centihours| pb::RecordLabourTimeRequest {
            repair_order_id: ro.id.clone(),
            line_number: 1,
            actual_centihours: centihours,
            technician_id: w.f.tech1.id.clone(),
            request_id: rid(),
            ..Default::default()
        };
        assert_eq!(
            c.record_labour_time(time(0)).await.bad_field(),
            "actual_centihours"
        );
        assert_eq!(
            c.record_labour_time(pb::RecordLabourTimeRequest {
                line_number: 9,
                ..time(100)
            })
            .await
            .bad_field(),
            "line_number"
        );
        c.complete_repair_order(pb::CompleteRepairOrderRequest {
            id: ro.id.clone(),
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer();
        let deliver =
            |bill: Option<Money>, handover: Vec<pb::HandoverItem>| pb::DeliverRepairOrderRequest {
                id: ro.id.clone(),
                final_bill: bill,
                handover,
                request_id: rid(),
                ..Default::default()
            };
        assert_eq!(
            c.deliver_repair_order(deliver(None, handover()))
                .await
                .bad_field(),
            "final_bill"
        );
        assert_eq!(
            c.deliver_repair_order(deliver(eur(1), vec![]))
                .await
                .bad_field(),
            "handover"
        );
        let mut open_item = handover();
        open_item[1].done = false;
        assert_eq!(
            c.deliver_repair_order(deliver(eur(1), open_item))
                .await
                .bad_field(),
            "handover"
        );
        let usd = Some(Money {
            currency_code: "USD".into(),
            minor_units: 1,
        });
        assert_eq!(
            c.deliver_repair_order(deliver(usd, handover()))
                .await
                .bad_field(),
            "final_bill.currency_code"
        );
        let still = c
            .get_repair_order(pb::GetRepairOrderRequest { id: ro.id.clone() })
            .await
            .answer();
        assert_eq!(still.status, pb::RepairOrderStatus::Completed as i32);
        assert!(still.final_bill.is_none() && still.handover.is_empty());
    }
);

workshop!(a_retried_request_applies_once, |w: Workshop| async move {
    let create = pb::CreateRepairOrderRequest {
        repair_order: Some(w.opening()),
        request_id: rid(),
        ..Default::default()
    };
    let first = w.ros().create_repair_order(create.clone()).await.answer();
    let again = w.ros().create_repair_order(create).await.answer();
    assert_eq!(again.id, first.id);

    let add = pb::AddPartsLineRequest {
        repair_order_id: first.id.clone(),
        part_number: PADS.into(),
        quantity: 2,
        request_id: rid(),
        ..Default::default()
    };
    w.ros().add_parts_line(add.clone()).await.answer();
    let twice = w.ros().add_parts_line(add).await.answer();
    assert_eq!(twice.parts_lines.len(), 1);
    assert_eq!(w.level(PADS).await, (10, 2));

    let mut c = w.ros();
    c.start_repair_order(pb::StartRepairOrderRequest {
        id: first.id.clone(),
        request_id: rid(),
        ..Default::default()
    })
    .await
    .answer();
    let complete = pb::CompleteRepairOrderRequest {
        id: first.id.clone(),
        request_id: rid(),
        ..Default::default()
    };
    c.complete_repair_order(complete.clone()).await.answer();
    c.complete_repair_order(complete).await.answer();
    w.await_reservation(
        &first.id,
        1,
        aftercare_proto::parts::v1::ReservationState::Issued,
    )
    .await;
    assert_eq!(w.level(PADS).await, (8, 0), "issued once");
});
