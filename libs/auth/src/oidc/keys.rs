//! The provider's signing keys, as its JWKS publishes them.

use std::collections::HashMap;

use jsonwebtoken::{
    Algorithm, DecodingKey,
    jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse},
};
use serde::Deserialize;

/// The keys by their `kid`, each with the one algorithm it may verify.
#[derive(Default)]
pub(super) struct KeySet {
    keys: HashMap<String, (Algorithm, DecodingKey)>,
}

/// A JWKS as it arrives: each key is read on its own, so that one key of a
/// kind Aftercare does not use (an encryption key, EdDSA) does not spoil
/// the others.
#[derive(Deserialize)]
pub(super) struct JwksDocument {
    keys: Vec<serde_json::Value>,
}

impl KeySet {
    pub(super) fn from_document(document: JwksDocument) -> Self {
        let keys = document
            .keys
            .into_iter()
            .filter_map(|key| serde_json::from_value::<Jwk>(key).ok())
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                let algorithm = algorithm(&jwk)?;
                let key = DecodingKey::from_jwk(&jwk).ok()?;
                Some((kid, (algorithm, key)))
            })
            .collect();
        Self { keys }
    }

    pub(super) fn get(&self, kid: &str) -> Option<&(Algorithm, DecodingKey)> {
        self.keys.get(kid)
    }

    pub(super) fn kids(&self) -> Vec<&str> {
        let mut kids: Vec<_> = self.keys.keys().map(String::as_str).collect();
        kids.sort_unstable();
        kids
    }
}

/// RS256 for an RSA signing key, ES256 for a P-256 one; the key's own
/// `alg`, when it has one, must agree. Anything else is not for us.
fn algorithm(jwk: &Jwk) -> Option<Algorithm> {
    if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
        return None;
    }
    let algorithm = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => Algorithm::ES256,
        _ => return None,
    };
    match jwk.common.key_algorithm {
        None => Some(algorithm),
        Some(KeyAlgorithm::RS256) if algorithm == Algorithm::RS256 => Some(algorithm),
        Some(KeyAlgorithm::ES256) if algorithm == Algorithm::ES256 => Some(algorithm),
        Some(_) => None,
    }
}
