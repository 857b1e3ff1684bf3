//! What each role may do in its own part of the network, and where that
//! stops.

use crate::fixture::*;

both!(
    a_region_manager_shapes_its_own_region,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let mut rm = h.region("north");
        let d9 = create_dealer(&mut rm, "d9", dealer("north", "Dealer Nine", "D9")).await;
        assert_eq!(d9.region_id, "north");
        let s9 = create_station(&mut rm, "s9", station("d2", "Station Nine", "S9")).await;
        assert_eq!(
            (s9.dealer_id.as_str(), s9.region_id.as_str()),
            ("d2", "north")
        );
        let patch = pb::Dealer {
            city: "Bradford".into(),
            ..Default::default()
        };
        let d1 = rm
            .update_dealer(update::dealer("d1", patch, &["city"]))
            .await
            .answer();
        assert_eq!((d1.city.as_str(), d1.etag.as_str()), ("Bradford", "2"));
        let patch = pb::Station {
            star_level: 5,
            ..Default::default()
        };
        let s1 = rm
            .update_station(update::station("s1", patch, &["star_level"]))
            .await
            .answer();
        assert_eq!((s1.star_level, s1.etag.as_str()), (5, "2"));
        rm.delete_station(delete::station("s9", &s9.etag))
            .await
            .answer();
        rm.delete_dealer(delete::dealer("d9", &d9.etag))
            .await
            .answer();
        // It reads its dealers' business too.
        assert_eq!(
            rm.get_customer(get::customer(&fx.c1.id)).await.answer(),
            fx.c1
        );
        assert_eq!(
            rm.get_staff_member(get::staff(&fx.tech1.id)).await.answer(),
            fx.tech1
        );

        // Not beyond its region, and not the regions themselves.
        let far = create::dealer("d8", dealer("south", "Far", "D8"));
        rm.create_dealer(far).await.refused(Code::NotFound);
        let far = create::station("s8", station("d3", "Far", "S8"));
        rm.create_station(far).await.refused(Code::NotFound);
        let away = pb::Dealer {
            region_id: "south".into(),
            ..Default::default()
        };
        rm.update_dealer(update::dealer("d1", away, &["region_id"]))
            .await
            .refused(Code::NotFound);
        assert_eq!(
            h.oem().get_dealer(get::dealer("d1")).await.answer(),
            d1,
            "d1 stays in north"
        );
        let east = create::region("east", region("East"));
        rm.create_region(east).await.refused(Code::PermissionDenied);
        let rename = update::region("north", region("Up"), &[]);
        rm.update_region(rename)
            .await
            .refused(Code::PermissionDenied);
    }
);

both!(
    dealer_staff_and_dms_run_their_own_business,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        for (n, mut c) in [h.dealer("d1"), h.dms("d1")].into_iter().enumerate() {
            let hire = staff("s2", "New Hire", StaffPosition::ServiceAdvisor);
            let member = create_staff(&mut c, hire).await;
            assert_eq!(member.dealer_id, "d1");
            let patch = pb::StaffMember {
                display_name: "Renamed".into(),
                ..Default::default()
            };
            let request = update::staff(&member.id, patch, &["display_name"]);
            let member = c.update_staff_member(request).await.answer();
            assert_eq!(member.display_name, "Renamed");
            let client = create_customer(&mut c, customer("d1", "Walk In", &member.id)).await;
            assert_eq!(client.advisor_id, member.id);
            let car = create_vehicle(&mut c, vehicle(&client.id, &vin(100 + n as u32))).await;
            assert_eq!(car.dealer_id, "d1");
            let patch = pb::Vehicle {
                mileage_km: 99,
                ..Default::default()
            };
            let car = c
                .update_vehicle(update::vehicle(&car.id, patch, &["mileage_km"]))
                .await
                .answer();
            assert_eq!(car.mileage_km, 99);
            let patch = pb::Customer {
                advisor_id: fx.advisor1.id.clone(),
                ..Default::default()
            };
            let request = update::customer(&client.id, patch, &["advisor_id"]);
            let client = c.update_customer(request).await.answer();
            assert_eq!(client.advisor_id, fx.advisor1.id);
            c.delete_vehicle(delete::vehicle(&car.id, &car.etag))
                .await
                .answer();
            c.delete_customer(delete::customer(&client.id, &client.etag))
                .await
                .answer();
            c.delete_staff_member(delete::staff(&member.id, &member.etag))
                .await
                .answer();
            c.get_vehicle(get::vehicle(&car.id))
                .await
                .refused(Code::NotFound);
            c.get_customer(get::customer(&client.id))
                .await
                .refused(Code::NotFound);
            c.get_staff_member(get::staff(&member.id))
                .await
                .refused(Code::NotFound);
        }

        // A vehicle cannot be handed to another dealer's customer.
        let patch = pb::Vehicle {
            customer_id: fx.c2.id.clone(),
            ..Default::default()
        };
        let give_away = update::vehicle(&fx.v1.id, patch, &["customer_id"]);
        h.dealer("d1")
            .update_vehicle(give_away)
            .await
            .refused(Code::NotFound);
        assert_eq!(
            h.oem().get_vehicle(get::vehicle(&fx.v1.id)).await.answer(),
            fx.v1
        );
    }
);

