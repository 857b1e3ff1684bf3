//! `backlog`: the delivered ROs that wait in the dealers outbox while the
//! costs service is not running, and how long they take to drain once it
//! starts — on PostgreSQL in the distributed mode, the dealers relay
//! delivering to parts, surveys and costs as the app wires it.

use std::time::Duration;

use clap::Args;

use crate::{
    backlog::{self, COSTS},
    machine,
    outbox::{self, Written},
    run::connect,
    scenarios::Auth,
    system::{Mode, StoreKind, System, SystemSettings},
    workshop::{self, PART},
};

#[derive(Debug, Args)]
pub(crate) struct BacklogArgs {
    /// ROs delivered while costs is not running.
    #[arg(long, default_value_t = 2_000)]
    ros: usize,
    /// Every this many-th RO is a warranty RO (0: none), whose delivery
    /// also tells costs to draft a claim.
    #[arg(long, default_value_t = 5)]
    warranty_every: usize,
    /// Clients carrying ROs at once, one call at a time each.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Each service's database pool.
    #[arg(long, default_value_t = 16)]
    max_db_connections: u32,
    /// Seconds to wait for the outbox to drain, at each wait.
    #[arg(long, default_value_t = 600.0)]
    drain_timeout: f64,
    /// Tokio worker threads [default: one per CPU].
    #[arg(long)]
    pub(crate) worker_threads: Option<usize>,
}

