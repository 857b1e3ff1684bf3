//! Conflicts with what is stored: taken codes, VINs and ids (ALREADY_EXISTS),
//! stale etags (ABORTED), objects still referred to (FAILED_PRECONDITION).

use crate::fixture::*;

both!(
    taken_codes_vins_and_ids_already_exist,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let mut c = h.oem();
        let copy = create::dealer("d9", dealer("south", "Copy", "D1"));
        let s = c.create_dealer(copy).await.refused(Code::AlreadyExists);
        assert!(s.message().contains("code D1"), "{}", s.message());
        let patch = pb::Dealer {
            code: "D1".into(),
            ..Default::default()
        };
        let s = c
            .update_dealer(update::dealer("d2", patch, &["code"]))
            .await
            .refused(Code::AlreadyExists);
        assert!(s.message().contains("code D1"), "{}", s.message());
        let copy = create::station("s9", station("d2", "Copy", "S1"));
        let s = c.create_station(copy).await.refused(Code::AlreadyExists);
        assert!(s.message().contains("code S1"), "{}", s.message());
        let patch = pb::Station {
            code: "S4".into(),
            ..Default::default()
        };
        c.update_station(update::station("s3", patch, &["code"]))
            .await
            .refused(Code::AlreadyExists);
        // The same VIN, also written in lower case.
        for v in [fx.v1.vin.clone(), fx.v1.vin.to_lowercase()] {
            let copy = create::vehicle("v-copy", vehicle(&fx.c2.id, &v));
            let s = c.create_vehicle(copy).await.refused(Code::AlreadyExists);
            assert!(s.message().contains(&fx.v1.vin), "{}", s.message());
        }
        let patch = pb::Vehicle {
            vin: fx.v3.vin.clone(),
            ..Default::default()
        };
        let request = update::vehicle(&fx.v2.id, patch, &["vin"]);
        c.update_vehicle(request).await.refused(Code::AlreadyExists);

        // Ids a client chose that are taken.
        let taken = Code::AlreadyExists;
        c.create_region(create::region("north", region("Again")))
            .await
            .refused(taken);
        c.create_dealer(create::dealer("d1", dealer("north", "Again", "D-NEW")))
            .await
            .refused(taken);
        c.create_station(create::station("s2", station("d1", "Again", "S-NEW")))
            .await
            .refused(taken);
        let again = staff("s1", "Again", StaffPosition::Manager);
        c.create_staff_member(create::staff(&fx.tech1.id, again))
            .await
            .refused(taken);
        let again = customer("d1", "Again", "");
        c.create_customer(create::customer(&fx.c1.id, again))
            .await
            .refused(taken);
        let again = vehicle(&fx.c1.id, &vin(55));
        c.create_vehicle(create::vehicle(&fx.v2.id, again))
            .await
            .refused(taken);

        // Nothing changed.
        let dealers = c
            .list_dealers(pb::ListDealersRequest::default())
            .await
            .answer();
        assert_eq!(
            dealers.dealers,
            [fx.d1.clone(), fx.d2.clone(), fx.d3.clone()]
        );
        assert_eq!(c.get_station(get::station("s3")).await.answer(), fx.s3);
        assert_eq!(
            c.get_staff_member(get::staff(&fx.tech1.id)).await.answer(),
            fx.tech1
        );
        assert_eq!(
            c.get_customer(get::customer(&fx.c1.id)).await.answer(),
            fx.c1
        );
        assert_eq!(c.get_vehicle(get::vehicle(&fx.v2.id)).await.answer(), fx.v2);
        let vehicles = c
            .list_vehicles(pb::ListVehiclesRequest::default())
            .await
            .answer();
        assert_eq!(vehicles.vehicles.len(), 3);
    }
);

