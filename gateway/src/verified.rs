//! Bearer tokens already verified, kept until they expire: a client sends
//! the same token with every call, and checking its signature and decoding
//! its claims each time cost more than the rest of the gateway's own work.
//!
//! Keeping the answer changes none: a token's verdict under the gateway's
//! keys depends on its bytes and the time only (no revocation list, no
//! not-before), so a token that verified stays genuine and its principal
//! the same until its expiry. Only genuine tokens are kept, each until its
//! `exp` at the latest; after that it is checked afresh, which also applies
//! the leeway past `exp` as before. The map is bounded: when full, the
//! expired entries go, and if none has, all of them (the next calls verify
//! again and refill it).

use std::{
    collections::HashMap,
    sync::{Mutex, PoisonError},
    time::SystemTime,
};

use aftercare_auth::{
    Principal,
    token::{TokenError, TokenKeys},
};

/// Tokens kept at most: the gateway's callers at once, with room to spare
/// (a few hundred bytes each).
const CAPACITY: usize = 4_096;

#[derive(Debug)]
pub(crate) struct VerifiedTokens {
    keys: TokenKeys,
    capacity: usize,
    tokens: Mutex<HashMap<Box<str>, (Principal, SystemTime)>>,
}

impl VerifiedTokens {
    pub(crate) fn new(keys: TokenKeys) -> Self {
        Self::with_capacity(keys, CAPACITY)
    }

    fn with_capacity(keys: TokenKeys, capacity: usize) -> Self {
        Self {
            keys,
            capacity: capacity.max(1),
            tokens: Mutex::new(HashMap::new()),
        }
    }

    /// The principal of `token` at `now`: what `TokenKeys::verify` answers.
    pub(crate) fn verify(&self, token: &str, now: SystemTime) -> Result<Principal, TokenError> {
        if let Some((principal, expires)) = self.lock().get(token)
            && now < *expires
        {
            return Ok(principal.clone());
        }
        let (principal, expires) = self.keys.verify_expiring(token)?;
        if now < expires {
            let mut tokens = self.lock();
            if tokens.len() >= self.capacity {
                tokens.retain(|_, (_, expires)| now < *expires);
                if tokens.len() >= self.capacity {
                    tokens.clear();
                }
            }
            tokens.insert(token.into(), (principal.clone(), expires));
        }
        Ok(principal)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, (Principal, SystemTime)>> {
        // The map holds only verified answers: one left half-updated by a
        // panic is still right.
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use aftercare_auth::{Scope, Secret};

    use super::*;

    fn principal(subject: &str) -> Principal {
        Principal {
            subject: subject.into(),
            scope: Scope::Oem,
        }
    }

    #[test]
    fn a_kept_token_answers_as_a_fresh_check_does() {
        let keys = TokenKeys::new(&Secret::generate());
        let verified = VerifiedTokens::new(keys.clone());
        let now = SystemTime::now();
        let token = keys.mint(&principal("alice"), now, Duration::from_secs(60));
        assert_eq!(verified.verify(&token, now), Ok(principal("alice")));
        assert_eq!(verified.len(), 1);
        assert_eq!(verified.verify(&token, now), Ok(principal("alice")));
        let foreign = TokenKeys::new(&Secret::generate()).mint(
            &principal("mallory"),
            now,
            Duration::from_secs(60),
        );
        assert!(matches!(
            verified.verify(&foreign, now),
            Err(TokenError::Invalid(_))
        ));
        assert_eq!(verified.len(), 1, "only genuine tokens are kept");
    }

    #[test]
    fn a_kept_token_is_checked_again_once_it_expires() {
        let keys = TokenKeys::new(&Secret::generate());
        let verified = VerifiedTokens::new(keys.clone());
        let minted = SystemTime::now() - Duration::from_secs(120);
        // Expired 60 s ago, past the 30 s leeway: refused however it was
        // kept before.
        let token = keys.mint(&principal("alice"), minted, Duration::from_secs(60));
        verified.lock().insert(
            token.as_str().into(),
            (principal("alice"), minted + Duration::from_secs(60)),
        );
        assert_eq!(
            verified.verify(&token, SystemTime::now()),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn the_map_stays_bounded() {
        let keys = TokenKeys::new(&Secret::generate());
        let verified = VerifiedTokens::with_capacity(keys.clone(), 3);
        let now = SystemTime::now();
        for i in 0..10 {
            let p = principal(&format!("user-{i}"));
            let token = keys.mint(&p, now, Duration::from_secs(60));
            assert_eq!(verified.verify(&token, now), Ok(p));
            assert!(verified.len() <= 3);
        }
    }
}
