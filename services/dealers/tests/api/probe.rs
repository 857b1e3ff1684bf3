//! All 30 RPCs aimed at dealer d1's objects, for the access tests. Each
//! probe is a valid request, so that only the caller decides the answer.

use tonic::{Response, Status};

use crate::fixture::*;

/// What a probe answered: the ids of the objects it returned, or a status.
pub(crate) struct Probe {
    pub(crate) rpc: &'static str,
    pub(crate) result: Result<Vec<String>, Status>,
}

/// The ids in an answer.
trait Ids {
    fn ids(&self) -> Vec<String>;
}

macro_rules! ids {
    ($($object:ident),*; $($list:ident . $items:ident),*) => {
        $(impl Ids for pb::$object {
            fn ids(&self) -> Vec<String> {
                vec![self.id.clone()]
            }
        })*
        $(impl Ids for pb::$list {
            fn ids(&self) -> Vec<String> {
                self.$items.iter().map(|x| x.id.clone()).collect()
            }
        })*
    };
}

ids!(Region, Dealer, Station, StaffMember, Customer, Vehicle;
    ListRegionsResponse.regions, ListDealersResponse.dealers, ListStationsResponse.stations,
    ListStaffMembersResponse.staff_members, ListCustomersResponse.customers,
    ListVehiclesResponse.vehicles);

impl Ids for () {
    fn ids(&self) -> Vec<String> {
        vec!["(deleted)".into()]
    }
}

fn ids_of<T: Ids>(r: Result<Response<T>, Status>) -> Result<Vec<String>, Status> {
    r.map(|r| r.get_ref().ids())
}

/// Calls every RPC on region north, dealer d1, station s1, the advisor at
/// s1, customer c1 and vehicle v1; lists filtered to them.
pub(crate) async fn every_rpc(c: &mut Client, fx: &Fixture) -> Vec<Probe> {
    let (r, d, s) = (&fx.north.id, &fx.d1.id, &fx.s1.id);
    let (m, x, v) = (&fx.advisor1.id, &fx.c1.id, &fx.v1.id);
    let dealers = pb::ListDealersRequest {
        region_id: r.clone(),
        ..Default::default()
    };
    let stations = pb::ListStationsRequest {
        dealer_id: d.clone(),
        ..Default::default()
    };
    let staff_at = pb::ListStaffMembersRequest {
        station_id: s.clone(),
        ..Default::default()
    };
    let customers = pb::ListCustomersRequest {
        dealer_id: d.clone(),
        ..Default::default()
    };
    let vehicles = pb::ListVehiclesRequest {
        customer_id: x.clone(),
        ..Default::default()
    };
    let new_staff = staff(s, "Intruder", StaffPosition::Technician);
    let renamed = pb::StaffMember {
        display_name: "Hacked".into(),
        ..Default::default()
    };
    let phone = pb::Customer {
        phone: "+4940999999".into(),
        ..Default::default()
    };
    #[rustfmt::skip]
    let probes = vec![
        ("GetRegion", ids_of(c.get_region(get::region(r)).await)),
        ("ListRegions", ids_of(c.list_regions(pb::ListRegionsRequest::default()).await)),
        ("CreateRegion", ids_of(c.create_region(create::region("intruder", region("Intruder"))).await)),
        ("UpdateRegion", ids_of(c.update_region(update::region(r, region("Hacked"), &["display_name"])).await)),
        ("DeleteRegion", ids_of(c.delete_region(delete::region(r, "")).await)),
        ("GetDealer", ids_of(c.get_dealer(get::dealer(d)).await)),
        ("ListDealers", ids_of(c.list_dealers(dealers).await)),
        ("CreateDealer", ids_of(c.create_dealer(create::dealer("intruder", dealer(r, "Intruder", "X-1"))).await)),
        ("UpdateDealer", ids_of(c.update_dealer(update::dealer(d, dealer(r, "Hacked", "D1"), &["display_name"])).await)),
        ("DeleteDealer", ids_of(c.delete_dealer(delete::dealer(d, "")).await)),
        ("GetStation", ids_of(c.get_station(get::station(s)).await)),
        ("ListStations", ids_of(c.list_stations(stations).await)),
        ("CreateStation", ids_of(c.create_station(create::station("intruder", station(d, "Intruder", "X-1"))).await)),
        ("UpdateStation", ids_of(c.update_station(update::station(s, station(d, "Hacked", "S1"), &["display_name"])).await)),
        ("DeleteStation", ids_of(c.delete_station(delete::station(s, "")).await)),
        ("GetStaffMember", ids_of(c.get_staff_member(get::staff(m)).await)),
        ("ListStaffMembers", ids_of(c.list_staff_members(staff_at).await)),
        ("CreateStaffMember", ids_of(c.create_staff_member(create::staff("intruder", new_staff)).await)),
        ("UpdateStaffMember", ids_of(c.update_staff_member(update::staff(m, renamed, &["display_name"])).await)),
        ("DeleteStaffMember", ids_of(c.delete_staff_member(delete::staff(m, "")).await)),
        ("GetCustomer", ids_of(c.get_customer(get::customer(x)).await)),
        ("ListCustomers", ids_of(c.list_customers(customers).await)),
        ("CreateCustomer", ids_of(c.create_customer(create::customer("intruder", customer(d, "Intruder", ""))).await)),
        ("UpdateCustomer", ids_of(c.update_customer(update::customer(x, phone, &["phone"])).await)),
        ("DeleteCustomer", ids_of(c.delete_customer(delete::customer(x, "")).await)),
        ("GetVehicle", ids_of(c.get_vehicle(get::vehicle(v)).await)),
        ("ListVehicles", ids_of(c.list_vehicles(vehicles).await)),
        ("CreateVehicle", ids_of(c.create_vehicle(create::vehicle("intruder", vehicle(x, &vin(666)))).await)),
        ("UpdateVehicle", ids_of(c.update_vehicle(update::vehicle(v, vehicle(x, &vin(1)), &["mileage_km"])).await)),
        ("DeleteVehicle", ids_of(c.delete_vehicle(delete::vehicle(v, "")).await)),
    ];
    assert_eq!(probes.len(), 30, "one probe per RPC");
    probes
        .into_iter()
        .map(|(rpc, result)| Probe { rpc, result })
        .collect()
}

