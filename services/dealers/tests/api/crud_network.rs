//! Happy paths of the network's shape: regions, dealers, stations — create,
//! get, list, update (mask and etag), delete.

use aftercare_proto::dealers::v1 as pb;
use prost_types::Timestamp;
use tonic::Code;

use crate::{
    both,
    fixture::{Fixture, Outcome, create_dealer, create_station, dealer, mask, region, rid, station},
    support::Harness,
};

fn at(t: &Option<Timestamp>) -> (i64, i32) {
    let t = t.as_ref().expect("timestamp is set");
    (t.seconds, t.nanos)
}

/// A fresh object: version 1, created and updated at the same moment.
fn assert_fresh(etag: &str, create_time: &Option<Timestamp>, update_time: &Option<Timestamp>) {
    assert_eq!(etag, "1");
    assert_eq!(at(create_time), at(update_time));
}

both!(regions_round_trip, |h: Harness| async move {
    let mut c = h.oem();
    let created = c
        .create_region(pb::CreateRegionRequest { region: Some(region("  East ")), region_id: "east".into(), request_id: rid() })
        .await
        .answer();
    assert_eq!((created.id.as_str(), created.display_name.as_str()), ("east", "East"), "display name is trimmed");
    assert_fresh(&created.etag, &created.create_time, &created.update_time);

    let generated = c
        .create_region(pb::CreateRegionRequest { region: Some(region("West")), region_id: String::new(), request_id: rid() })
        .await
        .answer();
    assert!(uuid::Uuid::parse_str(&generated.id).is_ok(), "a generated id is a UUID: {}", generated.id);

    assert_eq!(c.get_region(pb::GetRegionRequest { id: "east".into() }).await.answer(), created);
    let listed = c.list_regions(pb::ListRegionsRequest::default()).await.answer();
    let mut expected = vec![created.clone(), generated.clone()];
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(listed.regions, expected);
    assert_eq!(listed.next_page_token, "");

    let updated = c
        .update_region(pb::UpdateRegionRequest {
            region: Some(pb::Region { id: "east".into(), display_name: "East Coast".into(), etag: created.etag.clone(), ..Default::default() }),
            update_mask: mask(&["display_name"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((updated.display_name.as_str(), updated.etag.as_str()), ("East Coast", "2"));
    assert_eq!(updated.create_time, created.create_time);
    assert!(at(&updated.update_time) >= at(&created.update_time));
    assert_eq!(c.get_region(pb::GetRegionRequest { id: "east".into() }).await.answer(), updated);

    c.delete_region(pb::DeleteRegionRequest { id: "east".into(), etag: updated.etag, request_id: rid() }).await.answer();
    c.get_region(pb::GetRegionRequest { id: "east".into() }).await.refused(Code::NotFound);
    let left = c.list_regions(pb::ListRegionsRequest::default()).await.answer();
    assert_eq!(left.regions, vec![generated]);
});

both!(dealers_round_trip, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.oem();
    let created = create_dealer(&mut c, "d9", dealer("south", "Dealer Nine", "D-9")).await;
    assert_eq!(
        (created.id.as_str(), created.region_id.as_str(), created.display_name.as_str(), created.code.as_str(), created.city.as_str()),
        ("d9", "south", "Dealer Nine", "D-9", "Leeds")
    );
    assert_fresh(&created.etag, &created.create_time, &created.update_time);
    assert_eq!(c.get_dealer(pb::GetDealerRequest { id: "d9".into() }).await.answer(), created);
    assert_eq!(c.get_dealer(pb::GetDealerRequest { id: "d1".into() }).await.answer(), fx.d1);
    let listed = c.list_dealers(pb::ListDealersRequest::default()).await.answer();
    let ids: Vec<&str> = listed.dealers.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["d1", "d2", "d3", "d9"]);

    // The mask decides: the display name sent along is not applied.
    let updated = c
        .update_dealer(pb::UpdateDealerRequest {
            dealer: Some(pb::Dealer { id: "d9".into(), city: "Hull".into(), display_name: "Ignored".into(), etag: "1".into(), ..Default::default() }),
            update_mask: mask(&["city"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((updated.city.as_str(), updated.display_name.as_str(), updated.etag.as_str()), ("Hull", "Dealer Nine", "2"));
    assert_eq!((updated.code.as_str(), updated.region_id.as_str()), ("D-9", "south"));

    // Moving a dealer moves its stations' region with it.
    create_station(&mut c, "s9", station("d9", "Station Nine", "S-9")).await;
    let moved = c
        .update_dealer(pb::UpdateDealerRequest {
            dealer: Some(pb::Dealer { id: "d9".into(), region_id: "north".into(), ..Default::default() }),
            update_mask: mask(&["region_id"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((moved.region_id.as_str(), moved.etag.as_str(), moved.city.as_str()), ("north", "3", "Hull"));
    let s9 = c.get_station(pb::GetStationRequest { id: "s9".into() }).await.answer();
    assert_eq!(s9.region_id, "north");
    c.delete_station(pb::DeleteStationRequest { id: "s9".into(), etag: s9.etag, request_id: rid() }).await.answer();

    c.delete_dealer(pb::DeleteDealerRequest { id: "d9".into(), etag: moved.etag, request_id: rid() }).await.answer();
    c.get_dealer(pb::GetDealerRequest { id: "d9".into() }).await.refused(Code::NotFound);
    let left = c.list_dealers(pb::ListDealersRequest::default()).await.answer();
    assert_eq!(left.dealers, vec![fx.d1, fx.d2, fx.d3]);
});

both!(stations_round_trip, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.oem();
    let mut s = station("d2", "Quick Lane", "S-QL");
    s.build_standard = pb::BuildStandard::Quick as i32;
    s.star_level = 0;
    s.region_id = "south".into(); // output only: ignored
    let created = create_station(&mut c, "s9", s).await;
    assert_eq!(
        (created.id.as_str(), created.dealer_id.as_str(), created.region_id.as_str(), created.code.as_str()),
        ("s9", "d2", "north", "S-QL"),
        "the region is the dealer's"
    );
    assert_eq!((created.build_standard, created.star_level), (pb::BuildStandard::Quick as i32, 0));
    assert_eq!((created.display_name.as_str(), created.city.as_str()), ("Quick Lane", "York"));
    assert_fresh(&created.etag, &created.create_time, &created.update_time);
    assert_eq!(c.get_station(pb::GetStationRequest { id: "s9".into() }).await.answer(), created);
    assert_eq!(c.get_station(pb::GetStationRequest { id: "s1".into() }).await.answer(), fx.s1);

    // Update with a mask, conditional on the etag.
    let audited = c
        .update_station(pb::UpdateStationRequest {
            station: Some(pb::Station {
                id: "s9".into(),
                star_level: 4,
                build_standard: pb::BuildStandard::Full as i32,
                etag: created.etag.clone(),
                ..Default::default()
            }),
            update_mask: mask(&["star_level", "build_standard"]),
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((audited.star_level, audited.build_standard, audited.etag.as_str()), (4, pb::BuildStandard::Full as i32, "2"));
    assert_eq!((audited.display_name.as_str(), audited.code.as_str()), ("Quick Lane", "S-QL"));

    // Without a mask, the fields the request populates are changed.
    let renamed = c
        .update_station(pb::UpdateStationRequest {
            station: Some(pb::Station { id: "s9".into(), display_name: "Express".into(), ..Default::default() }),
            update_mask: None,
            request_id: rid(),
        })
        .await
        .answer();
    assert_eq!((renamed.display_name.as_str(), renamed.star_level, renamed.etag.as_str()), ("Express", 4, "3"));
    assert_eq!(renamed.city, "York");

    let of_d2 = c.list_stations(pb::ListStationsRequest { dealer_id: "d2".into(), ..Default::default() }).await.answer();
    assert_eq!(of_d2.stations, vec![fx.s3.clone(), renamed.clone()]);

    c.delete_station(pb::DeleteStationRequest { id: "s9".into(), etag: renamed.etag, request_id: rid() }).await.answer();
    c.get_station(pb::GetStationRequest { id: "s9".into() }).await.refused(Code::NotFound);
    let all = c.list_stations(pb::ListStationsRequest::default()).await.answer();
    assert_eq!(all.stations, vec![fx.s1, fx.s2, fx.s3, fx.s4]);
});
