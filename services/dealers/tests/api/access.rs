//! Every RPC, aimed at dealer d1's objects in region north, by callers who
//! have no business with them: refused (or, for lists, answered without
//! them), and nothing changed.
//!
//! One letter per RPC, five per resource (Get, List, Create, Update, Delete)
//! in the order regions, dealers, stations, staff, customers, vehicles; see
//! `probe::assert_answers`. Regions are the network's shared reference data:
//! every member of the network reads them, only head office changes them.
//! A role that may never make a change is refused it (PERMISSION_DENIED)
//! before the object is looked at; an object outside the caller's scope is
//! NOT_FOUND.

use crate::{
    fixture::*,
    probe::{assert_answers, assert_untouched, every_rpc},
};

//                          regions dealers stations staff customers vehicles
const OTHER_DEALER: &str = "AAPPP   NLPPP   NLPPP    NLNNN NLNNN     NLNNN";
const OTHER_REGION: &str = "AAPPP   NLNNN   NLNNN    NLNNN NLNNN     NLNNN";
const SURVEY_LINK: &str = " NPPPP   NPPPP   NPPPP    NPPPP NPPPP     NPPPP";
const FORGED: &str = "      UUUUU   UUUUU   UUUUU    UUUUU UUUUU     UUUUU";

both!(
    another_dealers_staff_is_refused_everything,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let probes = every_rpc(&mut h.dealer("d2"), &fx).await;
        assert_answers(&probes, &fx, OTHER_DEALER);
        assert_untouched(&mut h.oem(), &fx).await;
    }
);

both!(
    another_dealers_dms_is_refused_everything,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let probes = every_rpc(&mut h.dms("d2"), &fx).await;
        assert_answers(&probes, &fx, OTHER_DEALER);
        assert_untouched(&mut h.oem(), &fx).await;
    }
);

both!(
    another_regions_manager_is_refused_everything,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let probes = every_rpc(&mut h.region("south"), &fx).await;
        assert_answers(&probes, &fx, OTHER_REGION);
        assert_untouched(&mut h.oem(), &fx).await;
    }
);

both!(
    a_survey_link_is_refused_everything,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let probes = every_rpc(&mut h.survey(), &fx).await;
        assert_answers(&probes, &fx, SURVEY_LINK);
        assert_untouched(&mut h.oem(), &fx).await;
    }
);

both!(
    an_unknown_signing_key_is_unauthenticated,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let probes = every_rpc(&mut h.forger(), &fx).await;
        assert_answers(&probes, &fx, FORGED);
        assert_untouched(&mut h.oem(), &fx).await;
    }
);

both!(
    lists_hold_only_the_callers_objects,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        for mut c in [h.dealer("d2"), h.dms("d2")] {
            let dealers = c
                .list_dealers(pb::ListDealersRequest::default())
                .await
                .answer();
            assert_eq!(dealers.dealers, vec![fx.d2.clone()]);
            let stations = c
                .list_stations(pb::ListStationsRequest::default())
                .await
                .answer();
            assert_eq!(stations.stations, vec![fx.s3.clone()]);
            let staff = c
                .list_staff_members(pb::ListStaffMembersRequest::default())
                .await
                .answer();
            assert_eq!(staff.staff_members, vec![fx.advisor3.clone()]);
            let customers = c
                .list_customers(pb::ListCustomersRequest::default())
                .await
                .answer();
            assert_eq!(customers.customers, vec![fx.c2.clone()]);
            let vehicles = c
                .list_vehicles(pb::ListVehiclesRequest::default())
                .await
                .answer();
            assert_eq!(vehicles.vehicles, vec![fx.v2.clone()]);
            // Asking for d1's by filter finds nothing either.
            let by_vin = pb::ListVehiclesRequest {
                vin: fx.v1.vin.clone(),
                ..Default::default()
            };
            assert!(c.list_vehicles(by_vin).await.answer().vehicles.is_empty());
            let advisor = fx.advisor1.id.clone();
            let by_advisor = pb::ListCustomersRequest {
                advisor_id: advisor,
                ..Default::default()
            };
            assert!(
                c.list_customers(by_advisor)
                    .await
                    .answer()
                    .customers
                    .is_empty()
            );
            let of_d1 = pb::ListStaffMembersRequest {
                dealer_id: "d1".into(),
                ..Default::default()
            };
            assert!(
                c.list_staff_members(of_d1)
                    .await
                    .answer()
                    .staff_members
                    .is_empty()
            );
        }

        // A region manager lists its region's network only.
        let mut south = h.region("south");
        let dealers = south
            .list_dealers(pb::ListDealersRequest::default())
            .await
            .answer();
        assert_eq!(dealers.dealers, vec![fx.d3.clone()]);
        let stations = south
            .list_stations(pb::ListStationsRequest::default())
            .await
            .answer();
        assert_eq!(stations.stations, vec![fx.s4.clone()]);
        let staff = south
            .list_staff_members(pb::ListStaffMembersRequest::default())
            .await
            .answer();
        assert_eq!(staff.staff_members, vec![fx.advisor4.clone()]);
        let customers = south
            .list_customers(pb::ListCustomersRequest::default())
            .await
            .answer();
        assert_eq!(customers.customers, vec![fx.c3.clone()]);
        let vehicles = south
            .list_vehicles(pb::ListVehiclesRequest::default())
            .await
            .answer();
        assert_eq!(vehicles.vehicles, vec![fx.v3.clone()]);
        let mut north = h.region("north");
        let dealers = north
            .list_dealers(pb::ListDealersRequest::default())
            .await
            .answer();
        assert_eq!(dealers.dealers, [fx.d1.clone(), fx.d2.clone()]);
        let customers = north
            .list_customers(pb::ListCustomersRequest::default())
            .await
            .answer();
        assert_eq!(customers.customers, by_id(&[&fx.c1, &fx.c2], |x| &x.id));
        // Every member of the network reads the regions.
        let regions = h
            .dms("d3")
            .list_regions(pb::ListRegionsRequest::default())
            .await
            .answer();
        assert_eq!(regions.regions, [fx.north.clone(), fx.south.clone()]);
    }
);
