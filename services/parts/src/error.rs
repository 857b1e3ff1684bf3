//! The service's errors: the one type every service answers with (see
//! `aftercare_edge::Error`), and this service's access refusals in its
//! terms.

pub use aftercare_edge::Error;

use crate::domain::access::Denied;

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// The kind of the precondition a movement fails: not enough stock.
pub(crate) const STOCK: &str = "STOCK";

/// An access refusal about the object `what` `id`.
pub(crate) fn denied(denied: Denied, what: &'static str, id: &str) -> Error {
    match denied {
        Denied::Invisible => Error::not_found(what, id),
        Denied::NotAllowed(why) => Error::PermissionDenied(why.into()),
    }
}