/// Checks each probe against `expected`, one letter per RPC in the order of
/// [`every_rpc`] (spaces ignored):
/// - `A` allowed: answers with objects;
/// - `L` a list that answers, but with none of d1's objects;
/// - `N` NOT_FOUND, `P` PERMISSION_DENIED, `U` UNAUTHENTICATED.
///
/// No refusal echoes what d1's objects hold.
pub(crate) fn assert_answers(probes: &[Probe], fx: &Fixture, expected: &str) {
    let expected: Vec<char> = expected.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(expected.len(), probes.len());
    let d1_ids = fx.d1_ids();
    let secrets = [
        &fx.d1.display_name,
        &fx.s1.display_name,
        &fx.advisor1.display_name,
    ];
    let secrets = secrets.into_iter().chain([&fx.c1.display_name, &fx.v1.vin]);
    let secrets: Vec<&String> = secrets.collect();
    for (p, want) in probes.iter().zip(expected) {
        let code = match want {
            'A' => {
                let answered = matches!(&p.result, Ok(ids) if !ids.is_empty());
                assert!(answered, "{} should answer: {:?}", p.rpc, p.result);
                continue;
            }
            'L' => {
                assert!(p.rpc.starts_with("List"), "{}", p.rpc);
                let ids = p
                    .result
                    .as_ref()
                    .unwrap_or_else(|s| panic!("{}: {s:?}", p.rpc));
                let leaked: Vec<&String> = ids.iter().filter(|id| d1_ids.contains(id)).collect();
                assert!(leaked.is_empty(), "{} returned d1's {leaked:?}", p.rpc);
                continue;
            }
            'N' => Code::NotFound,
            'P' => Code::PermissionDenied,
            'U' => Code::Unauthenticated,
            other => panic!("unknown expectation {other}"),
        };
        match &p.result {
            Ok(ids) => panic!(
                "{} should be refused with {code:?}, answered {ids:?}",
                p.rpc
            ),
            Err(s) => {
                assert_eq!(s.code(), code, "{}: {}", p.rpc, s.message());
                let echoed = secrets.iter().find(|v| s.message().contains(v.as_str()));
                assert!(echoed.is_none(), "{}: {}", p.rpc, s.message());
            }
        }
    }
}

/// Head office still finds d1's objects exactly as they were, and nothing
/// was created.
pub(crate) async fn assert_untouched(oem: &mut Client, fx: &Fixture) {
    assert_eq!(
        oem.get_region(get::region("north")).await.answer(),
        fx.north
    );
    assert_eq!(oem.get_dealer(get::dealer("d1")).await.answer(), fx.d1);
    assert_eq!(oem.get_station(get::station("s1")).await.answer(), fx.s1);
    assert_eq!(
        oem.get_staff_member(get::staff(&fx.advisor1.id))
            .await
            .answer(),
        fx.advisor1
    );
    assert_eq!(
        oem.get_customer(get::customer(&fx.c1.id)).await.answer(),
        fx.c1
    );
    assert_eq!(
        oem.get_vehicle(get::vehicle(&fx.v1.id)).await.answer(),
        fx.v1
    );
    let regions = oem
        .list_regions(pb::ListRegionsRequest::default())
        .await
        .answer();
    let dealers = oem
        .list_dealers(pb::ListDealersRequest::default())
        .await
        .answer();
    let stations = oem
        .list_stations(pb::ListStationsRequest::default())
        .await
        .answer();
    let staff = oem
        .list_staff_members(pb::ListStaffMembersRequest::default())
        .await
        .answer();
    let customers = oem
        .list_customers(pb::ListCustomersRequest::default())
        .await
        .answer();
    let vehicles = oem
        .list_vehicles(pb::ListVehiclesRequest::default())
        .await
        .answer();
    let counts = [
        regions.regions.len(),
        dealers.dealers.len(),
        stations.stations.len(),
    ];
    let more = [
        staff.staff_members.len(),
        customers.customers.len(),
        vehicles.vehicles.len(),
    ];
    assert_eq!(
        (counts, more),
        ([2, 3, 4], [4, 3, 3]),
        "nothing was created or deleted"
    );
}
