//! Lists: paging walks every item once, and each filter selects what it
//! names.

use std::future::Future;

use aftercare_proto::dealers::v1::{self as pb, StaffPosition};

use crate::{
    both,
    fixture::{Fixture, Outcome, create_customer, create_dealer, create_region, create_staff, create_station, create_vehicle, customer, dealer, rid, staff, station, vehicle, vin},
    support::{Client, Harness},
};

/// Walks a list with page size 2: every page but the last is full, and the
/// ids of all pages in the order they came.
async fn walk<F, Fut>(mut page: F) -> Vec<String>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = (Vec<String>, String)>,
{
    let (mut all, mut token) = (Vec::new(), String::new());
    for _ in 0..50 {
        let (ids, next) = page(token).await;
        assert!(ids.len() <= 2, "a page holds at most page_size items: {ids:?}");
        all.extend(ids.iter().cloned());
        if next.is_empty() {
            return all;
        }
        assert_eq!(ids.len(), 2, "only the last page may be short");
        token = next;
    }
    panic!("paging does not end");
}

/// Each expected id exactly once, in id order.
fn assert_walked(walked: Vec<String>, mut expected: Vec<String>) {
    expected.sort();
    assert_eq!(walked, expected);
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|x| id(x).to_owned()).collect()
}

/// Two more of every kind, so that every list has five items.
async fn grow(c: &mut Client, fx: &Fixture) -> Vec<String> {
    create_region(c, "east", "East").await;
    create_region(c, "west", "West").await;
    create_region(c, "central", "Central").await;
    create_dealer(c, "d4", dealer("south", "Dealer Four", "D4")).await;
    create_dealer(c, "d5", dealer("north", "Dealer Five", "D5")).await;
    create_station(c, "s5", station("d1", "Station Five", "S5")).await;
    create_staff(c, staff("s2", "Pat Parts", StaffPosition::PartsClerk)).await;
    let c4 = create_customer(c, customer("d1", "Dan Four", "")).await;
    let c5 = create_customer(c, customer("d3", "Eli Five", "")).await;
    create_vehicle(c, vehicle(&c4.id, &vin(4))).await;
    create_vehicle(c, vehicle(&fx.c1.id, &vin(5))).await;
    vec![c4.id, c5.id]
}

both!(paging_walks_every_item_once, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let c = h.oem();
    grow(&mut c.clone(), &fx).await;
    let all = c.clone().list_regions(pb::ListRegionsRequest::default()).await.answer();
    assert_eq!(all.regions.len(), 5);

    let walked = walk(|t| {
        let mut c = c.clone();
        async move {
            let r = c.list_regions(pb::ListRegionsRequest { page_size: 2, page_token: t }).await.answer();
            (ids(&r.regions, |x| &x.id), r.next_page_token)
        }
    })
    .await;
    assert_walked(walked, ["north", "south", "east", "west", "central"].map(String::from).to_vec());

    let walked = walk(|t| {
        let mut c = c.clone();
        async move {
            let r = c.list_dealers(pb::ListDealersRequest { page_size: 2, page_token: t, ..Default::default() }).await.answer();
            (ids(&r.dealers, |x| &x.id), r.next_page_token)
        }
    })
    .await;
    assert_walked(walked, ["d1", "d2", "d3", "d4", "d5"].map(String::from).to_vec());

    let walked = walk(|t| {
        let mut c = c.clone();
        async move {
            let r = c.list_stations(pb::ListStationsRequest { page_size: 2, page_token: t, ..Default::default() }).await.answer();
            (ids(&r.stations, |x| &x.id), r.next_page_token)
        }
    })
    .await;
    assert_walked(walked, ["s1", "s2", "s3", "s4", "s5"].map(String::from).to_vec());

    let every_member = c.clone().list_staff_members(pb::ListStaffMembersRequest::default()).await.answer();
    assert_eq!(every_member.staff_members.len(), 5);
    let walked = walk(|t| {
        let mut c = c.clone();
        async move {
            let r = c.list_staff_members(pb::ListStaffMembersRequest { page_size: 2, page_token: t, ..Default::default() }).await.answer();
            (ids(&r.staff_members, |x| &x.id), r.next_page_token)
        }
    })
    .await;
    assert_walked(walked, ids(&every_member.staff_members, |x| &x.id));

    let every_customer = c.clone().list_customers(pb::ListCustomersRequest::default()).await.answer();
    assert_eq!(every_customer.customers.len(), 5);
    let walked = walk(|t| {
        let mut c = c.clone();
        async move {
            let r = c.list_customers(pb::ListCustomersRequest { page_size: 2, page_token: t, ..Default::default() }).await.answer();
            (ids(&r.customers, |x| &x.id), r.next_page_token)
        }
    })
    .await;
    assert_walked(walked, ids(&every_customer.customers, |x| &x.id));

    let every_vehicle = c.clone().list_vehicles(pb::ListVehiclesRequest { page_size: 5000, ..Default::default() }).await.answer();
    assert_eq!(every_vehicle.vehicles.len(), 5);
    let walked = walk(|t| {
        let mut c = c.clone();
        async move {
            let r = c.list_vehicles(pb::ListVehiclesRequest { page_size: 2, page_token: t, ..Default::default() }).await.answer();
            (ids(&r.vehicles, |x| &x.id), r.next_page_token)
        }
    })
    .await;
    assert_walked(walked, ids(&every_vehicle.vehicles, |x| &x.id));
});

