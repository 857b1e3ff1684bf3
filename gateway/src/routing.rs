//! Which backend serves a call: gRPC paths are `/<package>.<Service>/<Method>`
//! and each service's contract lives in its own package, so the package is
//! the routing key.

use std::collections::HashMap;

use tonic::body::Body;
use tower::{BoxError, ServiceExt, util::BoxCloneSyncService};

/// Where the calls of one package go: a channel to a server elsewhere, or a
/// service in this process called without a network hop.
pub type Backend = BoxCloneSyncService<http::Request<Body>, http::Response<Body>, BoxError>;

/// Makes a [`Backend`] of any gRPC service: a `tonic::transport::Channel`,
/// or a server's routes in this process.
pub fn backend<S>(service: S) -> Backend
where
    S: tower::Service<http::Request<Body>, Response = http::Response<Body>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
{
    BoxCloneSyncService::new(service.map_err(Into::into))
}

/// The backends by protobuf package, e.g. `aftercare.dealers.v1`.
#[derive(Clone, Default)]
pub(crate) struct Backends {
    by_package: HashMap<String, Backend>,
}

impl std::fmt::Debug for Backends {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.by_package.keys()).finish()
    }
}

impl Backends {
    pub(crate) fn insert(&mut self, package: &str, backend: Backend) {
        self.by_package.insert(package.to_owned(), backend);
    }

    /// The backend for a request path; None for an unknown package or a
    /// path that is not a gRPC method.
    pub(crate) fn for_path(&self, path: &str) -> Option<&Backend> {
        self.by_package.get(package_of(path)?)
    }
}

/// `/aftercare.dealers.v1.DealersService/GetStation` → `aftercare.dealers.v1`.
pub(crate) fn package_of(path: &str) -> Option<&str> {
    let (service, method) = path.strip_prefix('/')?.split_once('/')?;
    if method.is_empty() || method.contains('/') {
        return None;
    }
    let (package, name) = service.rsplit_once('.')?;
    (!package.is_empty() && !name.is_empty()).then_some(package)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_is_the_service_name_up_to_its_last_dot() {
        assert_eq!(
            package_of("/aftercare.dealers.v1.DealersService/GetStation"),
            Some("aftercare.dealers.v1")
        );
        assert_eq!(package_of("/echo.Echo/Echo"), Some("echo"));
    }

    #[test]
    fn paths_that_are_not_grpc_methods_have_no_package() {
        for path in [
            "",
            "/",
            "aftercare.echo.v1.EchoService/Echo",
            "/aftercare.echo.v1.EchoService",
            "/aftercare.echo.v1.EchoService/",
            "/aftercare.echo.v1.EchoService/Echo/more",
            "/EchoService/Echo",
            "/.EchoService/Echo",
            "/aftercare.echo.v1./Echo",
            "//Echo",
        ] {
            assert_eq!(package_of(path), None, "{path:?}");
        }
    }

    #[tokio::test]
    async fn a_path_finds_the_backend_of_its_package() {
        let mut backends = Backends::default();
        let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
        backends.insert("aftercare.echo.v1", backend(channel));
        assert!(
            backends
                .for_path("/aftercare.echo.v1.EchoService/Echo")
                .is_some()
        );
        assert!(
            backends
                .for_path("/aftercare.echo.v2.EchoService/Echo")
                .is_none()
        );
        assert!(
            backends
                .for_path("/aftercare.echo.EchoService/Echo")
                .is_none()
        );
    }
}
