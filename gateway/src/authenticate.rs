//! Who is calling: the bearer token of the `authorization` header, checked
//! with the token keys (or the OEM provider's). Everything the caller says about itself besides a
//! genuine token is ignored.

use std::time::SystemTime;

use aftercare_auth::{Principal, token::TokenError};
use http::{HeaderMap, header::AUTHORIZATION};

use crate::verified::VerifiedTokens;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AuthError {
    #[error("no bearer token in the authorization header")]
    Missing,
    #[error("the authorization header is not a bearer token")]
    NotBearer,
    #[error(transparent)]
    Token(#[from] TokenError),
}

/// The principal of a request's bearer token.
pub(crate) fn authenticate(
    tokens: &VerifiedTokens,
    headers: &HeaderMap,
) -> Result<Principal, AuthError> {
    Ok(tokens.verify(bearer(headers)?, SystemTime::now())?)
}

/// The token of `authorization: Bearer <token>`; the scheme is
/// case-insensitive (RFC 9110).
fn bearer(headers: &HeaderMap) -> Result<&str, AuthError> {
    let value = headers.get(AUTHORIZATION).ok_or(AuthError::Missing)?;
    let value = value.to_str().map_err(|_| AuthError::NotBearer)?;
    let (scheme, token) = value.trim().split_once(' ').ok_or(AuthError::NotBearer)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(AuthError::NotBearer);
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use aftercare_auth::{Scope, Secret, Verifier, token::TokenKeys};
    use http::HeaderValue;

    use super::*;

    fn with_authorization(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_token_follows_the_bearer_scheme() {
        assert_eq!(bearer(&with_authorization("Bearer abc.def")), Ok("abc.def"));
        assert_eq!(bearer(&with_authorization("bearer  abc ")), Ok("abc"));
        assert_eq!(bearer(&HeaderMap::new()), Err(AuthError::Missing));
        for value in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "abc", ""] {
            assert_eq!(
                bearer(&with_authorization(value)),
                Err(AuthError::NotBearer),
                "{value:?}"
            );
        }
    }

    #[test]
    fn a_genuine_token_gives_its_principal() {
        let keys = TokenKeys::new(&Secret::generate());
        let alice = Principal {
            subject: "alice".into(),
            scope: Scope::Oem,
        };
        let token = keys.mint(&alice, SystemTime::now(), Duration::from_secs(60));
        let mut headers = HeaderMap::new();
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).expect("ascii"),
        );
        assert_eq!(
            authenticate(&VerifiedTokens::new(Verifier::new(keys, None)), &headers),
            Ok(alice)
        );
        let other = VerifiedTokens::new(Verifier::new(TokenKeys::new(&Secret::generate()), None));
        assert!(matches!(
            authenticate(&other, &headers),
            Err(AuthError::Token(TokenError::Invalid(_)))
        ));
    }
}
