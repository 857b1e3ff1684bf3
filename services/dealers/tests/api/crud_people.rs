//! Happy paths of a dealer's own business: staff members, customers,
//! vehicles — create, get, list, update (mask and etag), delete.

use crate::fixture::*;

both!(staff_members_round_trip, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.dealer("d1");
    let mut m = staff("s2", "Max Mechanic", StaffPosition::Technician);
    let (hv2, brakes) = (
        certification("HV-2", date(2027, 1, 31)),
        certification("BRAKES", date(2026, 12, 31)),
    );
    m.certifications = vec![hv2, brakes.clone()];
    m.dealer_id = "d3".into(); // output only: ignored
    let created = c
        .create_staff_member(create::staff("max", m))
        .await
        .answer();
    let m = &created;
    let fields = (
        m.id.as_str(),
        m.station_id.as_str(),
        m.dealer_id.as_str(),
        m.display_name.as_str(),
    );
    assert_eq!(fields, ("max", "s2", "d1", "Max Mechanic"));
    assert_eq!(
        (m.position, m.etag.as_str()),
        (StaffPosition::Technician as i32, "1")
    );
    let kinds = ids(&m.certifications, |c| &c.kind);
    assert_eq!(kinds, ["BRAKES", "HV-2"], "certifications come by kind");
    assert_eq!(
        c.get_staff_member(get::staff("max")).await.answer(),
        created,
        "as created"
    );
    assert_eq!(
        c.get_staff_member(get::staff(&fx.tech1.id)).await.answer(),
        fx.tech1
    );
    assert_eq!(
        fx.tech1.certifications,
        [certification("HV-2", date(2027, 6, 30))]
    );

    // Replace the certifications and promote, conditional on the etag.
    let hv3 = certification("HV-3", date(2028, 2, 29));
    let patch = pb::StaffMember {
        position: StaffPosition::Manager as i32,
        certifications: vec![hv3.clone()],
        display_name: "Ignored".into(),
        etag: "1".into(),
        ..Default::default()
    };
    let request = update::staff("max", patch, &["position", "certifications"]);
    let updated = c.update_staff_member(request).await.answer();
    assert_eq!(
        (updated.position, updated.etag.as_str()),
        (StaffPosition::Manager as i32, "2")
    );
    assert_eq!(
        (
            updated.display_name.as_str(),
            updated.certifications.clone()
        ),
        ("Max Mechanic", vec![hv3])
    );
    assert_eq!(
        c.get_staff_member(get::staff("max")).await.answer(),
        updated
    );

    // Naming certifications in the mask with none sent clears them.
    let request = update::staff("max", Default::default(), &["certifications"]);
    let cleared = c.update_staff_member(request).await.answer();
    assert!(cleared.certifications.is_empty());
    let at_s2 = pb::ListStaffMembersRequest {
        station_id: "s2".into(),
        ..Default::default()
    };
    assert_eq!(
        c.list_staff_members(at_s2).await.answer().staff_members,
        vec![cleared.clone()]
    );

    c.delete_staff_member(delete::staff("max", &cleared.etag))
        .await
        .answer();
    c.get_staff_member(get::staff("max"))
        .await
        .refused(Code::NotFound);
    let of_d1 = c
        .list_staff_members(pb::ListStaffMembersRequest::default())
        .await
        .answer();
    assert_eq!(
        of_d1.staff_members,
        by_id(&[&fx.advisor1, &fx.tech1], |m| &m.id)
    );
});

