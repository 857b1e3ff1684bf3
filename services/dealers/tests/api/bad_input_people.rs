//! INVALID_ARGUMENT, with the field named in a google.rpc.BadRequest, for
//! every staff member, customer and vehicle RPC, and more ways to get their
//! fields wrong.

use crate::fixture::*;

both!(
    every_people_rpc_names_the_bad_field,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let c = &mut h.dealer("d1");
        let other = create_vehicle(c, vehicle(&fx.c1.id, &vin(11))).await;
        let of_c1 = pb::ListVehiclesRequest {
            page_size: 1,
            customer_id: fx.c1.id.clone(),
            ..Default::default()
        };
        let token_for_c1 = c
            .list_vehicles(of_c1.clone())
            .await
            .answer()
            .next_page_token;
        assert!(!token_for_c1.is_empty());

        let garbage = pb::ListStaffMembersRequest {
            page_token: "AAAAAAAAAAAAAA".into(),
            ..Default::default()
        };
        let mut undated = staff("s1", "Una Dated", StaffPosition::Technician);
        undated.certifications = vec![certification("HV-2", None)];
        let no_such_position = pb::StaffMember {
            position: 99,
            ..Default::default()
        };
        let spaced = pb::DeleteStaffMemberRequest {
            request_id: "has space".into(),
            ..delete::staff(&fx.tech1.id, "")
        };
        let negative = pb::ListCustomersRequest {
            page_size: -5,
            ..Default::default()
        };
        let local_phone = pb::Customer {
            phone: "030123456".into(),
            ..customer("d1", "Al", "")
        };
        let local_mail = pb::Customer {
            email: "anna@localhost".into(),
            ..Default::default()
        };
        let other_filter = pb::ListVehiclesRequest {
            page_token: token_for_c1,
            customer_id: String::new(),
            vin: vin(11),
            ..of_c1
        };
        let letter_o = vehicle(&fx.c1.id, "1M8GDM9AXKP04278O");
        let negative_km = pb::Vehicle {
            mileage_km: -1,
            ..Default::default()
        };
        #[rustfmt::skip]
        let cases: Vec<(&str, &str, String)> = vec![
            ("GetStaffMember", "id", c.get_staff_member(get::staff("Tom")).await.bad_field()),
            ("ListStaffMembers", "page_token", c.list_staff_members(garbage).await.bad_field()),
            ("CreateStaffMember", "staff_member.certifications[0].expire_date", c.create_staff_member(create::staff("", undated)).await.bad_field()),
            ("UpdateStaffMember", "staff_member.position", c.update_staff_member(update::staff(&fx.tech1.id, no_such_position, &["position"])).await.bad_field()),
            ("DeleteStaffMember", "request_id", c.delete_staff_member(spaced).await.bad_field()),
            ("GetCustomer", "id", c.get_customer(get::customer("")).await.bad_field()),
            ("ListCustomers", "page_size", c.list_customers(negative).await.bad_field()),
            ("CreateCustomer", "customer.phone", c.create_customer(create::customer("", local_phone)).await.bad_field()),
            ("UpdateCustomer", "customer.email", c.update_customer(update::customer(&fx.c1.id, local_mail, &["email"])).await.bad_field()),
            ("DeleteCustomer", "id", c.delete_customer(delete::customer("", "")).await.bad_field()),
            ("GetVehicle", "id", c.get_vehicle(get::vehicle("V1")).await.bad_field()),
            ("ListVehicles", "page_token", c.list_vehicles(other_filter).await.bad_field()),
            ("CreateVehicle", "vehicle.vin", c.create_vehicle(create::vehicle("", letter_o)).await.bad_field()),
            ("UpdateVehicle", "vehicle.mileage_km", c.update_vehicle(update::vehicle(&fx.v1.id, negative_km, &["mileage_km"])).await.bad_field()),
            ("DeleteVehicle", "etag", c.delete_vehicle(delete::vehicle(&other.id, "0")).await.bad_field()),
        ];
        assert_eq!(cases.len(), 15);
        for (rpc, expected, got) in cases {
            assert_eq!(got, expected, "{rpc} names the field");
        }

        // Nothing was changed or created by the refused requests.
        let mut oem = h.oem();
        let staff = oem
            .list_staff_members(pb::ListStaffMembersRequest::default())
            .await
            .answer();
        assert_eq!(staff.staff_members.len(), 4);
        let customers = oem
            .list_customers(pb::ListCustomersRequest::default())
            .await
            .answer();
        assert_eq!(customers.customers.len(), 3);
        let vehicles = oem
            .list_vehicles(pb::ListVehiclesRequest::default())
            .await
            .answer();
        assert_eq!(vehicles.vehicles.len(), 4);
        assert_eq!(
            oem.get_staff_member(get::staff(&fx.tech1.id))
                .await
                .answer(),
            fx.tech1
        );
        assert_eq!(
            oem.get_customer(get::customer(&fx.c1.id)).await.answer(),
            fx.c1
        );
        assert_eq!(
            oem.get_vehicle(get::vehicle(&fx.v1.id)).await.answer(),
            fx.v1
        );
        assert_eq!(
            oem.get_vehicle(get::vehicle(&other.id)).await.answer(),
            other
        );
    }
);