both!(stale_etags_abort, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.oem();
    let (m, x, v) = (&fx.advisor4.id, &fx.c3.id, &fx.v3.id);
    // Someone else changes each object first…
    c.update_region(update::region("south", region("Southern"), &[]))
        .await
        .answer();
    let patch = pb::Dealer {
        city: "Bath".into(),
        ..Default::default()
    };
    c.update_dealer(update::dealer("d3", patch, &[]))
        .await
        .answer();
    let patch = pb::Station {
        star_level: 1,
        ..Default::default()
    };
    c.update_station(update::station("s4", patch, &[]))
        .await
        .answer();
    let patch = pb::StaffMember {
        display_name: "Di".into(),
        ..Default::default()
    };
    c.update_staff_member(update::staff(m, patch, &[]))
        .await
        .answer();
    let patch = pb::Customer {
        display_name: "C".into(),
        ..Default::default()
    };
    c.update_customer(update::customer(x, patch, &[]))
        .await
        .answer();
    let patch = pb::Vehicle {
        mileage_km: 5,
        ..Default::default()
    };
    c.update_vehicle(update::vehicle(v, patch, &[]))
        .await
        .answer();

    // …so updates and deletes conditional on the etag read before abort.
    let (stale, aborted) = ("1".to_owned(), Code::Aborted);
    let patch = pb::Region {
        etag: stale.clone(),
        ..region("Mine")
    };
    c.update_region(update::region("south", patch, &[]))
        .await
        .refused(aborted);
    let patch = pb::Dealer {
        city: "Mine".into(),
        etag: stale.clone(),
        ..Default::default()
    };
    c.update_dealer(update::dealer("d3", patch, &[]))
        .await
        .refused(aborted);
    let patch = pb::Station {
        star_level: 2,
        etag: stale.clone(),
        ..Default::default()
    };
    c.update_station(update::station("s4", patch, &[]))
        .await
        .refused(aborted);
    let patch = pb::StaffMember {
        display_name: "Mine".into(),
        etag: stale.clone(),
        ..Default::default()
    };
    c.update_staff_member(update::staff(m, patch, &[]))
        .await
        .refused(aborted);
    let patch = pb::Customer {
        display_name: "Mine".into(),
        etag: stale.clone(),
        ..Default::default()
    };
    c.update_customer(update::customer(x, patch, &[]))
        .await
        .refused(aborted);
    let patch = pb::Vehicle {
        mileage_km: 6,
        etag: stale.clone(),
        ..Default::default()
    };
    c.update_vehicle(update::vehicle(v, patch, &[]))
        .await
        .refused(aborted);

    c.delete_vehicle(delete::vehicle(v, &stale))
        .await
        .refused(aborted);
    // (c2 still owns a vehicle: the etag is checked first.)
    c.delete_customer(delete::customer(&fx.c2.id, "7"))
        .await
        .refused(aborted);
    c.delete_staff_member(delete::staff(m, &stale))
        .await
        .refused(aborted);
    c.delete_station(delete::station("s4", &stale))
        .await
        .refused(aborted);
    c.delete_dealer(delete::dealer("d3", &stale))
        .await
        .refused(aborted);
    c.delete_region(delete::region("south", &stale))
        .await
        .refused(aborted);

    // The other change stands; the current etag works.
    let v3 = c.get_vehicle(get::vehicle(v)).await.answer();
    assert_eq!((v3.mileage_km, v3.etag.as_str()), (5, "2"));
    let s4 = c.get_station(get::station("s4")).await.answer();
    assert_eq!((s4.star_level, s4.etag.as_str()), (1, "2"));
    let south = c.get_region(get::region("south")).await.answer();
    assert_eq!(
        (south.display_name.as_str(), south.etag.as_str()),
        ("Southern", "2")
    );
    c.delete_vehicle(delete::vehicle(v, &v3.etag))
        .await
        .answer();
});

both!(what_is_referred_to_cannot_go, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.oem();
    let held = Code::FailedPrecondition;
    c.delete_region(delete::region("north", ""))
        .await
        .refused(held); // dealers
    c.delete_dealer(delete::dealer("d1", ""))
        .await
        .refused(held); // stations, customers
    c.delete_station(delete::station("s1", ""))
        .await
        .refused(held); // staff
    c.delete_customer(delete::customer(&fx.c1.id, ""))
        .await
        .refused(held); // a vehicle
    c.delete_staff_member(delete::staff(&fx.advisor1.id, ""))
        .await
        .refused(held); // advises c1
    // An advisor who advises customers cannot stop being one either.
    let demote = pb::StaffMember {
        position: StaffPosition::Technician as i32,
        ..Default::default()
    };
    let request = update::staff(&fx.advisor1.id, demote, &["position"]);
    c.update_staff_member(request).await.refused(held);
    // A dealer with customers but no stations is still referred to.
    let lone = create_dealer(&mut c, "d9", dealer("south", "Lone", "D9")).await;
    create_customer(&mut c, customer("d9", "Only", "")).await;
    c.delete_dealer(delete::dealer(&lone.id, ""))
        .await
        .refused(held);

    // Everything is still there, unchanged.
    assert_eq!(c.get_region(get::region("north")).await.answer(), fx.north);
    assert_eq!(c.get_dealer(get::dealer("d1")).await.answer(), fx.d1);
    assert_eq!(c.get_station(get::station("s1")).await.answer(), fx.s1);
    assert_eq!(
        c.get_customer(get::customer(&fx.c1.id)).await.answer(),
        fx.c1
    );
    assert_eq!(
        c.get_staff_member(get::staff(&fx.advisor1.id))
            .await
            .answer(),
        fx.advisor1
    );

    // Once the references are gone, so can the object be.
    let unadvised = update::customer(&fx.c1.id, Default::default(), &["advisor_id"]);
    c.update_customer(unadvised).await.answer();
    c.delete_staff_member(delete::staff(&fx.advisor1.id, ""))
        .await
        .answer();
    c.delete_vehicle(delete::vehicle(&fx.v1.id, ""))
        .await
        .answer();
    c.delete_customer(delete::customer(&fx.c1.id, ""))
        .await
        .answer();
});
