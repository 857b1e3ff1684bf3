//! A dealer network of any size, made through the gateway as the demo
//! makes its own (`aftercare_dealers::demo`), one API call per thing:
//! regions, dealers, their stations, a service advisor per station, the
//! stations' customers with a vehicle each (head office), the catalogue
//! part and labour operation the repair orders use and a stocked warehouse
//! per station ([`workshop`]), and the survey template the invitations ask
//! ([`survey_answers::publish`]). A progress bar per level on stderr.
//!
//! Ids are readable and fixed by position (`net-d-00042`, its stations
//! `net-s-00042-0` …), so that a run names what it made without asking.

use aftercare_dealers::domain::vin::check_digit;
use aftercare_proto::dealers::v1::{self as pb, dealers_service_client::DealersServiceClient};
use anyhow::Context;
use futures::{StreamExt, TryStreamExt, stream};
use tonic::{Code, Status, transport::Channel};

use crate::{
    journeys::run_id,
    progress::Progress,
    scenarios::Auth,
    survey_answers,
    workshop::{self, Bay},
};

/// How big a network.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub(crate) dealers: usize,
    pub(crate) regions: usize,
    pub(crate) stations_per_dealer: usize,
    /// Customers, each with one vehicle, per station.
    pub(crate) vehicles_per_station: usize,
}

/// What a network of a [`Shape`] holds, level by level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) regions: usize,
    pub(crate) dealers: usize,
    pub(crate) stations: usize,
    /// One service advisor per station.
    pub(crate) staff: usize,
    pub(crate) customers: usize,
    pub(crate) vehicles: usize,
    /// One stocked warehouse per station.
    pub(crate) warehouses: usize,
}

impl Shape {
    pub(crate) fn counts(&self) -> Counts {
        let stations = self.dealers * self.stations_per_dealer;
        Counts {
            regions: self.regions.min(self.dealers),
            dealers: self.dealers,
            stations,
            staff: stations,
            customers: stations * self.vehicles_per_station,
            vehicles: stations * self.vehicles_per_station,
            warehouses: stations,
        }
    }

    pub(crate) fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.dealers >= 1
                && self.regions >= 1
                && self.stations_per_dealer >= 1
                && self.vehicles_per_station >= 1,
            "a network needs at least one dealer, region, station per dealer and vehicle per station"
        );
        anyhow::ensure!(
            self.dealers < 100_000 && self.stations_per_dealer < 10 && self.regions < 1000,
            "the ids hold up to 99,999 dealers of 9 stations in 999 regions"
        );
        Ok(())
    }

    fn region(&self, dealer: usize) -> String {
        format!("net-r-{:03}", dealer % self.regions.min(self.dealers))
    }
}

fn dealer_id(dealer: usize) -> String {
    format!("net-d-{dealer:05}")
}

fn station_id(dealer: usize, station: usize) -> String {
    format!("net-s-{dealer:05}-{station}")
}

/// A well-formed VIN with its check digit, different for each `n`.
fn vin(n: usize) -> String {
    let mut vin: Vec<char> = format!("WAC1LDMX0R{n:07}").chars().collect();
    let text: String = vin.iter().collect();
    vin[8] = check_digit(&text);
    vin.into_iter().collect()
}

type Network = DealersServiceClient<tonic::service::interceptor::InterceptedService<Channel, Auth>>;