both!(customers_round_trip, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.dealer("d1");
    let advisor2 = create_staff(
        &mut c,
        staff("s2", "Eve Advisor", StaffPosition::ServiceAdvisor),
    )
    .await;
    let created = create_customer(&mut c, customer("d1", "Dora Driver", &fx.advisor1.id)).await;
    let x = &created;
    assert_eq!(
        (x.dealer_id.as_str(), x.display_name.as_str()),
        ("d1", "Dora Driver")
    );
    assert_eq!(
        (x.advisor_id.as_str(), x.etag.as_str()),
        (fx.advisor1.id.as_str(), "1")
    );
    assert_eq!(
        (x.phone.as_str(), x.email.as_str()),
        ("+4930123456", "anna@example.com")
    );
    assert_eq!(c.get_customer(get::customer(&x.id)).await.answer(), created);

    // Another advisor of the same dealer, and the phone cleared, by mask.
    let patch = pb::Customer {
        advisor_id: advisor2.id.clone(),
        etag: "1".into(),
        ..Default::default()
    };
    let request = update::customer(&created.id, patch, &["advisor_id", "phone"]);
    let updated = c.update_customer(request).await.answer();
    let u = &updated;
    assert_eq!(
        (u.advisor_id.as_str(), u.phone.as_str(), u.etag.as_str()),
        (advisor2.id.as_str(), "", "2")
    );
    assert_eq!(
        (u.display_name.as_str(), u.email.as_str()),
        ("Dora Driver", "anna@example.com")
    );
    assert_eq!(c.get_customer(get::customer(&u.id)).await.answer(), updated);

    let of_advisor2 = pb::ListCustomersRequest {
        advisor_id: advisor2.id.clone(),
        ..Default::default()
    };
    assert_eq!(
        c.list_customers(of_advisor2).await.answer().customers,
        vec![updated.clone()]
    );
    let of_d1 = c
        .list_customers(pb::ListCustomersRequest::default())
        .await
        .answer();
    assert_eq!(of_d1.customers, [fx.c1.clone(), updated.clone()]);

    // A customer without an advisor.
    let request = update::customer(&created.id, Default::default(), &["advisor_id"]);
    let unadvised = c.update_customer(request).await.answer();
    assert_eq!(
        (unadvised.advisor_id.as_str(), unadvised.etag.as_str()),
        ("", "3")
    );

    c.delete_customer(delete::customer(&created.id, "3"))
        .await
        .answer();
    c.get_customer(get::customer(&created.id))
        .await
        .refused(Code::NotFound);
    let left = c
        .list_customers(pb::ListCustomersRequest::default())
        .await
        .answer();
    assert_eq!(left.customers, [fx.c1]);
});

both!(a_customers_locale_round_trips, |h: Harness| async move {
    Fixture::build(&h).await;
    let mut c = h.dealer("d1");
    let created = create_customer(
        &mut c,
        pb::Customer {
            locale: "zh-CN".into(),
            ..customer("d1", "Li Lei", "")
        },
    )
    .await;
    assert_eq!(created.locale, "zh-CN");
    assert_eq!(
        c.get_customer(get::customer(&created.id)).await.answer(),
        created
    );

    // Changed by mask, then cleared (unknown again).
    let patch = pb::Customer {
        locale: "en".into(),
        ..Default::default()
    };
    let request = update::customer(&created.id, patch, &["locale"]);
    let english = c.update_customer(request).await.answer();
    assert_eq!(
        (english.locale.as_str(), english.display_name.as_str()),
        ("en", "Li Lei")
    );
    let request = update::customer(&created.id, Default::default(), &["locale"]);
    assert_eq!(c.update_customer(request).await.answer().locale, "");

    // A tag of the wrong shape names the field, on create and on update.
    let bad = pb::Customer {
        locale: "zh_CN".into(),
        ..customer("d1", "Han Meimei", "")
    };
    assert_eq!(
        c.create_customer(create::customer("", bad.clone()))
            .await
            .bad_field(),
        "customer.locale"
    );
    let request = update::customer(&created.id, bad, &["locale"]);
    assert_eq!(
        c.update_customer(request).await.bad_field(),
        "customer.locale"
    );
});

