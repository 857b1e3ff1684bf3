//! INVALID_ARGUMENT, with the field named in a google.rpc.BadRequest, for
//! every region, dealer and station RPC, and more ways to get their fields
//! wrong.

use crate::fixture::*;

both!(
    every_network_rpc_names_the_bad_field,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let c = &mut h.oem();
        let of_d1 = pb::ListStationsRequest {
            page_size: 1,
            dealer_id: "d1".into(),
            ..Default::default()
        };
        let token_for_d1 = c
            .list_stations(of_d1.clone())
            .await
            .answer()
            .next_page_token;
        assert!(!token_for_d1.is_empty());
        // A request id already used for another request.
        let used = update::station(
            "s2",
            pb::Station {
                city: "Hull".into(),
                ..Default::default()
            },
            &[],
        );
        c.update_station(used.clone()).await.answer();

        let by_id = pb::Region {
            display_name: "N".into(),
            ..Default::default()
        };
        let bad_etag = pb::Dealer {
            city: "Hull".into(),
            etag: "W/\"1\"".into(),
            ..Default::default()
        };
        let bad_stars = pb::Station {
            star_level: 6,
            ..Default::default()
        };
        let other_filter = pb::ListStationsRequest {
            page_token: token_for_d1.clone(),
            dealer_id: "d2".into(),
            ..of_d1.clone()
        };
        let reused = pb::DeleteStationRequest {
            request_id: used.request_id.clone(),
            ..delete::station("s2", "")
        };
        #[rustfmt::skip]
        let cases: Vec<(&str, &str, String)> = vec![
            ("GetRegion", "id", c.get_region(get::region("")).await.bad_field()),
            ("ListRegions", "page_token", c.list_regions(pb::ListRegionsRequest { page_size: 2, page_token: "not a token".into() }).await.bad_field()),
            ("CreateRegion", "region.display_name", c.create_region(create::region("east", region("  "))).await.bad_field()),
            ("UpdateRegion", "update_mask", c.update_region(update::region("north", by_id, &["id"])).await.bad_field()),
            ("DeleteRegion", "id", c.delete_region(delete::region("North", "")).await.bad_field()),
            ("GetDealer", "id", c.get_dealer(get::dealer("d_1")).await.bad_field()),
            ("ListDealers", "page_size", c.list_dealers(pb::ListDealersRequest { page_size: -1, ..Default::default() }).await.bad_field()),
            ("CreateDealer", "dealer.code", c.create_dealer(create::dealer("", dealer("north", "D", "d-01"))).await.bad_field()),
            ("UpdateDealer", "dealer.etag", c.update_dealer(update::dealer("d1", bad_etag, &["city"])).await.bad_field()),
            ("DeleteDealer", "etag", c.delete_dealer(delete::dealer("d1", "abc")).await.bad_field()),
            ("GetStation", "id", c.get_station(get::station("-s1")).await.bad_field()),
            ("ListStations", "page_token", c.list_stations(other_filter).await.bad_field()),
            ("CreateStation", "station.display_name", c.create_station(create::station("", station("d1", " ", "S9"))).await.bad_field()),
            ("UpdateStation", "station.star_level", c.update_station(update::station("s1", bad_stars, &["star_level"])).await.bad_field()),
            ("DeleteStation", "request_id", c.delete_station(reused).await.bad_field()),
        ];
        assert_eq!(cases.len(), 15);
        for (rpc, expected, got) in cases {
            assert_eq!(got, expected, "{rpc} names the field");
        }

        // The token works under the filter it was made for.
        let next = pb::ListStationsRequest {
            page_token: token_for_d1,
            ..of_d1
        };
        let next = c.list_stations(next).await.answer();
        assert_eq!(ids(&next.stations, |s| &s.id), ["s2"]);
        // Nothing was changed or created by the refused requests.
        assert_eq!(
            c.list_regions(pb::ListRegionsRequest::default())
                .await
                .answer()
                .regions
                .len(),
            2
        );
        assert_eq!(
            c.list_dealers(pb::ListDealersRequest::default())
                .await
                .answer()
                .dealers
                .len(),
            3
        );
        assert_eq!(
            c.list_stations(pb::ListStationsRequest::default())
                .await
                .answer()
                .stations
                .len(),
            4
        );
        assert_eq!(c.get_station(get::station("s2")).await.answer().etag, "2");
        assert_eq!(c.get_dealer(get::dealer("d1")).await.answer(), fx.d1);
    }
);

both!(more_bad_network_fields, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let c = &mut h.oem();
    let no_region = pb::CreateRegionRequest {
        region: None,
        ..create::region("", region("X"))
    };
    let long_name = "x".repeat(201);
    let unknown_standard = pb::Station {
        build_standard: 0,
        ..station("d1", "S", "S9")
    };
    let immutable = pb::Station {
        dealer_id: "d2".into(),
        ..Default::default()
    };
    let long_request_id = pb::DeleteRegionRequest {
        request_id: "r".repeat(129),
        ..delete::region("south", "")
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, String)> = vec![
        ("region", c.create_region(no_region).await.bad_field()),
        ("region_id", c.create_region(create::region("East", region("East"))).await.bad_field()),
        ("region.id", c.update_region(update::region("", region("North"), &[])).await.bad_field()),
        ("region.display_name", c.update_region(update::region("north", region(""), &["display_name"])).await.bad_field()),
        ("dealer.region_id", c.create_dealer(create::dealer("", dealer("", "D", "D9"))).await.bad_field()),
        ("dealer.display_name", c.create_dealer(create::dealer("", dealer("north", &long_name, "D9"))).await.bad_field()),
        ("dealer.city", c.create_dealer(create::dealer("", pb::Dealer { city: "a\u{7}b".into(), ..dealer("north", "D", "D9") })).await.bad_field()),
        ("dealer_id", c.create_dealer(create::dealer("D9", dealer("north", "D", "D9"))).await.bad_field()),
        ("station.dealer_id", c.create_station(create::station("", station("", "S", "S9"))).await.bad_field()),
        ("station.build_standard", c.create_station(create::station("", unknown_standard)).await.bad_field()),
        ("station.code", c.create_station(create::station("", station("d1", "S", &"S".repeat(33)))).await.bad_field()),
        ("station_id", c.create_station(create::station("S9", station("d1", "S", "S9"))).await.bad_field()),
        ("update_mask", c.update_station(update::station("s1", immutable, &["dealer_id"])).await.bad_field()),
        ("request_id", c.delete_region(long_request_id).await.bad_field()),
    ];
    for (expected, got) in cases {
        assert_eq!(got, expected);
    }
    assert_eq!(
        c.list_regions(pb::ListRegionsRequest::default())
            .await
            .answer()
            .regions
            .len(),
        2
    );
    assert_eq!(
        c.list_dealers(pb::ListDealersRequest::default())
            .await
            .answer()
            .dealers
            .len(),
        3
    );
    assert_eq!(c.get_station(get::station("s1")).await.answer(), fx.s1);
});
