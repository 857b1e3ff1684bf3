//! The only calls that need no bearer token: a customer answering a survey
//! through a one-time link, opening a complaint through that link, and
//! following its complaint through the complaint's own link. The link token
//! in the request is what authorises such a call, and the surveys service
//! checks it; the gateway passes an anonymous survey-link principal, which
//! the surveys service accepts for these four methods and every other
//! method of every service refuses. The list is exact paths, not a prefix: nothing else of the
//! surveys package is reachable without a token.
//!
//! All such callers are one principal to the services, but not to the rate
//! limit: a bucket shared by every customer in the network would let one
//! abusive client use up everyone's survey answers. Their bucket is their
//! network address instead, as the gateway's TCP connection sees it.
//! `X-Forwarded-For` is not read: any client can write it. So behind a load
//! balancer that ends the TCP connection, all link callers have its address
//! and share one bucket again, as do the in-process channel's callers, who
//! have no peer address at all.

use std::{
    borrow::Cow,
    net::{IpAddr, Ipv6Addr},
};

use aftercare_auth::{Principal, Scope};
use http::{Extensions, HeaderMap, header::AUTHORIZATION};
use tonic::transport::server::TcpConnectInfo;

/// The methods a caller may call without a token.
pub(crate) const METHODS: [&str; 4] = [
    "/aftercare.surveys.v1.SurveyResponseService/GetSurveyByLink",
    "/aftercare.surveys.v1.SurveyResponseService/SubmitSurveyResponse",
    "/aftercare.surveys.v1.ComplaintService/OpenComplaintByLink",
    "/aftercare.surveys.v1.ComplaintService/GetComplaintByLink",
];

/// Who an anonymous link caller is to the services. Every such caller
/// shares this subject; the rate limit tells them apart by [`bucket_key`].
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

/// The rate-limit bucket of an anonymous call from `client`: the subject
/// and the client's address, e.g. `anonymous-survey-link@203.0.113.7`. An
/// IPv6 client is its /64, the least a site is given, or it could spread
/// its calls over as many buckets as it has addresses. Without a client
/// address (the in-process channel has no peer) it is the shared subject.
pub(crate) fn bucket_key(client: Option<IpAddr>) -> Cow<'static, str> {
    match client.map(|ip| ip.to_canonical()) {
        None => Cow::Borrowed(SUBJECT),
        Some(IpAddr::V4(v4)) => Cow::Owned(format!("{SUBJECT}@{v4}")),
        Some(IpAddr::V6(v6)) => {
            let network = Ipv6Addr::from_bits(v6.to_bits() & (u128::MAX << 64));
            Cow::Owned(format!("{SUBJECT}@{network}/64"))
        }
    }
}

/// The address of the peer of the call's TCP connection, which tonic's
/// server puts in the request's extensions; none over other transports.
pub(crate) fn client_address(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<TcpConnectInfo>()?
        .remote_addr()
        .map(|addr| addr.ip())
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use http::HeaderValue;

    use super::*;

    #[test]
    fn only_the_link_methods_go_without_a_token() {
        let none = HeaderMap::new();
        for path in [
            "/aftercare.surveys.v1.SurveyResponseService/GetSurveyByLink",
            "/aftercare.surveys.v1.SurveyResponseService/SubmitSurveyResponse",
            "/aftercare.surveys.v1.ComplaintService/OpenComplaintByLink",
            "/aftercare.surveys.v1.ComplaintService/GetComplaintByLink",
        ] {
            let p = principal(path, &none).expect("anonymous");
            assert!(matches!(p.scope, Scope::SurveyLink { .. }));
        }
        for path in [
            "/aftercare.surveys.v1.ComplaintService/OpenComplaint",
            "/aftercare.surveys.v1.ComplaintService/GetComplaint",
            "/aftercare.surveys.v1.ComplaintService/GetComplaintReport",
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

    #[test]
    fn the_bucket_is_the_client_address() {
        let key = |ip: &str| bucket_key(Some(ip.parse().expect("an address")));
        assert_eq!(key("203.0.113.7"), "anonymous-survey-link@203.0.113.7");
        assert_ne!(key("203.0.113.7"), key("203.0.113.8"));
        // An IPv4 client of a dual-stack listener is the same client.
        assert_eq!(key("::ffff:203.0.113.7"), key("203.0.113.7"));
        assert_eq!(
            key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
            "anonymous-survey-link@2001:db8:1:2::/64"
        );
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(bucket_key(None), SUBJECT);
    }

    #[test]
    fn the_client_address_is_the_tcp_peer() {
        let mut extensions = Extensions::new();
        assert_eq!(client_address(&extensions), None);
        let peer: SocketAddr = "198.51.100.4:50123".parse().expect("an address");
        extensions.insert(TcpConnectInfo {
            local_addr: "10.0.0.1:8080".parse().ok(),
            remote_addr: Some(peer),
        });
        assert_eq!(client_address(&extensions), Some(peer.ip()));
    }
}