/// Makes the network of `shape` through `gateway` (calls spread over its
/// connections, `concurrency` at once) and returns its stations as the
/// day's bays; `staff_auth` gives the auth of a dealer's staff.
pub(crate) async fn generate(
    gateway: &[Channel],
    head_office: &Auth,
    shape: Shape,
    concurrency: usize,
    staff_auth: impl Fn(&str) -> anyhow::Result<Auth>,
) -> anyhow::Result<Vec<Bay>> {
    shape.check()?;
    anyhow::ensure!(!gateway.is_empty(), "no connection to the gateway");
    let counts = shape.counts();
    let network = |i: usize| {
        DealersServiceClient::with_interceptor(
            gateway[i % gateway.len()].clone(),
            head_office.clone(),
        )
    };
    let run = run_id();

    let regions = Progress::new("regions", counts.regions);
    each(0..counts.regions, concurrency, &regions, |r| {
        let request = pb::CreateRegionRequest {
            region: Some(pb::Region {
                display_name: format!("Region {r}"),
                ..Default::default()
            }),
            region_id: format!("net-r-{r:03}"),
            request_id: String::new(),
        };
        let mut network = network(r);
        async move { created(network.create_region(request).await) }
    })
    .await
    .context("CreateRegion")?;

    let dealers = Progress::new("dealers", counts.dealers);
    each(0..shape.dealers, concurrency, &dealers, |d| {
        let request = pb::CreateDealerRequest {
            dealer: Some(pb::Dealer {
                region_id: shape.region(d),
                display_name: format!("Dealer {d}"),
                code: format!("D-{d:05}"),
                city: "Hamburg".into(),
                ..Default::default()
            }),
            dealer_id: dealer_id(d),
            request_id: String::new(),
        };
        let mut network = network(d);
        async move { created(network.create_dealer(request).await) }
    })
    .await
    .context("CreateDealer")?;

    // A station with its advisor, customers and vehicles, then its stock.
    let places: Vec<(usize, usize)> = (0..shape.dealers)
        .flat_map(|d| (0..shape.stations_per_dealer).map(move |s| (d, s)))
        .collect();
    let stations = Progress::new(
        "stations",
        counts.stations + counts.staff + counts.customers + counts.vehicles,
    );
    let made: Vec<pb::Station> = stream::iter(places.iter().copied())
        .map(|(d, s)| {
            let mut network = network(d * shape.stations_per_dealer + s);
            let stations = &stations;
            async move { station(&mut network, shape, d, s, stations).await }
        })
        .buffered(concurrency.max(1))
        .try_collect()
        .await?;

    workshop::catalogue(&gateway[0], head_office).await?;
    let stores = Progress::new("warehouses", counts.warehouses);
    let bays: Vec<Bay> = stream::iter(made.into_iter().enumerate())
        .map(|(i, station)| {
            let setup = gateway[i % gateway.len()].clone();
            let stores = &stores;
            let staff = staff_auth(&station.dealer_id);
            let (d, s) = places[i];
            async move {
                let staff = staff?;
                workshop::stock_station(&setup, head_office, &staff, &station, run).await?;
                stores.tick();
                Ok::<_, anyhow::Error>(Bay {
                    advisor_id: format!("{}-advisor", station.id),
                    vehicles: (0..shape.vehicles_per_station)
                        .map(|v| format!("net-v-{d:05}-{s}-{v:03}"))
                        .collect(),
                    station_id: station.id,
                    dealer_id: station.dealer_id,
                    staff,
                })
            }
        })
        .buffered(concurrency.max(1))
        .try_collect()
        .await?;

    let published =
        survey_answers::publish(gateway[0].clone(), head_office.clone(), TEMPLATE).await;
    if let Err(e) = published {
        // Made by an earlier run on the same databases is fine.
        let again = e
            .downcast_ref::<Status>()
            .is_some_and(|s| s.code() == Code::AlreadyExists);
        anyhow::ensure!(again, "{e:#}");
    }
    Ok(bays)
}

/// The template the surveys service invites with (its default
/// `surveys.invitation_template`).
const TEMPLATE: &str = "after-sales";