both!(vehicles_round_trip, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.dms("d1");
    let mut v = vehicle(&fx.c1.id, &vin(77).to_lowercase());
    v.dealer_id = "d3".into(); // output only: ignored
    let created = c
        .create_vehicle(create::vehicle("van-77", v))
        .await
        .answer();
    let v = &created;
    let fields = (
        v.id.as_str(),
        v.vin.as_str(),
        v.dealer_id.as_str(),
        v.customer_id.as_str(),
    );
    assert_eq!(
        fields,
        ("van-77", vin(77).as_str(), "d1", fx.c1.id.as_str()),
        "the VIN is upper-cased"
    );
    assert_eq!(
        (v.model.as_str(), v.mileage_km, v.etag.as_str()),
        ("VAN-E1", 12_500, "1")
    );
    assert_eq!(
        (v.sale_date, v.warranty_start_date),
        (date(2025, 3, 1), date(2025, 3, 1))
    );
    assert_eq!(
        c.get_vehicle(get::vehicle("van-77")).await.answer(),
        created
    );

    let patch = pb::Vehicle {
        mileage_km: 30_000,
        model: "IGNORED".into(),
        etag: "1".into(),
        ..Default::default()
    };
    let serviced = c
        .update_vehicle(update::vehicle("van-77", patch, &["mileage_km"]))
        .await
        .answer();
    let s = &serviced;
    assert_eq!(
        (s.mileage_km, s.model.as_str(), s.etag.as_str()),
        (30_000, "VAN-E1", "2")
    );
    assert_eq!(s.sale_date, date(2025, 3, 1));

    // A change of owner within the dealer.
    let other = create_customer(&mut c, customer("d1", "New Owner", "")).await;
    let patch = pb::Vehicle {
        customer_id: other.id.clone(),
        ..Default::default()
    };
    let sold = c
        .update_vehicle(update::vehicle("van-77", patch, &["customer_id"]))
        .await
        .answer();
    let s = &sold;
    assert_eq!(
        (
            s.customer_id.as_str(),
            s.dealer_id.as_str(),
            s.etag.as_str()
        ),
        (other.id.as_str(), "d1", "3")
    );
    assert_eq!(c.get_vehicle(get::vehicle("van-77")).await.answer(), sold);

    let by_vin = pb::ListVehiclesRequest {
        vin: vin(77),
        ..Default::default()
    };
    assert_eq!(
        c.list_vehicles(by_vin).await.answer().vehicles,
        vec![sold.clone()]
    );
    let of_other = pb::ListVehiclesRequest {
        customer_id: other.id.clone(),
        ..Default::default()
    };
    assert_eq!(
        c.list_vehicles(of_other).await.answer().vehicles,
        vec![sold.clone()]
    );

    c.delete_vehicle(delete::vehicle("van-77", &sold.etag))
        .await
        .answer();
    c.get_vehicle(get::vehicle("van-77"))
        .await
        .refused(Code::NotFound);
    let left = c
        .list_vehicles(pb::ListVehiclesRequest::default())
        .await
        .answer();
    assert_eq!(left.vehicles, [fx.v1]);
});

both!(
    head_office_moves_a_vehicle_to_another_dealer,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let patch = pb::Vehicle {
            customer_id: fx.c2.id.clone(),
            ..Default::default()
        };
        let request = update::vehicle(&fx.v1.id, patch, &["customer_id"]);
        let moved = h.oem().update_vehicle(request).await.answer();
        assert_eq!(
            (moved.customer_id.as_str(), moved.dealer_id.as_str()),
            (fx.c2.id.as_str(), "d2")
        );
        let of_d2 = h
            .dealer("d2")
            .list_vehicles(pb::ListVehiclesRequest::default())
            .await
            .answer();
        assert_eq!(of_d2.vehicles, by_id(&[&moved, &fx.v2], |v| &v.id));
        let of_d1 = h
            .dealer("d1")
            .list_vehicles(pb::ListVehiclesRequest::default())
            .await
            .answer();
        assert!(of_d1.vehicles.is_empty());
    }
);
