//! All 30 RPCs aimed at one dealer's objects, for the access tests: each
//! probe is a valid request, so that only the caller decides the answer.

use aftercare_proto::dealers::v1::{self as pb, StaffPosition};
use tonic::{Code, Response, Status};

use crate::{
    fixture::{Fixture, Outcome, customer, dealer, mask, region, rid, staff, station, vehicle, vin},
    support::Client,
};

/// What a probe answered: the ids of the objects it returned, or a status.
pub(crate) struct Probe {
    pub(crate) rpc: &'static str,
    pub(crate) result: Result<Vec<String>, Status>,
}

impl Probe {
    fn is_list(&self) -> bool {
        self.rpc.starts_with("List")
    }
}

fn one<T>(r: Result<Response<T>, Status>, id: impl Fn(&T) -> String) -> Result<Vec<String>, Status> {
    r.map(|r| vec![id(r.get_ref())])
}

fn many<T, I>(r: Result<Response<T>, Status>, items: impl Fn(&T) -> &[I], id: impl Fn(&I) -> String) -> Result<Vec<String>, Status> {
    r.map(|r| items(r.get_ref()).iter().map(&id).collect())
}

fn none(r: Result<Response<()>, Status>) -> Result<Vec<String>, Status> {
    r.map(|_| vec![])
}

