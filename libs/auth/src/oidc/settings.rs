use std::{collections::BTreeMap, time::Duration};

use serde::Deserialize;

use crate::Role;

/// Where an OEM's OpenID Connect provider is, and how its tokens' claims
/// map to Aftercare's principal. Off while `issuer` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OidcSettings {
    /// The provider's issuer URL, exactly as its tokens' `iss` says it,
    /// e.g. `https://login.oem.example/realms/aftersales`. Its keys are
    /// found through `<issuer>/.well-known/openid-configuration`. Empty:
    /// no provider, only Aftercare's own HS256 tokens are accepted.
    pub issuer: String,
    /// The `aud` the provider puts in tokens meant for Aftercare (its
    /// client id there).
    pub audience: String,
    /// The claim that holds the caller's role: a string, or a list of
    /// strings of which the first with a mapping counts.
    pub role_claim: String,
    /// The claim with a region manager's region id.
    pub region_claim: String,
    /// The claim with a dealer's (or DMS account's) dealer id.
    pub dealer_claim: String,
    /// The claim with the station ids dealer staff are limited to (a list,
    /// or one string); absent: all the dealer's stations.
    pub stations_claim: String,
    /// The provider's role values and the Aftercare role each stands for
    /// (`oem`, `region`, `dealer` or `dms`), as a table or one string
    /// `value=role,value=role`. A value without a mapping is refused.
    /// Empty: the provider writes Aftercare's role names themselves.
    #[serde(deserialize_with = "role_map")]
    pub roles: BTreeMap<String, String>,
    /// How often the provider's keys are fetched again, to learn of keys
    /// it added or withdrew.
    pub refresh_interval_ms: u64,
    /// The least time between two fetches: a token naming a key not yet
    /// known asks for a fetch, and a flood of such tokens makes at most one
    /// fetch per this interval.
    pub min_refresh_interval_ms: u64,
    /// How long one refresh (the discovery document, then the keys) may
    /// take; past it the last good keys stay in use.
    pub fetch_timeout_ms: u64,
}

impl Default for OidcSettings {
    fn default() -> Self {
        Self {
            issuer: String::new(),
            audience: "aftercare".into(),
            role_claim: "role".into(),
            region_claim: "region".into(),
            dealer_claim: "dealer".into(),
            stations_claim: "stations".into(),
            roles: BTreeMap::new(),
            refresh_interval_ms: 300_000,
            min_refresh_interval_ms: 10_000,
            fetch_timeout_ms: 5_000,
        }
    }
}

/// A table from a file, or `value=role,value=role` from an environment
/// variable.
fn role_map<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Map {
        Table(BTreeMap<String, String>),
        Text(String),
    }
    match Map::deserialize(deserializer)? {
        Map::Table(map) => Ok(map),
        Map::Text(text) => text
            .split(',')
            .map(str::trim)
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((value, role)) => Ok((value.trim().to_owned(), role.trim().to_owned())),
                None => Err(serde::de::Error::custom(format!(
                    "{pair:?} is not value=role"
                ))),
            })
            .collect(),
    }
}

/// A setting that cannot work: the field (`oidc.…`) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct OidcSettingsError {
    pub field: &'static str,
    pub reason: String,
}

impl OidcSettings {
    pub fn enabled(&self) -> bool {
        !self.issuer.is_empty()
    }

    pub fn validate(&self) -> Result<(), OidcSettingsError> {
        let invalid = |field, reason: String| Err(OidcSettingsError { field, reason });
        if !self.enabled() {
            return Ok(());
        }
        if !(self.issuer.starts_with("https://") || self.issuer.starts_with("http://"))
            || self.issuer.parse::<http::Uri>().is_err()
        {
            return invalid(
                "oidc.issuer",
                format!("{:?} is not an http(s) URL", self.issuer),
            );
        }
        if self.audience.is_empty() {
            return invalid("oidc.audience", "must not be empty".into());
        }
        for (field, claim) in [
            ("oidc.role_claim", &self.role_claim),
            ("oidc.region_claim", &self.region_claim),
            ("oidc.dealer_claim", &self.dealer_claim),
            ("oidc.stations_claim", &self.stations_claim),
        ] {
            if claim.is_empty() {
                return invalid(field, "must name a claim".into());
            }
        }
        for (value, role) in &self.roles {
            if self.role(role).is_none() {
                return invalid(
                    "oidc.roles",
                    format!("{value:?} maps to {role:?}, not one of oem, region, dealer, dms"),
                );
            }
        }
        for (field, ms) in [
            ("oidc.refresh_interval_ms", self.refresh_interval_ms),
            ("oidc.min_refresh_interval_ms", self.min_refresh_interval_ms),
            ("oidc.fetch_timeout_ms", self.fetch_timeout_ms),
        ] {
            if ms == 0 {
                return invalid(field, "must be more than 0".into());
            }
        }
        Ok(())
    }

    /// The Aftercare role of one of the provider's role values, if any.
    /// A survey link's role is never the provider's to give.
    pub(super) fn role_of(&self, value: &str) -> Option<Role> {
        if self.roles.is_empty() {
            self.role(value)
        } else {
            self.role(self.roles.get(value)?)
        }
    }

    fn role(&self, name: &str) -> Option<Role> {
        Role::parse(name).filter(|role| *role != Role::Survey)
    }

    pub(super) fn refresh_interval(&self) -> Duration {
        Duration::from_millis(self.refresh_interval_ms)
    }

    pub(super) fn min_refresh_interval(&self) -> Duration {
        Duration::from_millis(self.min_refresh_interval_ms)
    }

    pub(super) fn fetch_timeout(&self) -> Duration {
        Duration::from_millis(self.fetch_timeout_ms)
    }
}
