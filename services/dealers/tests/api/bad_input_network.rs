//! INVALID_ARGUMENT, with the field named in a google.rpc.BadRequest, for
//! every region, dealer and station RPC.

use aftercare_proto::dealers::v1 as pb;
use tonic::{Response, Status};

use crate::{
    both,
    fixture::{Fixture, Outcome, dealer, mask, region, rid, station},
    support::Harness,
};

fn field<T: std::fmt::Debug>(r: Result<Response<T>, Status>) -> String {
    r.bad_field()
}

both!(every_network_rpc_names_the_bad_field, |h: Harness| async move {
    let _fx = Fixture::build(&h).await;
    let mut c = h.oem();
    let c = &mut c;
    let token_for_d1 = c
        .list_stations(pb::ListStationsRequest { page_size: 1, dealer_id: "d1".into(), ..Default::default() })
        .await
        .answer()
        .next_page_token;
    assert!(!token_for_d1.is_empty());
    let used = rid();
    c.update_station(pb::UpdateStationRequest {
        station: Some(pb::Station { id: "s2".into(), city: "Hull".into(), ..Default::default() }),
        update_mask: mask(&["city"]),
        request_id: used.clone(),
    })
    .await
    .answer();
    let long_name = "x".repeat(201);

    let cases: Vec<(&str, &str, String)> = vec![
        ("GetRegion", "id", field(c.get_region(pb::GetRegionRequest { id: String::new() }).await)),
        ("ListRegions", "page_token", field(c.list_regions(pb::ListRegionsRequest { page_size: 2, page_token: "not a token".into() }).await)),
        (
            "CreateRegion",
            "region.display_name",
            field(c.create_region(pb::CreateRegionRequest { region: Some(region("  ")), region_id: "east".into(), request_id: rid() }).await),
        ),
        (
            "UpdateRegion",
            "update_mask",
            field(
                c.update_region(pb::UpdateRegionRequest {
                    region: Some(pb::Region { id: "north".into(), display_name: "N".into(), ..Default::default() }),
                    update_mask: mask(&["id"]),
                    request_id: rid(),
                })
                .await,
            ),
        ),
        ("DeleteRegion", "id", field(c.delete_region(pb::DeleteRegionRequest { id: "North".into(), etag: String::new(), request_id: rid() }).await)),
        ("GetDealer", "id", field(c.get_dealer(pb::GetDealerRequest { id: "d_1".into() }).await)),
        ("ListDealers", "page_size", field(c.list_dealers(pb::ListDealersRequest { page_size: -1, ..Default::default() }).await)),
        (
            "CreateDealer",
            "dealer.code",
            field(c.create_dealer(pb::CreateDealerRequest { dealer: Some(dealer("north", "D", "d-01")), dealer_id: String::new(), request_id: rid() }).await),
        ),
        (
            "UpdateDealer",
            "dealer.etag",
            field(
                c.update_dealer(pb::UpdateDealerRequest {
                    dealer: Some(pb::Dealer { id: "d1".into(), city: "Hull".into(), etag: "W/\"1\"".into(), ..Default::default() }),
                    update_mask: mask(&["city"]),
                    request_id: rid(),
                })
                .await,
            ),
        ),
        ("DeleteDealer", "etag", field(c.delete_dealer(pb::DeleteDealerRequest { id: "d1".into(), etag: "abc".into(), request_id: rid() }).await)),
        ("GetStation", "id", field(c.get_station(pb::GetStationRequest { id: "-s1".into() }).await)),
        (
            "ListStations",
            "page_token",
            field(
                c.list_stations(pb::ListStationsRequest { page_size: 1, page_token: token_for_d1.clone(), dealer_id: "d2".into(), ..Default::default() })
                    .await,
            ),
        ),
        (
            "CreateStation",
            "station.display_name",
            field(c.create_station(pb::CreateStationRequest { station: Some(station("d1", " ", "S9")), station_id: String::new(), request_id: rid() }).await),
        ),
        (
            "UpdateStation",
            "station.star_level",
            field(
                c.update_station(pb::UpdateStationRequest {
                    station: Some(pb::Station { id: "s1".into(), star_level: 6, ..Default::default() }),
                    update_mask: mask(&["star_level"]),
                    request_id: rid(),
                })
                .await,
            ),
        ),
        (
            "DeleteStation",
            "request_id",
            field(c.delete_station(pb::DeleteStationRequest { id: "s2".into(), etag: String::new(), request_id: used.clone() }).await),
        ),
    ];
    assert_eq!(cases.len(), 15);
    for (rpc, expected, got) in cases {
        assert_eq!(got, expected, "{rpc} names the field");
    }

    // The token of a filter still works under that filter.
    let next = c.list_stations(pb::ListStationsRequest { page_size: 1, page_token: token_for_d1, dealer_id: "d1".into(), ..Default::default() }).await;
    assert_eq!(next.answer().stations.len(), 1);
    // Nothing was changed or created by the refused requests.
    assert_eq!(c.list_regions(pb::ListRegionsRequest::default()).await.answer().regions.len(), 2);
    assert_eq!(c.list_dealers(pb::ListDealersRequest::default()).await.answer().dealers.len(), 3);
    assert_eq!(c.list_stations(pb::ListStationsRequest::default()).await.answer().stations.len(), 4);
    assert_eq!(c.get_station(pb::GetStationRequest { id: "s2".into() }).await.answer().etag, "2");
    assert_eq!(c.get_dealer(pb::GetDealerRequest { id: "d1".into() }).await.answer().etag, "1");

    // More ways to get a network request wrong.
    let more: Vec<(&str, String)> = vec![
        ("region", field(c.create_region(pb::CreateRegionRequest { region: None, region_id: String::new(), request_id: rid() }).await)),
        ("region_id", field(c.create_region(pb::CreateRegionRequest { region: Some(region("East")), region_id: "East".into(), request_id: rid() }).await)),
        (
            "region.id",
            field(c.update_region(pb::UpdateRegionRequest { region: Some(region("North")), update_mask: mask(&["display_name"]), request_id: rid() }).await),
        ),
        (
            "dealer.region_id",
            field(c.create_dealer(pb::CreateDealerRequest { dealer: Some(dealer("", "D", "D9")), dealer_id: String::new(), request_id: rid() }).await),
        ),
        (
            "dealer.display_name",
            field(c.create_dealer(pb::CreateDealerRequest { dealer: Some(dealer("north", &long_name, "D9")), dealer_id: String::new(), request_id: rid() }).await),
        ),
        (
            "station.dealer_id",
            field(c.create_station(pb::CreateStationRequest { station: Some(station("", "S", "S9")), station_id: String::new(), request_id: rid() }).await),
        ),
        (
            "station.build_standard",
            field(
                c.create_station(pb::CreateStationRequest {
                    station: Some(pb::Station { build_standard: 0, ..station("d1", "S", "S9") }),
                    station_id: String::new(),
                    request_id: rid(),
                })
                .await,
            ),
        ),
        (
            "station_id",
            field(c.create_station(pb::CreateStationRequest { station: Some(station("d1", "S", "S9")), station_id: "S9".into(), request_id: rid() }).await),
        ),
        (
            "update_mask",
            field(
                c.update_station(pb::UpdateStationRequest {
                    station: Some(pb::Station { id: "s1".into(), dealer_id: "d2".into(), ..Default::default() }),
                    update_mask: mask(&["dealer_id"]),
                    request_id: rid(),
                })
                .await,
            ),
        ),
        (
            "request_id",
            field(c.delete_region(pb::DeleteRegionRequest { id: "south".into(), etag: String::new(), request_id: "r".repeat(129) }).await),
        ),
    ];
    for (expected, got) in more {
        assert_eq!(got, expected);
    }
});
