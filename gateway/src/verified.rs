//! Bearer tokens already verified, kept until they expire: a client sends
//! the same token with every call, and checking its signature and decoding
//! its claims each time cost more than the rest of the gateway's own work.
//!
//! Keeping the answer changes none: a token's verdict under the gateway's
//! keys depends on its bytes and the time only (no revocation list, no
//! not-before), so a token that verified stays genuine and its principal
//! the same until its expiry — while the keys stay the same: when the OEM's
//! provider publishes another key set (one withdrawn, say), every kept
//! answer goes. Only genuine tokens are kept, each until its
//! `exp` at the latest; after that it is checked afresh, which also applies
//! the leeway past `exp` as before. The map is bounded: when full, the
//! expired entries go, and if none has, all of them (the next calls verify
//! again and refill it).

use std::{
    collections::HashMap,
    sync::{Mutex, PoisonError},
    time::SystemTime,
};

use aftercare_auth::{Principal, Verifier, token::TokenError};

/// Tokens kept at most: the gateway's callers at once, with room to spare
/// (a few hundred bytes each).
const CAPACITY: usize = 4_096;

#[derive(Debug)]
pub(crate) struct VerifiedTokens {
    verifier: Verifier,
    capacity: usize,
    tokens: Mutex<Kept>,
}

/// The answers kept, all made under the verifier's `generation` of keys.
#[derive(Debug, Default)]
struct Kept {
    generation: u64,
    tokens: HashMap<Box<str>, (Principal, SystemTime)>,
}

impl VerifiedTokens {
    pub(crate) fn new(verifier: Verifier) -> Self {
        Self::with_capacity(verifier, CAPACITY)
    }

    fn with_capacity(verifier: Verifier, capacity: usize) -> Self {
        Self {
            verifier,
            capacity: capacity.max(1),
            tokens: Mutex::default(),
        }
    }

    /// The principal of `token` at `now`: what `Verifier::verify_expiring`
    /// answers.
    pub(crate) fn verify(&self, token: &str, now: SystemTime) -> Result<Principal, TokenError> {
        // Read before verifying: an answer made under keys replaced
        // meanwhile is not kept.
        let generation = self.verifier.generation();
        {
            let mut kept = self.lock();
            if kept.generation != generation {
                kept.tokens.clear();
                kept.generation = generation;
            }
            if let Some((principal, expires)) = kept.tokens.get(token)
                && now < *expires
            {
                return Ok(principal.clone());
            }
        }
        let (principal, expires) = self.verifier.verify_expiring(token)?;
        let mut kept = self.lock();
        if now < expires && kept.generation == generation {
            let tokens = &mut kept.tokens;
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

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // The map holds only verified answers: one left half-updated by a
        // panic is still right.
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().tokens.len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use aftercare_auth::{Scope, Secret, token::TokenKeys};

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
        let verified = VerifiedTokens::new(Verifier::new(keys.clone(), None));
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
        let verified = VerifiedTokens::new(Verifier::new(keys.clone(), None));
        let minted = SystemTime::now() - Duration::from_secs(120);
        // Expired 60 s ago, past the 30 s leeway: refused however it was
        // kept before.
        let token = keys.mint(&principal("alice"), minted, Duration::from_secs(60));
        verified.lock().tokens.insert(
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
        let verified = VerifiedTokens::with_capacity(Verifier::new(keys.clone(), None), 3);
        let now = SystemTime::now();
        for i in 0..10 {
            let p = principal(&format!("user-{i}"));
            let token = keys.mint(&p, now, Duration::from_secs(60));
            assert_eq!(verified.verify(&token, now), Ok(p));
            assert!(verified.len() <= 3);
        }
    }
}
