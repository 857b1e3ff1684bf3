//! Storage of the parts catalogue and stock, on PostgreSQL or SQLite through one
//! implementation (see `aftercare-db`). Each mutation is one transaction:
//! the idempotency claim, the checks against the stored parts, the change,
//! and the stored answer commit together or not at all.

mod labour;
mod ledger;
mod package_contents;
mod packages;
mod parts;
mod price_board;
mod prices;
mod published;
mod reports;
mod required_stock;
mod reservations;
mod stock;
mod transfers;
mod warehouses;

use aftercare_auth::Principal;
use aftercare_db::{Db, Tx, idempotency, timestamp::Clock};
pub use aftercare_edge::Caller;
use aftercare_values::OemZone;
pub use reports::{Availability, Suggestion};
pub use reservations::LineRequest;
use serde::Serialize;
pub use stock::MovementRequest;
pub use transfers::TransferRequest;

use crate::{
    domain::access,
    error::{Error, Result},
};

/// The migrations of this service's schema.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The parts service's store.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    /// Whether dealers see whose warehouses hold a part they lack.
    show_availability_owners: bool,
    /// The OEM's time zone: report periods are its months, quarters and
    /// years.
    zone: OemZone,
    /// The time every change is stamped with and every "now" is read at.
    clock: Clock,
}

impl Store {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            show_availability_owners: false,
            zone: OemZone::utc(),
            clock: Clock::system(),
        }
    }

    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.zone = zone;
        self
    }

    /// The same store reading the time from `clock`: for tests that put
    /// movements and reservations at chosen times.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The store's clock, for what the API reads "now" by default.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Shows dealers the other dealers' warehouses in a part's availability.
    pub fn with_availability_owners_shown(mut self, shown: bool) -> Self {
        self.show_availability_owners = shown;
        self
    }

    /// Stores the answer with the change and commits both.
    async fn commit<T: Serialize>(tx: Tx, caller: &Caller, answer: T) -> Result<T> {
        Ok(idempotency::commit(tx, caller.key.as_ref(), answer).await?)
    }
}

/// Starts a mutation or returns the replayed answer from the enclosing
/// function.
macro_rules! begin {
    ($store:expr, $caller:expr) => {
        aftercare_db::begin_write!(&$store.db, $caller.key.as_ref())
    };
}
use begin;

const PART: &str = "part";

fn check_read(caller: &Principal) -> Result<()> {
    access::check_read(caller).map_err(|d| Error::denied(d, PART, ""))
}

/// Refuses a change to a role that may never make it, before anything is
/// looked up.
fn check_change(caller: &Principal) -> Result<()> {
    access::check_change(caller).map_err(|d| Error::denied(d, PART, ""))
}
