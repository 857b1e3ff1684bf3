//! Lists: paging walks every item once, and each filter selects what it
//! names.

use std::future::Future;

use crate::fixture::*;

/// Walks a list with page size 2 and returns the ids of all pages in the
/// order they came; every page but the last is full.
async fn walk<F, Fut>(mut page: F) -> Vec<String>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = (Vec<String>, String)>,
{
    let (mut all, mut token) = (Vec::new(), String::new());
    for _ in 0..50 {
        let (ids, next) = page(token).await;
        assert!(
            ids.len() <= 2,
            "a page holds at most page_size items: {ids:?}"
        );
        all.extend(ids.iter().cloned());
        if next.is_empty() {
            return all;
        }
        assert_eq!(ids.len(), 2, "only the last page may be short");
        token = next;
    }
    panic!("paging does not end");
}

/// Pages through a list with page size 2, the request's other fields from
/// `$base` (default: none): the ids, in the order they came.
macro_rules! walk {
    ($c:expr, $method:ident, $items:ident, $Request:ident) => {
        walk!($c, $method, $items, $Request, pb::$Request::default())
    };
    ($c:expr, $method:ident, $items:ident, $Request:ident, $base:expr) => {
        walk(|page_token| {
            let (mut c, mut request): (Client, pb::$Request) = ($c.clone(), $base);
            (request.page_size, request.page_token) = (2, page_token);
            async move {
                let r = c.$method(request).await.answer();
                (ids(&r.$items, |x| &x.id), r.next_page_token)
            }
        })
        .await
    };
}

/// Each expected id exactly once, in id order.
fn assert_walked<S: AsRef<str>>(walked: Vec<String>, expected: &[S]) {
    let mut expected: Vec<&str> = expected.iter().map(AsRef::as_ref).collect();
    expected.sort_unstable();
    assert_eq!(walked, expected);
}

/// Two or three more of every kind, so that every list has five items.
async fn grow(c: &mut Client, fx: &Fixture) {
    create_region(c, "east", "East").await;
    create_region(c, "west", "West").await;
    create_region(c, "central", "Central").await;
    create_dealer(c, "d4", dealer("south", "Dealer Four", "D4")).await;
    create_dealer(c, "d5", dealer("north", "Dealer Five", "D5")).await;
    create_station(c, "s5", station("d1", "Station Five", "S5")).await;
    create_staff(c, staff("s2", "Pat Parts", StaffPosition::PartsClerk)).await;
    let c4 = create_customer(c, customer("d1", "Dan Four", "")).await;
    create_customer(c, customer("d3", "Eli Five", "")).await;
    create_vehicle(c, vehicle(&c4.id, &vin(4))).await;
    create_vehicle(c, vehicle(&fx.c1.id, &vin(5))).await;
}

both!(paging_walks_every_item_once, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let c = h.oem();
    grow(&mut c.clone(), &fx).await;

    let walked = walk!(c, list_regions, regions, ListRegionsRequest);
    assert_walked(walked, &["north", "south", "east", "west", "central"]);
    let walked = walk!(c, list_dealers, dealers, ListDealersRequest);
    assert_walked(walked, &["d1", "d2", "d3", "d4", "d5"]);
    let walked = walk!(c, list_stations, stations, ListStationsRequest);
    assert_walked(walked, &["s1", "s2", "s3", "s4", "s5"]);

    // Generated ids: compare with the whole list in one page.
    let all = c
        .clone()
        .list_staff_members(pb::ListStaffMembersRequest::default())
        .await
        .answer();
    let expected = ids(&all.staff_members, |x| &x.id);
    assert_eq!(expected.len(), 5);
    let walked = walk!(
        c,
        list_staff_members,
        staff_members,
        ListStaffMembersRequest
    );
    assert_walked(walked, &expected);

    let all = c
        .clone()
        .list_customers(pb::ListCustomersRequest::default())
        .await
        .answer();
    let expected = ids(&all.customers, |x| &x.id);
    assert_eq!(expected.len(), 5);
    let walked = walk!(c, list_customers, customers, ListCustomersRequest);
    assert_walked(walked, &expected);

    // A page size above the maximum is the maximum: all in one page.
    let big = pb::ListVehiclesRequest {
        page_size: 5000,
        ..Default::default()
    };
    let all = c.clone().list_vehicles(big).await.answer();
    assert_eq!((all.vehicles.len(), all.next_page_token.as_str()), (5, ""));
    let expected = ids(&all.vehicles, |x| &x.id);
    let walked = walk!(c, list_vehicles, vehicles, ListVehiclesRequest);
    assert_walked(walked, &expected);
});

