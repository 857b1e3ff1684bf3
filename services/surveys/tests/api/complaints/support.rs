//! A surveys service whose complaints read stations and ROs from a dealers
//! service (the real one in process, or a fake over TCP that a test can
//! stop), on a clock the test sets, without the sweep task: the test
//! sweeps with `complaints.sweep_once`.

use aftercare_auth::{Principal, Secret};
use aftercare_dealers::{Dealers, DealersSettings};
use aftercare_proto::{
    dealers::v1::dealers_service_client::DealersServiceClient,
    surveys::v1::{self as pb, complaint_service_client::ComplaintServiceClient},
};
use aftercare_surveys::{MIGRATOR, Surveys, usecases::Complaints};
use aftercare_test_support::{
    Backend, ManualClock, Served, Signed, TcpServer, fresh_with_outbox, who,
};
use tonic::transport::Channel;

use super::fake_dealers::Known;
use crate::support::Harness;
use time::{OffsetDateTime, macros::datetime};

pub(crate) const T0: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

pub(crate) struct Net {
    /// The surveys service, with the suite's helpers.
    pub(crate) h: Harness,
    pub(crate) complaints: Complaints,
    pub(crate) clock: ManualClock,
    /// What the fake dealers service knows, and its server (`start_fake`).
    pub(crate) known: Known,
    pub(crate) dealers: TcpServer,
}

/// Surveys with the real dealers service in process: stations s1 (d1, r1)
/// and s2 (d2, r2).
pub(crate) async fn start(backend: Backend) -> Net {
    let key = Secret::generate();
    let dealers_db = fresh_with_outbox(backend, &aftercare_dealers::MIGRATOR).await;
    let built = Dealers::new(&DealersSettings::default(), dealers_db, key.clone())
        .without_relay()
        .build()
        .await;
    let (dealers, ()) = Served::in_process("dealers", built, key.clone());
    // Stations s1 (dealer d1, region r1) and s2 (dealer d2, region r2).
    aftercare_test_support::build_network(
        &DealersServiceClient::new(dealers.signed(who::oem())),
        &[("s1", "d1", "r1"), ("s2", "d2", "r2")],
    )
    .await;
    let net = surveys(backend, key, dealers.channel(), TcpServer::default()).await;
    // The in-process dealers serve for the test's life.
    std::mem::forget(dealers);
    net
}

/// Surveys with a fake dealers service over TCP, knowing stations s1 and
/// s2 as [`start`]'s and the ROs the test adds (`net.known`); `net.dealers`
/// stops and starts it.
pub(crate) async fn start_fake(backend: Backend) -> Net {
    let known = Known::default();
    known.add_station("s1", "d1", "r1");
    known.add_station("s2", "d2", "r2");
    let mut server = TcpServer::default();
    known.serve(&mut server).await;
    let channel = server.channel();
    let mut net = surveys(backend, Secret::generate(), channel, server).await;
    net.known = known;
    net
}

async fn surveys(backend: Backend, key: Secret, dealers: Channel, server: TcpServer) -> Net {
    let db = fresh_with_outbox(backend, &MIGRATOR).await;
    let clock = ManualClock::default();
    clock.set(Some(T0));
    let surveys = Surveys::new(&crate::support::test_settings(), db.clone(), key.clone())
        .with_clock(clock.clock())
        .with_dealers(dealers)
        .without_sweeps();
    let built = surveys.clone().build().await.expect("the service builds");
    let complaints = surveys.complaints(built.handle.clone());
    let (served, leagues) = Served::in_process("surveys", built, key);
    Net {
        h: Harness {
            served,
            db,
            leagues,
            redis: None,
        },
        complaints,
        clock,
        known: Known::default(),
        dealers: server,
    }
}

impl Net {
    pub(crate) fn client(&self, principal: Principal) -> ComplaintServiceClient<Signed> {
        ComplaintServiceClient::new(self.h.served.signed(principal))
    }

    pub(crate) fn set_clock(&self, t: OffsetDateTime) {
        self.clock.set(Some(t));
    }

    pub(crate) async fn sweep(&self, t: OffsetDateTime) -> usize {
        let micros = aftercare_db::timestamp::to_micros(t);
        self.complaints
            .sweep_once(micros)
            .await
            .expect("the sweep runs")
    }
}

/// A complaint at station `station` of `severity`.
pub(crate) fn opening(station: &str, severity: pb::ComplaintSeverity) -> pb::OpenComplaintRequest {
    pb::OpenComplaintRequest {
        complaint: Some(pb::Complaint {
            station_id: station.into(),
            description: "the car came back dirty".into(),
            class: pb::ComplaintClass::NonQualityProcess.into(),
            cause: "facility".into(),
            severity: severity.into(),
            source: pb::ComplaintSource::Customer.into(),
            ..Default::default()
        }),
        request_id: uuid::Uuid::new_v4().to_string(),
    }
}
