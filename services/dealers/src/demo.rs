//! A small, realistic demo network, so that a new user sees something at
//! once: three regions, four dealers, six stations, their staff, and
//! sixty customers with a vehicle each per station. Ids are readable so
//! that tokens are easy to make by hand.

use aftercare_auth::{Principal, Scope};
use time::{Date, Month};

use crate::{
    domain::{
        network::{
            BuildStandard, Certification, CustomerFields, DealerFields, RegionFields, StaffFields,
            StaffPosition, StarLevel, StationFields, VehicleFields,
        },
        text::{City, Code, DisplayName, Id, Locale},
        vin::{Vin, check_digit},
    },
    error::Result,
    store::{Caller, Store},
    usecases::{Dealership, Network},
};

const REGIONS: &[(&str, &str)] = &[("north", "North"), ("south", "South"), ("west", "West")];

/// (id, region, name, code, city)
const DEALERS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "harbour-motors",
        "north",
        "Harbour Motors",
        "D-1001",
        "Hamburg",
    ),
    ("alpine-cars", "south", "Alpine Cars", "D-2001", "Munich"),
    (
        "lakeside-auto",
        "south",
        "Lakeside Auto",
        "D-2002",
        "Konstanz",
    ),
    (
        "rhine-vehicles",
        "west",
        "Rhine Vehicles",
        "D-3001",
        "Cologne",
    ),
];

/// (id, dealer, name, code, city, standard, stars)
const STATIONS: &[(&str, &str, &str, &str, &str, BuildStandard, i64)] = &[
    (
        "hm-city",
        "harbour-motors",
        "Harbour Motors City",
        "S-1001",
        "Hamburg",
        BuildStandard::Full,
        5,
    ),
    (
        "hm-airport",
        "harbour-motors",
        "Harbour Motors Airport",
        "S-1002",
        "Hamburg",
        BuildStandard::Quick,
        3,
    ),
    (
        "ac-munich",
        "alpine-cars",
        "Alpine Cars Munich",
        "S-2001",
        "Munich",
        BuildStandard::Full,
        4,
    ),
    (
        "la-konstanz",
        "lakeside-auto",
        "Lakeside Auto Konstanz",
        "S-2002",
        "Konstanz",
        BuildStandard::Service,
        3,
    ),
    (
        "rv-cologne",
        "rhine-vehicles",
        "Rhine Vehicles Cologne",
        "S-3001",
        "Cologne",
        BuildStandard::Full,
        4,
    ),
    (
        "rv-bonn",
        "rhine-vehicles",
        "Rhine Vehicles Bonn",
        "S-3002",
        "Bonn",
        BuildStandard::Service,
        2,
    ),
];

const FIRST: &[&str] = &[
    "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Klara",
    "Lukas",
];
const LAST: &[&str] = &[
    "Schmidt", "Weber", "Fischer", "Wagner", "Becker", "Hoffmann", "Keller", "Richter",
];
const MODELS: &[&str] = &["CITY-E", "FAMILY-5", "VAN-E1", "TRIKE-3"];
/// Customers (each with one vehicle) per station: enough for a month of
/// repair orders that rarely bring the same vehicle back.
pub const VEHICLES_PER_STATION: usize = 60;

