use aftercare_db::RetentionSettings;
use serde::Deserialize;

/// Settings of the costs service. Every threshold is a default the OEM may
/// change.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CostsSettings {
    /// `postgres://…` in the distributed mode; the embedded mode uses a
    /// SQLite file in its data directory.
    pub database_url: Option<String>,
    pub max_connections: u32,
    /// The network's currency: every amount the service keeps is in it.
    pub currency: String,
    /// A budget alert is raised when a category's actual passes its budget
    /// by more than this, in basis points (1000 = 10 %).
    pub variance_alert_bp: i64,
    /// A claim for the same VIN and causal part within this many days of
    /// another is refused by the duplicate check.
    pub duplicate_claim_days: i64,
    /// How long a claim check waits for the service it reads.
    pub check_deadline_ms: u64,
    /// Claims up to this amount (minor units) are approved by the station,
    /// up to `region_limit` by the region, above it by head office.
    pub station_limit: i64,
    pub region_limit: i64,
    /// How often, in milliseconds, the warranty budget gauges are read
    /// from the database (`src/metrics.rs`).
    pub metrics_refresh_ms: u64,
    /// How long idempotency keys, delivered outbox events and applied
    /// event ids are kept, and how often the sweep runs
    /// (docs/retention.md).
    pub retention: RetentionSettings,
}

impl Default for CostsSettings {
    fn default() -> Self {
        Self {
            database_url: None,
            max_connections: 16,
            currency: "EUR".into(),
            variance_alert_bp: 1000,
            duplicate_claim_days: 30,
            check_deadline_ms: 2000,
            station_limit: 50_000,
            region_limit: 500_000,
            metrics_refresh_ms: 15_000,
            retention: RetentionSettings::default(),
        }
    }
}
