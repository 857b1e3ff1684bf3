//! Clients of the services costs reads: parts (prices, the catalogue, the
//! ledger) and dealers (technicians' certifications, stations). Each call is
//! signed as the principal it is made for, so the peer checks it as it
//! would the caller's own, and each has a deadline: a peer that does not
//! answer in time is UNAVAILABLE to the caller, never a pass.

pub(crate) mod dealers;
pub(crate) mod parts;

use std::time::Duration;

use aftercare_auth::{Principal, Secret, assertion::Signer};
use tonic::{service::interceptor::InterceptedService, transport::Channel};

/// The peers' channels, the internal key calls are signed with, and how
/// long a call may take.
#[derive(Debug, Clone)]
pub(crate) struct Peers {
    pub(crate) parts: Option<Channel>,
    pub(crate) dealers: Option<Channel>,
    pub(crate) key: Secret,
    pub(crate) deadline: Duration,
}

type Signed = InterceptedService<Channel, Signer>;

impl Peers {
    fn signer(&self, principal: &Principal) -> Signer {
        Signer {
            principal: principal.clone(),
            key: self.key.clone(),
        }
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

/// A peer call's request with the peers' deadline on it.
fn with_deadline<T>(message: T, deadline: Duration) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.set_timeout(deadline);
    request
}
