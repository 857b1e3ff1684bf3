//! Tokens from an OEM's OpenID Connect provider: RS256 or ES256, signed
//! with a key the provider publishes in its JWKS.
//!
//! The keys are found from the issuer URL (its discovery document names the
//! JWKS), kept in memory and fetched again in the background: periodically,
//! and soon after a token names a key not yet known (the provider rotated),
//! never more often than the settings' minimum interval. A fetch happens
//! outside any lock and the new set replaces the old in one swap; a failed
//! fetch keeps the last good keys. Verifying a token never waits on the
//! network.

mod claims;
mod fetch;
mod keys;
mod settings;

use std::{
    sync::{
        Arc, PoisonError, RwLock, Weak,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use jsonwebtoken::{Validation, errors::ErrorKind};
use serde::Deserialize;
use serde_json::{Map, Value};
use tokio::{sync::Notify, time::Instant};

pub use settings::{OidcSettings, OidcSettingsError};

use crate::{Principal, token::TokenError};
use keys::{JwksDocument, KeySet};

/// Checks a provider's tokens against its current keys.
pub struct Oidc {
    settings: OidcSettings,
    keys: RwLock<Arc<KeySet>>,
    /// Changes each time the key set does, so that a caller keeping
    /// verdicts knows to drop those made under withdrawn keys.
    generation: AtomicU64,
    /// Rung by a token with an unknown key: asks the refresher for a fetch.
    wanted: Arc<Notify>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.settings.issuer)
            .field("generation", &self.generation())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("failed to fetch the keys of {issuer}: {source}")]
pub struct RefreshError {
    issuer: String,
    #[source]
    source: fetch::FetchError,
}

impl Oidc {
    /// A verifier with no keys yet: [`Oidc::spawn_refresher`] fetches them.
    pub fn new(settings: OidcSettings) -> Arc<Self> {
        crate::token::install_provider();
        Arc::new(Self {
            settings,
            keys: RwLock::default(),
            generation: AtomicU64::new(0),
            wanted: Arc::new(Notify::new()),
        })
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The principal a token stands for and its expiry, if one of the
    /// provider's current keys signed it and its issuer, audience and times
    /// are right.
    pub fn verify_expiring(&self, token: &str) -> Result<(Principal, SystemTime), TokenError> {
        let invalid = |why: &str| TokenError::Invalid(why.to_owned());
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid("no JWT header"))?;
        let kid = header.kid.ok_or_else(|| invalid("no key id"))?;
        let keys = Arc::clone(&self.keys.read().unwrap_or_else(PoisonError::into_inner));
        let Some((algorithm, key)) = keys.get(&kid) else {
            self.wanted.notify_one();
            return Err(invalid("signed with a key the provider does not publish"));
        };
        if header.alg != *algorithm {
            return Err(invalid("the algorithm is not the key's"));
        }
        let mut validation = Validation::new(*algorithm);
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 30;
        let claims = jsonwebtoken::decode::<Map<String, Value>>(token, key, &validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                other => TokenError::Invalid(format!("{other:?}")),
            })?
            .claims;
        let principal = claims::principal(&self.settings, &claims)?;
        let exp = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
        Ok((principal, UNIX_EPOCH + Duration::from_secs(exp)))
    }

    /// Fetches the discovery document and the keys, and puts them in use.
    pub async fn refresh(&self) -> Result<(), RefreshError> {
        let fetched = tokio::time::timeout(self.settings.fetch_timeout(), self.fetch())
            .await
            .unwrap_or(Err(fetch::FetchError::Timeout))
            .map_err(|source| RefreshError {
                issuer: self.settings.issuer.clone(),
                source,
            })?;
        let kids = fetched.kids().join(",");
        {
            let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
            if keys.same_as(&fetched) {
                return Ok(());
            }
            *keys = Arc::new(fetched);
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
        tracing::info!(issuer = %self.settings.issuer, kids, "provider keys changed");
        Ok(())
    }

    async fn fetch(&self) -> Result<KeySet, fetch::FetchError> {
        #[derive(Deserialize)]
        struct Discovery {
            issuer: String,
            jwks_uri: String,
        }
        let discovery = format!(
            "{}/.well-known/openid-configuration",
            self.settings.issuer.trim_end_matches('/')
        );
        let Discovery { issuer, jwks_uri } = fetch::get_json(&discovery).await?;
        // OpenID Connect Discovery §4.3: a document that speaks for another
        // issuer is not to be used.
        if issuer != self.settings.issuer {
            return Err(fetch::FetchError::OtherIssuer(issuer));
        }
        let document: JwksDocument = fetch::get_json(&jwks_uri).await?;
        Ok(KeySet::from_document(document))
    }

    /// Fetches the keys now and then in the background until the last
    /// handle to this verifier is dropped.
    pub fn spawn_refresher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let this = Arc::downgrade(self);
        let wanted = Arc::clone(&self.wanted);
        let periodic = self.settings.refresh_interval();
        let least = self.settings.min_refresh_interval();
        tokio::spawn(async move {
            loop {
                let Some(oidc) = Weak::upgrade(&this) else {
                    return;
                };
                let fetched_at = Instant::now();
                if let Err(e) = oidc.refresh().await {
                    tracing::warn!(error = %e, "provider keys kept as they were");
                }
                drop(oidc);
                tokio::select! {
                    () = tokio::time::sleep(periodic) => {}
                    () = wanted.notified() => {}
                }
                tokio::time::sleep_until(fetched_at + least).await;
            }
        })
    }
}
