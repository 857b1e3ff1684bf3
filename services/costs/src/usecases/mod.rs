//! What the costs service does, one file per area. Each mutation begins its
//! write transaction (a retry gets the stored answer back), checks access,
//! runs the domain, writes rows through [`crate::store`] and commits with
//! its answer; each read checks access and reads. A call to another service
//! (prices, the ledger, certifications) is made before the transaction
//! opens, never inside it.

use aftercare_db::{Db, Tx, idempotency, timestamp::Clock};
pub(crate) use aftercare_edge::Caller;
use aftercare_values::{Currency, OemZone};
use serde::Serialize;

use crate::{CostsSettings, error::Result, peers::Peers};

pub(crate) mod alerts;
mod control;

pub(crate) use control::{CostControl, EntryFilter, seed_entries};

/// What every use case runs on.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub(crate) db: Db,
    pub(crate) settings: CostsSettings,
    /// The network's currency: every amount kept is in it.
    pub(crate) currency: Currency,
    /// The OEM's time zone: report periods are its months, quarters and
    /// years.
    pub(crate) zone: OemZone,
    /// The time every change is stamped with and every "now" is read at.
    pub(crate) clock: Clock,
    /// The parts and dealers services.
    pub(crate) peers: Peers,
}

impl Context {
    pub(crate) fn new(db: Db, settings: CostsSettings, currency: Currency, peers: Peers) -> Self {
        Self {
            db,
            settings,
            currency,
            zone: OemZone::utc(),
            clock: Clock::system(),
            peers,
        }
    }
}

/// Declares the use cases of one area: a type holding the [`Context`].
#[allow(unused_macros)]
macro_rules! area {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub(crate) struct $name {
            cx: $crate::usecases::Context,
        }

        impl $name {
            pub(crate) fn new(cx: $crate::usecases::Context) -> Self {
                Self { cx }
            }
        }
    };
}
#[allow(unused_imports)]
use area;

/// Starts a mutation or returns the replayed answer from the enclosing
/// function.
#[allow(unused_macros)]
macro_rules! begin {
    ($cx:expr, $caller:expr) => {
        aftercare_db::begin_write!(&$cx.db, $caller.key.as_ref())
    };
}
#[allow(unused_imports)]
use begin;

/// Stores the answer with the change and commits both.
#[allow(dead_code)]
async fn commit<T: Serialize>(tx: Tx, caller: &Caller, answer: T) -> Result<T> {
    Ok(idempotency::commit(tx, caller.key.as_ref(), answer).await?)
}

pub(crate) mod claims;
pub(crate) use claims::{ClaimFilter, WarrantyClaims};
