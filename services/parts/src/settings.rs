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
}

impl Default for PartsSettings {
    fn default() -> Self {
        Self {
            database_url: None,
            max_connections: 16,
            show_availability_owners: false,
        }
    }
}
