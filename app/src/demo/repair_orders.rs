//! Plays the month's visits (`month.rs`) on the demo's clock: every step of
//! every visit in order of time, the clock set to each moment in turn and
//! the steps due at it played at once (they are of different ROs), through
//! the repair order contract as the station's staff.

use std::collections::BTreeMap;

use aftercare_proto::dealers::v1::{
    self as pb, repair_order_service_client::RepairOrderServiceClient,
};
use anyhow::Context;
use time::OffsetDateTime;
use tokio::task::JoinSet;

use super::{
    Channels, Signed, eur,
    month::{Job, Plan, Step, Visit},
    staff, stock, timestamp,
};

type Client = RepairOrderServiceClient<Signed>;

/// Every step of the plan, moment by moment.
pub(super) async fn play(c: &Channels, plan: &Plan) -> anyhow::Result<()> {
    let mut moments: BTreeMap<OffsetDateTime, Vec<(&Visit, Step)>> = BTreeMap::new();
    for visit in &plan.visits {
        for (at, step) in &visit.steps {
            moments.entry(*at).or_default().push((visit, *step));
        }
    }
    for (at, due) in moments {
        c.rewind.set_at(at);
        let mut steps = JoinSet::new();
        for (visit, step) in due {
            let client = RepairOrderServiceClient::new(c.signed(&c.dealers, staff(visit.dealer)));
            let visit = visit.clone();
            steps.spawn(async move {
                let what = format!("{step:?} of {}", visit.id);
                played(client, &visit, step).await.context(what)
            });
        }
        while let Some(done) = steps.join_next().await {
            done??;
        }
    }
    Ok(())
}

/// One step of a visit.
async fn played(mut ros: Client, v: &Visit, step: Step) -> anyhow::Result<()> {
    let id = v.id.clone();
    let rid = |name: &str| format!("demo-{}-{name}", v.id);
    let (kind, operation, part) = v.job.work();
    match step {
        Step::Book => {
            ros.create_appointment(pb::CreateAppointmentRequest {
                appointment: Some(pb::Appointment {
                    station_id: v.station.into(),
                    vehicle_id: v.vehicle.clone(),
                    advisor_id: format!("{}-advisor", v.station),
                    start_time: timestamp(v.slot.context("a booked visit has its slot")?),
                    r#type: kind as i32,
                    ..Default::default()
                }),
                appointment_id: v.appointment_id(),
                request_id: rid("book"),
            })
            .await?;
        }
        Step::NoShow => {
            ros.record_no_show(pb::RecordNoShowRequest {
                id: v.appointment_id(),
                request_id: rid("no-show"),
            })
            .await?;
        }
        Step::Open => {
            open(&mut ros, v).await?;
            ros.add_labour_line(pb::AddLabourLineRequest {
                repair_order_id: id.clone(),
                operation_code: operation.into(),
                technician_id: technician(v),
                request_id: rid("labour"),
                ..Default::default()
            })
            .await?;
            ros.add_parts_line(pb::AddPartsLineRequest {
                repair_order_id: id.clone(),
                part_number: part.into(),
                quantity: 1,
                request_id: rid("part"),
                ..Default::default()
            })
            .await?;
        }
        Step::Start => {
            ros.start_repair_order(pb::StartRepairOrderRequest {
                id,
                request_id: rid("start"),
                ..Default::default()
            })
            .await?;
        }
        Step::WaitForParts => {
            ros.wait_for_parts(pb::WaitForPartsRequest {
                id,
                request_id: rid("wait"),
                ..Default::default()
            })
            .await?;
        }
        Step::Finish => {
            let standard = stock::standard_centihours(operation);
            ros.record_labour_time(pb::RecordLabourTimeRequest {
                repair_order_id: id.clone(),
                line_number: 1,
                // Warranty work within its standard hours (a claim's
                // check); other work as it went.
                actual_centihours: if v.warranty() {
                    standard - 20
                } else {
                    standard - 10 + 10 * (v.draw % 4) as i32
                },
                technician_id: technician(v),
                request_id: rid("time"),
                ..Default::default()
            })
            .await?;
            ros.complete_repair_order(pb::CompleteRepairOrderRequest {
                id,
                request_id: rid("complete"),
                ..Default::default()
            })
            .await?;
        }
        Step::Deliver => {
            let bill = if v.warranty() {
                0
            } else {
                v.job.estimate() * (70 + (v.draw % 25) as i64) / 100
            };
            ros.deliver_repair_order(pb::DeliverRepairOrderRequest {
                id,
                final_bill: eur(bill),
                handover: vec![pb::HandoverItem {
                    item: "work explained".into(),
                    done: true,
                }],
                request_id: rid("deliver"),
                ..Default::default()
            })
            .await?;
        }
        Step::Close => {
            ros.close_repair_order(pb::CloseRepairOrderRequest {
                id,
                request_id: rid("close"),
                ..Default::default()
            })
            .await?;
        }
        Step::Cancel => {
            ros.cancel_repair_order(pb::CancelRepairOrderRequest {
                id,
                reason: "customer postponed".into(),
                request_id: rid("cancel"),
                ..Default::default()
            })
            .await?;
        }
    }
    Ok(())
}

/// Opens the visit's RO: on its appointment when it booked one, else as a
/// walk-in.
async fn open(ros: &mut Client, v: &Visit) -> anyhow::Result<()> {
    let (kind, ..) = v.job.work();
    // Mileage grows with the vehicle's number and the visit.
    let mileage = 12_000 + (v.draw % 60_000) as i64;
    if v.slot.is_some() {
        ros.arrive_for_appointment(pb::ArriveForAppointmentRequest {
            id: v.appointment_id(),
            promise_time: timestamp(v.promise),
            estimate: eur(v.job.estimate()),
            mileage_km: mileage,
            repair_order_id: v.id.clone(),
            request_id: format!("demo-{}-arrive", v.id),
            ..Default::default()
        })
        .await?;
    } else {
        ros.create_repair_order(pb::CreateRepairOrderRequest {
            repair_order: Some(pb::RepairOrder {
                station_id: v.station.into(),
                vehicle_id: v.vehicle.clone(),
                advisor_id: format!("{}-advisor", v.station),
                r#type: kind as i32,
                promise_time: timestamp(v.promise),
                estimate: eur(v.job.estimate()),
                mileage_km: mileage,
                ..Default::default()
            }),
            repair_order_id: v.id.clone(),
            request_id: format!("demo-{}-open", v.id),
        })
        .await?;
    }
    Ok(())
}

/// The HV work to the certified technician, the rest shared.
fn technician(v: &Visit) -> String {
    let certified = matches!(v.job, Job::HvCheck | Job::Converter) || v.draw.is_multiple_of(2);
    format!("{}-tech-{}", v.station, if certified { 1 } else { 2 })
}