/// Station `s` of dealer `d` with its advisor, customers and vehicles.
async fn station(
    network: &mut Network,
    shape: Shape,
    d: usize,
    s: usize,
    progress: &Progress,
) -> anyhow::Result<pb::Station> {
    let id = station_id(d, s);
    let request = pb::CreateStationRequest {
        station: Some(pb::Station {
            dealer_id: dealer_id(d),
            display_name: format!("Dealer {d}, station {s}"),
            code: format!("S-{d:05}-{s}"),
            city: "Hamburg".into(),
            build_standard: pb::BuildStandard::Full as i32,
            star_level: 3 + (d % 3) as i32,
            ..Default::default()
        }),
        station_id: id.clone(),
        request_id: String::new(),
    };
    let station = match network.create_station(request).await {
        Ok(made) => made.into_inner(),
        Err(status) if status.code() == Code::AlreadyExists => network
            .get_station(pb::GetStationRequest { id: id.clone() })
            .await
            .with_context(|| format!("GetStation {id}"))?
            .into_inner(),
        Err(status) => return Err(status).with_context(|| format!("CreateStation {id}")),
    };
    progress.tick();
    let advisor = format!("{id}-advisor");
    let made = network
        .create_staff_member(pb::CreateStaffMemberRequest {
            staff_member: Some(pb::StaffMember {
                station_id: id.clone(),
                display_name: format!("Advisor of {id}"),
                position: pb::StaffPosition::ServiceAdvisor as i32,
                ..Default::default()
            }),
            staff_member_id: advisor.clone(),
            request_id: String::new(),
        })
        .await;
    created(made).with_context(|| format!("CreateStaffMember {advisor}"))?;
    progress.tick();
    for v in 0..shape.vehicles_per_station {
        let customer = format!("net-c-{d:05}-{s}-{v:03}");
        let made = network
            .create_customer(pb::CreateCustomerRequest {
                customer: Some(pb::Customer {
                    dealer_id: dealer_id(d),
                    display_name: format!("Customer {v} of {id}"),
                    advisor_id: advisor.clone(),
                    locale: "en".into(),
                    ..Default::default()
                }),
                customer_id: customer.clone(),
                request_id: String::new(),
            })
            .await;
        created(made).with_context(|| format!("CreateCustomer {customer}"))?;
        progress.tick();
        let n = (d * shape.stations_per_dealer + s) * shape.vehicles_per_station + v;
        let sale = aftercare_proto::google::r#type::Date {
            year: 2025,
            month: 1 + (n % 12) as i32,
            day: 15,
        };
        let made = network
            .create_vehicle(pb::CreateVehicleRequest {
                vehicle: Some(pb::Vehicle {
                    vin: vin(n),
                    customer_id: customer,
                    model: "CITY-E".into(),
                    sale_date: Some(sale),
                    mileage_km: 12_000,
                    warranty_start_date: Some(sale),
                    ..Default::default()
                }),
                vehicle_id: format!("net-v-{d:05}-{s}-{v:03}"),
                request_id: String::new(),
            })
            .await;
        created(made).with_context(|| format!("CreateVehicle of {id}"))?;
        progress.tick();
    }
    Ok(station)
}

/// Runs `make(i)` for each `i`, `concurrency` at once, ticking `progress`.
async fn each<F, Fut>(
    items: impl Iterator<Item = usize>,
    concurrency: usize,
    progress: &Progress,
    make: F,
) -> anyhow::Result<()>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<(), Status>>,
{
    stream::iter(items)
        .map(make)
        .buffer_unordered(concurrency.max(1))
        .map_err(anyhow::Error::from)
        .try_for_each(|()| async {
            progress.tick();
            Ok(())
        })
        .await
}

/// Made now or by an earlier run on the same databases.
fn created<T>(made: Result<tonic::Response<T>, Status>) -> Result<(), Status> {
    match made {
        Ok(_) => Ok(()),
        Err(status) if status.code() == Code::AlreadyExists => Ok(()),
        Err(status) => Err(status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thousand_dealers_make_the_network_counted_per_level() {
        let shape = Shape {
            dealers: 1000,
            regions: 10,
            stations_per_dealer: 2,
            vehicles_per_station: 5,
        };
        assert_eq!(
            shape.counts(),
            Counts {
                regions: 10,
                dealers: 1000,
                stations: 2000,
                staff: 2000,
                customers: 10_000,
                vehicles: 10_000,
                warehouses: 2000,
            }
        );
        assert_eq!(shape.region(0), "net-r-000");
        assert_eq!(shape.region(1013), "net-r-003");
        assert_eq!(station_id(42, 1), "net-s-00042-1");
    }

    #[test]
    fn fewer_dealers_than_regions_use_one_region_each() {
        let shape = Shape {
            dealers: 3,
            regions: 10,
            stations_per_dealer: 1,
            vehicles_per_station: 1,
        };
        assert_eq!(shape.counts().regions, 3);
        assert_eq!(shape.region(2), "net-r-002");
    }

    #[test]
    fn the_vins_carry_their_check_digit_and_differ() {
        use aftercare_dealers::domain::vin::Vin;
        let (a, b) = (vin(0), vin(9_999));
        assert_ne!(a, b);
        for v in [a, b] {
            assert!(Vin::parse(&v, true).is_ok(), "{v}");
        }
    }
}
