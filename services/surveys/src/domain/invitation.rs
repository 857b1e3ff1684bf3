//! Invitations as the service knows them: one per delivered RO, asking the
//! version of the invitation template that was latest at the delivery.

use serde::{Deserialize, Serialize};

use super::access::Place;

/// A delivered RO, as the event tells it.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub event_id: String,
    pub repair_order_id: String,
    pub station_id: String,
    pub dealer_id: String,
    pub region_id: String,
    pub advisor_id: String,
    pub technician_ids: Vec<String>,
    pub delivery_time: i64,
    /// The dealer's and the station's display names; empty when the event
    /// does not tell them.
    pub dealer_name: String,
    pub station_name: String,
    /// The customer's preferred locale, a checked BCP 47 tag; none when the
    /// event does not tell it.
    pub locale: Option<String>,
}

/// A stored invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: String,
    pub repair_order_id: String,
    pub station_id: String,
    pub dealer_id: String,
    pub region_id: String,
    pub advisor_id: String,
    pub technician_ids: Vec<String>,
    pub delivery_time: i64,
    pub template_code: Option<String>,
    pub version_number: Option<i64>,
    pub link_expire_time: Option<i64>,
    pub link_used_time: Option<i64>,
    pub response_id: Option<String>,
    pub create_time: i64,
    /// The customer's preferred locale (BCP 47), when told.
    #[serde(default)]
    pub locale: Option<String>,
    /// The station's display name at delivery, when told: the survey page's
    /// heading.
    #[serde(default)]
    pub station_name: Option<String>,
}

impl Invitation {
    pub fn place(&self) -> Place<'_> {
        Place {
            station_id: &self.station_id,
            dealer_id: &self.dealer_id,
            region_id: &self.region_id,
        }
    }
}

/// A freshly minted link token: the only time it is seen in clear.
#[derive(Debug, Clone)]
pub struct IssuedLink {
    pub token: String,
    pub expire_time: i64,
    pub invitation: Invitation,
}

/// Which invitations a response rate counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateScope {
    /// Everything the caller sees.
    Visible,
    Station(String),
    Dealer(String),
    Region(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseRate {
    pub invited: i64,
    pub answered: i64,
}
