//! One GET of a JSON document from the provider: HTTP/1.1 over TLS (or
//! plain HTTP, for a provider on the same host and for tests), one
//! connection per fetch — a fetch happens every few minutes at most.

use std::sync::{Arc, LazyLock};

use bytes::Bytes;
use http::{
    Request, StatusCode, Uri,
    header::{ACCEPT, HOST},
};
use http_body_util::{BodyExt, Empty, Limited};
use hyper_util::rt::TokioIo;
use tokio::{
    io::{AsyncRead, AsyncWrite},
    net::TcpStream,
};
use tokio_rustls::{
    TlsConnector,
    rustls::{ClientConfig, RootCertStore, crypto::ring, pki_types::ServerName},
};

/// A discovery document or key set is a few kilobytes; more is not one.
const MAX_BYTES: usize = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub(super) enum FetchError {
    #[error("{0} is not an http(s) URL")]
    Url(String),
    #[error("failed to connect: {0}")]
    Connect(#[source] std::io::Error),
    #[error("failed to speak HTTP: {0}")]
    Http(String),
    #[error("answered {0}")]
    Status(StatusCode),
    #[error("the answer is not the JSON expected: {0}")]
    Json(#[from] serde_json::Error),
    #[error("no answer in time")]
    Timeout,
    #[error("the discovery document is that of issuer {0}")]
    OtherIssuer(String),
}

static TLS: LazyLock<TlsConnector> = LazyLock::new(|| {
    let roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
});

/// The JSON at `url`.
pub(super) async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, FetchError> {
    let bad_url = || FetchError::Url(url.to_owned());
    let uri: Uri = url.parse().map_err(|_| bad_url())?;
    let tls = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(bad_url()),
    };
    let host = uri.host().ok_or_else(bad_url)?.to_owned();
    let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
    let tcp = TcpStream::connect((host.trim_matches(['[', ']']), port))
        .await
        .map_err(FetchError::Connect)?;
    let body = if tls {
        let name = ServerName::try_from(host).map_err(|_| bad_url())?;
        let stream = TLS.connect(name, tcp).await.map_err(FetchError::Connect)?;
        get(stream, &uri).await?
    } else {
        get(tcp, &uri).await?
    };
    Ok(serde_json::from_slice(&body)?)
}

async fn get<S>(stream: S, uri: &Uri) -> Result<Bytes, FetchError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let http = |e: &dyn std::fmt::Display| FetchError::Http(e.to_string());
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| http(&e))?;
    // The connection ends with the request, or when `sender` is dropped.
    tokio::spawn(connection);
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let authority = uri.authority().map_or("", |a| a.as_str());
    let request = Request::get(path)
        .header(HOST, authority)
        .header(ACCEPT, "application/json")
        .body(Empty::<Bytes>::new())
        .map_err(|e| http(&e))?;
    let response = sender.send_request(request).await.map_err(|e| http(&e))?;
    if response.status() != StatusCode::OK {
        return Err(FetchError::Status(response.status()));
    }
    let body = Limited::new(response.into_body(), MAX_BYTES)
        .collect()
        .await
        .map_err(|e| http(&*e))?;
    Ok(body.to_bytes())
}