both!(more_bad_people_fields, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let c = &mut h.dms("d1");
    let certified = |certifications| pb::StaffMember {
        certifications,
        ..staff("s1", "Cert", StaffPosition::Technician)
    };
    let twice = certified(vec![
        certification("HV-2", date(2027, 1, 1)),
        certification("HV-2", date(2028, 1, 1)),
    ]);
    let bad_kind = certified(vec![
        certification("HV-2", date(2027, 1, 1)),
        certification("hv 3", date(2027, 1, 1)),
    ]);
    let no_such_day = certified(vec![certification("HV-2", date(2027, 2, 30))]);
    let no_member = pb::CreateStaffMemberRequest {
        staff_member: None,
        ..create::staff("", twice.clone())
    };
    let v = |f: fn(&mut pb::Vehicle)| {
        let mut v = vehicle(&fx.c1.id, &vin(12));
        f(&mut v);
        create::vehicle("", v)
    };
    let moved = pb::Vehicle {
        dealer_id: "d2".into(),
        ..Default::default()
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, String)> = vec![
        ("staff_member.certifications", c.create_staff_member(create::staff("", twice)).await.bad_field()),
        ("staff_member.certifications[1].kind", c.create_staff_member(create::staff("", bad_kind)).await.bad_field()),
        ("staff_member.certifications[0].expire_date", c.create_staff_member(create::staff("", no_such_day)).await.bad_field()),
        ("staff_member.position", c.create_staff_member(create::staff("", staff("s1", "No Job", StaffPosition::Unspecified))).await.bad_field()),
        ("staff_member.station_id", c.create_staff_member(create::staff("", staff("", "Nowhere", StaffPosition::Manager))).await.bad_field()),
        ("staff_member", c.create_staff_member(no_member).await.bad_field()),
        ("staff_member.id", c.update_staff_member(update::staff("", staff("s1", "X", StaffPosition::Manager), &[])).await.bad_field()),
        ("customer.display_name", c.create_customer(create::customer("", customer("d1", "", ""))).await.bad_field()),
        ("customer.advisor_id", c.create_customer(create::customer("", customer("d1", "Al", "Ada"))).await.bad_field()),
        ("customer.dealer_id", c.create_customer(create::customer("", customer("", "Al", ""))).await.bad_field()),
        ("customer_id", c.create_customer(create::customer("C 1", customer("d1", "Al", ""))).await.bad_field()),
        ("customer.id", c.update_customer(update::customer("", customer("d1", "Al", ""), &[])).await.bad_field()),
        ("vehicle.vin", c.create_vehicle(v(|v| v.vin.truncate(16))).await.bad_field()),
        ("vehicle.model", c.create_vehicle(v(|v| v.model = "van e1".into())).await.bad_field()),
        ("vehicle.sale_date", c.create_vehicle(v(|v| v.sale_date = date(2025, 13, 1))).await.bad_field()),
        ("vehicle.warranty_start_date", c.create_vehicle(v(|v| v.warranty_start_date = date(0, 3, 1))).await.bad_field()),
        ("vehicle.mileage_km", c.create_vehicle(v(|v| v.mileage_km = -3)).await.bad_field()),
        ("vehicle.customer_id", c.create_vehicle(v(|v| v.customer_id.clear())).await.bad_field()),
        ("vehicle_id", c.create_vehicle(pb::CreateVehicleRequest { vehicle_id: "V-1".into(), ..v(|_| ()) }).await.bad_field()),
        ("update_mask", c.update_vehicle(update::vehicle(&fx.v1.id, moved, &["dealer_id"])).await.bad_field()),
    ];
    for (expected, got) in cases {
        assert_eq!(got, expected);
    }
    let vehicles = h
        .oem()
        .list_vehicles(pb::ListVehiclesRequest::default())
        .await
        .answer();
    assert_eq!(vehicles.vehicles.len(), 3);
    let staff = h
        .oem()
        .list_staff_members(pb::ListStaffMembersRequest::default())
        .await
        .answer();
    assert_eq!(staff.staff_members.len(), 4);
});
