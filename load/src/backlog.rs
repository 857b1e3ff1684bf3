//! The backlog of delivered ROs, for `backlog`: ROs delivered through the
//! gateway while the costs service is not running, so that their
//! `repair_order.delivered` (and, for warranty ROs,
//! `repair_order.warranty_delivered`) events pile up in the dealers outbox
//! for `costs`, as they did before costs existed; then costs started on a
//! PostgreSQL database of its own, at the address the dealers relay was
//! given, and read back once the pile has drained.

use std::{
    collections::BTreeSet,
    net::SocketAddr,
    time::{Duration, Instant},
};

use aftercare_auth::testing as who;
use aftercare_costs::{Costs, CostsSettings};
use aftercare_db::{Backend, Db, sqlx, testing, timestamp};
use aftercare_outbox::Backlog;
use aftercare_proto::{
    costs::v1::{
        ListRepairOrderCostsRequest, ListWarrantyClaimsRequest,
        repair_order_cost_service_client::RepairOrderCostServiceClient,
        warranty_claim_service_client::WarrantyClaimServiceClient,
    },
    dealers::v1::{self as pb, repair_order_service_client::RepairOrderServiceClient},
};
use anyhow::Context;
use futures::{StreamExt, TryStreamExt, stream};
use tokio::{net::TcpListener, sync::watch};
use tonic::{Status, transport::Channel};

use crate::{
    journeys::{Ros, delivery, opening, parts_line, run_id},
    scenarios::Auth,
    system::{System, open_url, peer, spawn_server},
    workshop::{Bay, OPERATION},
};

/// The service whose queues (`costs`, and `costs/claims` for warranty ROs)
/// the bench drains.
pub(crate) const COSTS: &str = "costs";

/// A loopback address nothing listens on, for costs to take later: until
/// then the relay's calls to it are refused, as with its process down.
pub(crate) fn vacant_address() -> anyhow::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .context("failed to find a free loopback port")?;
    listener.local_addr().context("the free port's address")
}

/// The ROs delivered, by id.
#[derive(Debug)]
pub(crate) struct Delivered {
    pub(crate) ros: BTreeSet<String>,
    /// Those of them of the warranty type.
    pub(crate) warranty: BTreeSet<String>,
    /// Each with the index of the bay it was carried at.
    pub(crate) at: Vec<(String, usize)>,
    pub(crate) wall: Duration,
}

/// Whether RO `k` of the run is a warranty one: every `warranty_every`-th
/// (none for 0).
fn is_warranty(k: usize, warranty_every: usize) -> bool {
    warranty_every > 0 && (k + 1).is_multiple_of(warranty_every)
}

/// Carries `ros` ROs from opening to delivery over the bays (a labour line
/// and one unit of the part, issued in parts when the RO is completed),
/// `connections.len()` at a time; every `warranty_every`-th is a warranty
/// RO.
pub(crate) async fn deliver(
    connections: &[Channel],
    bays: &[Bay],
    ros: usize,
    warranty_every: usize,
) -> anyhow::Result<Delivered> {
    anyhow::ensure!(
        !connections.is_empty() && !bays.is_empty(),
        "nothing to call"
    );
    let run = run_id();
    let started = Instant::now();
    let delivered: Vec<(String, bool, usize)> = stream::iter(0..ros)
        .map(|k| {
            let bay = &bays[k % bays.len()];
            let client = RepairOrderServiceClient::with_interceptor(
                connections[k % connections.len()].clone(),
                bay.staff.clone(),
            );
            let warranty = is_warranty(k, warranty_every);
            let rid = move |step: &str| format!("load-backlog-{run}-{k}-{step}");
            async move {
                let id = journey(client, bay, k, warranty, rid).await?;
                Ok::<_, Status>((id, warranty, k % bays.len()))
            }
        })
        .buffer_unordered(connections.len())
        .try_collect()
        .await
        .context("delivering the ROs failed")?;
    let wall = started.elapsed();
    let warranty = delivered
        .iter()
        .filter(|(_, w, _)| *w)
        .map(|(id, _, _)| id.clone())
        .collect();
    Ok(Delivered {
        ros: delivered.iter().map(|(id, _, _)| id.clone()).collect(),
        warranty,
        at: delivered
            .into_iter()
            .map(|(id, _, bay)| (id, bay))
            .collect(),
        wall,
    })
}

