//! A dealer network made in the dealers service through its contract, as
//! the client given (head office): "Region r1", "Dealer d1", "Station s1",
//! codes their ids in upper case.

use aftercare_proto::dealers::v1::{self as pb, dealers_service_client::DealersServiceClient};

use crate::{Outcome, Signed};

type Client = DealersServiceClient<Signed>;

fn rid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Each `(station, dealer, region)`, with its dealer and region made once.
pub async fn build_network(c: &Client, stations: &[(&str, &str, &str)]) {
    let mut dealers: Vec<(&str, &str)> = vec![];
    for &(_, dealer, region) in stations {
        if !dealers.contains(&(dealer, region)) {
            dealers.push((dealer, region));
        }
    }
    create_dealers(c, &dealers).await;
    let stations: Vec<_> = stations.iter().map(|&(s, d, _)| (s, d)).collect();
    create_stations(c, &stations).await;
}

/// Each `(dealer, region)`, with its region made once.
pub async fn create_dealers(c: &Client, dealers: &[(&str, &str)]) {
    let mut c = c.clone();
    let mut regions = vec![];
    for &(dealer, region) in dealers {
        if !regions.contains(&region) {
            regions.push(region);
            c.create_region(pb::CreateRegionRequest {
                region: Some(pb::Region {
                    display_name: format!("Region {region}"),
                    ..Default::default()
                }),
                region_id: region.into(),
                request_id: rid(),
            })
            .await
            .answer();
        }
        c.create_dealer(pb::CreateDealerRequest {
            dealer: Some(pb::Dealer {
                region_id: region.into(),
                display_name: format!("Dealer {dealer}"),
                code: dealer.to_uppercase(),
                city: "Leeds".into(),
                ..Default::default()
            }),
            dealer_id: dealer.into(),
            request_id: rid(),
        })
        .await
        .answer();
    }
}

/// Each `(station, dealer)`, of a dealer made before.
pub async fn create_stations(c: &Client, stations: &[(&str, &str)]) {
    let mut c = c.clone();
    for &(station, dealer) in stations {
        c.create_station(pb::CreateStationRequest {
            station: Some(pb::Station {
                dealer_id: dealer.into(),
                display_name: format!("Station {station}"),
                code: station.to_uppercase(),
                city: "York".into(),
                build_standard: pb::BuildStandard::Service as i32,
                star_level: 3,
                ..Default::default()
            }),
            station_id: station.into(),
            request_id: rid(),
        })
        .await
        .answer();
    }
}
