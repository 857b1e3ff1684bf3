//! Bearer tokens of people and DMS accounts: HS256 JWTs with the caller's
//! role and ids. The gateway verifies them; `aftercare token` mints them for
//! local use with the same key.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde::{Deserialize, Serialize};

use crate::{Principal, Role, Scope, Secret};

mod provider;
mod public_key;

pub const ISSUER: &str = "aftercare";
pub const AUDIENCE: &str = "aftercare";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid: {0}")]
    Invalid(String),
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    aud: String,
    iat: u64,
    exp: u64,
    role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dealer: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    stations: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    invitation: Option<String>,
}

/// Makes and checks tokens under one key.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(***)")
    }
}

/// Makes the algorithms tokens may use (HS256, RS256, ES256) the process's
/// jsonwebtoken provider; further calls do nothing.
pub(crate) fn install_provider() {
    provider::install();
}

impl TokenKeys {
    pub fn new(secret: &Secret) -> Self {
        install_provider();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 30;
        Self {
            encoding: EncodingKey::from_secret(secret.expose()),
            decoding: DecodingKey::from_secret(secret.expose()),
            validation,
        }
    }

    /// A token for `principal`, valid for `ttl` from `now`.
    pub fn mint(&self, principal: &Principal, now: SystemTime, ttl: Duration) -> String {
        let iat = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let mut claims = Claims {
            sub: principal.subject.clone(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat,
            exp: iat + ttl.as_secs(),
            role: principal.scope.role().as_str().into(),
            region: None,
            dealer: None,
            stations: vec![],
            invitation: None,
        };
        match &principal.scope {
            Scope::Oem => {}
            Scope::Region { region_id } => claims.region = Some(region_id.clone()),
            Scope::Dealer {
                dealer_id,
                station_ids,
            } => {
                claims.dealer = Some(dealer_id.clone());
                claims.stations = station_ids.clone();
            }
            Scope::Dms { dealer_id } => claims.dealer = Some(dealer_id.clone()),
            Scope::SurveyLink { invitation_id } => claims.invitation = Some(invitation_id.clone()),
        }
        // Serialising these claims with an HMAC key cannot fail.
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("token encodes")
    }

    /// The principal a token stands for, if the token is genuine and current.
    pub fn verify(&self, token: &str) -> Result<Principal, TokenError> {
        self.verify_expiring(token).map(|(principal, _)| principal)
    }

    /// As [`TokenKeys::verify`], with the token's expiry (its `exp`): until
    /// then the same token verifies to the same principal under these keys,
    /// which is what lets a caller keep the answer that long.
    pub fn verify_expiring(&self, token: &str) -> Result<(Principal, SystemTime), TokenError> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                other => TokenError::Invalid(format!("{other:?}")),
            })?
            .claims;
        let role =
            Role::parse(&claims.role).ok_or_else(|| TokenError::Invalid("unknown role".into()))?;
        let scope = Scope::new(
            role,
            claims.region,
            claims.dealer,
            claims.stations,
            claims.invitation,
        )
        .map_err(|e| TokenError::Invalid(e.to_string()))?;
        let expires = UNIX_EPOCH + Duration::from_secs(claims.exp);
        Ok((
            Principal {
                subject: claims.sub,
                scope,
            },
            expires,
        ))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn scope() -> impl Strategy<Value = Scope> {
        let id = "[a-z0-9-]{1,20}";
        prop_oneof![
            Just(Scope::Oem),
            id.prop_map(|region_id| Scope::Region { region_id }),
            (id, proptest::collection::vec(id, 0..3)).prop_map(|(dealer_id, station_ids)| {
                Scope::Dealer {
                    dealer_id,
                    station_ids,
                }
            }),
            id.prop_map(|dealer_id| Scope::Dms { dealer_id }),
            id.prop_map(|invitation_id| Scope::SurveyLink { invitation_id }),
        ]
    }

    #[test]
    fn expired_and_foreign_tokens_are_refused() {
        let keys = TokenKeys::new(&Secret::generate());
        let p = Principal {
            subject: "u".into(),
            scope: Scope::Oem,
        };
        let old = keys.mint(
            &p,
            SystemTime::now() - Duration::from_secs(7200),
            Duration::from_secs(60),
        );
        assert_eq!(keys.verify(&old), Err(TokenError::Expired));
        let other = TokenKeys::new(&Secret::generate()).mint(
            &p,
            SystemTime::now(),
            Duration::from_secs(60),
        );
        assert!(matches!(keys.verify(&other), Err(TokenError::Invalid(_))));
        assert!(matches!(
            keys.verify("not-a-token"),
            Err(TokenError::Invalid(_))
        ));
    }

    #[test]
    fn tokens_claiming_another_algorithm_are_refused() {
        use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

        let keys = TokenKeys::new(&Secret::generate());
        let p = Principal {
            subject: "u".into(),
            scope: Scope::Oem,
        };
        let token = keys.mint(&p, SystemTime::now(), Duration::from_secs(60));
        let (_, rest) = token.split_once('.').expect("a JWT has three parts");
        for alg in ["none", "HS384", "RS256", "ES256", "EdDSA"] {
            let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
            let forged = format!("{header}.{rest}");
            assert!(
                matches!(keys.verify(&forged), Err(TokenError::Invalid(_))),
                "alg {alg}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn minted_tokens_verify_to_the_same_principal(subject in "[a-z0-9]{1,12}", scope in scope()) {
            let keys = TokenKeys::new(&Secret::generate());
            let p = Principal { subject, scope };
            let token = keys.mint(&p, SystemTime::now(), Duration::from_secs(600));
            prop_assert_eq!(keys.verify(&token), Ok(p.clone()));
            let (verified, expires) = keys.verify_expiring(&token).expect("verifies");
            prop_assert_eq!(verified, p);
            let ttl = expires.duration_since(SystemTime::now()).unwrap_or_default();
            prop_assert!(ttl > Duration::from_secs(590) && ttl <= Duration::from_secs(600));
        }

        #[test]
        fn garbage_never_verifies(s in "\\PC{0,80}") {
            let keys = TokenKeys::new(&Secret::generate());
            prop_assert!(keys.verify(&s).is_err());
        }
    }
}
