//! `call`: one RPC against servers already running.

use crate::{
    LoadArgs,
    commands::rounds::{row, step},
    machine, report,
    scenarios::{Auth, Scenario, head_office},
    settings,
};
use aftercare_auth::Secret;
use anyhow::Context;
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Rpc {
    GetStation,
    Echo,
}

#[derive(Debug, Args)]
pub(crate) struct CallArgs {
    #[command(flatten)]
    pub(crate) load: LoadArgs,
    /// The server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    target: String,
    #[arg(long, value_enum)]
    rpc: Rpc,
    /// The station of get-station.
    #[arg(long, default_value = "hm-city")]
    id: String,
    /// A bearer token, for calls through the gateway (wins over
    /// --internal-secret).
    #[arg(long)]
    token: Option<String>,
    /// The internal key (base64), to call a service directly as the OEM
    /// head office.
    #[arg(long, env = "AFTERCARE_KEYS__INTERNAL_SECRET", hide_env_values = true)]
    internal_secret: Option<String>,
    /// The echo payload.
    #[arg(long, default_value_t = 200)]
    payload_bytes: usize,
}

pub(crate) async fn run(args: CallArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    let auth = match (&args.token, &args.internal_secret) {
        (Some(token), _) => Auth::bearer(token)?,
        (None, Some(secret)) => Auth::signed(
            head_office(),
            Secret::from_base64(secret).context("--internal-secret is not base64")?,
        ),
        (None, None) => Auth::None,
    };
    let scenario = match args.rpc {
        Rpc::GetStation => Scenario::GetStation { id: args.id },
        Rpc::Echo => Scenario::Echo {
            payload_bytes: args.payload_bytes,
        },
    };
    println!("aftercare-load call");
    machine(workers);
    settings(&load);
    let label = format!("{} at {}", scenario.rpc(), args.target);
    let outcome = step(&load, &label, &args.target, &scenario, auth).await?;
    println!();
    print!("{}", report::table(&[row(&label, &outcome)]));
    Ok(())
}
