//! Safe retries: a request sent again with its request_id is applied once
//! and answered as the first time, also when the copies race.

use aftercare_test_support::once;

use crate::{fixture::*, support::who};

both!(every_create_applies_once, |h: Harness| async move {
    let _network = Fixture::build(&h).await;
    let (c, mut oem) = (h.oem(), h.oem());
    for race in [false, true] {
        let n = u32::from(race);
        let request = create::region("", region("East"));
        let r = once(race, &c, request, |mut c, r| async move {
            c.create_region(r).await
        })
        .await;
        assert_eq!(r.etag, "1");
        let regions = oem
            .list_regions(pb::ListRegionsRequest::default())
            .await
            .answer()
            .regions;
        let easts = regions.iter().filter(|x| x.display_name == "East").count();
        assert_eq!(easts as u32, 1 + n, "one more East");

        let request = create::dealer("", dealer("north", "Nine", &format!("D9-{n}")));
        let d = once(race, &c, request, |mut c, r| async move {
            c.create_dealer(r).await
        })
        .await;
        let of_north = pb::ListDealersRequest {
            region_id: "north".into(),
            ..Default::default()
        };
        let dealers = oem.list_dealers(of_north).await.answer().dealers;
        assert_eq!(
            dealers.iter().filter(|x| x.display_name == "Nine").count() as u32,
            1 + n
        );

        let request = create::station("", station(&d.id, "Nine", &format!("S9-{n}")));
        let s = once(race, &c, request, |mut c, r| async move {
            c.create_station(r).await
        })
        .await;
        let of_d = pb::ListStationsRequest {
            dealer_id: d.id.clone(),
            ..Default::default()
        };
        assert_eq!(
            oem.list_stations(of_d).await.answer().stations,
            vec![s.clone()]
        );

        let request = create::staff("", staff(&s.id, "Nine", StaffPosition::ServiceAdvisor));
        let call = |mut c: Client, r| async move { c.create_staff_member(r).await };
        let m = once(race, &c, request, call).await;
        let at_s = pb::ListStaffMembersRequest {
            station_id: s.id.clone(),
            ..Default::default()
        };
        assert_eq!(
            oem.list_staff_members(at_s).await.answer().staff_members,
            vec![m.clone()]
        );

        let request = create::customer("", customer(&d.id, "Nine", &m.id));
        let x = once(race, &c, request, |mut c, r| async move {
            c.create_customer(r).await
        })
        .await;
        let of_d = pb::ListCustomersRequest {
            dealer_id: d.id.clone(),
            ..Default::default()
        };
        assert_eq!(
            oem.list_customers(of_d).await.answer().customers,
            vec![x.clone()]
        );

        let request = create::vehicle("", vehicle(&x.id, &vin(900 + n)));
        let v = once(race, &c, request, |mut c, r| async move {
            c.create_vehicle(r).await
        })
        .await;
        let of_x = pb::ListVehiclesRequest {
            customer_id: x.id.clone(),
            ..Default::default()
        };
        assert_eq!(oem.list_vehicles(of_x).await.answer().vehicles, [v]);
    }
    let vehicles = oem
        .list_vehicles(pb::ListVehiclesRequest::default())
        .await
        .answer();
    assert_eq!(vehicles.vehicles.len(), 3 + 2);
});

both!(updates_apply_once, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let (c, mut d1) = (h.dealer("d1"), h.dealer("d1"));
    // A conditional update: applied again, its etag would be stale.
    let patch = pb::Vehicle {
        mileage_km: 20_000,
        etag: fx.v1.etag.clone(),
        ..Default::default()
    };
    let request = update::vehicle(&fx.v1.id, patch, &["mileage_km"]);
    let call = |mut c: Client, r| async move { c.update_vehicle(r).await };
    let first = once(false, &c, request.clone(), call).await;
    assert_eq!((first.mileage_km, first.etag.as_str()), (20_000, "2"));
    assert_eq!(once(true, &c, request, call).await, first);
    let stored = d1.get_vehicle(get::vehicle(&fx.v1.id)).await.answer();
    assert_eq!(stored, first, "version bumped once");

    // An unconditional one: applied again, it would bump the version.
    let patch = pb::Customer {
        email: "new@example.com".into(),
        ..Default::default()
    };
    let request = update::customer(&fx.c1.id, patch, &["email"]);
    let call = |mut c: Client, r| async move { c.update_customer(r).await };
    let first = once(true, &c, request.clone(), call).await;
    assert_eq!(
        (first.email.as_str(), first.etag.as_str()),
        ("new@example.com", "2")
    );
    assert_eq!(once(false, &c, request, call).await, first);
    assert_eq!(
        d1.get_customer(get::customer(&fx.c1.id)).await.answer(),
        first
    );
    // A new request id is a new change.
    let patch = pb::Customer {
        email: "newer@example.com".into(),
        ..Default::default()
    };
    let next = d1
        .update_customer(update::customer(&fx.c1.id, patch, &["email"]))
        .await
        .answer();
    assert_eq!(next.etag, "3");
});

