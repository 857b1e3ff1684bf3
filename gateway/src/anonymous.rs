//! The only calls that need no bearer token: a customer answering a survey
//! through a one-time link. The link token in the request is what
//! authorises such a call, and the surveys service checks it; the gateway
//! passes an anonymous survey-link principal, which the surveys service
//! accepts for these two methods and every other method of every service
//! refuses. The list is exact paths, not a prefix: nothing else of the
//! surveys package is reachable without a token.

use aftercare_auth::{Principal, Scope};
use http::{HeaderMap, header::AUTHORIZATION};

/// The methods a caller may call without a token.
pub(crate) const METHODS: [&str; 2] = [
    "/aftercare.surveys.v1.SurveyResponseService/GetSurveyByLink",
    "/aftercare.surveys.v1.SurveyResponseService/SubmitSurveyResponse",
];

/// Who an anonymous link caller is to the services. Every such caller
/// shares this subject, and so one rate-limit bucket.
pub(crate) const SUBJECT: &str = "anonymous-survey-link";

/// The principal of a call to `path` without an `authorization` header, when
/// `path` is one of [`METHODS`]. A call that sends a token is authenticated
/// by it, whatever its path.
pub(crate) fn principal(path: &str, headers: &HeaderMap) -> Option<Principal> {
    (METHODS.contains(&path) && !headers.contains_key(AUTHORIZATION)).then(|| Principal {
        subject: SUBJECT.into(),
        scope: Scope::SurveyLink {
            // Not known to the gateway: the token in the request names it.
            invitation_id: "by-link-token".into(),
        },
    })
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn only_the_two_link_methods_go_without_a_token() {
        let none = HeaderMap::new();
        for path in METHODS {
            let p = principal(path, &none).expect("anonymous");
            assert!(matches!(p.scope, Scope::SurveyLink { .. }));
        }
        for path in [
            "/aftercare.surveys.v1.SurveyResponseService/GetSurveyResponse",
            "/aftercare.surveys.v1.SurveyResponseService/ListSurveyResponses",
            "/aftercare.surveys.v1.SurveyInvitationService/IssueSurveyLink",
            "/aftercare.surveys.v1.SurveyResponseService/GetSurveyByLink/",
            "/aftercare.surveys.v1.SurveyResponseService/getsurveybylink",
            "/aftercare.surveys.v2.SurveyResponseService/GetSurveyByLink",
            "/aftercare.dealers.v1.DealersService/GetStation",
        ] {
            assert_eq!(principal(path, &none), None, "{path}");
        }
        let mut with_token = HeaderMap::new();
        with_token.insert(AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(principal(METHODS[0], &with_token), None);
    }
}