/// Fills an empty network with the demo; leaves one that has data alone.
/// Returns whether it seeded.
pub async fn seed(store: &Store) -> Result<bool> {
    let network = Network::new(store.db().clone());
    let dealership = Dealership::new(store.db().clone());
    let head_office = Caller {
        principal: Principal {
            subject: "demo-seed".into(),
            scope: Scope::Oem,
        },
        key: None,
    };
    let page = aftercare_values::PageRequest {
        size: 1,
        after: None,
    };
    if !network
        .list_regions(&head_office.principal, &page)
        .await?
        .is_empty()
    {
        return Ok(false);
    }
    let id = |s: &str| Id::parse(s).expect("demo ids are valid");
    let name = |s: &str| DisplayName::parse(s).expect("demo names are valid");
    let code = |s: &str| Code::parse(s).expect("demo codes are valid");
    let date = |y, m, d| {
        Date::from_calendar_date(y, Month::try_from(m).expect("month"), d)
            .expect("demo dates are valid")
    };

    for (region, display) in REGIONS {
        network
            .create_region(
                &head_office,
                id(region),
                RegionFields {
                    display_name: name(display),
                },
            )
            .await?;
    }
    for (dealer, region, display, dealer_code, city) in DEALERS {
        let fields = DealerFields {
            region_id: id(region),
            display_name: name(display),
            code: code(dealer_code),
            city: City::parse(city).expect("demo cities are valid"),
        };
        network
            .create_dealer(&head_office, id(dealer), fields)
            .await?;
    }
    let mut person = 0usize;
    let mut next_name = || {
        person += 1;
        name(&format!(
            "{} {}",
            FIRST[person % FIRST.len()],
            LAST[(person * 7) % LAST.len()]
        ))
    };
    for (n, (station, dealer, display, station_code, city, standard, stars)) in
        STATIONS.iter().enumerate()
    {
        let fields = StationFields {
            display_name: name(display),
            code: code(station_code),
            city: City::parse(city).expect("demo cities are valid"),
            build_standard: *standard,
            star_level: StarLevel::parse(*stars).expect("demo stars are valid"),
        };
        network
            .create_station(&head_office, id(station), id(dealer), fields)
            .await?;

        let advisor = id(&format!("{station}-advisor"));
        let staff = [
            (advisor.clone(), StaffPosition::ServiceAdvisor, vec![]),
            (
                id(&format!("{station}-tech-1")),
                StaffPosition::Technician,
                vec![("HV-2", date(2027, 6, 30))],
            ),
            (
                id(&format!("{station}-tech-2")),
                StaffPosition::Technician,
                vec![("BRAKES", date(2026, 3, 31))],
            ),
        ];
        for (member, position, certs) in staff {
            let certifications = certs
                .into_iter()
                .map(|(kind, expire_date)| Certification {
                    kind: code(kind),
                    expire_date,
                })
                .collect();
            let fields = StaffFields {
                display_name: next_name(),
                position,
                certifications,
            };
            dealership
                .create_staff_member(&head_office, member, id(station), fields)
                .await?;
        }

        for c in 1..=VEHICLES_PER_STATION as i32 {
            let customer = id(&format!("{station}-customer-{c}"));
            let fields = CustomerFields {
                display_name: next_name(),
                phone: None,
                email: None,
                advisor_id: Some(advisor.clone()),
                // Most of the network's customers read Chinese; some English.
                locale: Locale::parse(if c == 1 { "zh-CN" } else { "en" }).ok(),
            };
            dealership
                .create_customer(&head_office, customer.clone(), id(dealer), fields)
                .await?;
            let sale = date(
                2023 + (n as i32 + c) % 3,
                1 + ((n * 5 + c as usize) % 12) as u8,
                15,
            );
            let fields = VehicleFields {
                vin: demo_vin(n * 100 + c as usize),
                customer_id: customer,
                model: code(MODELS[(n + c as usize) % MODELS.len()]),
                sale_date: Some(sale),
                mileage_km: 4_000 + (n as i64 * 3_700 + i64::from(c) * 9_100) % 60_000,
                warranty_start_date: Some(sale),
            };
            dealership
                .create_vehicle(&head_office, id(&format!("{station}-vehicle-{c}")), fields)
                .await?;
        }
    }
    Ok(true)
}

/// A well-formed VIN with a correct check digit, different for each `n`.
fn demo_vin(n: usize) -> Vin {
    let mut vin: Vec<char> = format!("WAC1DEMX0R{n:07}").chars().collect();
    let text: String = vin.iter().collect();
    vin[8] = check_digit(&text);
    Vin::parse(&vin.into_iter().collect::<String>(), true).expect("demo VINs are valid")
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_vins_carry_their_check_digit() {
        for n in [0, 7, 59] {
            assert!(super::Vin::parse(super::demo_vin(n).as_str(), true).is_ok());
        }
    }
}
