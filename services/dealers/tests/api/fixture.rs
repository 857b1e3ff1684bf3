//! A small service network built through the API as head office, and the
//! prelude the tests import (`use crate::fixture::*`).
//!
//! The network: regions north and south; dealers d1 and d2 in north, d3 in
//! south; stations s1 and s2 of d1, s3 of d2, s4 of d3; at s1 a service
//! advisor and a technician certified HV-2, a service advisor at s3 and at
//! s4; customers c1 (of d1, advised at s1), c2 (of d2, advised at s3), c3 (of
//! d3); one vehicle each.

pub(crate) use aftercare_proto::dealers::v1::{self as pb, StaffPosition};
pub(crate) use tonic::Code;

pub(crate) use crate::{
    both,
    requests::{create, delete, get, update},
    support::{Client, Harness},
    values::*,
};
pub(crate) use aftercare_test_support::{Outcome, by_id, ids};

pub(crate) async fn create_region(c: &mut Client, id: &str, name: &str) -> pb::Region {
    c.create_region(create::region(id, region(name)))
        .await
        .answer()
}

pub(crate) async fn create_dealer(c: &mut Client, id: &str, d: pb::Dealer) -> pb::Dealer {
    c.create_dealer(create::dealer(id, d)).await.answer()
}

pub(crate) async fn create_station(c: &mut Client, id: &str, s: pb::Station) -> pb::Station {
    c.create_station(create::station(id, s)).await.answer()
}

/// A staff member with a generated id.
pub(crate) async fn create_staff(c: &mut Client, m: pb::StaffMember) -> pb::StaffMember {
    c.create_staff_member(create::staff("", m)).await.answer()
}

/// A customer with a generated id.
pub(crate) async fn create_customer(c: &mut Client, x: pb::Customer) -> pb::Customer {
    c.create_customer(create::customer("", x)).await.answer()
}

/// A vehicle with a generated id.
pub(crate) async fn create_vehicle(c: &mut Client, v: pb::Vehicle) -> pb::Vehicle {
    c.create_vehicle(create::vehicle("", v)).await.answer()
}

pub(crate) struct Fixture {
    pub(crate) north: pb::Region,
    pub(crate) south: pb::Region,
    pub(crate) d1: pb::Dealer,
    pub(crate) d2: pb::Dealer,
    pub(crate) d3: pb::Dealer,
    pub(crate) s1: pb::Station,
    pub(crate) s2: pb::Station,
    pub(crate) s3: pb::Station,
    pub(crate) s4: pb::Station,
    /// The service advisor at s1, advisor of c1.
    pub(crate) advisor1: pb::StaffMember,
    /// The technician at s1, certified HV-2.
    pub(crate) tech1: pb::StaffMember,
    pub(crate) advisor3: pb::StaffMember,
    pub(crate) advisor4: pb::StaffMember,
    pub(crate) c1: pb::Customer,
    pub(crate) c2: pb::Customer,
    pub(crate) c3: pb::Customer,
    pub(crate) v1: pb::Vehicle,
    pub(crate) v2: pb::Vehicle,
    pub(crate) v3: pb::Vehicle,
}

impl Fixture {
    pub(crate) async fn build(h: &Harness) -> Fixture {
        use StaffPosition::{ServiceAdvisor, Technician};
        let c = &mut h.oem();
        let north = create_region(c, "north", "North").await;
        let south = create_region(c, "south", "South").await;
        let d1 = create_dealer(c, "d1", dealer("north", "Dealer One", "D1")).await;
        let d2 = create_dealer(c, "d2", dealer("north", "Dealer Two", "D2")).await;
        let d3 = create_dealer(c, "d3", dealer("south", "Dealer Three", "D3")).await;
        let s1 = create_station(c, "s1", station("d1", "Station One", "S1")).await;
        let s2 = create_station(c, "s2", station("d1", "Station Two", "S2")).await;
        let s3 = create_station(c, "s3", station("d2", "Station Three", "S3")).await;
        let s4 = create_station(c, "s4", station("d3", "Station Four", "S4")).await;
        let advisor1 = create_staff(c, staff("s1", "Ada Advisor", ServiceAdvisor)).await;
        let mut tech = staff("s1", "Tom Technician", Technician);
        tech.certifications = vec![certification("HV-2", date(2027, 6, 30))];
        let tech1 = create_staff(c, tech).await;
        let advisor3 = create_staff(c, staff("s3", "Cy Advisor", ServiceAdvisor)).await;
        let advisor4 = create_staff(c, staff("s4", "Di Advisor", ServiceAdvisor)).await;
        let c1 = create_customer(c, customer("d1", "Anna One", &advisor1.id)).await;
        let c2 = create_customer(c, customer("d2", "Ben Two", &advisor3.id)).await;
        let c3 = create_customer(c, customer("d3", "Cleo Three", "")).await;
        let v1 = create_vehicle(c, vehicle(&c1.id, &vin(1))).await;
        let v2 = create_vehicle(c, vehicle(&c2.id, &vin(2))).await;
        let v3 = create_vehicle(c, vehicle(&c3.id, &vin(3))).await;
        Fixture {
            north,
            south,
            d1,
            d2,
            d3,
            s1,
            s2,
            s3,
            s4,
            advisor1,
            tech1,
            advisor3,
            advisor4,
            c1,
            c2,
            c3,
            v1,
            v2,
            v3,
        }
    }

    /// The ids of dealer d1 and of everything it holds.
    pub(crate) fn d1_ids(&self) -> Vec<String> {
        [
            &self.d1.id,
            &self.s1.id,
            &self.s2.id,
            &self.advisor1.id,
            &self.tech1.id,
        ]
        .into_iter()
        .chain([&self.c1.id, &self.v1.id])
        .cloned()
        .collect()
    }
}
