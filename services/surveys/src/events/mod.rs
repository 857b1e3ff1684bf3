//! What the surveys service tells other services, through its outbox: a
//! response below the alert threshold → complaints (`survey.low_score`, the
//! response as `aftercare.surveys.v1.SurveyResponse`), written in the
//! response's transaction, and delivered by the relay to the complaints of
//! this same service (the [`Deliverer`] calls the use case in process: a
//! complaint per response, each event applied once).
//!
//! Each event converts itself to its message ([`message`]: the response as
//! the contract has it, which the response RPCs answer too).

pub mod message;

use aftercare_outbox::{Deliver, DeliveryError, Event, StoredEvent};
use aftercare_proto::surveys::v1 as pb;
use prost::Message;

use crate::{
    domain::response::Response,
    usecases::{self, Complaints},
};

/// Where low-score alerts go, and what they are.
pub const COMPLAINTS: &str = "complaints";
pub const LOW_SCORE: &str = "survey.low_score";

/// A response below the alert threshold (`scoring::is_below_threshold`).
#[derive(Debug, Clone, Copy)]
pub struct LowScore<'a>(pub &'a Response);

impl From<LowScore<'_>> for Event {
    /// The alert to complaints: the response itself, as the contract has it.
    fn from(LowScore(response): LowScore<'_>) -> Self {
        let payload = pb::SurveyResponse::from(response.clone());
        Event::new(COMPLAINTS, LOW_SCORE, payload.encode_to_vec())
    }
}

/// Delivers the surveys service's events: low-score alerts go to the
/// complaints of this very service, in process (the closed loop).
#[derive(Debug, Clone)]
pub struct Deliverer {
    complaints: Complaints,
}

impl Deliverer {
    pub fn new(complaints: Complaints) -> Self {
        Self { complaints }
    }
}

impl Deliver for Deliverer {
    async fn deliver(&self, event: &StoredEvent) -> Result<(), DeliveryError> {
        if (event.destination.as_str(), event.kind.as_str()) != (COMPLAINTS, LOW_SCORE) {
            return Err(DeliveryError::Permanent(format!(
                "no receiver for {} at {}",
                event.kind, event.destination
            )));
        }
        let response = pb::SurveyResponse::decode(event.payload.as_slice())
            .map_err(|e| DeliveryError::Permanent(format!("undecodable low score: {e}")))?;
        let low = usecases::LowScore {
            event_id: event.id.clone(),
            service_index: response
                .score
                .and_then(|s| s.service_index)
                .map(|i| i.max(0) as u32),
            response_id: response.id,
            repair_order_id: response.repair_order_id,
            station_id: response.station_id,
            dealer_id: response.dealer_id,
            region_id: response.region_id,
            advisor_id: response.advisor_id,
        };
        self.complaints
            .receive_low_score(low)
            .await
            .map(|_| ())
            .map_err(|e| DeliveryError::from(tonic::Status::from(e)))
    }
}
