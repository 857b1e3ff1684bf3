//! Every kind of bearer token the gateway accepts: Aftercare's own (HS256,
//! `aftercare token`), and, when one is configured, the OEM's OpenID
//! Connect provider's (RS256 / ES256). The token's header says which.

use std::{sync::Arc, time::SystemTime};

use jsonwebtoken::Algorithm;

use crate::{
    Principal,
    oidc::Oidc,
    token::{TokenError, TokenKeys},
};

#[derive(Debug, Clone)]
pub struct Verifier {
    keys: TokenKeys,
    oidc: Option<Arc<Oidc>>,
}

impl Verifier {
    pub fn new(keys: TokenKeys, oidc: Option<Arc<Oidc>>) -> Self {
        Self { keys, oidc }
    }

    /// Changes whenever the keys behind a verdict may have: a verdict kept
    /// from an earlier generation is to be made again.
    pub fn generation(&self) -> u64 {
        self.oidc.as_ref().map_or(0, |oidc| oidc.generation())
    }

    /// The principal a token stands for and its expiry, by whichever of the
    /// verifiers its algorithm belongs to.
    pub fn verify_expiring(&self, token: &str) -> Result<(Principal, SystemTime), TokenError> {
        match (
            jsonwebtoken::decode_header(token).map(|h| h.alg),
            &self.oidc,
        ) {
            (Ok(Algorithm::RS256 | Algorithm::ES256), Some(oidc)) => oidc.verify_expiring(token),
            // Aftercare's own keys refuse any other algorithm, and garbage.
            _ => self.keys.verify_expiring(token),
        }
    }
}