both!(deletes_apply_once, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut oem = h.oem();
    create_region(&mut oem, "east", "East").await;
    // Each delete sent three times with one request id answers OK each
    // time; a new request then finds the object gone.
    macro_rules! delete_thrice {
        ($method:ident, $request:expr) => {{
            let request = $request;
            for attempt in 0..3 {
                let result = oem.$method(request.clone()).await;
                assert!(
                    result.is_ok(),
                    "{} {attempt}: {result:?}",
                    stringify!($method)
                );
            }
            let mut again = request;
            again.request_id = rid();
            oem.$method(again).await.refused(Code::NotFound);
        }};
    }
    delete_thrice!(delete_vehicle, delete::vehicle(&fx.v1.id, ""));
    delete_thrice!(delete_customer, delete::customer(&fx.c1.id, ""));
    delete_thrice!(delete_staff_member, delete::staff(&fx.advisor1.id, ""));
    delete_thrice!(
        delete_staff_member,
        delete::staff(&fx.tech1.id, &fx.tech1.etag)
    );
    delete_thrice!(delete_station, delete::station("s1", ""));
    delete_thrice!(delete_station, delete::station("s2", &fx.s2.etag));
    delete_thrice!(delete_dealer, delete::dealer("d1", &fx.d1.etag));
    delete_thrice!(delete_region, delete::region("east", ""));
    let dealers = oem
        .list_dealers(pb::ListDealersRequest::default())
        .await
        .answer();
    assert_eq!(dealers.dealers, [fx.d2, fx.d3]);
});

both!(a_request_id_names_one_request, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.oem();
    let first = create::region("east", region("East"));
    let east = c.create_region(first.clone()).await.answer();
    // The same request id with another body, or for another method.
    let other = pb::CreateRegionRequest {
        region: Some(region("West")),
        ..first.clone()
    };
    assert_eq!(c.create_region(other).await.bad_field(), "request_id");
    let reused = first.request_id.clone();
    let update = pb::UpdateRegionRequest {
        request_id: reused.clone(),
        ..update::region("east", region("E"), &[])
    };
    assert_eq!(c.update_region(update).await.bad_field(), "request_id");
    let delete = pb::DeleteRegionRequest {
        request_id: reused,
        ..delete::region("east", "")
    };
    assert_eq!(c.delete_region(delete).await.bad_field(), "request_id");
    assert_eq!(
        c.get_region(get::region("east")).await.answer(),
        east,
        "nothing was applied"
    );
    assert_eq!(
        c.create_region(first).await.answer(),
        east,
        "the first request still replays"
    );

    // Updates and deletes: the same id with another body.
    let hull = update::dealer(
        "d2",
        pb::Dealer {
            city: "Hull".into(),
            ..Default::default()
        },
        &[],
    );
    c.update_dealer(hull.clone()).await.answer();
    let selby = pb::Dealer {
        id: "d2".into(),
        city: "Selby".into(),
        ..Default::default()
    };
    let selby = pb::UpdateDealerRequest {
        dealer: Some(selby),
        ..hull
    };
    assert_eq!(c.update_dealer(selby).await.bad_field(), "request_id");
    assert_eq!(c.get_dealer(get::dealer("d2")).await.answer().city, "Hull");
    let v2 = delete::vehicle(&fx.v2.id, "");
    c.delete_vehicle(v2.clone()).await.answer();
    let v3 = pb::DeleteVehicleRequest {
        id: fx.v3.id.clone(),
        ..v2
    };
    assert_eq!(c.delete_vehicle(v3).await.bad_field(), "request_id");
    assert_eq!(c.get_vehicle(get::vehicle(&fx.v3.id)).await.answer(), fx.v3);

    // Request ids are the caller's own: another caller's same id is
    // another request.
    let mine = create::dealer("", dealer("north", "Mine", "D-M1"));
    let theirs = pb::CreateDealerRequest {
        request_id: mine.request_id.clone(),
        ..create::dealer("", dealer("north", "Theirs", "D-T1"))
    };
    let a = c.create_dealer(mine).await.answer();
    let b = h.region("north").create_dealer(theirs).await.answer();
    assert_ne!(a.id, b.id);
    let dealers = c
        .list_dealers(pb::ListDealersRequest::default())
        .await
        .answer();
    assert_eq!(dealers.dealers.len(), 5);
});

both!(
    a_stored_answer_goes_only_to_its_own_principal,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        // One identity-provider subject in two dealers' scopes.
        let shared = |p| h.client(who::with_subject("shared", p));
        let (mut d1, mut d2) = (shared(who::dealer("d1")), shared(who::dealer("d2")));
        let request = create::customer("", customer("d1", "Anna Again", &fx.advisor1.id));
        let first = d1.create_customer(request.clone()).await.answer();

        // d2 replaying d1's exact request gets what it would get without
        // d1's: a refusal, never d1's customer.
        let alone = pb::CreateCustomerRequest {
            request_id: rid(),
            ..request.clone()
        };
        let refusal = d2.create_customer(alone).await.refused(Code::NotFound);
        let replayed = d2.create_customer(request.clone()).await;
        assert_eq!(
            replayed.map(|r| r.into_inner()).map_err(|s| s.code()),
            Err(refusal.code()),
            "d2 gets its own outcome"
        );
        // The same scope with other stations is another principal too: its
        // own new customer.
        let mut at_s1 = shared(who::station_staff("d1", "s1"));
        let own = at_s1.create_customer(request.clone()).await.answer();
        assert_ne!(own.id, first.id);

        assert_eq!(
            d1.create_customer(request).await.answer(),
            first,
            "d1's retry still gets its answer"
        );
        let of_d1 = pb::ListCustomersRequest {
            dealer_id: "d1".into(),
            ..Default::default()
        };
        let customers = h.oem().list_customers(of_d1).await.answer().customers;
        assert_eq!(customers.len(), 3, "c1, d1's and s1's");
    }
);
