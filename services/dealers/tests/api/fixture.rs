//! A small service network built through the API as head office, and the
//! helpers the tests share: request builders, valid VINs, and assertions on
//! answers (the code, the field a BadRequest names).
//!
//! The network: regions north and south; dealers d1 and d2 in north, d3 in
//! south; stations s1 and s2 of d1, s3 of d2, s4 of d3; at s1 a service
//! advisor and a certified technician, a service advisor at s3 and at s4;
//! customers c1 (of d1, advised at s1), c2 (of d2), c3 (of d3); one vehicle
//! each.

use aftercare_proto::{dealers::v1 as pb, google::r#type::Date};
use prost_types::FieldMask;
use tonic::{Code, Response, Status};
use tonic_types::StatusExt;

use crate::support::{Client, Harness};

// Answers ---------------------------------------------------------------------

/// What a test checks on an answer.
pub(crate) trait Outcome<T> {
    /// The message of a successful answer; panics with the status otherwise.
    fn answer(self) -> T;
    /// The status of a refused answer, which must carry `code`.
    fn refused(self, code: Code) -> Status;
    /// The one field an INVALID_ARGUMENT answer's BadRequest names.
    fn bad_field(self) -> String;
}

impl<T: std::fmt::Debug> Outcome<T> for Result<Response<T>, Status> {
    #[track_caller]
    fn answer(self) -> T {
        match self {
            Ok(r) => r.into_inner(),
            Err(s) => panic!("expected success, got {:?}: {}", s.code(), s.message()),
        }
    }

    #[track_caller]
    fn refused(self, code: Code) -> Status {
        match self {
            Ok(r) => panic!("expected {code:?}, got success: {:?}", r.get_ref()),
            Err(s) => {
                assert_eq!(s.code(), code, "unexpected status: {}", s.message());
                s
            }
        }
    }

    #[track_caller]
    fn bad_field(self) -> String {
        let status = self.refused(Code::InvalidArgument);
        let details = status.get_details_bad_request().expect("INVALID_ARGUMENT carries a google.rpc.BadRequest");
        assert_eq!(details.field_violations.len(), 1, "{details:?}");
        assert!(!details.field_violations[0].description.is_empty(), "the violation says why");
        details.field_violations[0].field.clone()
    }
}

// Request values --------------------------------------------------------------

/// A fresh request id.
pub(crate) fn rid() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub(crate) fn mask(paths: &[&str]) -> Option<FieldMask> {
    Some(FieldMask { paths: paths.iter().map(|p| (*p).to_owned()).collect() })
}

pub(crate) fn date(year: i32, month: i32, day: i32) -> Option<Date> {
    Some(Date { year, month, day })
}

fn vin_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        _ => panic!("not a VIN character: {c}"),
    }
}

/// A VIN with a valid check digit (ISO 3779, North American rule), unique
/// per serial: `1M8GDM9A?KP` and six digits.
pub(crate) fn vin(serial: u32) -> String {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let mut v = format!("1M8GDM9A0KP{serial:06}").into_bytes();
    let sum: u32 = v.iter().zip(WEIGHTS).map(|(c, w)| vin_value(*c) * w).sum();
    v[8] = match sum % 11 {
        10 => b'X',
        n => b'0' + n as u8,
    };
    String::from_utf8(v).expect("ASCII")
}

/// The same VIN with a wrong check digit.
pub(crate) fn wrong_check_digit(vin: &str) -> String {
    let mut v = vin.as_bytes().to_vec();
    v[8] = if v[8] == b'1' { b'2' } else { b'1' };
    String::from_utf8(v).expect("ASCII")
}

// Objects ---------------------------------------------------------------------

pub(crate) fn region(display_name: &str) -> pb::Region {
    pb::Region { display_name: display_name.into(), ..Default::default() }
}

pub(crate) fn dealer(region_id: &str, display_name: &str, code: &str) -> pb::Dealer {
    pb::Dealer {
        region_id: region_id.into(),
        display_name: display_name.into(),
        code: code.into(),
        city: "Leeds".into(),
        ..Default::default()
    }
}

