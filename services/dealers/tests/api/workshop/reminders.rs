//! Maintenance reminders from the model's schedule in the parts catalogue:
//! a vehicle due within the window is listed, one due later is not, and a
//! maintenance RO delivered today puts the next service a year out.

use aftercare_auth::Scope;
use aftercare_proto::{
    dealers::v1 as pb,
    google::r#type::Date,
    parts::v1::{self as parts_pb, labour_service_client::LabourServiceClient},
};
use tonic::Code;

use super::*;
use crate::{
    fixture::{create_vehicle, rid},
    values::vin,
    workshop,
};

fn days_ago(days: i64) -> Option<Date> {
    let d = time::OffsetDateTime::now_utc().date() - time::Duration::days(days);
    Some(Date {
        year: d.year(),
        month: u8::from(d.month()).into(),
        day: d.day().into(),
    })
}

fn reminders(within_days: i32) -> pb::ListMaintenanceRemindersRequest {
    pb::ListMaintenanceRemindersRequest {
        station_id: "s1".into(),
        within_days,
        ..Default::default()
    }
}

fn vehicles(listed: &pb::ListMaintenanceRemindersResponse) -> Vec<&str> {
    listed
        .reminders
        .iter()
        .map(|r| r.vehicle_id.as_str())
        .collect()
}

workshop!(
    vehicles_due_within_the_window_are_listed,
    |w: Workshop| async move {
        // VAN-E1 is serviced every 12 months or 15,000 km.
        LabourServiceClient::with_interceptor(w.parts_channel.clone(), w.signer(Scope::Oem))
            .create_maintenance_package(parts_pb::CreateMaintenancePackageRequest {
                maintenance_package: Some(parts_pb::MaintenancePackage {
                    package_id: "VAN-E1-12M".into(),
                    model_code: "VAN-E1".into(),
                    interval: Some(parts_pb::ServiceInterval {
                        months: 12,
                        kilometres: 15_000,
                    }),
                    display_name: "Yearly service".into(),
                    operations: vec![parts_pb::PackageOperation {
                        operation_code: PADS_OP.into(),
                    }],
                    price: eur(19_900),
                    ..Default::default()
                }),
                request_id: rid(),
            })
            .await
            .answer();
        // Two more vans of c1 (advised at s1), driven little: one sold 350 days
        // ago (due by time in about two weeks), one 200 days ago (in about
        // five months).
        let mut network = w.h.oem();
        let van = |serial, sold_days_ago| pb::Vehicle {
            vin: vin(serial),
            customer_id: w.f.c1.id.clone(),
            model: "VAN-E1".into(),
            sale_date: days_ago(sold_days_ago),
            mileage_km: 1_000,
            ..Default::default()
        };
        let soon = create_vehicle(&mut network, van(101, 350)).await;
        let later = create_vehicle(&mut network, van(102, 200)).await;

        let listed = w
            .ros()
            .list_maintenance_reminders(reminders(30))
            .await
            .answer();
        assert!(vehicles(&listed).contains(&soon.id.as_str()));
        assert!(!vehicles(&listed).contains(&later.id.as_str()));
        let reminder = listed
            .reminders
            .iter()
            .find(|r| r.vehicle_id == soon.id)
            .unwrap();
        assert_eq!(reminder.reason, pb::DueReason::Time as i32);
        assert_eq!(reminder.advisor_id, w.f.advisor1.id);
        assert!(reminder.last_service_date.is_none());
        let year = w
            .ros()
            .list_maintenance_reminders(reminders(366))
            .await
            .answer();
        assert!(vehicles(&year).contains(&later.id.as_str()));

        // The soon-due van is serviced today: next year, not now.
        let mut opening = w.opening();
        opening.vehicle_id = soon.id.clone();
        opening.r#type = pb::RepairOrderType::Maintenance as i32;
        opening.mileage_km = 1_200;
        let ro = w
            .ros()
            .create_repair_order(pb::CreateRepairOrderRequest {
                repair_order: Some(opening),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer();
        w.deliver(&ro.id).await;
        let listed = w
            .ros()
            .list_maintenance_reminders(reminders(30))
            .await
            .answer();
        assert!(!vehicles(&listed).contains(&soon.id.as_str()));

        // Only the station's own see its reminders; a bad window is named.
        w.ros_as(Scope::Dealer {
            dealer_id: "d2".into(),
            station_ids: vec![],
        })
        .list_maintenance_reminders(reminders(30))
        .await
        .refused(Code::NotFound);
        assert_eq!(
            w.ros()
                .list_maintenance_reminders(reminders(400))
                .await
                .bad_field(),
            "within_days"
        );
    }
);
