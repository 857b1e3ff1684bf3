use aftercare_db::{Db, sqlx::migrate::Migrator};
use anyhow::Context;

use crate::settings::Settings;

/// The parts of the system a process can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Service {
    Gateway,
    Dealers,
    Parts,
    Surveys,
    Costs,
}

impl Service {
    pub const WITH_DATABASE: [Service; 4] = [
        Service::Dealers,
        Service::Parts,
        Service::Surveys,
        Service::Costs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Service::Gateway => "gateway",
            Service::Dealers => "dealers",
            Service::Parts => "parts",
            Service::Surveys => "surveys",
            Service::Costs => "costs",
        }
    }

    /// The service's schema migrations, for those that have tables yet.
    fn migrator(self) -> Option<&'static Migrator> {
        match self {
            Service::Dealers => Some(&aftercare_dealers::MIGRATOR),
            _ => None,
        }
    }

    /// Connects to the service's database — `url`, else its
    /// `database_url` setting, else its SQLite file in the data directory —
    /// and brings the schema up to date.
    pub async fn open(self, settings: &Settings, url: Option<&str>) -> anyhow::Result<Db> {
        let name = self.name();
        let (configured, max) = match self {
            Service::Dealers => (
                &settings.dealers.database_url,
                settings.dealers.max_connections,
            ),
            Service::Parts => (&settings.parts.database_url, settings.parts.max_connections),
            Service::Surveys => (
                &settings.surveys.database_url,
                settings.surveys.max_connections,
            ),
            Service::Costs => (&settings.costs.database_url, settings.costs.max_connections),
            Service::Gateway => anyhow::bail!("the gateway has no database"),
        };
        let url = url
            .map(str::to_owned)
            .or_else(|| configured.clone())
            .unwrap_or_else(|| settings.sqlite_url(name));
        let db = Db::connect(&url, max)
            .await
            .with_context(|| format!("failed to connect to the {name} database"))?;
        if let Some(migrator) = self.migrator() {
            db.migrate(migrator)
                .await
                .with_context(|| format!("failed to migrate the {name} database"))?;
        }
        Ok(db)
    }
}
