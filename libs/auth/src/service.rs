use std::time::SystemTime;

use tonic::{Request, Status, service::Interceptor};

use crate::{
    Principal, Secret,
    assertion::{self, PRINCIPAL_HEADER, SIGNATURE_HEADER},
};

/// The service side: refuses a call that does not carry a principal signed
/// with the internal key, and hands the verified [`Principal`] to the
/// handler in the request's extensions.
#[derive(Debug, Clone)]
pub struct ServiceAuth {
    key: Secret,
}

impl ServiceAuth {
    pub fn new(key: Secret) -> Self {
        Self { key }
    }
}

impl Interceptor for ServiceAuth {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        let meta = request.metadata();
        let (Some(bytes), Some(signature)) = (
            meta.get_bin(PRINCIPAL_HEADER),
            meta.get_bin(SIGNATURE_HEADER),
        ) else {
            return Err(Status::unauthenticated(
                assertion::AssertionError::Missing.to_string(),
            ));
        };
        let (bytes, signature) = match (bytes.to_bytes(), signature.to_bytes()) {
            (Ok(b), Ok(s)) => (b, s),
            _ => return Err(Status::unauthenticated("the principal is not valid base64")),
        };
        let principal = assertion::verify(&bytes, &signature, &self.key, SystemTime::now())
            .map_err(|e| Status::unauthenticated(e.to_string()))?;
        request.extensions_mut().insert(principal);
        Ok(request)
    }
}

/// The verified caller of a request that passed [`ServiceAuth`].
pub fn caller<T>(request: &Request<T>) -> Result<&Principal, Status> {
    request
        .extensions()
        .get::<Principal>()
        .ok_or_else(|| Status::unauthenticated(assertion::AssertionError::Missing.to_string()))
}
