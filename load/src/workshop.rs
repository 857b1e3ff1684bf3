//! What repair-order journeys need, found in the demo network and made
//! through the API: the stations with their advisor and their dealer's
//! vehicles (read as head office), a catalogue part and a labour operation
//! (made by head office), a warehouse serving each station (head office),
//! and a large receipt of the part into each (the dealer's staff, who own
//! the stock).

use std::time::{SystemTime, UNIX_EPOCH};

use aftercare_auth::{Principal, Scope};
use aftercare_proto::{
    common::v1::Money,
    dealers::v1::{self as dealers, dealers_service_client::DealersServiceClient},
    parts::v1::{
        self as pb, labour_service_client::LabourServiceClient,
        parts_service_client::PartsServiceClient, stock_service_client::StockServiceClient,
    },
};
use anyhow::Context;
use tonic::{Code, transport::Channel};

use crate::{reservations::ensure_warehouse, scenarios::Auth};

/// The part every RO takes one unit of.
pub(crate) const PART: &str = "LOAD-RO-PART";
/// The labour operation every RO does: no certification asked, so that
/// no technician has to be named.
pub(crate) const OPERATION: &str = "LOAD-INSPECTION";
/// What each station's warehouse receives before the run: the most one
/// receipt may bring, far more than a run takes.
const RECEIPT: i64 = 1_000_000;

/// A station journeys run at.
#[derive(Debug, Clone)]
pub(crate) struct Bay {
    pub(crate) station_id: String,
    pub(crate) dealer_id: String,
    /// A service advisor of the station.
    pub(crate) advisor_id: String,
    /// The dealer's customers' vehicles; ROs go round them.
    pub(crate) vehicles: Vec<String>,
    /// The dealer's staff, who open and carry the ROs.
    pub(crate) staff: Auth,
}

/// A dealer's staff, all its stations: who carries that dealer's ROs.
pub(crate) fn staff(dealer_id: &str) -> Principal {
    Principal {
        subject: format!("aftercare-load-staff-{dealer_id}"),
        scope: Scope::Dealer {
            dealer_id: dealer_id.to_owned(),
            station_ids: vec![],
        },
    }
}

/// Finds every station with an advisor and vehicles, and makes what their
/// ROs need. `staff_auth` gives the auth of a dealer's [`staff`].
pub(crate) async fn seed(
    setup: &Channel,
    head_office: &Auth,
    staff_auth: impl Fn(&str) -> anyhow::Result<Auth>,
) -> anyhow::Result<Vec<Bay>> {
    let network = DealersServiceClient::with_interceptor(setup.clone(), head_office.clone());
    let stations = stations(network.clone()).await?;
    catalogue(setup, head_office).await?;
    let run = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    let mut bays = vec![];
    for station in stations {
        let Some(advisor_id) = advisor(network.clone(), &station.id).await? else {
            continue;
        };
        let vehicles = vehicles(network.clone(), &station.dealer_id).await?;
        if vehicles.is_empty() {
            continue;
        }
        let staff = staff_auth(&station.dealer_id)?;
        stock_station(setup, head_office, &staff, &station, run).await?;
        bays.push(Bay {
            station_id: station.id,
            dealer_id: station.dealer_id,
            advisor_id,
            vehicles,
            staff,
        });
    }
    anyhow::ensure!(
        !bays.is_empty(),
        "no station has a service advisor and vehicles: is the demo network seeded?"
    );
    Ok(bays)
}

/// The warehouse serving `station_id`, made by [`stock_station`].
pub(crate) fn warehouse_id(station_id: &str) -> String {
    format!("{station_id}-load-store")
}

/// Makes the station's warehouse (head office) and receives [`RECEIPT`]
/// units of [`PART`] into it (its dealer's `staff`); `run` tells this
/// run's receipt from an earlier one's.
pub(crate) async fn stock_station(
    setup: &Channel,
    head_office: &Auth,
    staff: &Auth,
    station: &dealers::Station,
    run: u128,
) -> anyhow::Result<()> {
    let warehouse_id = warehouse_id(&station.id);
    ensure_warehouse(setup, head_office, warehouse(station, &warehouse_id)).await?;
    StockServiceClient::with_interceptor(setup.clone(), staff.clone())
        .receive_stock(pb::ReceiveStockRequest {
            warehouse_id: warehouse_id.clone(),
            part_number: PART.into(),
            quantity: RECEIPT,
            reference: "aftercare-load".into(),
            request_id: format!("load-ro-receive-{run}-{warehouse_id}"),
            ..Default::default()
        })
        .await
        .with_context(|| format!("ReceiveStock into {warehouse_id} fails before the run"))?;
    Ok(())
}