/// One RO opened at the bay, its lines added, started, completed and
/// delivered; its id.
async fn journey(
    mut client: Ros,
    bay: &Bay,
    k: usize,
    warranty: bool,
    rid: impl Fn(&str) -> String,
) -> Result<String, Status> {
    let vehicle = &bay.vehicles[k % bay.vehicles.len()];
    let mut open = opening(bay, vehicle, rid("open"));
    if warranty && let Some(ro) = open.repair_order.as_mut() {
        ro.r#type = pb::RepairOrderType::Warranty as i32;
    }
    let id = client.create_repair_order(open).await?.into_inner().id;
    client
        .add_labour_line(pb::AddLabourLineRequest {
            repair_order_id: id.clone(),
            operation_code: OPERATION.into(),
            request_id: rid("labour"),
            ..Default::default()
        })
        .await?;
    client.add_parts_line(parts_line(&id, rid("parts"))).await?;
    client
        .start_repair_order(pb::StartRepairOrderRequest {
            id: id.clone(),
            request_id: rid("start"),
            ..Default::default()
        })
        .await?;
    client
        .complete_repair_order(pb::CompleteRepairOrderRequest {
            id: id.clone(),
            request_id: rid("complete"),
            ..Default::default()
        })
        .await?;
    client
        .deliver_repair_order(delivery(id.clone(), rid("deliver")))
        .await?;
    Ok(id)
}

/// What waits in the dealers outbox for `service`, all its queues together
/// (nothing when it has never had an event).
pub(crate) async fn backlog(outbox: &Db, service: &str) -> anyhow::Result<Backlog> {
    let backlogs = aftercare_outbox::pending_by_destination(outbox)
        .await
        .context("failed to count the dealers outbox's backlog")?;
    let mut all = Backlog {
        destination: service.to_owned(),
        pending: 0,
        failed: 0,
        oldest_pending_time: None,
    };
    for b in backlogs
        .into_iter()
        .filter(|b| is_of(&b.destination, service))
    {
        all.pending += b.pending;
        all.failed += b.failed;
        all.oldest_pending_time = match (all.oldest_pending_time, b.oldest_pending_time) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
    }
    Ok(all)
}

