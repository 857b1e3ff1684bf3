//! A dealer's scorecard with every part seeded, for `scorecard`: the
//! system on PostgreSQL in the distributed mode with costs beside it (as
//! `backlog` starts it), the survey template published, ROs delivered
//! through the gateway at every demo station (the dealers relay then
//! invites their customers in surveys, costs them in costs, and parts has
//! issued their lines; the design's four service standards made first
//! decide them), the relay drained, and the invitations of the
//! measured dealer answered through the gateway with their links. The
//! scorecard is then read through the gateway as head office; a peer can
//! be stopped (its listener gone) or replaced by one that accepts and
//! never answers.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use aftercare_db::sqlx;
use aftercare_proto::{
    common::v1::Period,
    surveys::v1::{
        self as pb, dealer_scorecard_service_client::DealerScorecardServiceClient,
        survey_invitation_service_client::SurveyInvitationServiceClient,
        survey_response_service_client::SurveyResponseServiceClient,
    },
};
use anyhow::Context;
use futures::future::BoxFuture;
use tokio::{net::TcpListener, task::JoinHandle};
use tonic::{Status, transport::Channel};

use crate::{
    backlog::{self, CostsServer},
    compliance_month,
    run::connect,
    scenarios::{Auth, Client, NewClient, head_office},
    survey_answers::{self, Month},
    system::{Mode, StoreKind, System, SystemSettings, peer},
    workshop,
};

/// The template the surveys service invites with by default.
const TEMPLATE: &str = "after-sales";

/// The running network and the dealer measured.
pub(crate) struct Network {
    pub(crate) system: System,
    pub(crate) costs: Option<CostsServer>,
    pub(crate) dealer_id: String,
    pub(crate) period: Period,
    /// ROs delivered in all, and of the dealer.
    pub(crate) ros: usize,
    pub(crate) dealer_ros: usize,
    pub(crate) responses: usize,
}

/// Starts the network, seeds it, and answers the dealer's surveys.
pub(crate) async fn start(
    ros: usize,
    clients: usize,
    max_connections: u32,
) -> anyhow::Result<Network> {
    let costs_addr = backlog::vacant_address()?;
    let system = System::start(&SystemSettings {
        store: StoreKind::Postgres,
        mode: Mode::Distributed,
        database_url: None,
        max_db_connections: max_connections,
        redis_url: None,
        costs: Some(costs_addr),
    })
    .await?;
    let costs = backlog::start_costs(&system, costs_addr, max_connections).await?;
    let gateway = format!("http://{}", system.gateway);
    let setup = connect(&gateway, 1).await?.remove(0);
    let office = Auth::bearer(&system.token)?;
    survey_answers::publish(setup.clone(), office.clone(), TEMPLATE).await?;
    // The standards first: an RO's moments are tallied as they happen.
    compliance_month::create_standards(&setup, &office).await?;
    let bays = workshop::seed(&setup, &office, |dealer| {
        Auth::bearer(&system.token_for(&workshop::staff(dealer)))
    })
    .await?;
    let dealer_id = bays[0].dealer_id.clone();
    eprintln!("delivering {ros} ROs at {} stations", bays.len());
    let connections = connect(&gateway, clients.max(1)).await?;
    let delivered = backlog::deliver(&connections, &bays, ros, 5).await?;
    let outbox = system.dealers_outbox().await?;
    backlog::until(
        &outbox,
        Duration::from_secs(600),
        "the dealers relay delivered",
        |all| all.iter().all(|b| b.pending == 0),
    )
    .await?;
    let dealer_ros = delivered
        .at
        .iter()
        .filter(|(_, bay)| bays[*bay].dealer_id == dealer_id)
        .count();
    let responses = answer(&system, &setup, &dealer_id).await?;
    let month = Month::current()?;
    Ok(Network {
        system,
        costs: Some(costs),
        dealer_id,
        period: month.periods()[0],
        ros: delivered.ros.len(),
        dealer_ros,
        responses,
    })
}

/// Issues a link for each of the dealer's invitations (straight to
/// surveys, as head office) and answers it anonymously through the
/// gateway; how many.
async fn answer(system: &System, gateway: &Channel, dealer_id: &str) -> anyhow::Result<usize> {
    let invitations: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM survey_invitations WHERE dealer_id = $1 ORDER BY id")
            .bind(dealer_id)
            .fetch_all(&mut system.surveys_connection().await?)
            .await
            .context("failed to read the dealer's invitations")?;
    let mut links = SurveyInvitationServiceClient::with_interceptor(
        peer(system.surveys)?,
        Auth::signed(head_office(), system.internal_key.clone()),
    );
    let mut responses = SurveyResponseServiceClient::with_interceptor(gateway.clone(), Auth::None);
    for (i, (invitation_id,)) in invitations.iter().enumerate() {
        let link = links
            .issue_survey_link(pb::IssueSurveyLinkRequest {
                invitation_id: invitation_id.clone(),
            })
            .await
            .with_context(|| format!("IssueSurveyLink of {invitation_id} failed"))?
            .into_inner();
        responses
            .submit_survey_response(pb::SubmitSurveyResponseRequest {
                link_token: link.link_token,
                answers: survey_answers::answers(i),
            })
            .await
            .with_context(|| format!("SubmitSurveyResponse of {invitation_id} failed"))?;
    }
    Ok(invitations.len())
}

