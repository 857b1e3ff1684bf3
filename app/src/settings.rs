//! One typed settings struct per process, layered: defaults, then a TOML
//! file, then `AFTERCARE_…` environment variables (`__` nests:
//! `AFTERCARE_DEALERS__DATABASE_URL`). Every setting has a default that
//! suits the embedded mode.

use std::path::{Path, PathBuf};

use aftercare_costs::CostsSettings;
use aftercare_db::timestamp::Clock;
use aftercare_dealers::DealersSettings;
use aftercare_gateway::GatewaySettings;
use aftercare_parts::PartsSettings;
use aftercare_surveys::SurveysSettings;
use aftercare_telemetry::TelemetrySettings;
use aftercare_values::OemZone;
use anyhow::Context;
use figment::{
    Figment,
    providers::{Env, Format, Toml},
};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where the embedded mode keeps its SQLite files and keys.
    pub data_dir: PathBuf,
    pub listen: Listen,
    /// Where the gateway finds the services in the distributed mode.
    pub backends: Backends,
    pub keys: Keys,
    pub oem: OemSettings,
    pub telemetry: TelemetrySettings,
    pub gateway: GatewaySettings,
    pub dealers: DealersSettings,
    pub parts: PartsSettings,
    pub surveys: SurveysSettings,
    pub costs: CostsSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("aftercare-data"),
            listen: Listen::default(),
            backends: Backends::default(),
            keys: Keys::default(),
            oem: OemSettings::default(),
            telemetry: TelemetrySettings::default(),
            gateway: GatewaySettings::default(),
            dealers: DealersSettings::default(),
            parts: PartsSettings::default(),
            surveys: SurveysSettings::default(),
            costs: CostsSettings::default(),
        }
    }
}

/// Addresses to listen on.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Listen {
    /// The gateway: gRPC and gRPC-web. The only port of the embedded mode.
    /// Every port also answers Prometheus' `GET /metrics`.
    pub gateway: String,
    pub dealers: String,
    pub parts: String,
    pub surveys: String,
    pub costs: String,
}

impl Default for Listen {
    fn default() -> Self {
        Self {
            gateway: "127.0.0.1:8080".into(),
            dealers: "127.0.0.1:50051".into(),
            parts: "127.0.0.1:50052".into(),
            surveys: "127.0.0.1:50053".into(),
            costs: "127.0.0.1:50054".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Backends {
    pub dealers: String,
    pub parts: String,
    pub surveys: String,
    pub costs: String,
}

impl Default for Backends {
    fn default() -> Self {
        Self {
            dealers: "http://127.0.0.1:50051".into(),
            parts: "http://127.0.0.1:50052".into(),
            surveys: "http://127.0.0.1:50053".into(),
            costs: "http://127.0.0.1:50054".into(),
        }
    }
}

/// Key material, base64. Unset in the embedded mode: the keys are made on
/// first start and kept in the data directory.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Keys {
    /// Verifies the bearer tokens of people and DMS accounts (HS256).
    pub token_secret: Option<String>,
    /// Signs the principal the gateway hands to the services.
    pub internal_secret: Option<String>,
}

/// The OEM as a whole, the same for every service.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OemSettings {
    /// The IANA time zone (`Asia/Shanghai`) in which every service buckets
    /// its days and periods, daylight saving included; default `UTC`. An
    /// unknown name stops the start-up.
    pub time_zone: OemZone,
    /// Seconds added to the system's time where the services stamp and
    /// judge by a clock (dealers' repair orders and appointments, surveys'
    /// complaint deadlines and plan checks): a demo or a test runs a
    /// process ahead to see a deadline pass. 0, the default, in production.
    pub clock_offset_secs: i64,
}

impl OemSettings {
    /// The clock the services read: the system's, moved by
    /// `clock_offset_secs`.
    pub fn clock(&self) -> Clock {
        match self.clock_offset_secs {
            0 => Clock::system(),
            secs => {
                let offset = time::Duration::seconds(secs);
                Clock::new(move || time::OffsetDateTime::now_utc() + offset)
            }
        }
    }
}

/// The top-level sections, so that unrelated `AFTERCARE_…` variables (the
/// test scripts' own) are not taken for settings.
const SECTIONS: &[&str] = &[
    "data_dir",
    "listen",
    "backends",
    "keys",
    "oem",
    "telemetry",
    "gateway",
    "dealers",
    "parts",
    "surveys",
    "costs",
];

impl Settings {
    /// Loads the settings: defaults, then `file` if given, then the
    /// environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::new();
        if let Some(file) = file {
            anyhow::ensure!(
                file.exists(),
                "settings file {} does not exist",
                file.display()
            );
            figment = figment.merge(Toml::file(file));
        }
        let env = Env::prefixed("AFTERCARE_").split("__").filter(|key| {
            let key = key.as_str().to_ascii_lowercase();
            SECTIONS
                .iter()
                .any(|s| key == *s || key.starts_with(&format!("{s}.")))
        });
        let settings: Settings = figment.merge(env).extract().context("invalid settings")?;
        settings.gateway.validate()?;
        Ok(settings)
    }