/// Calls every RPC on dealer d1's objects (region north, d1, s1, the
/// advisor at s1, c1, v1), lists filtered to them.
pub(crate) async fn every_rpc(c: &mut Client, fx: &Fixture) -> Vec<Probe> {
    let (r, d, s, m, x, v) = (&fx.north.id, &fx.d1.id, &fx.s1.id, &fx.advisor1.id, &fx.c1.id, &fx.v1.id);
    let list = pb::ListStationsRequest { dealer_id: d.clone(), ..Default::default() };
    let probes = vec![
        ("GetRegion", one(c.get_region(pb::GetRegionRequest { id: r.clone() }).await, |o| o.id.clone())),
        ("ListRegions", many(c.list_regions(pb::ListRegionsRequest::default()).await, |l| &l.regions, |o| o.id.clone())),
        (
            "CreateRegion",
            one(c.create_region(pb::CreateRegionRequest { region: Some(region("Intruder")), region_id: "intruder".into(), request_id: rid() }).await, |o| o.id.clone()),
        ),
        (
            "UpdateRegion",
            one(
                c.update_region(pb::UpdateRegionRequest {
                    region: Some(pb::Region { id: r.clone(), ..region("Hacked") }),
                    update_mask: mask(&["display_name"]),
                    request_id: rid(),
                })
                .await,
                |o| o.id.clone(),
            ),
        ),
        ("DeleteRegion", none(c.delete_region(pb::DeleteRegionRequest { id: r.clone(), etag: String::new(), request_id: rid() }).await)),
        ("GetDealer", one(c.get_dealer(pb::GetDealerRequest { id: d.clone() }).await, |o| o.id.clone())),
        ("ListDealers", many(c.list_dealers(pb::ListDealersRequest { region_id: r.clone(), ..Default::default() }).await, |l| &l.dealers, |o| o.id.clone())),
        (
            "CreateDealer",
            one(c.create_dealer(pb::CreateDealerRequest { dealer: Some(dealer(r, "Intruder", "X-1")), dealer_id: "intruder".into(), request_id: rid() }).await, |o| o.id.clone()),
        ),
        (
            "UpdateDealer",
            one(
                c.update_dealer(pb::UpdateDealerRequest {
                    dealer: Some(pb::Dealer { id: d.clone(), display_name: "Hacked".into(), ..Default::default() }),
                    update_mask: mask(&["display_name"]),
                    request_id: rid(),
                })
                .await,
                |o| o.id.clone(),
            ),
        ),
        ("DeleteDealer", none(c.delete_dealer(pb::DeleteDealerRequest { id: d.clone(), etag: String::new(), request_id: rid() }).await)),
        ("GetStation", one(c.get_station(pb::GetStationRequest { id: s.clone() }).await, |o| o.id.clone())),
        ("ListStations", many(c.list_stations(list).await, |l| &l.stations, |o| o.id.clone())),
        (
            "CreateStation",
            one(c.create_station(pb::CreateStationRequest { station: Some(station(d, "Intruder", "X-1")), station_id: "intruder".into(), request_id: rid() }).await, |o| o.id.clone()),
        ),
        (
            "UpdateStation",
            one(
                c.update_station(pb::UpdateStationRequest {
                    station: Some(pb::Station { id: s.clone(), star_level: 5, ..Default::default() }),
                    update_mask: mask(&["star_level"]),
                    request_id: rid(),
                })
                .await,
                |o| o.id.clone(),
            ),
        ),
        ("DeleteStation", none(c.delete_station(pb::DeleteStationRequest { id: s.clone(), etag: String::new(), request_id: rid() }).await)),
        ("GetStaffMember", one(c.get_staff_member(pb::GetStaffMemberRequest { id: m.clone() }).await, |o| o.id.clone())),
        (
            "ListStaffMembers",
            many(c.list_staff_members(pb::ListStaffMembersRequest { station_id: s.clone(), ..Default::default() }).await, |l| &l.staff_members, |o| o.id.clone()),
        ),
        (
            "CreateStaffMember",
            one(
                c.create_staff_member(pb::CreateStaffMemberRequest {
                    staff_member: Some(staff(s, "Intruder", StaffPosition::Technician)),
                    staff_member_id: "intruder".into(),
                    request_id: rid(),
                })
                .await,
                |o| o.id.clone(),
            ),
        ),
        (
            "UpdateStaffMember",
            one(
                c.update_staff_member(pb::UpdateStaffMemberRequest {
                    staff_member: Some(pb::StaffMember { id: m.clone(), display_name: "Hacked".into(), ..Default::default() }),
                    update_mask: mask(&["display_name"]),
                    request_id: rid(),
                })
                .await,
                |o| o.id.clone(),
            ),
        ),
        ("DeleteStaffMember", none(c.delete_staff_member(pb::DeleteStaffMemberRequest { id: m.clone(), etag: String::new(), request_id: rid() }).await)),
        ("GetCustomer", one(c.get_customer(pb::GetCustomerRequest { id: x.clone() }).await, |o| o.id.clone())),
        (
            "ListCustomers",
            many(c.list_customers(pb::ListCustomersRequest { dealer_id: d.clone(), ..Default::default() }).await, |l| &l.customers, |o| o.id.clone()),
        ),
        (
            "CreateCustomer",
            one(
                c.create_customer(pb::CreateCustomerRequest { customer: Some(customer(d, "Intruder", "")), customer_id: "intruder".into(), request_id: rid() })
                    .await,
                |o| o.id.clone(),
            ),
        ),
        (
            "UpdateCustomer",
            one(
                c.update_customer(pb::UpdateCustomerRequest {
                    customer: Some(pb::Customer { id: x.clone(), phone: "+4940999999".into(), ..Default::default() }),
                    update_mask: mask(&["phone"]),
                    request_id: rid(),
                })
                .await,
                |o| o.id.clone(),
            ),
        ),
        ("DeleteCustomer", none(c.delete_customer(pb::DeleteCustomerRequest { id: x.clone(), etag: String::new(), request_id: rid() }).await)),
        ("GetVehicle", one(c.get_vehicle(pb::GetVehicleRequest { id: v.clone() }).await, |o| o.id.clone())),
        (
            "ListVehicles",
            many(c.list_vehicles(pb::ListVehiclesRequest { customer_id: x.clone(), ..Default::default() }).await, |l| &l.vehicles, |o| o.id.clone()),
        ),
        (
            "CreateVehicle",
            one(
                c.create_vehicle(pb::CreateVehicleRequest { vehicle: Some(vehicle(x, &vin(666))), vehicle_id: "intruder".into(), request_id: rid() }).await,
                |o| o.id.clone(),
            ),
        ),
        (
            "UpdateVehicle",
            one(
                c.update_vehicle(pb::UpdateVehicleRequest {
                    vehicle: Some(pb::Vehicle { id: v.clone(), mileage_km: 1, ..Default::default() }),
                    update_mask: mask(&["mileage_km"]),
                    request_id: rid(),
                })
                .await,
                |o| o.id.clone(),
            ),
        ),
        ("DeleteVehicle", none(c.delete_vehicle(pb::DeleteVehicleRequest { id: v.clone(), etag: String::new(), request_id: rid() }).await)),
    ];
    assert_eq!(probes.len(), 30, "one probe per RPC");
    probes.into_iter().map(|(rpc, result)| Probe { rpc, result }).collect()
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
    let secrets = [&fx.d1.display_name, &fx.s1.display_name, &fx.advisor1.display_name, &fx.c1.display_name, &fx.v1.vin];
    for (p, want) in probes.iter().zip(expected) {
        let code = match want {
            'A' => {
                assert!(matches!(&p.result, Ok(ids) if !ids.is_empty()), "{} should answer: {:?}", p.rpc, p.result);
                continue;
            }
            'L' => {
                assert!(p.is_list(), "{}", p.rpc);
                let ids = p.result.as_ref().unwrap_or_else(|s| panic!("{} should answer: {s:?}", p.rpc));
                assert!(ids.iter().all(|id| !d1_ids.contains(id)), "{} returned d1's objects: {ids:?}", p.rpc);
                continue;
            }
            'N' => Code::NotFound,
            'P' => Code::PermissionDenied,
            'U' => Code::Unauthenticated,
            other => panic!("unknown expectation {other}"),
        };
        match &p.result {
            Ok(ids) => panic!("{} should be refused with {code:?}, answered {ids:?}", p.rpc),
            Err(s) => {
                assert_eq!(s.code(), code, "{}: {}", p.rpc, s.message());
                assert!(secrets.iter().all(|v| !s.message().contains(v.as_str())), "{}: {}", p.rpc, s.message());
            }
        }
    }
}

