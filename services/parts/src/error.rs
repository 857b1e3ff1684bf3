//! The service's errors: the one type every service answers with (see
//! `aftercare_edge::Error`).

pub use aftercare_edge::Error;

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// The kind of the precondition a movement fails: not enough stock.
pub(crate) const STOCK: &str = "STOCK";

/// The kind of the precondition a backdated movement fails: its date is in
/// a period the ledger has archived.
pub(crate) const LEDGER_CLOSED: &str = "LEDGER_CLOSED";
