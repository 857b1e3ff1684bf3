//! Happy paths of a dealer's own business: staff members, customers,
//! vehicles — create, get, list, update (mask and etag), delete.

use aftercare_proto::dealers::v1::{self as pb, StaffPosition};
use tonic::Code;

use crate::{
    both,
    fixture::{Fixture, Outcome, certification, create_customer, create_staff, customer, date, mask, rid, staff, vehicle, vin},
    support::Harness,
};

both!(staff_members_round_trip, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.dealer("d1");
    let mut m = staff("s2", "Max Mechanic", StaffPosition::Technician);
    m.certifications = vec![certification("HV-2", date(2027, 1, 31)), certification("BRAKES", date(2026, 12, 31))];
    m.dealer_id = "d3".into(); // output only: ignored
    let created = c
        .create_staff_member(pb::CreateStaffMemberRequest { staff_member: Some(m), staff_member_id: "max".into(), request_id: rid() })
        .await
        .answer();
    assert_eq!(
        (created.id.as_str(), created.station_id.as_str(), created.dealer_id.as_str(), created.display_name.as_str()),
        ("max", "s2", "d1", "Max Mechanic")
    );
    assert_eq!((created.position, created.etag.as_str()), (StaffPosition::Technician as i32, "1"));
    let mut kinds: Vec<&str> = created.certifications.iter().map(|c| c.kind.as_str()).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["BRAKES", "HV-2"]);
    let got = c.get_staff_member(pb::GetStaffMemberRequest { id: "max".into() }).await.answer();
    assert_eq!(got, created, "get answers what create answered");
    assert_eq!(c.get_staff_member(pb::GetStaffMemberRequest { id: fx.tech1.id.clone() }).await.answer(), fx.tech1);
    assert_eq!(fx.tech1.certifications, vec![certification("HV-2", date(2027, 6, 30))]);

    // Replace the certifications and promote, conditional on the etag.
    let updated = c
        .update_staff_member(pb::UpdateStaffMemberRequest {
            staff_member: Some(pb::StaffMember {
                id: "max".into(),
                position: StaffPosition::Manager as i32,
                certifications: vec![certification("HV-3", date(2028, 2, 29))],
                display_name: "Ignored".into(),
                etag: "1".into(),
                ..Default::default()
            }),
            update_mask: mask(&["position", "certifications"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((updated.position, updated.etag.as_str()), (StaffPosition::Manager as i32, "2"));
    assert_eq!(updated.display_name, "Max Mechanic");
    assert_eq!(updated.certifications, vec![certification("HV-3", date(2028, 2, 29))]);
    assert_eq!(c.get_staff_member(pb::GetStaffMemberRequest { id: "max".into() }).await.answer(), updated);

    // Naming certifications in the mask with none sent clears them.
    let cleared = c
        .update_staff_member(pb::UpdateStaffMemberRequest {
            staff_member: Some(pb::StaffMember { id: "max".into(), ..Default::default() }),
            update_mask: mask(&["certifications"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert!(cleared.certifications.is_empty());

    let at_s2 = c.list_staff_members(pb::ListStaffMembersRequest { station_id: "s2".into(), ..Default::default() }).await.answer();
    assert_eq!(at_s2.staff_members, vec![cleared.clone()]);

    c.delete_staff_member(pb::DeleteStaffMemberRequest { id: "max".into(), etag: cleared.etag, request_id: rid() }).await.answer();
    c.get_staff_member(pb::GetStaffMemberRequest { id: "max".into() }).await.refused(Code::NotFound);
    let of_d1 = c.list_staff_members(pb::ListStaffMembersRequest::default()).await.answer();
    let ids: Vec<&str> = of_d1.staff_members.iter().map(|m| m.id.as_str()).collect();
    assert!(!ids.contains(&"max") && ids.contains(&fx.advisor1.id.as_str()) && ids.contains(&fx.tech1.id.as_str()));
});

both!(customers_round_trip, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.dealer("d1");
    let advisor2 = create_staff(&mut c, staff("s2", "Eve Advisor", StaffPosition::ServiceAdvisor)).await;
    let created = create_customer(&mut c, customer("d1", "Dora Driver", &fx.advisor1.id)).await;
    assert_eq!((created.dealer_id.as_str(), created.display_name.as_str(), created.advisor_id.as_str()), ("d1", "Dora Driver", fx.advisor1.id.as_str()));
    assert_eq!((created.phone.as_str(), created.email.as_str(), created.etag.as_str()), ("+4930123456", "anna@example.com", "1"));
    assert_eq!(c.get_customer(pb::GetCustomerRequest { id: created.id.clone() }).await.answer(), created);

    // Another advisor of the same dealer, and the phone cleared, by mask.
    let updated = c
        .update_customer(pb::UpdateCustomerRequest {
            customer: Some(pb::Customer { id: created.id.clone(), advisor_id: advisor2.id.clone(), etag: "1".into(), ..Default::default() }),
            update_mask: mask(&["advisor_id", "phone"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((updated.advisor_id.as_str(), updated.phone.as_str(), updated.etag.as_str()), (advisor2.id.as_str(), "", "2"));
    assert_eq!((updated.display_name.as_str(), updated.email.as_str()), ("Dora Driver", "anna@example.com"));
    assert_eq!(c.get_customer(pb::GetCustomerRequest { id: created.id.clone() }).await.answer(), updated);

    let of_advisor2 = c.list_customers(pb::ListCustomersRequest { advisor_id: advisor2.id.clone(), ..Default::default() }).await.answer();
    assert_eq!(of_advisor2.customers, vec![updated.clone()]);
    let of_d1 = c.list_customers(pb::ListCustomersRequest::default()).await.answer();
    assert_eq!(of_d1.customers, vec![fx.c1.clone(), updated.clone()]);

    // A customer without an advisor.
    let unadvised = c
        .update_customer(pb::UpdateCustomerRequest {
            customer: Some(pb::Customer { id: created.id.clone(), ..Default::default() }),
            update_mask: mask(&["advisor_id"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((unadvised.advisor_id.as_str(), unadvised.etag.as_str()), ("", "3"));

    c.delete_customer(pb::DeleteCustomerRequest { id: created.id.clone(), etag: "3".into(), request_id: rid() }).await.answer();
    c.get_customer(pb::GetCustomerRequest { id: created.id }).await.refused(Code::NotFound);
    assert_eq!(c.list_customers(pb::ListCustomersRequest::default()).await.answer().customers, vec![fx.c1]);
});

both!(vehicles_round_trip, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.dms("d1");
    let mut v = vehicle(&fx.c1.id, &vin(77).to_lowercase());
    v.dealer_id = "d3".into(); // output only: ignored
    let created = c.create_vehicle(pb::CreateVehicleRequest { vehicle: Some(v), vehicle_id: "van-77".into(), request_id: rid() }).await.answer();
    assert_eq!((created.id.as_str(), created.vin.as_str(), created.dealer_id.as_str()), ("van-77", vin(77).as_str(), "d1"), "the VIN is upper-cased");
    assert_eq!((created.customer_id.as_str(), created.model.as_str(), created.mileage_km), (fx.c1.id.as_str(), "VAN-E1", 12_500));
    assert_eq!((created.sale_date, created.warranty_start_date), (date(2025, 3, 1), date(2025, 3, 1)));
    assert_eq!(c.get_vehicle(pb::GetVehicleRequest { id: "van-77".into() }).await.answer(), created);

    let serviced = c
        .update_vehicle(pb::UpdateVehicleRequest {
            vehicle: Some(pb::Vehicle { id: "van-77".into(), mileage_km: 30_000, model: "IGNORED".into(), etag: "1".into(), ..Default::default() }),
            update_mask: mask(&["mileage_km"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((serviced.mileage_km, serviced.model.as_str(), serviced.etag.as_str()), (30_000, "VAN-E1", "2"));
    assert_eq!(serviced.sale_date, date(2025, 3, 1));

    // A change of owner within the dealer.
    let other = create_customer(&mut c, customer("d1", "New Owner", "")).await;
    let sold = c
        .update_vehicle(pb::UpdateVehicleRequest {
            vehicle: Some(pb::Vehicle { id: "van-77".into(), customer_id: other.id.clone(), ..Default::default() }),
            update_mask: mask(&["customer_id"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((sold.customer_id.as_str(), sold.dealer_id.as_str(), sold.etag.as_str()), (other.id.as_str(), "d1", "3"));
    assert_eq!(c.get_vehicle(pb::GetVehicleRequest { id: "van-77".into() }).await.answer(), sold);

    let by_vin = c.list_vehicles(pb::ListVehiclesRequest { vin: vin(77), ..Default::default() }).await.answer();
    assert_eq!(by_vin.vehicles, vec![sold.clone()]);
    let of_other = c.list_vehicles(pb::ListVehiclesRequest { customer_id: other.id.clone(), ..Default::default() }).await.answer();
    assert_eq!(of_other.vehicles, vec![sold.clone()]);

    c.delete_vehicle(pb::DeleteVehicleRequest { id: "van-77".into(), etag: sold.etag, request_id: rid() }).await.answer();
    c.get_vehicle(pb::GetVehicleRequest { id: "van-77".into() }).await.refused(Code::NotFound);
    assert_eq!(c.list_vehicles(pb::ListVehiclesRequest::default()).await.answer().vehicles, vec![fx.v1]);
});

both!(head_office_moves_a_vehicle_to_another_dealer, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.oem();
    let moved = c
        .update_vehicle(pb::UpdateVehicleRequest {
            vehicle: Some(pb::Vehicle { id: fx.v1.id.clone(), customer_id: fx.c2.id.clone(), ..Default::default() }),
            update_mask: mask(&["customer_id"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((moved.customer_id.as_str(), moved.dealer_id.as_str()), (fx.c2.id.as_str(), "d2"));
    let of_d2 = h.dealer("d2").list_vehicles(pb::ListVehiclesRequest::default()).await.answer();
    assert_eq!(of_d2.vehicles.len(), 2);
    assert!(h.dealer("d1").list_vehicles(pb::ListVehiclesRequest::default()).await.answer().vehicles.is_empty());
});
