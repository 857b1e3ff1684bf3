//! What the surveys service tells other services, through its outbox: a
//! response below the alert threshold → complaints (`survey.low_score`, the
//! response as `aftercare.surveys.v1.SurveyResponse`), written in the
//! response's transaction. Complaints has no receiver yet: the relay keeps
//! the events waiting (counted per destination in the
//! `outbox_pending_events` metric) until it does.

use aftercare_outbox::{Deliver, DeliveryError, StoredEvent};

pub use crate::store::{COMPLAINTS, LOW_SCORE};

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
