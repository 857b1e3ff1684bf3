//! Responses as the service knows them: the answers to an invitation, with
//! their scores (`scoring`) and whether they raised a low-score alert.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{access::Place, scoring::ResponseScore, template::PublishedVersion};

/// How a response was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    Link,
    Phone,
}

/// A stored response with its scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub id: String,
    pub invitation_id: String,
    pub repair_order_id: String,
    pub station_id: String,
    pub dealer_id: String,
    pub region_id: String,
    pub advisor_id: String,
    pub template_code: String,
    pub version_number: i64,
    pub channel: Channel,
    pub agent: Option<String>,
    pub answers: BTreeMap<String, i64>,
    pub score: ResponseScore,
    pub low_score: bool,
    pub submit_time: i64,
    /// When the RO was delivered: its day places the response in periods.
    #[serde(default)]
    pub delivery_time: i64,
}

impl Response {
    pub fn place(&self) -> Place<'_> {
        Place {
            station_id: &self.station_id,
            dealer_id: &self.dealer_id,
            region_id: &self.region_id,
        }
    }
}

/// What a link asks.
#[derive(Debug, Clone)]
pub struct SurveyByLink {
    pub version: PublishedVersion,
    pub expire_time: i64,
    pub delivery_time: i64,
    /// The customer's preferred locale and the station's name, when told.
    pub locale: Option<String>,
    pub station_name: Option<String>,
}
