use std::time::Duration;

use aftercare_auth::oidc::OidcSettings;
use serde::Deserialize;

/// How the gateway treats callers. Every field has a default that is safe
/// for the embedded mode, so an empty section is a valid configuration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GatewaySettings {
    /// The deadline given to a call whose caller set none (`grpc-timeout`),
    /// so that no call can hold a backend forever.
    pub default_deadline_ms: u64,
    /// The longest deadline a caller may ask for; a longer one is cut to it.
    pub max_deadline_ms: u64,
    /// Calls per second each principal may make, sustained (each client
    /// address, for anonymous survey-link calls); 0 turns rate limiting off
    /// (for load tests).
    pub rate_limit_per_second: f64,
    /// Calls a principal (or client address) may make at once after being
    /// idle.
    pub rate_limit_burst: u32,
    /// `redis://[:password@]host:port[/db]`: keeps the quota there, shared
    /// by every gateway replica, so that it holds whatever their count.
    /// Unset (the embedded mode): each gateway keeps its own.
    pub rate_limit_redis_url: Option<String>,
    /// Put before every Redis key of the quota, so that several deployments
    /// (or test runs) can share one Redis.
    pub rate_limit_redis_key_prefix: String,
    /// How long a call waits for Redis to count it before it is counted
    /// locally instead (Redis answers in well under a millisecond).
    pub rate_limit_redis_timeout_ms: u64,
    /// The gateway replicas usually running. Without a Redis, or while it
    /// does not answer, each replica allows every caller its share of the
    /// quota: the rate and the burst divided by this (the burst rounded
    /// up).
    pub rate_limit_replicas: u32,
    /// Browser origins allowed to call by gRPC-web, e.g.
    /// `https://console.example.com`, as a list or one comma-separated
    /// string. Empty: any origin, which suits the embedded mode where the
    /// console is served from the same machine; a deployment names its
    /// console's origins.
    #[serde(deserialize_with = "list")]
    pub cors_allowed_origins: Vec<String>,
    /// Request headers a browser may send beyond those of gRPC-web, the
    /// bearer token and the W3C trace context (`traceparent`, `tracestate`),
    /// which are always allowed.
    #[serde(deserialize_with = "list")]
    pub cors_allowed_headers: Vec<String>,
    /// Response headers a browser may read beyond gRPC's status headers,
    /// which are always exposed.
    #[serde(deserialize_with = "list")]
    pub cors_exposed_headers: Vec<String>,
    /// The OEM's OpenID Connect provider, whose RS256 / ES256 tokens are
    /// accepted beside Aftercare's own HS256 ones; off while its issuer is
    /// empty.
    pub oidc: OidcSettings,
}

