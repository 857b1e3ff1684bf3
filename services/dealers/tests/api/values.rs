//! Valid values and objects to build requests from: request ids, masks,
//! dates, VINs with a valid check digit, and one object of each kind.

use aftercare_proto::{dealers::v1 as pb, google::r#type::Date};
use prost_types::FieldMask;

/// A fresh request id.
pub(crate) fn rid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An update mask naming `paths`; none for no paths.
pub(crate) fn mask(paths: &[&str]) -> Option<FieldMask> {
    (!paths.is_empty()).then(|| FieldMask {
        paths: paths.iter().map(|p| (*p).to_owned()).collect(),
    })
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

/// A VIN with a valid check digit (ISO 3779, the North American rule),
/// unique per serial: `1M8GDM9A`, the check digit, `KP` and six digits.
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

#[test]
fn vins_carry_their_check_digit() {
    assert_eq!(vin(42788), "1M8GDM9AXKP042788", "the textbook example");
    assert_eq!(wrong_check_digit("1M8GDM9AXKP042788"), "1M8GDM9A1KP042788");
}

// One object of each kind ------------------------------------------------------

pub(crate) fn region(display_name: &str) -> pb::Region {
    pb::Region {
        display_name: display_name.into(),
        ..Default::default()
    }
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

pub(crate) fn staff(
    station_id: &str,
    display_name: &str,
    position: pb::StaffPosition,
) -> pb::StaffMember {
    pb::StaffMember {
        station_id: station_id.into(),
        display_name: display_name.into(),
        position: position as i32,
        ..Default::default()
    }
}

pub(crate) fn certification(kind: &str, expire_date: Option<Date>) -> pb::Certification {
    pb::Certification {
        kind: kind.into(),
        expire_date,
    }
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

/// A van sold on 2025-03-01, its warranty starting the same day.
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
