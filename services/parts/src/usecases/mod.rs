//! What the parts service does, one file per area. Each mutation begins
//! its write transaction (a retry gets the stored answer back), checks
//! access, runs the domain, writes rows through [`crate::store`] and
//! commits with its answer; each read checks access and reads. The types
//! here hold what the use cases run on (the database, the clock, the OEM's
//! time zone, the settings); the gRPC contracts call them.

mod archive;
mod catalogue;
mod labour;
mod ledger;
mod packages;
mod price_board;
mod reports;
mod required_stock;
mod reservations;
mod stock;
mod transfers;
mod warehouses;

use aftercare_auth::Principal;
use aftercare_db::{Db, Tx, idempotency, timestamp::Clock};
pub(crate) use aftercare_edge::Caller;
use aftercare_values::OemZone;
use serde::Serialize;

pub(crate) use self::{
    archive::archive_step,
    catalogue::Catalogue,
    labour::Labour,
    packages::Packages,
    price_board::PriceBoard,
    reports::{Availability, Reports, Suggestion},
    required_stock::RequiredStock,
    reservations::{LineRequest, Reservations},
    stock::{MovementRequest, Stock},
    transfers::{TransferRequest, Transfers},
    warehouses::Warehouses,
};
use crate::{
    domain::access,
    error::{Error, Result},
};

/// What every use case runs on.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    db: Db,
    /// Whether dealers see whose warehouses hold a part they lack.
    show_availability_owners: bool,
    /// The OEM's time zone: report periods are its months, quarters and
    /// years.
    zone: OemZone,
    /// The time every change is stamped with and every "now" is read at.
    clock: Clock,
}

impl Context {
    pub(crate) fn new(db: Db) -> Self {
        Self {
            db,
            show_availability_owners: false,
            zone: OemZone::utc(),
            clock: Clock::system(),
        }
    }

    pub(crate) fn with_zone(mut self, zone: OemZone) -> Self {
        self.zone = zone;
        self
    }

    /// The same context reading the time from `clock`: for tests that put
    /// movements and reservations at chosen times.
    pub(crate) fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Shows dealers the other dealers' warehouses in a part's availability.
    pub(crate) fn with_availability_owners_shown(mut self, shown: bool) -> Self {
        self.show_availability_owners = shown;
        self
    }
}

/// Declares the use cases of one area: a type holding the [`Context`].
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

            /// The clock, for what the API reads "now" by default.
            #[allow(dead_code)]
            pub(crate) fn clock(&self) -> &aftercare_db::timestamp::Clock {
                &self.cx.clock
            }
        }
    };
}
use area;

/// Starts a mutation or returns the replayed answer from the enclosing
/// function.
macro_rules! begin {
    ($cx:expr, $caller:expr) => {
        aftercare_db::begin_write!(&$cx.db, $caller.key.as_ref())
    };
}
use begin;

/// Stores the answer with the change and commits both.
async fn commit<T: Serialize>(tx: Tx, caller: &Caller, answer: T) -> Result<T> {
    Ok(idempotency::commit(tx, caller.key.as_ref(), answer).await?)
}

const PART: &str = "part";

/// May `caller` read the catalogue, its prices and the required stock?
fn check_read(caller: &Principal) -> Result<()> {
    access::check_read(caller).map_err(|d| Error::denied(d, PART, ""))
}

/// Refuses a change to a role that may never make it, before anything is
/// looked up.
fn check_change(caller: &Principal) -> Result<()> {
    access::check_change(caller).map_err(|d| Error::denied(d, PART, ""))
}
