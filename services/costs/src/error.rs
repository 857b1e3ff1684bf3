//! The service's errors: the one type every service answers with (see
//! `aftercare_edge::Error`).

pub use aftercare_edge::Error;

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