both!(paging_keeps_filters_and_scope, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    grow(&mut h.oem(), &fx).await;
    // A filtered list, paged: the token carries on under the same filter.
    let of_d1 = pb::ListStationsRequest {
        dealer_id: "d1".into(),
        ..Default::default()
    };
    let walked = walk!(
        h.oem(),
        list_stations,
        stations,
        ListStationsRequest,
        of_d1.clone()
    );
    assert_walked(walked, &["s1", "s2", "s5"]);

    // Paged as dealer d1: only d1's vehicles, each once.
    let d1 = h.dealer("d1");
    let all = d1
        .clone()
        .list_vehicles(pb::ListVehiclesRequest::default())
        .await
        .answer();
    assert_eq!(all.vehicles.len(), 3);
    assert!(all.vehicles.iter().all(|v| v.dealer_id == "d1"));
    let expected = ids(&all.vehicles, |x| &x.id);
    let walked = walk!(d1, list_vehicles, vehicles, ListVehiclesRequest);
    assert_walked(walked, &expected);

    // The item a token points after may go away: the next page still
    // starts right after it.
    let mut oem = h.oem();
    let page = pb::ListDealersRequest {
        page_size: 2,
        ..Default::default()
    };
    let first = oem.list_dealers(page.clone()).await.answer();
    assert_eq!(ids(&first.dealers, |x| &x.id), ["d1", "d2"]);
    oem.delete_dealer(delete::dealer("d5", "")).await.answer();
    let next = pb::ListDealersRequest {
        page_token: first.next_page_token,
        ..page
    };
    let second = oem.list_dealers(next).await.answer();
    assert_eq!(ids(&second.dealers, |x| &x.id), ["d3", "d4"]);
    assert_eq!(second.next_page_token, "", "d5 is gone: no third page");
});

both!(filters_select_what_they_name, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.oem();
    let dealers = |r: &str| pb::ListDealersRequest {
        region_id: r.into(),
        ..Default::default()
    };
    assert_eq!(
        c.list_dealers(dealers("north")).await.answer().dealers,
        [fx.d1.clone(), fx.d2.clone()]
    );
    assert_eq!(
        c.list_dealers(dealers("south")).await.answer().dealers,
        vec![fx.d3.clone()]
    );

    let stations = |d: &str, r: &str| pb::ListStationsRequest {
        dealer_id: d.into(),
        region_id: r.into(),
        ..Default::default()
    };
    assert_eq!(
        c.list_stations(stations("d1", "")).await.answer().stations,
        [fx.s1.clone(), fx.s2.clone()]
    );
    assert_eq!(
        c.list_stations(stations("", "south"))
            .await
            .answer()
            .stations,
        vec![fx.s4.clone()]
    );
    let none = c
        .list_stations(stations("d3", "north"))
        .await
        .answer()
        .stations;
    assert!(none.is_empty(), "filters combine with AND");

    let staff = |s: &str, d: &str| pb::ListStaffMembersRequest {
        station_id: s.into(),
        dealer_id: d.into(),
        ..Default::default()
    };
    let at_s1 = c
        .list_staff_members(staff("s1", ""))
        .await
        .answer()
        .staff_members;
    assert_eq!(at_s1, by_id(&[&fx.advisor1, &fx.tech1], |m| &m.id));
    assert_eq!(
        c.list_staff_members(staff("", "d2"))
            .await
            .answer()
            .staff_members,
        vec![fx.advisor3.clone()]
    );
    assert_eq!(
        c.list_staff_members(staff("", "d3"))
            .await
            .answer()
            .staff_members,
        vec![fx.advisor4.clone()]
    );
    assert!(
        c.list_staff_members(staff("s1", "d2"))
            .await
            .answer()
            .staff_members
            .is_empty()
    );

    let customers = |d: &str, a: &str| pb::ListCustomersRequest {
        dealer_id: d.into(),
        advisor_id: a.into(),
        ..Default::default()
    };
    assert_eq!(
        c.list_customers(customers("d1", ""))
            .await
            .answer()
            .customers,
        vec![fx.c1.clone()]
    );
    let advised = c
        .list_customers(customers("", &fx.advisor3.id))
        .await
        .answer()
        .customers;
    assert_eq!(advised, vec![fx.c2.clone()]);
    assert!(
        c.list_customers(customers("", &fx.advisor4.id))
            .await
            .answer()
            .customers
            .is_empty()
    );

    let vehicles = |x: &str, d: &str, v: &str| pb::ListVehiclesRequest {
        customer_id: x.into(),
        dealer_id: d.into(),
        vin: v.into(),
        ..Default::default()
    };
    let owned = c
        .list_vehicles(vehicles(&fx.c2.id, "", ""))
        .await
        .answer()
        .vehicles;
    assert_eq!(owned, vec![fx.v2.clone()]);
    assert_eq!(
        c.list_vehicles(vehicles("", "d3", ""))
            .await
            .answer()
            .vehicles,
        vec![fx.v3.clone()]
    );
    assert_eq!(
        c.list_vehicles(vehicles("", "", &fx.v1.vin))
            .await
            .answer()
            .vehicles,
        vec![fx.v1.clone()]
    );
    // However the VIN is typed.
    assert_eq!(
        c.list_vehicles(vehicles("", "", &format!(" {} ", fx.v1.vin.to_lowercase())))
            .await
            .answer()
            .vehicles,
        vec![fx.v1.clone()]
    );
    assert!(
        c.list_vehicles(vehicles("", "d2", &fx.v1.vin))
            .await
            .answer()
            .vehicles
            .is_empty()
    );
});