impl Network {
    /// GetDealerScorecard of the dealer through the gateway as head office.
    pub(crate) fn scenario(&self) -> anyhow::Result<NewClient> {
        let auth = Auth::bearer(&self.system.token)?;
        let request = pb::GetDealerScorecardRequest {
            dealer_id: self.dealer_id.clone(),
            period: Some(self.period),
        };
        Ok(Box::new(move |channel| {
            Box::new(Scorecard {
                client: DealerScorecardServiceClient::with_interceptor(channel, auth.clone()),
                request: request.clone(),
            })
        }))
    }

    /// One scorecard, read now.
    pub(crate) async fn read(&self, gateway: Channel) -> anyhow::Result<pb::DealerScorecard> {
        let mut client = DealerScorecardServiceClient::with_interceptor(
            gateway,
            Auth::bearer(&self.system.token)?,
        );
        Ok(client
            .get_dealer_scorecard(pb::GetDealerScorecardRequest {
                dealer_id: self.dealer_id.clone(),
                period: Some(self.period),
            })
            .await
            .context("GetDealerScorecard failed")?
            .into_inner())
    }

    /// Reads the scorecard every 100 ms until `done` holds of it (at most
    /// `patience`): after a peer stopped or came back.
    pub(crate) async fn until(
        &self,
        gateway: &Channel,
        patience: Duration,
        awaited: &str,
        done: impl Fn(&pb::DealerScorecard) -> bool,
    ) -> anyhow::Result<pb::DealerScorecard> {
        let started = Instant::now();
        loop {
            let card = self.read(gateway.clone()).await?;
            if done(&card) {
                return Ok(card);
            }
            anyhow::ensure!(
                started.elapsed() < patience,
                "{awaited}: not so after {patience:?}; missing: {}",
                missing(&card)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

struct Scorecard {
    client: DealerScorecardServiceClient<
        tonic::service::interceptor::InterceptedService<Channel, Auth>,
    >,
    request: pb::GetDealerScorecardRequest,
}

impl Client for Scorecard {
    fn call(&mut self) -> BoxFuture<'_, Result<(), Status>> {
        let request = self.request.clone();
        Box::pin(async move { self.client.get_dealer_scorecard(request).await.map(drop) })
    }
}

/// The missing parts of `card` and why, or "none".
pub(crate) fn missing(card: &pb::DealerScorecard) -> String {
    let named: Vec<String> = card
        .sections
        .iter()
        .filter(|s| !s.missing_reason.is_empty())
        .map(|s| format!("{} ({})", part_name(s.part), s.missing_reason))
        .collect();
    if named.is_empty() {
        "none".into()
    } else {
        named.join("; ")
    }
}

/// The parts of `card` marked missing, by name.
pub(crate) fn missing_parts(card: &pb::DealerScorecard) -> Vec<String> {
    card.missing_parts.iter().map(|p| part_name(*p)).collect()
}

fn part_name(part: i32) -> String {
    pb::ScorecardPart::try_from(part).map_or_else(
        |_| format!("part {part}"),
        |p| {
            p.as_str_name()
                .trim_start_matches("SCORECARD_PART_")
                .to_ascii_lowercase()
        },
    )
}

/// A server at `addr` that accepts connections and never answers: a peer
/// hung. Aborting the task closes it and its connections.
pub(crate) async fn hung(addr: SocketAddr) -> anyhow::Result<JoinHandle<()>> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("failed to listen on {addr} for the hung server"))?;
    Ok(tokio::spawn(async move {
        let mut held = vec![];
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    }))
}

/// Waits until nothing listens at `addr` any more (every 20 ms, at most
/// `patience`): a stopped server's listener is gone.
pub(crate) async fn refused(addr: SocketAddr, patience: Duration) -> anyhow::Result<Duration> {
    let started = Instant::now();
    loop {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            return Ok(started.elapsed());
        }
        anyhow::ensure!(
            started.elapsed() < patience,
            "{addr} still accepts connections after {patience:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
