//! Clients of the services costs reads: parts (prices, the catalogue, the
//! ledger) and dealers (technicians' certifications, stations). Each call is
//! signed as the principal it is made for, so the peer checks it as it
//! would the caller's own, and each has a deadline: a peer that does not
//! answer in time is UNAVAILABLE to the caller, never a pass.

pub(crate) mod dealers;
pub(crate) mod parts;

use aftercare_auth::peer::{Peer, connected};
use tonic::Status;

/// The peers costs is connected to; one not connected answers UNAVAILABLE.
#[derive(Debug, Clone, Default)]
pub(crate) struct Peers {
    pub(crate) parts: Option<Peer>,
    pub(crate) dealers: Option<Peer>,
}

impl Peers {
    fn parts(&self) -> Result<&Peer, Status> {
        connected(&self.parts, "parts")
    }

    fn dealers(&self) -> Result<&Peer, Status> {
        connected(&self.dealers, "dealers")
    }
}

/// A day a peer tells, when it is a real one.
pub(crate) fn date_of(d: &aftercare_proto::google::r#type::Date) -> Option<time::Date> {
    let month = time::Month::try_from(u8::try_from(d.month).ok()?).ok()?;
    time::Date::from_calendar_date(d.year, month, u8::try_from(d.day).ok()?).ok()
}

/// µs since the epoch as a peer's timestamp.
pub(crate) fn timestamp_of(micros: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: micros.div_euclid(1_000_000),
        nanos: (micros.rem_euclid(1_000_000) * 1_000) as i32,
    }
}
