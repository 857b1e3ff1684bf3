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
    /// The JWKS entries as published: equal exactly when the keys are.
    published: Vec<serde_json::Value>,
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
            .iter()
            .filter_map(|key| serde_json::from_value::<Jwk>(key.clone()).ok())
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                let algorithm = algorithm(&jwk)?;
                let key = DecodingKey::from_jwk(&jwk).ok()?;
                Some((kid, (algorithm, key)))
            })
            .collect();
        Self {
            keys,
            published: document.keys,
        }
    }

    /// Whether `other` holds the very same keys.
    pub(super) fn same_as(&self, other: &KeySet) -> bool {
        self.published == other.published
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_signing_keys_of_rs256_and_es256_with_an_id_are_kept() {
        // Key material is decoded only when a token is checked.
        let (n, e, x, y) = ("AQAB", "AQAB", "AQAB", "AQAB");
        let document = json!({"keys": [
            {"kty": "RSA", "kid": "rsa", "use": "sig", "n": n, "e": e},
            {"kty": "EC", "kid": "ec", "crv": "P-256", "alg": "ES256", "x": x, "y": y},
            {"kty": "RSA", "kid": "encryption", "use": "enc", "n": n, "e": e},
            {"kty": "RSA", "kid": "pss", "alg": "PS256", "n": n, "e": e},
            {"kty": "EC", "kid": "p384", "crv": "P-384", "x": x, "y": y},
            {"kty": "OKP", "kid": "ed", "crv": "Ed25519", "x": x},
            {"kty": "RSA", "n": n, "e": e},
            {"kty": "something-new", "kid": "new"},
        ]});
        let keys = KeySet::from_document(serde_json::from_value(document).expect("a JWKS"));
        assert_eq!(keys.kids(), ["ec", "rsa"]);
        assert_eq!(keys.get("rsa").map(|(alg, _)| *alg), Some(Algorithm::RS256));
        assert_eq!(keys.get("ec").map(|(alg, _)| *alg), Some(Algorithm::ES256));
    }
}
