use aftercare_db::RetentionSettings;
use serde::Deserialize;

/// Settings of the parts service.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PartsSettings {
    /// `postgres://…` in the distributed mode; the embedded mode uses a
    /// SQLite file in its data directory.
    pub database_url: Option<String>,
    pub max_connections: u32,
    /// Whether dealers see which other dealer's warehouse holds a part
    /// they lack; otherwise they see only the quantity.
    pub show_availability_owners: bool,
    /// How often, in milliseconds, the stock-out and backorder gauges are
    /// read from the database (`src/metrics.rs`).
    pub metrics_refresh_ms: u64,
    /// How long idempotency keys are kept, and how often the sweep runs
    /// (docs/retention.md).
    pub retention: RetentionSettings,
    /// Stock movements dated more than this many days back are moved to
    /// the ledger's archive by the retention sweep, and no movement may be
    /// backdated before them any more (docs/retention.md); 0: never.
    pub ledger_archive_after_days: u64,
}

impl Default for PartsSettings {
    fn default() -> Self {
        Self {
            database_url: None,
            max_connections: 16,
            show_availability_owners: false,
            metrics_refresh_ms: 15_000,
            retention: RetentionSettings::default(),
            ledger_archive_after_days: 400,
        }
    }
}
