//! `scorecard`: GetDealerScorecard p50/p99 for one dealer through the
//! gateway, the four services on PostgreSQL in the distributed mode and
//! every part of the scorecard seeded; then with parts stopped (its
//! listener gone), parts hung (a listener that accepts and never answers),
//! dealers stopped and costs stopped, one at a time: the scorecard still
//! answers, names the missing parts, and its p99 stays within the
//! scorecard's deadline (`surveys.scorecard_deadline_ms`).

use std::{net::SocketAddr, time::Duration};

use aftercare_surveys::SurveysSettings;
use clap::Args;

use crate::{
    machine,
    report::{self, Row},
    run::{self, connect},
    scorecard_parts::{self as parts, Network},
    settings,
};

#[derive(Debug, Args)]
pub(crate) struct ScorecardArgs {
    #[command(flatten)]
    pub(crate) load: crate::LoadArgs,
    /// ROs delivered through the gateway over the demo stations first.
    #[arg(long, default_value_t = 300)]
    ros: usize,
    /// Each service's database pool.
    #[arg(long, default_value_t = 16)]
    max_db_connections: u32,
}

/// What is done to the peers before a measure.
#[derive(Debug, Clone, Copy)]
enum Outage {
    None,
    Stopped(&'static str),
    Hung(&'static str),
}

impl Outage {
    fn label(self) -> String {
        match self {
            Outage::None => "all four up".into(),
            Outage::Stopped(s) => format!("{s} stopped"),
            Outage::Hung(s) => format!("{s} hung (accepts, never answers)"),
        }
    }

    /// The parts the scorecard should name missing.
    fn missing(self) -> &'static [&'static str] {
        match self {
            Outage::None => &[],
            Outage::Stopped("parts") | Outage::Hung("parts") => &["fill_rate", "required_stock"],
            Outage::Stopped("dealers") => &["standards"],
            Outage::Stopped(_) | Outage::Hung(_) => &["comebacks", "costs", "complaints"],
        }
    }
}

pub(crate) async fn run(args: ScorecardArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    let deadline_ms = SurveysSettings::default().scorecard_deadline_ms;
    let mut network = parts::start(args.ros, load.clients, args.max_db_connections).await?;
    let gateway = format!("http://{}", network.system.gateway);
    let setup = connect(&gateway, 1).await?.remove(0);
    let connections = connect(&gateway, load.connections).await?;
    let patience = Duration::from_secs(60);

    let mut rows = vec![];
    let mut named = vec![];
    for outage in [
        Outage::None,
        Outage::Stopped("parts"),
        Outage::Hung("parts"),
        Outage::Stopped("dealers"),
        Outage::Stopped("costs"),
    ] {
        let label = outage.label();
        eprintln!("measuring the scorecard, {label}");
        let hung = begin(&mut network, outage, patience).await?;
        let expected = outage.missing();
        let card = network
            .until(
                &setup,
                patience,
                &format!("{label}: the parts named missing"),
                |card| parts::missing_parts(card) == expected,
            )
            .await?;
        let outcome = run::run(&load, &connections, &network.scenario()?).await?;
        named.push((label.clone(), parts::missing(&card)));
        rows.push(Row {
            target: label,
            outcome,
        });
        end(&mut network, outage, hung).await?;
    }

    println!("aftercare-load scorecard");
    machine(workers);
    let system = &network.system;
    println!(
        "stores: PostgreSQL, one database per service (dealers: {}; parts: {}; surveys: {}; \
         costs: its own fresh one), pools of {}",
        system.database, system.parts_database, system.surveys_database, args.max_db_connections
    );
    println!(
        "mode: distributed — gateway, dealers, parts, surveys and costs each on its own loopback \
         port; surveys reads dealers, parts and costs over TCP, all at once under one deadline \
         of {deadline_ms} ms (surveys.scorecard_deadline_ms)"
    );
    println!(
        "seed: {} ROs delivered through the gateway at the demo stations (every 5th a warranty \
         RO), costed by costs and invited by surveys through the dealers relay; dealer {}: {} of \
         them, its {} surveys answered through their links",
        network.ros, network.dealer_id, network.dealer_ros, network.responses
    );
    settings(&load);
    println!(
        "calls: GetDealerScorecard of {} for the current month through the gateway as head office",
        network.dealer_id
    );
    println!();
    print!("{}", report::table(&rows));
    println!();
    let bound = Duration::from_millis(deadline_ms);
    let mut bounded = true;
    for ((label, missing), Row { outcome, .. }) in named.iter().zip(&rows) {
        let p99 = outcome.latencies.percentile(99.0);
        println!(
            "{label}: missing {missing}; p99 {} ms against the {deadline_ms} ms deadline",
            report::ms(p99, 1)
        );
        // The hop through the gateway and the answer's encoding come on top.
        bounded &= p99.is_some_and(|p| p <= bound + Duration::from_millis(250));
        anyhow::ensure!(
            outcome.error_count() == 0,
            "{label}: the scorecard failed {} times",
            outcome.error_count()
        );
    }
    anyhow::ensure!(bounded, "a p99 went past the deadline by more than 250 ms");
    Ok(())
}

/// Brings `outage` about; the hung server's task, if one.
async fn begin(
    network: &mut Network,
    outage: Outage,
    patience: Duration,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let (Outage::Stopped(service) | Outage::Hung(service)) = outage else {
        return Ok(None);
    };
    let addr = address(network, service)?;
    if service == "costs" {
        network.costs = None;
    } else {
        network.system.stop(service);
    }
    let gone = parts::refused(addr, patience).await?;
    eprintln!(
        "{service} stopped: its listener at {addr} gone after {:.0} ms",
        gone.as_secs_f64() * 1e3
    );
    Ok(match outage {
        Outage::Hung(_) => Some(parts::hung(addr).await?),
        _ => None,
    })
}

/// Ends `outage`: the hung server closed and the real one started again
/// (costs, stopped last, stays down).
async fn end(
    network: &mut Network,
    outage: Outage,
    hung: Option<tokio::task::JoinHandle<()>>,
) -> anyhow::Result<()> {
    if let Some(hung) = hung {
        hung.abort();
        let _ = hung.await;
    }
    match outage {
        Outage::Stopped(service) | Outage::Hung(service) if service != "costs" => {
            network.system.restart(service).await
        }
        _ => Ok(()),
    }
}

fn address(network: &Network, service: &str) -> anyhow::Result<SocketAddr> {
    Ok(match service {
        "parts" => network.system.parts,
        "dealers" => network.system.dealers,
        "costs" => {
            network
                .costs
                .as_ref()
                .ok_or_else(|| anyhow::anyhow!("costs is already stopped"))?
                .addr
        }
        other => anyhow::bail!("no service {other}"),
    })
}
