//! RS256 and ES256 signature checks, for the tokens of an OEM's OpenID
//! Connect provider. Verification only: Aftercare never signs with a
//! provider's algorithms, it only checks the provider's public keys.

use jsonwebtoken::{
    Algorithm, DecodingKey, DecodingKeyKind,
    crypto::JwtVerifier,
    errors::{ErrorKind, Result},
    signature::{self, Verifier},
};
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey, pkcs1::DecodeRsaPublicKey};
use sha2::{Digest, Sha256};

pub(super) struct Rs256(RsaPublicKey);

impl Rs256 {
    pub(super) fn new(key: &DecodingKey) -> Result<Self> {
        let invalid = |e: rsa::Error| ErrorKind::InvalidRsaKey(e.to_string());
        let public = match key.kind() {
            DecodingKeyKind::RsaModulusExponent { n, e } => {
                RsaPublicKey::new(BigUint::from_bytes_be(n), BigUint::from_bytes_be(e))
                    .map_err(invalid)?
            }
            DecodingKeyKind::SecretOrDer(der) => RsaPublicKey::from_pkcs1_der(der)
                .map_err(|e| ErrorKind::InvalidRsaKey(e.to_string()))?,
        };
        Ok(Self(public))
    }
}

impl Verifier<Vec<u8>> for Rs256 {
    fn verify(&self, message: &[u8], sig: &Vec<u8>) -> std::result::Result<(), signature::Error> {
        self.0
            .verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message), sig)
            .map_err(signature::Error::from_source)
    }
}

impl JwtVerifier for Rs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::RS256
    }
}

pub(super) struct Es256(p256::ecdsa::VerifyingKey);

impl Es256 {
    pub(super) fn new(key: &DecodingKey) -> Result<Self> {
        // A JWK's x and y arrive as the uncompressed SEC1 point.
        let point = key.try_get_as_bytes()?;
        p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .map(Self)
            .map_err(|_| ErrorKind::InvalidEcdsaKey.into())
    }
}

impl Verifier<Vec<u8>> for Es256 {
    fn verify(&self, message: &[u8], sig: &Vec<u8>) -> std::result::Result<(), signature::Error> {
        // JWS carries r ‖ s, 64 bytes (RFC 7518 §3.4), not DER.
        let sig = p256::ecdsa::Signature::from_slice(sig)?;
        self.0.verify(message, &sig)
    }
}

impl JwtVerifier for Es256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::ES256
    }
}
