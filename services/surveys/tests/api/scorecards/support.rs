//! A surveys service whose scorecard reads dealers, parts and costs, each
//! served over TCP on a database of its own so that a test can stop it;
//! all four trust one key.

use std::{sync::Arc, time::Duration};

use aftercare_auth::{Principal, Secret};
use aftercare_db::Db;
use aftercare_proto::dealers::v1::dealers_service_client::DealersServiceClient;
use aftercare_proto::surveys::v1::{
    self as pb, dealer_scorecard_service_client::DealerScorecardServiceClient,
};
use aftercare_surveys::{
    MIGRATOR, Rules, Surveys, SurveysSettings, leagues::boards::MemoryBoards, usecases::Complaints,
};
use aftercare_test_support::{Backend, Served, Signed, TcpServer, fresh, fresh_with_outbox};
use tonic::service::Routes;

use crate::support::{Harness, test_league_options};

/// The scorecard's one deadline in these tests.
pub(crate) const DEADLINE: Duration = Duration::from_millis(1500);

/// A peer the scorecard reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Peer {
    Dealers,
    Parts,
    Costs,
}

pub(crate) struct Network {
    pub(crate) surveys: Harness,
    /// The complaints of the surveys service, with its relay's deliverer's
    /// reach (costs): what a test delivers events with.
    pub(crate) complaints: Complaints,
    peers: Peers,
}

/// The three peers' servers and databases.
struct Peers {
    key: Secret,
    dealers: (TcpServer, Db),
    parts: (TcpServer, Db),
    costs: (TcpServer, Db),
}

pub(crate) async fn start(backend: Backend) -> Network {
    let key = Secret::generate();
    let mut peers = Peers {
        key: key.clone(),
        dealers: (
            TcpServer::default(),
            fresh_with_outbox(backend, &aftercare_dealers::MIGRATOR).await,
        ),
        parts: (
            TcpServer::default(),
            fresh(backend, &aftercare_parts::MIGRATOR).await,
        ),
        costs: (
            TcpServer::default(),
            fresh_with_outbox(backend, &aftercare_costs::MIGRATOR).await,
        ),
    };
    for peer in [Peer::Dealers, Peer::Parts, Peer::Costs] {
        peers.start(peer).await;
    }
    let (surveys, complaints) = surveys(backend, &peers).await;
    Network {
        surveys,
        complaints,
        peers,
    }
}

/// Surveys on a fresh database, reading `peers`.
async fn surveys(backend: Backend, peers: &Peers) -> (Harness, Complaints) {
    let db = fresh_with_outbox(backend, &MIGRATOR).await;
    let settings = SurveysSettings {
        scorecard_deadline_ms: DEADLINE.as_millis() as u64,
        assessment_refresh_minutes: 0,
        ..SurveysSettings::default()
    };
    let surveys = Surveys::new(&settings, db.clone(), peers.key.clone())
        .with_rules(Rules::default())
        .with_boards(Arc::new(MemoryBoards::new()))
        .with_league_options(test_league_options())
        .with_dealers(peers.dealers.0.channel())
        .with_parts(peers.parts.0.channel())
        .with_costs(peers.costs.0.channel());
    let built = surveys.clone().build().await.expect("the service builds");
    let complaints = surveys.complaints(built.handle.clone());
    let (served, leagues) = Served::in_process("surveys", built, peers.key.clone());
    let harness = Harness {
        served,
        db,
        leagues,
        redis: None,
    };
    (harness, complaints)
}

impl Peers {
    async fn routes(&self, peer: Peer) -> Routes {
        let key = self.key.clone();
        match peer {
            Peer::Dealers => {
                aftercare_dealers::Dealers::new(
                    &aftercare_dealers::DealersSettings::default(),
                    self.dealers.1.clone(),
                    key,
                )
                .without_relay()
                .build()
                .await
                .routes
            }
            Peer::Parts => {
                aftercare_parts::Parts::new(
                    &aftercare_parts::PartsSettings::default(),
                    self.parts.1.clone(),
                    key,
                )
                .build()
                .await
                .routes
            }
            Peer::Costs => {
                aftercare_costs::Costs::new(
                    &aftercare_costs::CostsSettings::default(),
                    self.costs.1.clone(),
                    key,
                )
                .expect("valid settings")
                .with_parts(self.parts.0.channel())
                .with_dealers(self.dealers.0.channel())
                .build()
                .await
                .routes
            }
        }
    }

    fn server(&mut self, peer: Peer) -> (&mut TcpServer, &'static str) {
        match peer {
            Peer::Dealers => (&mut self.dealers.0, "dealers"),
            Peer::Parts => (&mut self.parts.0, "parts"),
            Peer::Costs => (&mut self.costs.0, "costs"),
        }
    }