pub(crate) fn station(dealer_id: &str, display_name: &str, code: &str) -> pb::Station {
    pb::Station {
        dealer_id: dealer_id.into(),
        display_name: display_name.into(),
        code: code.into(),
        city: "York".into(),
        build_standard: pb::BuildStandard::Service as i32,
        star_level: 3,
        ..Default::default()
    }
}

pub(crate) fn staff(station_id: &str, display_name: &str, position: pb::StaffPosition) -> pb::StaffMember {
    pb::StaffMember {
        station_id: station_id.into(),
        display_name: display_name.into(),
        position: position as i32,
        ..Default::default()
    }
}

pub(crate) fn certification(kind: &str, expire_date: Option<Date>) -> pb::Certification {
    pb::Certification { kind: kind.into(), expire_date }
}

pub(crate) fn customer(dealer_id: &str, display_name: &str, advisor_id: &str) -> pb::Customer {
    pb::Customer {
        dealer_id: dealer_id.into(),
        display_name: display_name.into(),
        phone: "+4930123456".into(),
        email: "anna@example.com".into(),
        advisor_id: advisor_id.into(),
        ..Default::default()
    }
}

pub(crate) fn vehicle(customer_id: &str, vin: &str) -> pb::Vehicle {
    pb::Vehicle {
        vin: vin.into(),
        customer_id: customer_id.into(),
        model: "VAN-E1".into(),
        sale_date: date(2025, 3, 1),
        mileage_km: 12_500,
        warranty_start_date: date(2025, 3, 1),
        ..Default::default()
    }
}

// Creating through the API ----------------------------------------------------

pub(crate) async fn create_region(c: &mut Client, id: &str, name: &str) -> pb::Region {
    let request = pb::CreateRegionRequest { region: Some(region(name)), region_id: id.into(), request_id: rid() };
    c.create_region(request).await.answer()
}

pub(crate) async fn create_dealer(c: &mut Client, id: &str, d: pb::Dealer) -> pb::Dealer {
    let request = pb::CreateDealerRequest { dealer: Some(d), dealer_id: id.into(), request_id: rid() };
    c.create_dealer(request).await.answer()
}

pub(crate) async fn create_station(c: &mut Client, id: &str, s: pb::Station) -> pb::Station {
    let request = pb::CreateStationRequest { station: Some(s), station_id: id.into(), request_id: rid() };
    c.create_station(request).await.answer()
}

pub(crate) async fn create_staff(c: &mut Client, m: pb::StaffMember) -> pb::StaffMember {
    let request = pb::CreateStaffMemberRequest { staff_member: Some(m), staff_member_id: String::new(), request_id: rid() };
    c.create_staff_member(request).await.answer()
}

pub(crate) async fn create_customer(c: &mut Client, x: pb::Customer) -> pb::Customer {
    let request = pb::CreateCustomerRequest { customer: Some(x), customer_id: String::new(), request_id: rid() };
    c.create_customer(request).await.answer()
}

pub(crate) async fn create_vehicle(c: &mut Client, v: pb::Vehicle) -> pb::Vehicle {
    let request = pb::CreateVehicleRequest { vehicle: Some(v), vehicle_id: String::new(), request_id: rid() };
    c.create_vehicle(request).await.answer()
}

// The network -----------------------------------------------------------------

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
        use pb::StaffPosition::{ServiceAdvisor, Technician};
        let mut c = h.oem();
        let c = &mut c;
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

    /// The ids of every object of dealer d1 (and d1 itself).
    pub(crate) fn d1_ids(&self) -> Vec<String> {
        [&self.d1.id, &self.s1.id, &self.s2.id, &self.advisor1.id, &self.tech1.id, &self.c1.id, &self.v1.id]
            .into_iter()
            .cloned()
            .collect()
    }
}

/// The VIN helper agrees with the textbook example.
#[test]
fn vins_carry_their_check_digit() {
    assert_eq!(vin(42788), "1M8GDM9AXKP042788");
    assert_eq!(wrong_check_digit("1M8GDM9AXKP042788"), "1M8GDM9A1KP042788");
}