pub(crate) async fn run(args: BacklogArgs, workers: usize) -> anyhow::Result<()> {
    anyhow::ensure!(args.clients >= 1, "--clients must be at least 1");
    anyhow::ensure!(args.ros >= 1, "--ros must be at least 1");
    let patience = Duration::try_from_secs_f64(args.drain_timeout)
        .map_err(|_| anyhow::anyhow!("--drain-timeout must be seconds ≥ 0"))?;
    let costs_addr = backlog::vacant_address()?;
    let system = System::start(&SystemSettings {
        store: StoreKind::Postgres,
        mode: Mode::Distributed,
        database_url: None,
        max_db_connections: args.max_db_connections,
        redis_url: None,
        costs: Some(costs_addr),
    })
    .await?;
    let gateway = format!("http://{}", system.gateway);
    let setup = connect(&gateway, 1).await?.remove(0);
    let bays = workshop::seed(&setup, &Auth::bearer(&system.token)?, |dealer| {
        Auth::bearer(&system.token_for(&workshop::staff(dealer)))
    })
    .await?;
    let outbox_db = system.dealers_outbox().await?;

    eprintln!("delivering {} ROs with costs not running", args.ros);
    let connections = connect(&gateway, args.clients).await?;
    let delivered = backlog::deliver(&connections, &bays, args.ros, args.warranty_every).await?;
    // Parts issues each RO's line and surveys invites its customer; once
    // they are done, only costs' events wait and their drain is its own.
    backlog::until(&outbox_db, patience, "all but costs delivered", |all| {
        all.iter()
            .all(|b| backlog::is_of(&b.destination, COSTS) || b.pending == 0)
    })
    .await?;
    let pile = backlog::backlog(&outbox_db, COSTS).await?;
    let expected = (delivered.ros.len() + delivered.warranty.len()) as i64;
    anyhow::ensure!(
        pile.pending == expected && pile.failed == 0,
        "{expected} events should wait for costs; the backlog is {pile:?}"
    );
    let (next_try, tries) = {
        let mut conn = outbox_db.pool().acquire().await?;
        outbox::retry_due(&mut conn, COSTS).await?
    };

    eprintln!("{} events wait for costs; starting costs", pile.pending);
    let costs = backlog::start_costs(&system, costs_addr, args.max_db_connections).await?;
    backlog::until(&outbox_db, patience, "nothing waits for costs", |all| {
        all.iter()
            .filter(|b| backlog::is_of(&b.destination, COSTS))
            .all(|b| b.pending == 0)
    })
    .await?;
    let drain = costs.started.elapsed();
    let left = backlog::backlog(&outbox_db, COSTS).await?;
    anyhow::ensure!(left.failed == 0, "costs refused events: {left:?}");
    let written = {
        let mut conn = outbox_db.pool().acquire().await?;
        outbox::written_between(&mut conn, COSTS, (0, i64::MAX)).await?
    };
    let recorded = backlog::recorded(&costs, &system).await?;

    println!("aftercare-load backlog");
    machine(workers);
    println!(
        "stores: PostgreSQL, one database per service (dealers: {}; parts: {}; surveys: {}; costs: {}), \
         pools of {}",
        system.database,
        system.parts_database,
        system.surveys_database,
        costs.database,
        args.max_db_connections
    );
    println!(
        "mode: distributed — gateway, dealers, parts, surveys and costs each on its own loopback \
         port; the dealers outbox relay with the app's settings delivers to parts (8 queues), \
         surveys (one queue) and costs (two: RO costs, and warranty ROs' claims; each in \
         order)"
    );
    println!(
        "ROs: {} carried through the gateway by {} clients as their dealers' staff at {} demo \
         stations (CreateRepairOrder, AddLabourLine, AddPartsLine: 1 unit of {PART}, \
         StartRepairOrder, CompleteRepairOrder: issued in parts, DeliverRepairOrder) in {:.1} s; \
         {} of them warranty ROs (every {}th)",
        delivered.ros.len(),
        args.clients,
        bays.len(),
        delivered.wall.as_secs_f64(),
        delivered.warranty.len(),
        args.warranty_every
    );
    println!();
    summary(&pile, &delivered, &costs, next_try, tries, drain, &written);
    let costed = delivered
        .ros
        .iter()
        .filter(|id| recorded.costed.contains(*id));
    let claimed = delivered
        .warranty
        .iter()
        .filter(|id| recorded.claimed.contains(*id));
    let (costed, claimed) = (costed.count(), claimed.count());
    println!(
        "costs holds: {} RO cost records ({costed} of the {} ROs delivered), {} warranty claims \
         ({claimed} of the {} warranty ROs)",
        recorded.costed.len(),
        delivered.ros.len(),
        recorded.claimed.len(),
        delivered.warranty.len()
    );
    anyhow::ensure!(
        recorded.costed == delivered.ros && recorded.claimed == delivered.warranty,
        "costs should hold one cost record per delivered RO and one claim per warranty RO"
    );
    Ok(())
}

fn summary(
    pile: &aftercare_outbox::Backlog,
    delivered: &backlog::Delivered,
    costs: &backlog::CostsServer,
    next_try: i64,
    tries: i64,
    drain: Duration,
    w: &Written,
) {
    let secs = |micros: i64| micros as f64 / 1e6;
    println!(
        "pile: {} events waited for costs ({} repair_order.delivered, {} \
         repair_order.warranty_delivered); the oldest tried {tries} times, the next try due \
         {:.1} s after costs started",
        pile.pending,
        delivered.ros.len(),
        delivered.warranty.len(),
        secs(next_try - costs.started_micros)
    );
    let (Some(first), Some(last)) = (w.first_delivery, w.last_delivery) else {
        println!("nothing delivered to costs");
        return;
    };
    let span = secs(last - first);
    println!(
        "drained {:.2} s after costs started (polled every 20 ms): {:.0} events/s overall",
        drain.as_secs_f64(),
        w.delivered as f64 / drain.as_secs_f64()
    );
    println!(
        "  the back-off wait, costs started to the first event delivered: {:.2} s",
        secs(first - costs.started_micros)
    );
    println!(
        "  the first to the last of {} delivered: {span:.2} s = {:.0} events/s; set aside as \
         refused: {}",
        w.delivered,
        w.delivered as f64 / span,
        w.failed
    );
}