/// Whether `destination` is one of `service`'s queues (`costs`,
/// `costs/claims`).
pub(crate) fn is_of(destination: &str, service: &str) -> bool {
    destination == service
        || destination
            .strip_prefix(service)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Looks at the dealers outbox's backlog every 20 ms until `done` holds of
/// it; returns how long that took. Fails when it still does not after
/// `patience`, saying what was awaited.
pub(crate) async fn until(
    outbox: &Db,
    patience: Duration,
    awaited: &str,
    done: impl Fn(&[Backlog]) -> bool,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    loop {
        let backlogs = aftercare_outbox::pending_by_destination(outbox)
            .await
            .context("failed to count the dealers outbox's backlog")?;
        if done(&backlogs) {
            return Ok(started.elapsed());
        }
        anyhow::ensure!(
            started.elapsed() < patience,
            "{awaited}: not so after {patience:?}; the backlog: {backlogs:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The costs service, serving until dropped.
pub(crate) struct CostsServer {
    pub(crate) addr: SocketAddr,
    /// Its database, without credentials.
    pub(crate) database: String,
    /// When it began to listen, in microseconds since the epoch (as the
    /// outbox times its deliveries) and on the monotonic clock.
    pub(crate) started_micros: i64,
    pub(crate) started: Instant,
    _stop: watch::Sender<()>,
}

/// Starts the costs service at `addr` on a fresh PostgreSQL database of the
/// server `AFTERCARE_TEST_POSTGRES_URL` names, reaching the system's parts
/// and dealers over TCP, as the distributed app wires it. Its rates are set
/// first (a network labour cost rate, a warranty labour rate), so that ROs
/// are costed and claims priced; the clock starts when it listens.
pub(crate) async fn start_costs(
    system: &System,
    addr: SocketAddr,
    max_connections: u32,
) -> anyhow::Result<CostsServer> {
    let url = testing::fresh_url(Backend::Postgres);
    let name = url.rsplit('/').next().unwrap_or_default();
    let database = format!("PostgreSQL, fresh database {name}");
    let db = open_url(&url, &database, max_connections, &aftercare_costs::MIGRATOR).await?;
    aftercare_outbox::migrate(&db).await?;
    for sql in [
        "INSERT INTO labour_cost_rates (station_id, effective_time, hourly_cost, create_time) \
         VALUES ('', 0, 3800, 0)",
        "INSERT INTO warranty_labour_rates (effective_time, hourly_rate, create_time) \
         VALUES (0, 8000, 0)",
    ] {
        sqlx::query(sql).execute(db.pool()).await?;
    }
    let routes = Costs::new(&CostsSettings::default(), db, system.internal_key.clone())?
        .with_parts(peer(system.parts)?)
        .with_dealers(peer(system.dealers)?)
        .build()
        .await
        .routes;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("failed to listen on {addr}, costs' address"))?;
    let (stop, mut stopped) = watch::channel(());
    let (started_micros, started) = (timestamp::now_micros(), Instant::now());
    spawn_server(
        "costs",
        aftercare_serving::serve("costs", routes, listener, async move {
            let _ = stopped.changed().await;
        }),
    );
    Ok(CostsServer {
        addr,
        database,
        started_micros,
        started,
        _stop: stop,
    })
}

/// What costs holds, read through its API as head office.
#[derive(Debug)]
pub(crate) struct Recorded {
    /// The ROs with a cost record.
    pub(crate) costed: BTreeSet<String>,
    /// The ROs with a warranty claim.
    pub(crate) claimed: BTreeSet<String>,
}

/// Every RO cost record and every claim costs holds, a page of 1,000 at a
/// time.
pub(crate) async fn recorded(costs: &CostsServer, system: &System) -> anyhow::Result<Recorded> {
    let auth = Auth::signed(who::oem(), system.internal_key.clone());
    let ro_costs = RepairOrderCostServiceClient::with_interceptor(peer(costs.addr)?, auth.clone());
    let costed = every_page(|page_token| {
        let mut ro_costs = ro_costs.clone();
        async move {
            let page = ro_costs
                .list_repair_order_costs(ListRepairOrderCostsRequest {
                    page_size: 1000,
                    page_token,
                    ..Default::default()
                })
                .await?
                .into_inner();
            let ids = page.repair_order_costs.into_iter();
            Ok((
                ids.map(|c| c.repair_order_id).collect(),
                page.next_page_token,
            ))
        }
    })
    .await
    .context("ListRepairOrderCosts failed")?;
    let claims = WarrantyClaimServiceClient::with_interceptor(peer(costs.addr)?, auth);
    let claimed = every_page(|page_token| {
        let mut claims = claims.clone();
        async move {
            let page = claims
                .list_warranty_claims(ListWarrantyClaimsRequest {
                    page_size: 1000,
                    page_token,
                    ..Default::default()
                })
                .await?
                .into_inner();
            let ids = page.claims.into_iter();
            Ok((
                ids.map(|c| c.repair_order_id).collect(),
                page.next_page_token,
            ))
        }
    })
    .await
    .context("ListWarrantyClaims failed")?;
    Ok(Recorded { costed, claimed })
}

/// The RO ids of every page `page` gives: it takes a page token and
/// answers a page's ids and the next token (empty on the last page).
async fn every_page<F, Fut>(mut page: F) -> Result<BTreeSet<String>, Status>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Result<(Vec<String>, String), Status>>,
{
    let mut ids = BTreeSet::new();
    let mut token = String::new();
    loop {
        let (these, next) = page(token).await?;
        ids.extend(these);
        if next.is_empty() {
            return Ok(ids);
        }
        token = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fifth_ro_is_a_warranty_one() {
        let warranty: Vec<usize> = (0..12).filter(|&k| is_warranty(k, 5)).collect();
        assert_eq!(warranty, [4, 9]);
        assert!(!(0..12).any(|k| is_warranty(k, 0)));
    }
}
