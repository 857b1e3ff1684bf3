//! Appointments: a booked slot; arrival opens the RO; a no-show is recorded
//! once the slot has started, not before.

use aftercare_proto::dealers::v1 as pb;
use tonic::Code;

use super::*;
use crate::{fixture::rid, workshop};

fn booking(w: &Workshop, start_in_hours: i64) -> pb::CreateAppointmentRequest {
    pb::CreateAppointmentRequest {
        appointment: Some(pb::Appointment {
            station_id: w.f.s1.id.clone(),
            vehicle_id: w.f.v1.id.clone(),
            advisor_id: w.f.advisor1.id.clone(),
            start_time: in_hours(start_in_hours),
            r#type: pb::RepairOrderType::Maintenance as i32,
            fast_lane: true,
            ..Default::default()
        }),
        request_id: rid(),
        ..Default::default()
    }
}

workshop!(
    arrival_opens_the_ro_of_the_booking,
    |w: Workshop| async move {
        let booked = w.ros().create_appointment(booking(&w, 1)).await.answer();
        assert_eq!(booked.status, pb::AppointmentStatus::Booked as i32);
        let arrive = pb::ArriveForAppointmentRequest {
            id: booked.id.clone(),
            promise_time: in_hours(2),
            estimate: eur(15_000),
            mileage_km: 30_000,
            request_id: rid(),
            ..Default::default()
        };
        let ro = w
            .ros()
            .arrive_for_appointment(arrive.clone())
            .await
            .answer();
        assert_eq!(ro.appointment_id, booked.id);
        assert_eq!(ro.r#type, pb::RepairOrderType::Maintenance as i32);
        assert!(ro.fast_lane);
        assert_eq!(ro.status, pb::RepairOrderStatus::Opened as i32);
        assert_eq!(ro.mileage_km, 30_000);
        let arrived = w
            .ros()
            .get_appointment(pb::GetAppointmentRequest {
                id: booked.id.clone(),
            })
            .await
            .answer();
        assert_eq!(arrived.status, pb::AppointmentStatus::Arrived as i32);
        assert_eq!(arrived.repair_order_id, ro.id);
        // A retry answers the same RO; a second arrival is refused.
        let again = w
            .ros()
            .arrive_for_appointment(arrive.clone())
            .await
            .answer();
        assert_eq!(again.id, ro.id);
        w.ros()
            .arrive_for_appointment(pb::ArriveForAppointmentRequest {
                request_id: rid(),
                ..arrive
            })
            .await
            .refused(Code::FailedPrecondition);
        let listed = w
            .ros()
            .list_appointments(pb::ListAppointmentsRequest {
                station_id: w.f.s1.id.clone(),
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(listed.appointments, [arrived]);
    }
);

workshop!(
    a_no_show_is_recorded_once_the_slot_has_started,
    |w: Workshop| async move {
        let later = w.ros().create_appointment(booking(&w, 2)).await.answer();
        w.ros()
            .record_no_show(pb::RecordNoShowRequest {
                id: later.id.clone(),
                request_id: rid(),
            })
            .await
            .refused(Code::FailedPrecondition);
        let missed = w.ros().create_appointment(booking(&w, -1)).await.answer();
        let recorded = w
            .ros()
            .record_no_show(pb::RecordNoShowRequest {
                id: missed.id.clone(),
                request_id: rid(),
            })
            .await
            .answer();
        assert_eq!(recorded.status, pb::AppointmentStatus::NoShow as i32);
        w.ros()
            .arrive_for_appointment(pb::ArriveForAppointmentRequest {
                id: missed.id,
                promise_time: in_hours(2),
                estimate: eur(1),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .refused(Code::FailedPrecondition);
    }
);
