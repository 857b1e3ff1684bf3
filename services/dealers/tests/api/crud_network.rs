//! Happy paths of the network's shape: regions, dealers, stations — create,
//! get, list, update (mask and etag), delete.

use prost_types::Timestamp;

use crate::fixture::*;

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
        .create_region(create::region("east", region("  East ")))
        .await
        .answer();
    assert_eq!(
        (created.id.as_str(), created.display_name.as_str()),
        ("east", "East"),
        "trimmed"
    );
    assert_fresh(&created.etag, &created.create_time, &created.update_time);
    let generated = c
        .create_region(create::region("", region("West")))
        .await
        .answer();
    assert!(
        uuid::Uuid::parse_str(&generated.id).is_ok(),
        "a generated id: {}",
        generated.id
    );

    assert_eq!(c.get_region(get::region("east")).await.answer(), created);
    let listed = c
        .list_regions(pb::ListRegionsRequest::default())
        .await
        .answer();
    assert_eq!(listed.regions, by_id(&[&created, &generated], |r| &r.id));
    assert_eq!(listed.next_page_token, "");

    let patch = pb::Region {
        etag: created.etag.clone(),
        ..region("East Coast")
    };
    let updated = c
        .update_region(update::region("east", patch, &["display_name"]))
        .await
        .answer();
    assert_eq!(
        (updated.display_name.as_str(), updated.etag.as_str()),
        ("East Coast", "2")
    );
    assert_eq!(updated.create_time, created.create_time);
    assert!(at(&updated.update_time) >= at(&created.update_time));
    assert_eq!(c.get_region(get::region("east")).await.answer(), updated);

    c.delete_region(delete::region("east", &updated.etag))
        .await
        .answer();
    c.get_region(get::region("east"))
        .await
        .refused(Code::NotFound);
    let left = c
        .list_regions(pb::ListRegionsRequest::default())
        .await
        .answer();
    assert_eq!(left.regions, vec![generated]);
});

both!(dealers_round_trip, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.oem();
    let created = create_dealer(&mut c, "d9", dealer("south", "Dealer Nine", "D-9")).await;
    let d = &created;
    let fields = (
        d.id.as_str(),
        d.region_id.as_str(),
        d.display_name.as_str(),
        d.code.as_str(),
    );
    assert_eq!(fields, ("d9", "south", "Dealer Nine", "D-9"));
    assert_eq!(created.city, "Leeds");
    assert_fresh(&created.etag, &created.create_time, &created.update_time);
    assert_eq!(c.get_dealer(get::dealer("d9")).await.answer(), created);
    assert_eq!(c.get_dealer(get::dealer("d1")).await.answer(), fx.d1);
    let listed = c
        .list_dealers(pb::ListDealersRequest::default())
        .await
        .answer();
    assert_eq!(ids(&listed.dealers, |d| &d.id), ["d1", "d2", "d3", "d9"]);

    // The mask decides: the display name sent along is not applied.
    let patch = pb::Dealer {
        city: "Hull".into(),
        display_name: "Ignored".into(),
        etag: "1".into(),
        ..Default::default()
    };
    let updated = c
        .update_dealer(update::dealer("d9", patch, &["city"]))
        .await
        .answer();
    let u = &updated;
    assert_eq!(
        (u.city.as_str(), u.display_name.as_str(), u.etag.as_str()),
        ("Hull", "Dealer Nine", "2")
    );
    assert_eq!((u.code.as_str(), u.region_id.as_str()), ("D-9", "south"));

    // Moving a dealer moves its stations' region with it.
    create_station(&mut c, "s9", station("d9", "Station Nine", "S-9")).await;
    let patch = pb::Dealer {
        region_id: "north".into(),
        ..Default::default()
    };
    let moved = c
        .update_dealer(update::dealer("d9", patch, &["region_id"]))
        .await
        .answer();
    assert_eq!(
        (
            moved.region_id.as_str(),
            moved.etag.as_str(),
            moved.city.as_str()
        ),
        ("north", "3", "Hull")
    );
    let s9 = c.get_station(get::station("s9")).await.answer();
    assert_eq!(s9.region_id, "north");
    c.delete_station(delete::station("s9", &s9.etag))
        .await
        .answer();

    c.delete_dealer(delete::dealer("d9", &moved.etag))
        .await
        .answer();
    c.get_dealer(get::dealer("d9"))
        .await
        .refused(Code::NotFound);
    let left = c
        .list_dealers(pb::ListDealersRequest::default())
        .await
        .answer();
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
    let s = &created;
    let fields = (
        s.id.as_str(),
        s.dealer_id.as_str(),
        s.region_id.as_str(),
        s.code.as_str(),
    );
    assert_eq!(
        fields,
        ("s9", "d2", "north", "S-QL"),
        "the region is the dealer's"
    );
    assert_eq!(
        (s.build_standard, s.star_level),
        (pb::BuildStandard::Quick as i32, 0)
    );
    assert_eq!(
        (s.display_name.as_str(), s.city.as_str()),
        ("Quick Lane", "York")
    );
    assert_fresh(&s.etag, &s.create_time, &s.update_time);
    assert_eq!(c.get_station(get::station("s9")).await.answer(), created);
    assert_eq!(c.get_station(get::station("s1")).await.answer(), fx.s1);

    // Update with a mask, conditional on the etag.
    let patch = pb::Station {
        star_level: 4,
        build_standard: pb::BuildStandard::Full as i32,
        etag: created.etag.clone(),
        ..Default::default()
    };
    let request = update::station("s9", patch, &["star_level", "build_standard"]);
    let audited = c.update_station(request).await.answer();
    let a = &audited;
    assert_eq!(
        (a.star_level, a.build_standard, a.etag.as_str()),
        (4, pb::BuildStandard::Full as i32, "2")
    );
    assert_eq!(
        (a.display_name.as_str(), a.code.as_str()),
        ("Quick Lane", "S-QL")
    );

    // Without a mask, the fields the request populates are changed.
    let patch = pb::Station {
        display_name: "Express".into(),
        ..Default::default()
    };
    let renamed = c
        .update_station(update::station("s9", patch, &[]))
        .await
        .answer();
    let r = &renamed;
    assert_eq!(
        (r.display_name.as_str(), r.star_level, r.etag.as_str()),
        ("Express", 4, "3")
    );
    assert_eq!(renamed.city, "York");

    let of_d2 = pb::ListStationsRequest {
        dealer_id: "d2".into(),
        ..Default::default()
    };
    assert_eq!(
        c.list_stations(of_d2).await.answer().stations,
        vec![fx.s3.clone(), renamed.clone()]
    );

    c.delete_station(delete::station("s9", &renamed.etag))
        .await
        .answer();
    c.get_station(get::station("s9"))
        .await
        .refused(Code::NotFound);
    let all = c
        .list_stations(pb::ListStationsRequest::default())
        .await
        .answer();
    assert_eq!(all.stations, vec![fx.s1, fx.s2, fx.s3, fx.s4]);
});
