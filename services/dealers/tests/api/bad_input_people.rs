//! INVALID_ARGUMENT, with the field named in a google.rpc.BadRequest, for
//! every staff member, customer and vehicle RPC.

use aftercare_proto::dealers::v1::{self as pb, StaffPosition};
use tonic::{Response, Status};

use crate::{
    both,
    fixture::{Fixture, Outcome, certification, customer, date, mask, rid, staff, vehicle, vin},
    support::Harness,
};

fn field<T: std::fmt::Debug>(r: Result<Response<T>, Status>) -> String {
    r.bad_field()
}

fn create_staff(m: pb::StaffMember) -> pb::CreateStaffMemberRequest {
    pb::CreateStaffMemberRequest { staff_member: Some(m), staff_member_id: String::new(), request_id: rid() }
}

fn create_customer(x: pb::Customer) -> pb::CreateCustomerRequest {
    pb::CreateCustomerRequest { customer: Some(x), customer_id: String::new(), request_id: rid() }
}

fn create_vehicle(v: pb::Vehicle) -> pb::CreateVehicleRequest {
    pb::CreateVehicleRequest { vehicle: Some(v), vehicle_id: String::new(), request_id: rid() }
}

both!(every_people_rpc_names_the_bad_field, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.dealer("d1");
    let c = &mut c;
    let token_for_c1 = c
        .list_vehicles(pb::ListVehiclesRequest { page_size: 1, customer_id: fx.c1.id.clone(), ..Default::default() })
        .await
        .answer();
    assert_eq!(token_for_c1.next_page_token, "", "c1 has one vehicle");
    let other = c.create_vehicle(create_vehicle(vehicle(&fx.c1.id, &vin(11)))).await.answer();
    let token_for_c1 = c
        .list_vehicles(pb::ListVehiclesRequest { page_size: 1, customer_id: fx.c1.id.clone(), ..Default::default() })
        .await
        .answer()
        .next_page_token;
    let mut undated = staff("s1", "Una Dated", StaffPosition::Technician);
    undated.certifications = vec![certification("HV-2", None)];

    let cases: Vec<(&str, &str, String)> = vec![
        ("GetStaffMember", "id", field(c.get_staff_member(pb::GetStaffMemberRequest { id: "Tom".into() }).await)),
        (
            "ListStaffMembers",
            "page_token",
            field(c.list_staff_members(pb::ListStaffMembersRequest { page_token: "AAAAAAAAAAAAAA".into(), ..Default::default() }).await),
        ),
        ("CreateStaffMember", "staff_member.certifications[0].expire_date", field(c.create_staff_member(create_staff(undated)).await)),
        (
            "UpdateStaffMember",
            "staff_member.position",
            field(
                c.update_staff_member(pb::UpdateStaffMemberRequest {
                    staff_member: Some(pb::StaffMember { id: fx.tech1.id.clone(), position: 99, ..Default::default() }),
                    update_mask: mask(&["position"]),
                    request_id: rid(),
                })
                .await,
            ),
        ),
        (
            "DeleteStaffMember",
            "request_id",
            field(c.delete_staff_member(pb::DeleteStaffMemberRequest { id: fx.tech1.id.clone(), etag: String::new(), request_id: "has space".into() }).await),
        ),
        ("GetCustomer", "id", field(c.get_customer(pb::GetCustomerRequest { id: String::new() }).await)),
        ("ListCustomers", "page_size", field(c.list_customers(pb::ListCustomersRequest { page_size: -5, ..Default::default() }).await)),
        (
            "CreateCustomer",
            "customer.phone",
            field(c.create_customer(create_customer(pb::Customer { phone: "030123456".into(), ..customer("d1", "Al", "") })).await),
        ),
        (
            "UpdateCustomer",
            "customer.email",
            field(
                c.update_customer(pb::UpdateCustomerRequest {
                    customer: Some(pb::Customer { id: fx.c1.id.clone(), email: "anna@localhost".into(), ..Default::default() }),
                    update_mask: mask(&["email"]),
                    request_id: rid(),
                })
                .await,
            ),
        ),
        ("DeleteCustomer", "id", field(c.delete_customer(pb::DeleteCustomerRequest { id: String::new(), etag: String::new(), request_id: rid() }).await)),
        ("GetVehicle", "id", field(c.get_vehicle(pb::GetVehicleRequest { id: "V1".into() }).await)),
        (
            "ListVehicles",
            "page_token",
            field(c.list_vehicles(pb::ListVehiclesRequest { page_size: 1, page_token: token_for_c1.clone(), vin: vin(11), ..Default::default() }).await),
        ),
        ("CreateVehicle", "vehicle.vin", field(c.create_vehicle(create_vehicle(vehicle(&fx.c1.id, "1M8GDM9AXKP04278O"))).await)),
        (
            "UpdateVehicle",
            "vehicle.mileage_km",
            field(
                c.update_vehicle(pb::UpdateVehicleRequest {
                    vehicle: Some(pb::Vehicle { id: fx.v1.id.clone(), mileage_km: -1, ..Default::default() }),
                    update_mask: mask(&["mileage_km"]),
                    request_id: rid(),
                })
                .await,
            ),
        ),
        ("DeleteVehicle", "etag", field(c.delete_vehicle(pb::DeleteVehicleRequest { id: other.id.clone(), etag: "0".into(), request_id: rid() }).await)),
    ];
    assert_eq!(cases.len(), 15);
    for (rpc, expected, got) in cases {
        assert_eq!(got, expected, "{rpc} names the field");
    }

    // More ways to get a person or a vehicle wrong.
    let twice = vec![certification("HV-2", date(2027, 1, 1)), certification("HV-2", date(2028, 1, 1))];
    let bad_kind = vec![certification("HV-2", date(2027, 1, 1)), certification("hv 3", date(2027, 1, 1))];
    let no_such_day = vec![certification("HV-2", date(2027, 2, 30))];
    let with_certs = |certifications| pb::StaffMember { certifications, ..staff("s1", "Cert", StaffPosition::Technician) };
    let more: Vec<(&str, String)> = vec![
        ("staff_member.certifications", field(c.create_staff_member(create_staff(with_certs(twice))).await)),
        ("staff_member.certifications[1].kind", field(c.create_staff_member(create_staff(with_certs(bad_kind))).await)),
        ("staff_member.certifications[0].expire_date", field(c.create_staff_member(create_staff(with_certs(no_such_day))).await)),
        ("staff_member.position", field(c.create_staff_member(create_staff(staff("s1", "No Job", StaffPosition::Unspecified))).await)),
        ("staff_member.station_id", field(c.create_staff_member(create_staff(staff("", "Nowhere", StaffPosition::Manager))).await)),
        ("staff_member", field(c.create_staff_member(pb::CreateStaffMemberRequest::default()).await)),
        ("customer.display_name", field(c.create_customer(create_customer(customer("d1", "", ""))).await)),
        ("customer.advisor_id", field(c.create_customer(create_customer(customer("d1", "Al", "Ada"))).await)),
        ("customer.dealer_id", field(c.create_customer(create_customer(customer("", "Al", ""))).await)),
        ("customer_id", field(c.create_customer(pb::CreateCustomerRequest { customer_id: "C 1".into(), ..create_customer(customer("d1", "Al", "")) }).await)),
        (
            "customer.id",
            field(c.update_customer(pb::UpdateCustomerRequest { customer: Some(customer("d1", "Al", "")), update_mask: None, request_id: rid() }).await),
        ),
        ("vehicle.vin", field(c.create_vehicle(create_vehicle(vehicle(&fx.c1.id, "1M8GDM9AXKP04278"))).await)),
        ("vehicle.model", field(c.create_vehicle(create_vehicle(pb::Vehicle { model: "van e1".into(), ..vehicle(&fx.c1.id, &vin(12)) })).await)),
        ("vehicle.sale_date", field(c.create_vehicle(create_vehicle(pb::Vehicle { sale_date: date(2025, 13, 1), ..vehicle(&fx.c1.id, &vin(12)) })).await)),
        ("vehicle.mileage_km", field(c.create_vehicle(create_vehicle(pb::Vehicle { mileage_km: -3, ..vehicle(&fx.c1.id, &vin(12)) })).await)),
        ("vehicle.customer_id", field(c.create_vehicle(create_vehicle(vehicle("", &vin(12)))).await)),
        ("vehicle_id", field(c.create_vehicle(pb::CreateVehicleRequest { vehicle_id: "V-1".into(), ..create_vehicle(vehicle(&fx.c1.id, &vin(12))) }).await)),
        (
            "update_mask",
            field(
                c.update_vehicle(pb::UpdateVehicleRequest {
                    vehicle: Some(pb::Vehicle { id: fx.v1.id.clone(), dealer_id: "d2".into(), ..Default::default() }),
                    update_mask: mask(&["dealer_id"]),
                    request_id: rid(),
                })
                .await,
            ),
        ),
    ];
    for (expected, got) in more {
        assert_eq!(got, expected);
    }

    // Nothing was changed or created by the refused requests.
    let mut oem = h.oem();
    assert_eq!(oem.list_staff_members(pb::ListStaffMembersRequest::default()).await.answer().staff_members.len(), 4);
    assert_eq!(oem.list_customers(pb::ListCustomersRequest::default()).await.answer().customers.len(), 3);
    assert_eq!(oem.list_vehicles(pb::ListVehiclesRequest::default()).await.answer().vehicles.len(), 4);
    assert_eq!(oem.get_staff_member(pb::GetStaffMemberRequest { id: fx.tech1.id.clone() }).await.answer(), fx.tech1);
    assert_eq!(oem.get_customer(pb::GetCustomerRequest { id: fx.c1.id.clone() }).await.answer(), fx.c1);
    assert_eq!(oem.get_vehicle(pb::GetVehicleRequest { id: fx.v1.id.clone() }).await.answer(), fx.v1);
});
