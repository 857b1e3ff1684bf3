//! What the costs service does, one file per area. Each mutation begins its
//! write transaction (a retry gets the stored answer back), checks access,
//! runs the domain, writes rows through [`crate::store`] and commits with
//! its answer; each read checks access and reads. A call to another service
//! (prices, the ledger, certifications) is made before the transaction
//! opens, never inside it.

mod compensations;
mod pricing;
mod rates;
mod ro_costs;

use aftercare_db::{Db, Tx, idempotency, timestamp::Clock};
pub(crate) use aftercare_edge::Caller;
use aftercare_values::{Currency, OemZone};
use serde::Serialize;
use sqlx::AnyConnection;
use tonic::{Code, Status};

pub(crate) use self::{
    compensations::Compensations,
    pricing::{Item, Pricing},
    rates::Rates,
    ro_costs::{ListRequest, RepairOrderCosts},
};
use crate::{
    CostsSettings,
    domain::scope::{Place, Scope, ScopeLevel},
    error::{Error, Result},
    peers::Peers,
    store::places,
};

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

/// Where a station or dealer scope sits, as the service last heard; `None`
/// for a region, the network, or a place it never heard of.
async fn place_of(conn: &mut AnyConnection, scope: &Scope) -> Result<Option<Place>> {
    match scope.level {
        ScopeLevel::Station => places::station(conn, &scope.id).await,
        ScopeLevel::Dealer => places::dealer(conn, &scope.id).await,
        ScopeLevel::Region | ScopeLevel::Network => Ok(None),
    }
}

/// µs since the epoch as a peer's request takes a time.
fn timestamp(micros: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: micros.div_euclid(1_000_000),
        nanos: (micros.rem_euclid(1_000_000) * 1_000) as i32,
    }
}

/// A peer's refusal as this service answers it: what the peer does not
/// know is NOT_FOUND here too; anything else (no answer in time, the peer
/// down) is UNAVAILABLE, so that the caller may retry.
fn peer_error(status: &Status, what: &'static str, id: &str) -> Error {
    match status.code() {
        Code::NotFound => Error::not_found(what, id),
        _ => Error::Unavailable(format!(
            "{what} {id} could not be read: {}",
            status.message()
        )),
    }
}
pub(crate) mod claims;
pub(crate) use claims::{ClaimFilter, WarrantyClaims};
