//! What the surveys service tells other services, through its outbox: a
//! response below the alert threshold → complaints (`survey.low_score`, the
//! response as `aftercare.surveys.v1.SurveyResponse`), written in the
//! response's transaction. Complaints has no receiver yet: the relay keeps
//! the events waiting (counted per destination in the
//! `outbox_pending_events` metric) until it does.
//!
//! Each event converts itself to its message ([`message`]: the response as
//! the contract has it, which the response RPCs answer too).

pub mod message;

use aftercare_outbox::{Deliver, DeliveryError, Event, StoredEvent};
use aftercare_proto::surveys::v1 as pb;
use prost::Message;

use crate::domain::response::Response;

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

/// Delivers the surveys service's events.
#[derive(Debug, Clone, Default)]
pub struct Deliverer;

impl Deliver for Deliverer {
    async fn deliver(&self, event: &StoredEvent) -> Result<(), DeliveryError> {
        Err(DeliveryError::Retryable(format!(
            "{} has no receiver for {} yet",
            event.destination, event.kind
        )))
    }
}
