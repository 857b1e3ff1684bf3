use std::sync::Arc;

use aftercare_db::RetentionSettings;
use aftercare_values::OemZone;
use anyhow::Context;
use serde::Deserialize;

mod complaints;

pub use complaints::ComplaintSettings;

use crate::{
    Rules,
    domain::league::LeagueSettings,
    leagues::{
        LeagueOptions,
        boards::{LeagueBoards, MemoryBoards, RedisBoards, RedisBoardsConfig},
    },
    usecases::ComplaintRules,
};

/// The surveys service's storage: its database, and Redis for the league
/// tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SurveysSettings {
    pub database_url: Option<String>,
    pub max_connections: u32,
    /// `redis://…` in the distributed mode; the embedded mode keeps the
    /// league tables in process.
    pub redis_url: Option<String>,
    /// Put before every Redis key of the league tables, so that several
    /// deployments (or test runs) can share one Redis; without braces.
    pub redis_key_prefix: String,
    /// How long a survey link token is good for after it is issued.
    pub link_lifetime_days: i64,
    /// The code of the template whose latest published version new
    /// invitations ask.
    pub invitation_template: String,
    /// A response whose service index (0–1000) is below this raises a
    /// low-score alert to complaints.
    pub alert_below_service_index: u32,
    /// League tables: members with fewer responses are listed, not ranked.
    pub league_min_sample: u64,
    /// League tables: the prior weight C of the Bayesian average.
    pub league_prior_weight: u64,
    /// League tables: how often, in seconds, tables that missed updates
    /// (the table store was down) are tried again.
    pub league_repair_secs: u64,
    /// League tables: how often, in milliseconds, a watched table is read
    /// again (for the writes of other replicas; this process's own wake
    /// its watches at once).
    pub league_watch_interval_ms: u64,
    /// How long a call to another service (dealers, parts, costs) may take,
    /// in milliseconds.
    pub peer_deadline_ms: u64,
    /// How often, in milliseconds, open improvement plans whose check
    /// period is over are checked.
    pub improvement_check_ms: u64,
    /// The one deadline of a dealer scorecard's reads, in milliseconds: a
    /// part whose service has not answered by then is named missing.
    pub scorecard_deadline_ms: u64,
    /// How often, in minutes, the dealer assessments of the current month,
    /// quarter and year are refreshed; 0: never (head office refreshes them
    /// with RefreshDealerAssessments).
    pub assessment_refresh_minutes: u64,
    /// How often, in milliseconds, the league-table and complaint gauges
    /// are refreshed (`src/metrics.rs`).
    pub metrics_refresh_ms: u64,
    /// Complaints: deadlines per severity, the escalation sweep, closing.
    pub complaints: ComplaintSettings,
    /// How long idempotency keys, delivered outbox events and applied
    /// event ids are kept, and how often the sweep runs
    /// (docs/retention.md).
    pub retention: RetentionSettings,
    /// Responses submitted more than this many days ago move to the
    /// responses' archive with the retention sweep; still read as before,
    /// their aggregates untouched (docs/retention.md). 0: never.
    pub response_archive_after_days: u64,
}

impl Default for SurveysSettings {
    fn default() -> Self {
        Self {
            database_url: None,
            max_connections: 16,
            redis_url: None,
            redis_key_prefix: crate::leagues::boards::DEFAULT_KEY_PREFIX.into(),
            link_lifetime_days: 30,
            invitation_template: "after-sales".into(),
            alert_below_service_index: crate::domain::scoring::DEFAULT_ALERT_BELOW,
            league_min_sample: LeagueSettings::default().min_sample,
            league_prior_weight: LeagueSettings::default().prior_weight,
            league_repair_secs: 5,
            league_watch_interval_ms: 10_000,
            peer_deadline_ms: 2000,
            improvement_check_ms: 60_000,
            scorecard_deadline_ms: 1500,
            assessment_refresh_minutes: 60,
            metrics_refresh_ms: 15_000,
            complaints: ComplaintSettings::default(),
            retention: RetentionSettings::default(),
            response_archive_after_days: 400,
        }
    }
}

impl SurveysSettings {
    /// How the league tables run.
    pub fn league_options(&self) -> LeagueOptions {
        LeagueOptions {
            settings: LeagueSettings {
                min_sample: self.league_min_sample.max(1),
                prior_weight: self.league_prior_weight,
            },
            repair_every: std::time::Duration::from_secs(self.league_repair_secs.max(1)),
            watch_every: std::time::Duration::from_millis(self.league_watch_interval_ms),
        }
    }

    /// How often the dealer assessments are refreshed; none: never.
    pub fn assessment_refresh(&self) -> Option<std::time::Duration> {
        (self.assessment_refresh_minutes > 0)
            .then(|| std::time::Duration::from_secs(self.assessment_refresh_minutes * 60))
    }

    /// What complaints run by.
    pub fn complaint_rules(&self) -> ComplaintRules {
        self.complaints.rules()
    }

    /// The use cases' rules from these settings, its periods in `zone`.
    pub fn rules(&self, zone: &OemZone) -> Rules {
        Rules {
            link_lifetime_secs: self.link_lifetime_days.saturating_mul(24 * 3600),
            invitation_template: self.invitation_template.clone(),
            alert_below: self.alert_below_service_index,
            zone: zone.clone(),
        }
    }

    /// The league tables' store: Redis sorted sets when `redis_url` is set
    /// (the distributed mode), else in process.
    pub fn boards(&self) -> anyhow::Result<Arc<dyn LeagueBoards>> {
        Ok(match &self.redis_url {
            Some(url) => Arc::new(
                RedisBoards::new(RedisBoardsConfig {
                    key_prefix: self.redis_key_prefix.clone(),
                    ..RedisBoardsConfig::new(url.clone())
                })
                .context("invalid surveys.redis_url or surveys.redis_key_prefix")?,
            ),
            None => Arc::new(MemoryBoards::new()),
        })
    }
}