    /// The SQLite URL of a service's file in the data directory.
    pub fn sqlite_url(&self, service: &str) -> String {
        format!(
            "sqlite://{}?mode=rwc",
            self.data_dir.join(format!("{service}.db")).display()
        )
    }
}

#[cfg(test)]
mod tests {
    use aftercare_surveys::domain::league::LeagueSettings;

    use super::*;

    #[test]
    fn a_bad_setting_is_a_message_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("aftercare.toml");
        std::fs::write(&file, "[gateway]\nrate_limit_burst = \"many\"\n").unwrap();
        let e = Settings::load(Some(&file)).unwrap_err();
        assert!(format!("{e:#}").contains("rate_limit_burst"), "{e:#}");

        std::fs::write(&file, "[dealers]\ndatabase_ulr = \"postgres://x\"\n").unwrap();
        let e = Settings::load(Some(&file)).unwrap_err();
        assert!(format!("{e:#}").contains("database_ulr"), "{e:#}");
    }

    #[test]
    fn league_settings_come_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("aftercare.toml");
        std::fs::write(
            &file,
            "[surveys]\nleague_min_sample = 0\nleague_prior_weight = 5\nleague_repair_secs = 2\n",
        )
        .unwrap();
        let options = Settings::load(Some(&file))
            .unwrap()
            .surveys
            .league_options();
        // A minimum sample of 0 would rank members without responses.
        assert_eq!(options.settings.min_sample, 1);
        assert_eq!(options.settings.prior_weight, 5);
        assert_eq!(options.repair_every, std::time::Duration::from_secs(2));
        let defaults = SurveysSettings::default().league_options();
        assert_eq!(defaults.settings, LeagueSettings::default());
    }

    #[test]
    fn the_oem_time_zone_is_checked_once_at_start_up() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("aftercare.toml");
        std::fs::write(&file, "[oem]\ntime_zone = \"Europe/Berlin\"\n").unwrap();
        let s = Settings::load(Some(&file)).unwrap();
        assert_eq!(s.oem.time_zone.name(), "Europe/Berlin");
        assert_eq!(s.surveys.rules(&s.oem.time_zone).zone, s.oem.time_zone);
        assert_eq!(Settings::default().oem.time_zone.name(), "UTC");

        std::fs::write(&file, "[oem]\ntime_zone = \"Europe/Nowhere\"\n").unwrap();
        let e = format!("{:#}", Settings::load(Some(&file)).unwrap_err());
        assert!(
            e.contains("oem.time_zone") && e.contains("Europe/Nowhere"),
            "{e}"
        );

        // The offset it replaces is no setting any more.
        std::fs::write(&file, "[surveys]\nutc_offset_minutes = 60\n").unwrap();
        assert!(Settings::load(Some(&file)).is_err());
    }

    #[test]
    fn a_process_runs_ahead_by_the_clock_offset() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("aftercare.toml");
        std::fs::write(&file, "[oem]\nclock_offset_secs = 18000\n").unwrap();
        let ahead = Settings::load(Some(&file)).unwrap().oem.clock().now();
        let by = ahead - time::OffsetDateTime::now_utc();
        assert!(
            by > time::Duration::seconds(17_990) && by <= time::Duration::seconds(18_000),
            "{by}"
        );
        let now = Settings::default().oem.clock().now();
        let by = time::OffsetDateTime::now_utc() - now;
        assert!(
            by >= time::Duration::ZERO && by < time::Duration::seconds(10),
            "{by}"
        );
    }

    /// The Kubernetes manifests configure the processes by environment: every
    /// variable they set must be a setting, or the pods would not start.
    #[test]
    fn every_variable_the_kubernetes_manifests_set_is_a_setting() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/kubernetes");
        let mut figment = Figment::new();
        let mut seen = 0;
        // The base, the components and the overlays, at any depth.
        let mut files = Vec::new();
        let mut dirs = vec![dir.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        for file in files {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            for line in text.lines() {
                // `AFTERCARE_X: "value"` in the ConfigMap, `- name: AFTERCARE_X`
                // (a value from a Secret) in the Deployments, and
                // `# AFTERCARE_X: "value"`, an example to uncomment, which must
                // work too.
                let line = match line.trim().strip_prefix('#') {
                    Some(example) if example.contains(": \"") => example,
                    Some(_) => continue,
                    None => line,
                };
                let line = line.trim().trim_start_matches("- name:").trim();
                let Some(rest) = line.strip_prefix("AFTERCARE_") else {
                    continue;
                };
                let (name, value) = rest.split_once(':').unwrap_or((rest, ""));
                let value = match value.trim().trim_matches('"') {
                    "" => "x",
                    value => value,
                };
                let key = name.trim().to_ascii_lowercase().replace("__", ".");
                // A number or a flag, as the environment provider reads it.
                let value: figment::value::Value = value.parse().expect("infallible");
                figment = figment.merge(figment::providers::Serialized::default(&key, value));
                seen += 1;
            }
        }
        assert!(
            seen > 10,
            "found only {seen} variables in {}",
            dir.display()
        );
        figment
            .extract::<Settings>()
            .expect("every variable names a setting");
    }

    #[test]
    fn the_oem_provider_is_set_in_the_file_and_checked_at_start_up() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("aftercare.toml");
        std::fs::write(
            &file,
            "[gateway.oidc]\nissuer = \"https://login.oem.example\"\nrole_claim = \"groups\"\n\
             [gateway.oidc.roles]\n\"aftersales-hq\" = \"oem\"\n",
        )
        .unwrap();
        let oidc = Settings::load(Some(&file)).unwrap().gateway.oidc;
        assert!(oidc.enabled());
        assert_eq!(oidc.role_claim, "groups");
        assert_eq!(oidc.roles["aftersales-hq"], "oem");
        assert_eq!(oidc.audience, "aftercare");
        assert!(!Settings::default().gateway.oidc.enabled());

        // A survey link is never the provider's to give.
        std::fs::write(
            &file,
            "[gateway.oidc]\nissuer = \"https://login.oem.example\"\nroles = \"guest=survey\"\n",
        )
        .unwrap();
        let e = format!("{:#}", Settings::load(Some(&file)).unwrap_err());
        assert!(
            e.contains("gateway.oidc.roles") && e.contains("guest"),
            "{e}"
        );
    }

    #[test]
    fn the_gateways_shared_quota_is_set_in_the_file_and_checked_at_start_up() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("aftercare.toml");
        std::fs::write(
            &file,
            "[gateway]\nrate_limit_redis_url = \"redis://:pw@redis:6379\"\nrate_limit_replicas = 3\n",
        )
        .unwrap();
        let gateway = Settings::load(Some(&file)).unwrap().gateway;
        assert_eq!(
            gateway.rate_limit_redis_url.as_deref(),
            Some("redis://:pw@redis:6379")
        );
        assert_eq!(gateway.rate_limit_replicas, 3);
        assert_eq!(gateway.rate_limit_redis_key_prefix, "aftercare:rate:");
        assert_eq!(Settings::default().gateway.rate_limit_redis_url, None);

        std::fs::write(
            &file,
            "[gateway]\nrate_limit_redis_url = \"http://:pw@redis\"\n",
        )
        .unwrap();
        let e = format!("{:#}", Settings::load(Some(&file)).unwrap_err());
        assert!(e.contains("gateway.rate_limit_redis_url"), "{e}");
        assert!(
            !e.contains("pw"),
            "the password stays out of the message: {e}"
        );
    }

    #[test]
    fn the_file_sets_what_it_names_and_defaults_fill_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("aftercare.toml");
        std::fs::write(&file, "[dealers]\nrequire_vin_check_digit = true\n").unwrap();
        let s = Settings::load(Some(&file)).unwrap();
        assert!(s.dealers.require_vin_check_digit);
        assert_eq!(s.listen.gateway, "127.0.0.1:8080");
    }
}