/// Head office still finds d1's objects exactly as they were, and nothing
/// was created.
pub(crate) async fn assert_untouched(oem: &mut Client, fx: &Fixture) {
    assert_eq!(oem.get_region(pb::GetRegionRequest { id: fx.north.id.clone() }).await.answer(), fx.north);
    assert_eq!(oem.get_dealer(pb::GetDealerRequest { id: fx.d1.id.clone() }).await.answer(), fx.d1);
    assert_eq!(oem.get_station(pb::GetStationRequest { id: fx.s1.id.clone() }).await.answer(), fx.s1);
    assert_eq!(oem.get_staff_member(pb::GetStaffMemberRequest { id: fx.advisor1.id.clone() }).await.answer(), fx.advisor1);
    assert_eq!(oem.get_customer(pb::GetCustomerRequest { id: fx.c1.id.clone() }).await.answer(), fx.c1);
    assert_eq!(oem.get_vehicle(pb::GetVehicleRequest { id: fx.v1.id.clone() }).await.answer(), fx.v1);
    assert_eq!(oem.list_regions(pb::ListRegionsRequest::default()).await.answer().regions.len(), 2);
    assert_eq!(oem.list_dealers(pb::ListDealersRequest::default()).await.answer().dealers.len(), 3);
    assert_eq!(oem.list_stations(pb::ListStationsRequest::default()).await.answer().stations.len(), 4);
    assert_eq!(oem.list_staff_members(pb::ListStaffMembersRequest::default()).await.answer().staff_members.len(), 4);
    assert_eq!(oem.list_customers(pb::ListCustomersRequest::default()).await.answer().customers.len(), 3);
    assert_eq!(oem.list_vehicles(pb::ListVehiclesRequest::default()).await.answer().vehicles.len(), 3);
}