/// A list from a file's array or from one comma-separated string (as an
/// environment variable gives it).
fn list<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum List {
        Many(Vec<String>),
        One(String),
    }
    Ok(match List::deserialize(deserializer)? {
        List::Many(items) => items,
        List::One(items) => items
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

/// The Redis keys of the shared quota: `aftercare:rate:<subject>`.
const DEFAULT_RATE_LIMIT_KEY_PREFIX: &str = "aftercare:rate:";

impl Default for GatewaySettings {
    fn default() -> Self {
        Self {
            default_deadline_ms: 10_000,
            max_deadline_ms: 60_000,
            rate_limit_per_second: 200.0,
            rate_limit_burst: 400,
            rate_limit_redis_url: None,
            rate_limit_redis_key_prefix: DEFAULT_RATE_LIMIT_KEY_PREFIX.into(),
            rate_limit_redis_timeout_ms: 50,
            rate_limit_replicas: 1,
            cors_allowed_origins: Vec::new(),
            cors_allowed_headers: Vec::new(),
            cors_exposed_headers: Vec::new(),
            oidc: OidcSettings::default(),
        }
    }
}

/// A setting that cannot work, named so that the operator can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("gateway.{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl GatewaySettings {
    /// Checks the settings at start-up. The gateway runs with unchecked
    /// settings too (a zero deadline times every call out, a zero burst
    /// refuses every call), so call this where settings are loaded.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let invalid = |field, reason: &str| {
            Err(SettingsError::Invalid {
                field,
                reason: reason.to_owned(),
            })
        };
        if self.default_deadline_ms == 0 {
            return invalid("default_deadline_ms", "must be more than 0");
        }
        if self.max_deadline_ms < self.default_deadline_ms {
            return invalid("max_deadline_ms", "must be at least default_deadline_ms");
        }
        if !self.rate_limit_per_second.is_finite() || self.rate_limit_per_second < 0.0 {
            return invalid(
                "rate_limit_per_second",
                "must be a number ≥ 0 (0 turns the limit off)",
            );
        }
        if self.rate_limit_per_second > 0.0 && self.rate_limit_burst == 0 {
            return invalid(
                "rate_limit_burst",
                "must be more than 0 while rate limiting is on",
            );
        }
        if let Some(url) = &self.rate_limit_redis_url {
            // The URL itself stays out of the message: it may hold a password.
            if redis::Client::open(url.as_str()).is_err() {
                return invalid(
                    "rate_limit_redis_url",
                    "not a Redis URL (redis://[:password@]host:port[/db])",
                );
            }
        }
        if self.rate_limit_redis_timeout_ms == 0 {
            return invalid("rate_limit_redis_timeout_ms", "must be more than 0");
        }
        if self.rate_limit_replicas == 0 {
            return invalid("rate_limit_replicas", "must be at least 1");
        }
        for origin in &self.cors_allowed_origins {
            if origin != "*" && http::HeaderValue::from_str(origin).is_err() {
                return Err(SettingsError::Invalid {
                    field: "cors_allowed_origins",
                    reason: format!("{origin:?} is not a valid origin"),
                });
            }
        }
        for (field, names) in [
            ("cors_allowed_headers", &self.cors_allowed_headers),
            ("cors_exposed_headers", &self.cors_exposed_headers),
        ] {
            if let Some(name) = names
                .iter()
                .find(|name| http::HeaderName::from_bytes(name.as_bytes()).is_err())
            {
                return Err(SettingsError::Invalid {
                    field,
                    reason: format!("{name:?} is not a header name"),
                });
            }
        }
        self.oidc.validate().map_err(|e| SettingsError::Invalid {
            field: e.field,
            reason: e.reason,
        })
    }

    pub(crate) fn default_deadline(&self) -> Duration {
        Duration::from_millis(self.default_deadline_ms)
    }

    pub(crate) fn max_deadline(&self) -> Duration {
        Duration::from_millis(self.max_deadline_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(GatewaySettings::default().validate(), Ok(()));
    }

    #[test]
    fn missing_fields_take_their_default_and_unknown_ones_are_refused() {
        let settings: GatewaySettings =
            serde_json::from_str(r#"{"rate_limit_burst": 5}"#).expect("parses");
        assert_eq!(
            settings,
            GatewaySettings {
                rate_limit_burst: 5,
                ..GatewaySettings::default()
            }
        );
        assert!(serde_json::from_str::<GatewaySettings>(r#"{"rate_limit": 5}"#).is_err());
    }

    #[test]
    fn lists_are_arrays_or_comma_separated_strings() {
        let settings: GatewaySettings = serde_json::from_str(
            r#"{"cors_allowed_origins": "https://a.example, https://b.example",
                "cors_allowed_headers": ["x-tenant"]}"#,
        )
        .expect("parses");
        assert_eq!(
            settings.cors_allowed_origins,
            ["https://a.example", "https://b.example"]
        );
        assert_eq!(settings.cors_allowed_headers, ["x-tenant"]);
    }

    #[test]
    fn settings_that_cannot_work_name_their_field() {
        let field = |s: GatewaySettings| match s.validate() {
            Err(SettingsError::Invalid { field, .. }) => field,
            Ok(()) => "valid",
        };
        let base = GatewaySettings::default;
        assert_eq!(
            field(GatewaySettings {
                default_deadline_ms: 0,
                ..base()
            }),
            "default_deadline_ms"
        );
        assert_eq!(
            field(GatewaySettings {
                max_deadline_ms: 5,
                ..base()
            }),
            "max_deadline_ms"
        );
        assert_eq!(
            field(GatewaySettings {
                rate_limit_per_second: f64::NAN,
                ..base()
            }),
            "rate_limit_per_second"
        );
        assert_eq!(
            field(GatewaySettings {
                rate_limit_per_second: -1.0,
                ..base()
            }),
            "rate_limit_per_second"
        );
        assert_eq!(
            field(GatewaySettings {
                rate_limit_burst: 0,
                ..base()
            }),
            "rate_limit_burst"
        );
        assert_eq!(
            field(GatewaySettings {
                rate_limit_per_second: 0.0,
                rate_limit_burst: 0,
                ..base()
            }),
            "valid"
        );
        assert_eq!(
            field(GatewaySettings {
                rate_limit_redis_url: Some("http://redis:6379".into()),
                ..base()
            }),
            "rate_limit_redis_url"
        );
        assert_eq!(
            field(GatewaySettings {
                rate_limit_redis_url: Some("redis://:secret@redis:6379/1".into()),
                ..base()
            }),
            "valid"
        );
        assert_eq!(
            field(GatewaySettings {
                rate_limit_redis_timeout_ms: 0,
                ..base()
            }),
            "rate_limit_redis_timeout_ms"
        );
        assert_eq!(
            field(GatewaySettings {
                rate_limit_replicas: 0,
                ..base()
            }),
            "rate_limit_replicas"
        );
        assert_eq!(
            field(GatewaySettings {
                cors_allowed_origins: vec!["https://a\nb".into()],
                ..base()
            }),
            "cors_allowed_origins"
        );
        assert_eq!(
            field(GatewaySettings {
                cors_allowed_headers: vec!["x tenant".into()],
                ..base()
            }),
            "cors_allowed_headers"
        );
        assert_eq!(
            field(GatewaySettings {
                cors_exposed_headers: vec!["".into()],
                ..base()
            }),
            "cors_exposed_headers"
        );
    }
}
