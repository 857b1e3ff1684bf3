use aftercare_db::RetentionSettings;
use serde::Deserialize;

/// Settings of the dealers service.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DealersSettings {
    /// `postgres://…` in the distributed mode; the embedded mode uses a
    /// SQLite file in its data directory.
    pub database_url: Option<String>,
    pub max_connections: u32,
    /// Whether a VIN must carry a valid check digit (position 9), as North
    /// American VINs do.
    pub require_vin_check_digit: bool,
    /// A labour line is a comeback when the vehicle had the same operation
    /// on an RO delivered within this many days before.
    pub comeback_window_days: i64,
    /// How often a watch of a station's at-risk ROs reads them again: for
    /// the writes of other replicas and for the clock passing (this
    /// process's own writes wake it at once).
    pub at_risk_watch_interval_ms: u64,
    /// How long idempotency keys, delivered outbox events and applied
    /// event ids are kept, and how often the sweep runs
    /// (docs/retention.md).
    pub retention: RetentionSettings,
}

impl Default for DealersSettings {
    fn default() -> Self {
        Self {
            database_url: None,
            max_connections: 16,
            require_vin_check_digit: false,
            comeback_window_days: crate::domain::repair_order::DEFAULT_COMEBACK_DAYS,
            at_risk_watch_interval_ms: 5_000,
            retention: RetentionSettings::default(),
        }
    }
}