both!(
    dealer_staff_may_not_shape_the_network,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        for mut c in [h.dealer("d1"), h.dms("d1")] {
            // They read their dealer and stations…
            assert_eq!(c.get_dealer(get::dealer("d1")).await.answer(), fx.d1);
            assert_eq!(c.get_station(get::station("s1")).await.answer(), fx.s1);
            // …but may not create, change or remove regions, dealers or stations.
            let denied = Code::PermissionDenied;
            c.create_region(create::region("mine", region("Mine")))
                .await
                .refused(denied);
            c.create_dealer(create::dealer("d7", dealer("north", "Mine", "D7")))
                .await
                .refused(denied);
            c.create_station(create::station("s7", station("d1", "Mine", "S7")))
                .await
                .refused(denied);
            let patch = pb::Dealer {
                display_name: "Mine".into(),
                ..Default::default()
            };
            c.update_dealer(update::dealer("d1", patch, &["display_name"]))
                .await
                .refused(denied);
            let patch = pb::Station {
                star_level: 5,
                ..Default::default()
            };
            c.update_station(update::station("s1", patch, &["star_level"]))
                .await
                .refused(denied);
            c.update_region(update::region("north", region("Mine"), &[]))
                .await
                .refused(denied);
            c.delete_station(delete::station("s2", ""))
                .await
                .refused(denied);
            c.delete_dealer(delete::dealer("d1", ""))
                .await
                .refused(denied);
            c.delete_region(delete::region("north", ""))
                .await
                .refused(denied);
        }
        let mut oem = h.oem();
        let regions = oem
            .list_regions(pb::ListRegionsRequest::default())
            .await
            .answer();
        assert_eq!(regions.regions, [fx.north, fx.south]);
        let dealers = oem
            .list_dealers(pb::ListDealersRequest::default())
            .await
            .answer();
        assert_eq!(dealers.dealers, [fx.d1, fx.d2, fx.d3]);
        let stations = oem
            .list_stations(pb::ListStationsRequest::default())
            .await
            .answer();
        assert_eq!(stations.stations, [fx.s1, fx.s2, fx.s3, fx.s4]);
    }
);

both!(
    station_staff_see_only_their_stations_people,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let mut at_s2 = h.station_staff("d1", "s2");
        let clerk = create_staff(
            &mut at_s2,
            staff("s2", "Sam Stores", StaffPosition::PartsClerk),
        )
        .await;
        let all = pb::ListStaffMembersRequest::default();
        assert_eq!(
            at_s2
                .list_staff_members(all.clone())
                .await
                .answer()
                .staff_members,
            vec![clerk.clone()]
        );
        let of_s1 = pb::ListStaffMembersRequest {
            station_id: "s1".into(),
            ..Default::default()
        };
        assert!(
            at_s2
                .list_staff_members(of_s1)
                .await
                .answer()
                .staff_members
                .is_empty()
        );
        for id in [&fx.advisor1.id, &fx.tech1.id] {
            at_s2
                .get_staff_member(get::staff(id))
                .await
                .refused(Code::NotFound);
            let patch = pb::StaffMember {
                display_name: "X".into(),
                ..Default::default()
            };
            let rename = update::staff(id, patch, &["display_name"]);
            at_s2
                .update_staff_member(rename)
                .await
                .refused(Code::NotFound);
            at_s2
                .delete_staff_member(delete::staff(id, ""))
                .await
                .refused(Code::NotFound);
        }
        let hire = create::staff("", staff("s1", "X", StaffPosition::Technician));
        at_s2
            .create_staff_member(hire)
            .await
            .refused(Code::NotFound);
        at_s2
            .get_station(get::station("s1"))
            .await
            .refused(Code::NotFound);
        let stations = at_s2
            .list_stations(pb::ListStationsRequest::default())
            .await
            .answer();
        assert_eq!(stations.stations, vec![fx.s2.clone()]);
        // Customers and vehicles are the dealer's, not a station's.
        assert_eq!(
            at_s2.get_customer(get::customer(&fx.c1.id)).await.answer(),
            fx.c1
        );
        let vehicles = at_s2
            .list_vehicles(pb::ListVehiclesRequest::default())
            .await
            .answer();
        assert_eq!(vehicles.vehicles, vec![fx.v1.clone()]);

        // And the other way round.
        let mut at_s1 = h.station_staff("d1", "s1");
        let seen = at_s1.list_staff_members(all).await.answer().staff_members;
        assert_eq!(seen, by_id(&[&fx.advisor1, &fx.tech1], |m| &m.id));
        at_s1
            .get_staff_member(get::staff(&clerk.id))
            .await
            .refused(Code::NotFound);
        assert_eq!(
            h.oem()
                .get_staff_member(get::staff(&fx.tech1.id))
                .await
                .answer(),
            fx.tech1
        );
    }
);
