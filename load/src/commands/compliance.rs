//! `compliance`: GetStandardCompliance for a station-month of 100,000
//! repair orders among half a million, seeded straight into the dealers
//! database (PostgreSQL).

use crate::{
    commands::system_args::SystemArgs, compliance_month, machine, run::connect, scenarios::Auth,
    system::StoreKind,
};
use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct ComplianceArgs {
    #[command(flatten)]
    system: SystemArgs,
    /// Repair orders of the station timed, in March 2026.
    #[arg(long, default_value_t = 100_000)]
    station_ros: i64,
    /// Repair orders of the other stations and months, as noise.
    #[arg(long, default_value_t = 400_000)]
    noise_ros: i64,
    /// GetStandardCompliance calls timed per scope, one after another.
    #[arg(long, default_value_t = 20)]
    calls: usize,
    /// Tokio worker threads [default: one per CPU].
    #[arg(long)]
    pub(crate) worker_threads: Option<usize>,
}

pub(crate) async fn run(args: ComplianceArgs, workers: usize) -> anyhow::Result<()> {
    anyhow::ensure!(args.calls >= 1, "--calls must be at least 1");
    anyhow::ensure!(
        args.system.store == StoreKind::Postgres,
        "the compliance seed is written for PostgreSQL: --store postgres"
    );
    let _telemetry = args.system.telemetry()?;
    let system = args.system.start().await?;

    println!("aftercare-load compliance");
    machine(workers);
    args.system.describe(&system.database, "dealers");
    args.system.describe_telemetry();

    let oem = Auth::bearer(&system.token)?;
    let gateway = connect(&format!("http://{}", system.gateway), 1)
        .await?
        .remove(0);
    let seed = compliance_month::Seed {
        station_ros: args.station_ros,
        noise_ros: args.noise_ros,
    };
    eprintln!(
        "seeding {} repair orders of {} and {} more",
        seed.station_ros,
        compliance_month::STATION,
        seed.noise_ros
    );
    let mut db = system.dealers_connection().await?;
    let seeded =
        compliance_month::seed(&gateway, &oem, &mut db, &system.dealers_store, &seed).await?;
    let timings = compliance_month::time(gateway, oem, args.calls).await?;
    println!();
    print!("{}", compliance_month::report(&seeded, &timings));
    Ok(())
}
