//! Every RPC checked against the caller: another dealer, a station its
//! staff do not work at, a region outside, and a survey link learn nothing
//! of d1's appointments and ROs (NOT_FOUND, or nothing listed); the region
//! and head office read them but change nothing; d1's DMS account works on
//! them as its staff do.

use aftercare_auth::Scope;
use aftercare_proto::dealers::v1 as pb;
use tonic::Code;

use super::*;
use crate::{fixture::rid, workshop};

/// Calls every RPC on `ro` and `appointment` as `c`; the code of each
/// (OK for success), by RPC.
async fn every_rpc(
    w: &Workshop,
    c: &mut Ros,
    ro: &str,
    appointment: &str,
) -> Vec<(&'static str, Code)> {
    fn code<T>(r: Result<tonic::Response<T>, tonic::Status>) -> Code {
        r.map_or_else(|s| s.code(), |_| Code::Ok)
    }
    let f = &w.f;
    let (ro, appointment) = (ro.to_owned(), appointment.to_owned());
    let mut out = vec![];
    out.push((
        "CreateAppointment",
        code(
            c.create_appointment(pb::CreateAppointmentRequest {
                appointment: Some(pb::Appointment {
                    station_id: f.s1.id.clone(),
                    vehicle_id: f.v1.id.clone(),
                    advisor_id: f.advisor1.id.clone(),
                    start_time: in_hours(1),
                    r#type: pb::RepairOrderType::Maintenance as i32,
                    ..Default::default()
                }),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "GetAppointment",
        code(
            c.get_appointment(pb::GetAppointmentRequest {
                id: appointment.clone(),
            })
            .await,
        ),
    ));
    out.push((
        "RecordNoShow",
        code(
            c.record_no_show(pb::RecordNoShowRequest {
                id: appointment.clone(),
                request_id: rid(),
            })
            .await,
        ),
    ));
    out.push((
        "ArriveForAppointment",
        code(
            c.arrive_for_appointment(pb::ArriveForAppointmentRequest {
                id: appointment.clone(),
                promise_time: in_hours(3),
                estimate: eur(10_000),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "CreateRepairOrder",
        code(
            c.create_repair_order(pb::CreateRepairOrderRequest {
                repair_order: Some(w.opening()),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "GetRepairOrder",
        code(
            c.get_repair_order(pb::GetRepairOrderRequest { id: ro.clone() })
                .await,
        ),
    ));
    out.push((
        "ListAtRiskRepairOrders",
        code(
            c.list_at_risk_repair_orders(pb::ListAtRiskRepairOrdersRequest {
                station_id: f.s1.id.clone(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "WatchAtRiskRepairOrders",
        code(
            c.watch_at_risk_repair_orders(pb::WatchAtRiskRepairOrdersRequest {
                station_id: f.s1.id.clone(),
            })
            .await,
        ),
    ));
    out.push((
        "AddLabourLine",
        code(
            c.add_labour_line(pb::AddLabourLineRequest {
                repair_order_id: ro.clone(),
                operation_code: PADS_OP.into(),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "AddPartsLine",
        code(
            c.add_parts_line(pb::AddPartsLineRequest {
                repair_order_id: ro.clone(),
                part_number: PADS.into(),
                quantity: 1,
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "StartRepairOrder",
        code(
            c.start_repair_order(pb::StartRepairOrderRequest {
                id: ro.clone(),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "RecordLabourTime",
        code(
            c.record_labour_time(pb::RecordLabourTimeRequest {
                repair_order_id: ro.clone(),
                line_number: 1,
                actual_centihours: 120,
                technician_id: f.tech1.id.clone(),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "WaitForParts",
        code(
            c.wait_for_parts(pb::WaitForPartsRequest {
                id: ro.clone(),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "ResumeRepairOrder",
        code(
            c.resume_repair_order(pb::ResumeRepairOrderRequest {
                id: ro.clone(),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "CompleteRepairOrder",
        code(
            c.complete_repair_order(pb::CompleteRepairOrderRequest {
                id: ro.clone(),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "DeliverRepairOrder",
        code(
            c.deliver_repair_order(pb::DeliverRepairOrderRequest {
                id: ro.clone(),
                final_bill: eur(20_000),
                handover: handover(),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "RecordCallBack",
        code(
            c.record_call_back(pb::RecordCallBackRequest {
                id: ro.clone(),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "CloseRepairOrder",
        code(
            c.close_repair_order(pb::CloseRepairOrderRequest {
                id: ro.clone(),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out.push((
        "CancelRepairOrder",
        code(
            c.cancel_repair_order(pb::CancelRepairOrderRequest {
                id: ro.clone(),
                reason: "test".into(),
                request_id: rid(),
                ..Default::default()
            })
            .await,
        ),
    ));
    out
}

async fn booked(w: &Workshop) -> pb::Appointment {
    w.ros()
        .create_appointment(pb::CreateAppointmentRequest {
            appointment: Some(pb::Appointment {
                station_id: w.f.s1.id.clone(),
                vehicle_id: w.f.v1.id.clone(),
                advisor_id: w.f.advisor1.id.clone(),
                start_time: in_hours(-1),
                r#type: pb::RepairOrderType::Maintenance as i32,
                ..Default::default()
            }),
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer()
}

// What each outsider gets from every RPC: nothing but NOT_FOUND (or
// PERMISSION_DENIED for what its role may never do), and empty lists.
workshop!(outsiders_learn_nothing, |w: Workshop| async move {
    let ro = w.open().await;
    let appointment = booked(&w).await;
    let outsiders = [
        Scope::Dealer {
            dealer_id: "d2".into(),
            station_ids: vec![],
        },
        Scope::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec!["s2".into()],
        },
        Scope::Dms {
            dealer_id: "d2".into(),
        },
        Scope::Region {
            region_id: "south".into(),
        },
    ];
    for scope in outsiders {
        let mut c = w.ros_as(scope.clone());
        for (rpc, code) in every_rpc(&w, &mut c, &ro.id, &appointment.id).await {
            let reads = [
                "GetAppointment",
                "GetRepairOrder",
                "ListAtRiskRepairOrders",
                "WatchAtRiskRepairOrders",
            ];
            let expected = match scope {
                // A region may never change the workshop's records: refused
                // by its role, before anything is looked up.
                Scope::Region { .. } if !reads.contains(&rpc) => Code::PermissionDenied,
                _ => Code::NotFound,
            };
            assert_eq!(code, expected, "{scope:?} {rpc}");
        }
        let listed = c
            .list_repair_orders(pb::ListRepairOrdersRequest::default())
            .await
            .answer();
        assert!(listed.repair_orders.is_empty(), "{scope:?} lists nothing");
        let listed = c
            .list_appointments(pb::ListAppointmentsRequest::default())
            .await
            .answer();
        assert!(listed.appointments.is_empty(), "{scope:?} lists nothing");
    }
    let mut survey = w.ros_as(Scope::SurveyLink {
        invitation_id: "i".into(),
    });
    for (rpc, code) in every_rpc(&w, &mut survey, &ro.id, &appointment.id).await {
        assert!(
            matches!(code, Code::NotFound | Code::PermissionDenied),
            "survey link {rpc}: {code:?}"
        );
    }
    survey
        .list_repair_orders(pb::ListRepairOrdersRequest::default())
        .await
        .refused(Code::PermissionDenied);
    // Nothing an outsider did left a mark.
    let after = w
        .ros()
        .get_repair_order(pb::GetRepairOrderRequest { id: ro.id.clone() })
        .await
        .answer();
    assert_eq!(
        after,
        pb::RepairOrder {
            at_risk: after.at_risk,
            ..ro
        }
    );
});

workshop!(
    the_region_and_head_office_read_but_do_not_change,
    |w: Workshop| async move {
        let ro = w.open().await;
        let appointment = booked(&w).await;
        for scope in [
            Scope::Region {
                region_id: "north".into(),
            },
            Scope::Oem,
        ] {
            let mut c = w.ros_as(scope.clone());
            for (rpc, code) in every_rpc(&w, &mut c, &ro.id, &appointment.id).await {
                let expected = match rpc {
                    "GetAppointment"
                    | "GetRepairOrder"
                    | "ListAtRiskRepairOrders"
                    | "WatchAtRiskRepairOrders" => Code::Ok,
                    _ => Code::PermissionDenied,
                };
                assert_eq!(code, expected, "{scope:?} {rpc}");
            }
            let listed = c
                .list_repair_orders(pb::ListRepairOrdersRequest::default())
                .await
                .answer();
            assert_eq!(listed.repair_orders.len(), 1);
        }
    }
);

workshop!(
    the_dealers_dms_works_on_its_own_ros,
    |w: Workshop| async move {
        let ro = w.open().await;
        let appointment = booked(&w).await;
        let mut dms = w.ros_as(Scope::Dms {
            dealer_id: "d1".into(),
        });
        for (rpc, code) in every_rpc(&w, &mut dms, &ro.id, &appointment.id).await {
            let expected = match rpc {
                // Recorded as a no-show just before.
                "ArriveForAppointment" => Code::FailedPrecondition,
                // Closed by then.
                "CancelRepairOrder" => Code::FailedPrecondition,
                _ => Code::Ok,
            };
            assert_eq!(code, expected, "DMS {rpc}");
        }
    }
);