type Network = DealersServiceClient<tonic::service::interceptor::InterceptedService<Channel, Auth>>;

async fn stations(mut network: Network) -> anyhow::Result<Vec<dealers::Station>> {
    let mut out = vec![];
    let mut page_token = String::new();
    loop {
        let page = network
            .list_stations(dealers::ListStationsRequest {
                page_size: 1000,
                page_token,
                ..Default::default()
            })
            .await
            .context("ListStations fails before the run")?
            .into_inner();
        out.extend(page.stations);
        if page.next_page_token.is_empty() {
            return Ok(out);
        }
        page_token = page.next_page_token;
    }
}

/// The station's first service advisor (a short list: the first page).
async fn advisor(mut network: Network, station_id: &str) -> anyhow::Result<Option<String>> {
    let staff = network
        .list_staff_members(dealers::ListStaffMembersRequest {
            page_size: 1000,
            station_id: station_id.to_owned(),
            ..Default::default()
        })
        .await
        .with_context(|| format!("ListStaffMembers of {station_id} fails before the run"))?
        .into_inner();
    Ok(staff
        .staff_members
        .into_iter()
        .find(|m| m.position == dealers::StaffPosition::ServiceAdvisor as i32)
        .map(|m| m.id))
}

/// The dealer's vehicles (the first page is plenty to go round).
async fn vehicles(mut network: Network, dealer_id: &str) -> anyhow::Result<Vec<String>> {
    let page = network
        .list_vehicles(dealers::ListVehiclesRequest {
            page_size: 1000,
            dealer_id: dealer_id.to_owned(),
            ..Default::default()
        })
        .await
        .with_context(|| format!("ListVehicles of {dealer_id} fails before the run"))?
        .into_inner();
    Ok(page.vehicles.into_iter().map(|v| v.id).collect())
}

/// The part and the operation, as head office; made before by an earlier
/// run of the same database is fine.
pub(crate) async fn catalogue(setup: &Channel, head_office: &Auth) -> anyhow::Result<()> {
    let made = PartsServiceClient::with_interceptor(setup.clone(), head_office.clone())
        .create_part(pb::CreatePartRequest {
            request_id: format!("load-ro-part-{PART}"),
            part: Some(pb::Part {
                part_number: PART.into(),
                display_name: "Load RO part".into(),
                category: "LOAD".into(),
                list_price: eur(1_000),
                cost: eur(600),
                ..Default::default()
            }),
        })
        .await;
    already_there(made.map(drop)).context("CreatePart fails before the run")?;
    let made = LabourServiceClient::with_interceptor(setup.clone(), head_office.clone())
        .create_labour_operation(pb::CreateLabourOperationRequest {
            request_id: format!("load-ro-operation-{OPERATION}"),
            labour_operation: Some(pb::LabourOperation {
                operation_code: OPERATION.into(),
                display_name: "Load inspection".into(),
                standard_centihours: 100,
                price: eur(9_000),
                ..Default::default()
            }),
        })
        .await;
    already_there(made.map(drop)).context("CreateLabourOperation fails before the run")
}

fn already_there(made: Result<(), tonic::Status>) -> Result<(), tonic::Status> {
    match made {
        Err(status) if status.code() == Code::AlreadyExists => Ok(()),
        other => other,
    }
}

/// A dealer warehouse serving `station`, of the class its build standard
/// makes it.
fn warehouse(station: &dealers::Station, warehouse_id: &str) -> pb::Warehouse {
    use dealers::BuildStandard;
    let class = match BuildStandard::try_from(station.build_standard) {
        Ok(BuildStandard::Service) => pb::StationClass::Service,
        Ok(BuildStandard::Quick) => pb::StationClass::Quick,
        _ => pb::StationClass::Full,
    };
    pb::Warehouse {
        warehouse_id: warehouse_id.to_owned(),
        display_name: format!("{} load store", station.display_name),
        kind: pb::WarehouseKind::Dealer as i32,
        region_id: station.region_id.clone(),
        dealer_id: station.dealer_id.clone(),
        station_id: station.id.clone(),
        station_class: class as i32,
        lead_time_days: 2,
        ..Default::default()
    }
}

pub(crate) fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}