    pub(crate) async fn start(&mut self, peer: Peer) {
        let routes = self.routes(peer).await;
        let (server, name) = self.server(peer);
        server.up(name, routes).await;
    }

    /// The peer goes away, as with its process gone.
    pub(crate) async fn stop(&mut self, peer: Peer) {
        self.server(peer).0.down().await;
    }
}

impl Network {
    /// `peer` is back where surveys expects it.
    pub(crate) async fn start(&mut self, peer: Peer) {
        self.peers.start(peer).await;
    }

    /// `peer` goes away, as with its process gone.
    pub(crate) async fn stop(&mut self, peer: Peer) {
        self.peers.stop(peer).await;
    }

    pub(crate) fn scorecards(&self, principal: Principal) -> DealerScorecardServiceClient<Signed> {
        DealerScorecardServiceClient::new(self.surveys.served.signed(principal))
    }

    /// `dealer`'s scorecard of month `m` of 2026, as `principal` reads it.
    pub(crate) async fn scorecard(
        &self,
        principal: Principal,
        dealer: &str,
        m: i32,
    ) -> Result<pb::DealerScorecard, tonic::Status> {
        self.scorecards(principal)
            .get_dealer_scorecard(pb::GetDealerScorecardRequest {
                dealer_id: dealer.into(),
                period: crate::leagues::month(m),
            })
            .await
            .map(|r| r.into_inner())
    }
}

impl Network {
    /// Binds `peer`'s port and accepts connections without ever answering
    /// (a hung process), until the returned task is dropped.
    pub(crate) async fn hold(&self, peer: Peer) -> Held {
        let port = match peer {
            Peer::Dealers => &self.peers.dealers.0,
            Peer::Parts => &self.peers.parts.0,
            Peer::Costs => &self.peers.costs.0,
        }
        .port();
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("the port is free");
        Held(tokio::spawn(async move {
            let mut open = vec![];
            while let Ok((socket, _)) = listener.accept().await {
                open.push(socket);
            }
        }))
    }
}

/// A port that accepts and never answers; freed when dropped.
pub(crate) struct Held(tokio::task::JoinHandle<()>);

impl Drop for Held {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Network {
    /// Head office makes, in the dealers service, regions r1 and r2 and
    /// dealers d1, d2 (r1) and d3 (r2).
    pub(crate) async fn dealers(&self) {
        let dealers = [("d1", "r1"), ("d2", "r1"), ("d3", "r2")];
        aftercare_test_support::create_dealers(&self.dealers_client(), &dealers).await;
    }

    /// Station `station` of `dealer` in dealers.
    pub(crate) async fn station(&self, station: &str, dealer: &str) {
        aftercare_test_support::create_stations(&self.dealers_client(), &[(station, dealer)]).await;
    }

    /// The dealers network as head office.
    fn dealers_client(&self) -> DealersServiceClient<Signed> {
        let signed = Served::over(self.peers.dealers.0.channel(), self.peers.key.clone())
            .signed(crate::support::who::oem());
        DealersServiceClient::new(signed)
    }

    /// Costs' cost of poor quality of `dealer` in `period`, as head office
    /// reads it; an error while costs is down.
    pub(crate) async fn poor_quality(
        &self,
        dealer: &str,
        period: aftercare_proto::common::v1::Period,
    ) -> Result<aftercare_proto::costs::v1::PoorQualityCost, tonic::Status> {
        use aftercare_proto::costs::v1::{
            self as c, repair_order_cost_service_client::RepairOrderCostServiceClient,
        };
        let signed = Served::over(self.peers.costs.0.channel(), self.peers.key.clone())
            .signed(crate::support::who::oem());
        RepairOrderCostServiceClient::new(signed)
            .get_poor_quality_cost(c::GetPoorQualityCostRequest {
                dealer_id: dealer.into(),
                period: Some(period),
            })
            .await
            .map(|r| r.into_inner())
    }

    /// Tells costs of a delivered RO, as the dealers relay does.
    pub(crate) async fn deliver_to_costs(
        &self,
        event: aftercare_proto::dealers::v1::RepairOrderDelivered,
        event_id: &str,
    ) {
        use aftercare_proto::costs::v1::{
            self as c, cost_event_service_client::CostEventServiceClient,
        };
        let dealer = event
            .repair_order
            .as_ref()
            .map(|ro| ro.dealer_id.clone())
            .unwrap_or_default();
        let signed = Served::over(self.peers.costs.0.channel(), self.peers.key.clone())
            .signed(aftercare_auth::testing::dealers_relay(&dealer));
        CostEventServiceClient::new(signed)
            .receive_repair_order_delivered(c::ReceiveRepairOrderDeliveredRequest {
                event: Some(event),
                request_id: event_id.into(),
            })
            .await
            .expect("costs records the RO");
    }
}
