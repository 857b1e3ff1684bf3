//! `bench`: GetStation through the gateway and straight to the dealers
//! service, and a bare tonic echo, as ratios to each other.

use crate::{
    LoadArgs,
    commands::rounds::{Target, in_rounds, rows},
    commands::system_args::SystemArgs,
    machine, report,
    scenarios::{Auth, Scenario, head_office},
    settings,
};
use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct BenchArgs {
    #[command(flatten)]
    pub(crate) load: LoadArgs,
    #[command(flatten)]
    system: SystemArgs,
    /// The station GetStation reads (of the demo network).
    #[arg(long, default_value = "hm-city")]
    station_id: String,
    /// Echo payload [default: the encoded size of that station].
    #[arg(long)]
    payload_bytes: Option<usize>,
    /// Times each target is measured, the three in turn.
    #[arg(long, default_value_t = 1)]
    rounds: u32,
}

pub(crate) async fn run(args: BenchArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    anyhow::ensure!(args.rounds >= 1, "--rounds must be at least 1");
    let _telemetry = args.system.telemetry()?;
    let system = args.system.start().await?;
    let payload_bytes = match args.payload_bytes {
        Some(n) => n,
        None => system.station_size(&args.station_id).await?,
    };

    println!("aftercare-load bench");
    machine(workers);
    args.system.describe(&system.database, "dealers");
    settings(&load);
    println!(
        "calls: GetStation {} as the OEM head office (bearer token via the gateway, \
         signed principal direct); Echo of {payload_bytes} bytes",
        args.station_id
    );
    println!(
        "cpu µs/call: this process's CPU time in the window (clients and servers) \
         over its successful calls; PostgreSQL's own is not in it"
    );
    args.system.describe_telemetry();

    let get_station = Scenario::GetStation {
        id: args.station_id.clone(),
    };
    let url = |addr| format!("http://{addr}");
    let target = |label: &str, url, scenario: &Scenario, auth| Target {
        label: label.to_owned(),
        url,
        scenario: scenario.clone(),
        auth,
    };
    let targets = [
        target(
            "GetStation via gateway",
            url(system.gateway),
            &get_station,
            Auth::bearer(&system.token)?,
        ),
        target(
            "GetStation direct",
            url(system.dealers),
            &get_station,
            Auth::signed(head_office(), system.internal_key.clone()),
        ),
        target(
            "Echo (bare tonic)",
            url(system.echo),
            &Scenario::Echo { payload_bytes },
            Auth::None,
        ),
    ];
    let outcomes = in_rounds(&load, args.rounds, &targets).await?;
    let [gateway, direct, echo] = &outcomes[..] else {
        unreachable!("one outcome per target");
    };

    println!();
    print!("{}", report::table(&rows(&targets, &outcomes)));
    println!();
    print!("{}", report::ratios(gateway, direct, echo));
    Ok(())
}
