//! Clients of the services surveys calls: dealers (an RO's advisor,
//! technicians and parts lines for a complaint; standards compliance and
//! comebacks for the scorecard), parts (fill rate and required stock) and
//! costs (cost per RO, margin and claim rate; complaint compensation).
//! Each call is signed as the principal it is made for and has the peers'
//! deadline: a peer that does not answer in time is UNAVAILABLE to the
//! caller. None of them is called with a transaction open.

mod costs;
mod dealers;
mod scorecard;

use aftercare_auth::peer::{Peer, connected};

pub(crate) use scorecard::ScorecardReads;
use tonic::Status;

/// The peers surveys is connected to; one not connected answers
/// UNAVAILABLE.
#[derive(Debug, Clone, Default)]
pub struct Peers {
    pub(crate) dealers: Option<Peer>,
    pub(crate) parts: Option<Peer>,
    pub(crate) costs: Option<Peer>,
}

impl Peers {
    pub(crate) fn dealers(&self) -> Result<&Peer, Status> {
        connected(&self.dealers, "dealers")
    }

    pub(crate) fn parts(&self) -> Result<&Peer, Status> {
        connected(&self.parts, "parts")
    }

    pub(crate) fn costs(&self) -> Result<&Peer, Status> {
        connected(&self.costs, "costs")
    }
}