both!(paging_keeps_filters_and_scope, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    grow(&mut h.oem(), &fx).await;
    // A filtered list, paged: the token carries on under the same filter.
    let c = h.oem();
    let walked = walk(|t| {
        let mut c = c.clone();
        async move {
            let request = pb::ListStationsRequest { page_size: 2, page_token: t, dealer_id: "d1".into(), ..Default::default() };
            let r = c.list_stations(request).await.answer();
            (ids(&r.stations, |x| &x.id), r.next_page_token)
        }
    })
    .await;
    assert_walked(walked, ["s1", "s2", "s5"].map(String::from).to_vec());

    // Paged as dealer d1: only d1's vehicles, each once.
    let d1 = h.dealer("d1");
    let of_d1 = d1.clone().list_vehicles(pb::ListVehiclesRequest::default()).await.answer();
    assert_eq!(of_d1.vehicles.len(), 3);
    assert!(of_d1.vehicles.iter().all(|v| v.dealer_id == "d1"));
    let walked = walk(|t| {
        let mut c = d1.clone();
        async move {
            let r = c.list_vehicles(pb::ListVehiclesRequest { page_size: 2, page_token: t, ..Default::default() }).await.answer();
            (ids(&r.vehicles, |x| &x.id), r.next_page_token)
        }
    })
    .await;
    assert_walked(walked, ids(&of_d1.vehicles, |x| &x.id));

    // The item a token points after may go away: the next page still starts
    // right after it.
    let mut oem = h.oem();
    let first = oem.list_dealers(pb::ListDealersRequest { page_size: 2, ..Default::default() }).await.answer();
    assert_eq!(ids(&first.dealers, |x| &x.id), ["d1", "d2"]);
    let d5 = oem.get_dealer(pb::GetDealerRequest { id: "d5".into() }).await.answer();
    oem.delete_dealer(pb::DeleteDealerRequest { id: d5.id, etag: d5.etag, request_id: rid() }).await.answer();
    let second = oem
        .list_dealers(pb::ListDealersRequest { page_size: 2, page_token: first.next_page_token, ..Default::default() })
        .await
        .answer();
    assert_eq!(ids(&second.dealers, |x| &x.id), ["d3", "d4"]);
    assert_eq!(second.next_page_token, "", "d5 is gone: no third page");
});

both!(filters_select_what_they_name, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let mut c = h.oem();
    let r = c.list_dealers(pb::ListDealersRequest { region_id: "north".into(), ..Default::default() }).await.answer();
    assert_eq!(r.dealers, vec![fx.d1.clone(), fx.d2.clone()]);
    let r = c.list_dealers(pb::ListDealersRequest { region_id: "south".into(), ..Default::default() }).await.answer();
    assert_eq!(r.dealers, vec![fx.d3.clone()]);

    let r = c.list_stations(pb::ListStationsRequest { dealer_id: "d1".into(), ..Default::default() }).await.answer();
    assert_eq!(r.stations, vec![fx.s1.clone(), fx.s2.clone()]);
    let r = c.list_stations(pb::ListStationsRequest { region_id: "south".into(), ..Default::default() }).await.answer();
    assert_eq!(r.stations, vec![fx.s4.clone()]);
    let r = c.list_stations(pb::ListStationsRequest { region_id: "north".into(), dealer_id: "d3".into(), ..Default::default() }).await.answer();
    assert!(r.stations.is_empty(), "filters combine with AND");

    let r = c.list_staff_members(pb::ListStaffMembersRequest { station_id: "s1".into(), ..Default::default() }).await.answer();
    let mut expected = vec![fx.advisor1.clone(), fx.tech1.clone()];
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(r.staff_members, expected);
    let r = c.list_staff_members(pb::ListStaffMembersRequest { dealer_id: "d2".into(), ..Default::default() }).await.answer();
    assert_eq!(r.staff_members, vec![fx.advisor3.clone()]);
    let r = c.list_staff_members(pb::ListStaffMembersRequest { dealer_id: "d3".into(), ..Default::default() }).await.answer();
    assert_eq!(r.staff_members, vec![fx.advisor4.clone()]);

    let r = c.list_customers(pb::ListCustomersRequest { dealer_id: "d1".into(), ..Default::default() }).await.answer();
    assert_eq!(r.customers, vec![fx.c1.clone()]);
    let r = c.list_customers(pb::ListCustomersRequest { advisor_id: fx.advisor3.id.clone(), ..Default::default() }).await.answer();
    assert_eq!(r.customers, vec![fx.c2.clone()]);
    let r = c.list_customers(pb::ListCustomersRequest { advisor_id: fx.advisor4.id.clone(), ..Default::default() }).await.answer();
    assert!(r.customers.is_empty());

    let r = c.list_vehicles(pb::ListVehiclesRequest { customer_id: fx.c2.id.clone(), ..Default::default() }).await.answer();
    assert_eq!(r.vehicles, vec![fx.v2.clone()]);
    let r = c.list_vehicles(pb::ListVehiclesRequest { dealer_id: "d3".into(), ..Default::default() }).await.answer();
    assert_eq!(r.vehicles, vec![fx.v3.clone()]);
    let r = c.list_vehicles(pb::ListVehiclesRequest { vin: fx.v1.vin.clone(), ..Default::default() }).await.answer();
    assert_eq!(r.vehicles, vec![fx.v1.clone()]);
    let r = c.list_vehicles(pb::ListVehiclesRequest { vin: fx.v1.vin.clone(), dealer_id: "d2".into(), ..Default::default() }).await.answer();
    assert!(r.vehicles.is_empty());
});
