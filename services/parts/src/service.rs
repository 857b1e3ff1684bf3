//! The parts service built from its settings and connections: the one
//! wiring the app, the load tool and the tests serve.

use std::time::Duration;

use aftercare_auth::{Secret, ServiceAuth};
use aftercare_db::{Db, RetentionSettings, Sweeper, timestamp::Clock};
use aftercare_serving::{Built, ServerRoutes};
use aftercare_values::OemZone;

use crate::{
    PartsSettings,
    grpc::{LabourApi, PartsApi, PriceBoardApi, RequiredStockApi, StockApi},
    metrics,
    usecases::Context,
};

/// What the parts service is built from. The OEM's time zone is UTC and
/// the clock the system's unless set.
#[derive(Debug, Clone)]
pub struct Parts {
    cx: Context,
    key: Secret,
    metrics_every: Duration,
    retention: RetentionSettings,
    ledger_archive_after_days: u64,
}

impl Parts {
    /// The service on `db` (migrated), accepting calls signed with `key`.
    pub fn new(settings: &PartsSettings, db: Db, key: Secret) -> Self {
        let cx = Context::new(db).with_availability_owners_shown(settings.show_availability_owners);
        let metrics_every = Duration::from_millis(settings.metrics_refresh_ms.max(1));
        Self {
            cx,
            key,
            metrics_every,
            retention: settings.retention.clone(),
            ledger_archive_after_days: settings.ledger_archive_after_days,
        }
    }

    /// Periods (fill rate, price boards) by the days of `zone`.
    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.cx = self.cx.with_zone(zone);
        self
    }

    /// What the service takes for now.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.cx = self.cx.with_clock(clock);
        self
    }

    /// The retention sweep of the service's database: idempotency keys,
    /// and the ledger's closed periods archived (docs/retention.md).
    pub fn sweeper(&self) -> Sweeper {
        let cx = &self.cx;
        Sweeper::new(
            "parts",
            cx.db().clone(),
            cx.clock().clone(),
            &self.retention,
        )
        .with_steps(crate::usecases::archive_step(
            self.ledger_archive_after_days,
        ))
    }

    /// Every contract of the package on one store (the gateway routes them
    /// all by the package), with health and reflection; the shortage
    /// gauges refreshed and the retention sweep run behind them.
    pub async fn build(self) -> Built {
        let sweep = self.sweeper().spawn();
        let auth = ServiceAuth::new(self.key);
        let cx = self.cx;
        let routes = ServerRoutes::new()
            .with_service(PartsApi::new(&cx).into_server(auth.clone()))
            .with_service(LabourApi::new(&cx).into_server(auth.clone()))
            .with_service(StockApi::new(&cx).into_server(auth.clone()))
            .with_service(RequiredStockApi::new(&cx).into_server(auth.clone()))
            .with_service(PriceBoardApi::new(&cx).into_server(auth));
        let mut built = Built::new(routes).await;
        let gauges = metrics::spawn(cx.db().clone(), cx.clock().clone(), self.metrics_every);
        built.running = built.running.with_task(gauges);
        if let Some(sweep) = sweep {
            built.running = built.running.with_task(sweep);
        }
        built
    }
}
