//! The service's errors: the one type every service answers with (see
//! `aftercare_edge::Error`); access refusals are `aftercare_auth::Denied`,
//! turned into NOT_FOUND or PERMISSION_DENIED by `Error::denied`.

pub use aftercare_edge::Error;

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
