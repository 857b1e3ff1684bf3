//! The browser pages on the gateway's port: the customer's survey page at
//! `/s/<token>`, the console under `/console/`, and their scripts and
//! stylesheets under `/assets/`. Their build output (`web/dist`) is embedded
//! by `build.rs`, so the binary needs nothing beside it; the pages then call
//! the services over gRPC-web on the same origin.

use aftercare_telemetry::PlainHttpLayer;
use axum::body::Body;
use http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header, request::Parts};

/// One embedded file of `web/dist`.
#[derive(Debug)]
struct Asset {
    /// Its path under `web/dist`, e.g. `assets/survey.js`.
    name: &'static str,
    content_type: &'static str,
    /// A quoted content hash.
    etag: &'static str,
    body: &'static [u8],
    /// The same bytes gzip-compressed by the build, when it made them.
    gzip: Option<&'static [u8]>,
}

static ASSETS: &[Asset] = include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// What a page may load and call: only its own origin (no asset comes from
/// the internet), never framed. No referrer, so that the survey link's token
/// in the path never leaves the page.
const PAGE_HEADERS: [(header::HeaderName, &str); 4] = [
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// Which embedded file a browser's GET of `path` is answered with; `None`
/// for every path that is not a page's (gRPC, health, metrics).
fn asset_for(path: &str) -> Option<&'static Asset> {
    let name = if path == "/console" || path.starts_with("/console/") {
        "console.html"
    } else if let Some(token) = path.strip_prefix("/s/") {
        if token.is_empty() || token.contains('/') {
            return None;
        }
        "survey.html"
    } else if let Some(file) = path.strip_prefix("/assets/") {
        return ASSETS
            .iter()
            .find(|a| a.name.strip_prefix("assets/") == Some(file));
    } else {
        return None;
    };
    ASSETS.iter().find(|a| a.name == name)
}

/// Answers the pages' GETs and HEADs before gRPC-web sees them; passes
/// every other request on.
pub(crate) const fn layer() -> PlainHttpLayer {
    PlainHttpLayer::new(answer)
}

fn answer(request: &Parts) -> Option<Response<Body>> {
    let method = &request.method;
    if method != Method::GET && method != Method::HEAD {
        return None;
    }
    let path = request.uri.path();
    if path == "/" {
        return Some(redirect("/console/"));
    }
    let asset = asset_for(path)?;
    Some(serve(asset, &request.headers, method == Method::HEAD))
}

fn serve(asset: &'static Asset, request: &HeaderMap, head_only: bool) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    let headers = response.headers_mut();
    headers.insert(header::ETAG, HeaderValue::from_static(asset.etag));
    // Always revalidated: the names carry no hash, and a 304 costs one
    // round trip.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    for (name, value) in PAGE_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if request
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tags| tags.as_bytes() == asset.etag.as_bytes() || tags == "*")
    {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        return response;
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    let body = match asset.gzip {
        Some(gzip) if accepts_gzip(request) => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            gzip
        }
        _ => asset.body,
    };
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    if !head_only {
        *response.body_mut() = Body::from(body);
    }
    response
}

/// Whether `Accept-Encoding` lists gzip (or `*`) with a weight above zero.
fn accepts_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

fn redirect(location: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SEE_OTHER;
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static(location));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn pages_are_found_by_their_paths() {
        assert_eq!(asset_for("/s/abc").map(|a| a.name), Some("survey.html"));
        assert_eq!(asset_for("/console").map(|a| a.name), Some("console.html"));
        assert_eq!(
            asset_for("/console/leagues/nps").map(|a| a.name),
            Some("console.html")
        );
        assert_eq!(
            asset_for("/assets/survey.js").map(|a| a.name),
            Some("assets/survey.js")
        );
        for other in [
            "/s/",
            "/s/a/b",
            "/assets/missing.js",
            "/metrics",
            "/grpc.health.v1.Health/Check",
            "/consoles",
        ] {
            assert!(asset_for(other).is_none(), "{other}");
        }
    }

    #[test]
    fn gzip_is_sent_only_when_accepted() {
        assert!(accepts_gzip(&accept("gzip, deflate, br")));
        assert!(accepts_gzip(&accept("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&accept("*")));
        assert!(!accepts_gzip(&accept("br")));
        assert!(!accepts_gzip(&accept("gzip;q=0")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn an_unchanged_asset_is_not_sent_again() {
        let asset = asset_for("/assets/survey.js").expect("built");
        let mut request = accept("gzip");
        let fresh = serve(asset, &request, false);
        assert_eq!(fresh.status(), StatusCode::OK);
        assert_eq!(fresh.headers()[header::CONTENT_ENCODING], "gzip");
        request.insert(header::IF_NONE_MATCH, fresh.headers()[header::ETAG].clone());
        assert_eq!(
            serve(asset, &request, false).status(),
            StatusCode::NOT_MODIFIED
        );
    }
}
