//! The system the load commands start in this process.

use crate::system::{Mode, StoreKind, System, SystemSettings};
use clap::Args;

/// The system started in this process.
#[derive(Debug, Args)]
pub(crate) struct SystemArgs {
    #[arg(long, value_enum, default_value_t = StoreKind::Sqlite)]
    pub(crate) store: StoreKind,
    #[arg(long, value_enum, default_value_t = Mode::Embedded)]
    mode: Mode,
    /// The dealers service's PostgreSQL database for `--store postgres`,
    /// the parts and surveys services' being its siblings with `_parts` and
    /// `_surveys` after the name [default: fresh ones on the server of
    /// AFTERCARE_TEST_POSTGRES_URL].
    #[arg(long)]
    database_url: Option<String>,
    /// The surveys league tables' Redis, `redis://host:port`, as the
    /// distributed app's `surveys.redis_url` (keys under a prefix of the
    /// run's own) [default: the tables in process].
    #[arg(long, env = "AFTERCARE_TEST_REDIS_URL")]
    pub(crate) redis_url: Option<String>,
    /// Each service's database pool.
    #[arg(long, default_value_t = 16)]
    max_db_connections: u32,
    /// Run without the tracing subscriber and metrics recorder that the
    /// real processes install (their spans and metrics still cost a little).
    #[arg(long)]
    no_telemetry: bool,
}

impl SystemArgs {
    /// Installs the telemetry the real processes install, unless told not
    /// to; keep the guard for the run.
    pub(crate) fn telemetry(&self) -> anyhow::Result<Option<aftercare_telemetry::TelemetryGuard>> {
        if self.no_telemetry {
            return Ok(None);
        }
        aftercare_telemetry::install_recorder()?;
        Ok(Some(aftercare_telemetry::init(
            "aftercare-load",
            &aftercare_telemetry::TelemetrySettings::default(),
        )?))
    }

    pub(crate) async fn start(&self) -> anyhow::Result<System> {
        System::start(&SystemSettings {
            store: self.store,
            mode: self.mode,
            database_url: self.database_url.clone(),
            max_db_connections: self.max_db_connections,
            redis_url: self.redis_url.clone(),
            costs: None,
        })
        .await
    }

    /// The lines every report of a system starts with.
    pub(crate) fn describe(&self, database: &str, service: &str) {
        println!(
            "in one process: servers and clients share it, its runtime and its cores; \
             read the figures as ratios to each other"
        );
        println!(
            "store: {database} (pool {}); gateway -> {service}: {}",
            self.max_db_connections,
            match self.mode {
                Mode::Embedded => "embedded (in-process call, no network hop)",
                Mode::Distributed => "distributed (loopback TCP, one connection)",
            }
        );
    }

    pub(crate) fn describe_telemetry(&self) {
        println!(
            "gateway rate limiting off; telemetry {}",
            if self.no_telemetry {
                "subscriber and recorder off (--no-telemetry)"
            } else {
                "as in the real processes (log subscriber at info, Prometheus recorder)"
            }
        );
    }
}
