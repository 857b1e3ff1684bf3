//! What the surveys service tells other services, through its outbox: a
//! response below the alert threshold → complaints (`survey.low_score`, the
//! response as `aftercare.surveys.v1.SurveyResponse`), written in the
//! response's transaction, and delivered by the relay to the complaints of
//! this same service (the [`Deliverer`] calls the use case in process: a
//! complaint per response, each event applied once); a complaint's payment
//! approved → costs (`complaint.compensation_approved`, as
//! `aftercare.costs.v1.ComplaintCompensation`), delivered to costs'
//! `ReceiveComplaintCompensation` as the surveys relay for the dealer, with
//! the event id as the request id: costs counts it once.
//!
//! Each event converts itself to its message ([`message`]: the response as
//! the contract has it, which the response RPCs answer too).

pub mod message;

use aftercare_outbox::{Deliver, DeliveryError, Event, StoredEvent};
use aftercare_proto::surveys::v1 as pb;
use prost::Message;

use crate::{
    domain::{
        complaint::{
            Complaint,
            compensation::{Compensation, Kind},
        },
        response::Response,
    },
    usecases::{self, Complaints},
};

/// Where low-score alerts go, and what they are.
pub const COMPLAINTS: &str = "complaints";
pub const LOW_SCORE: &str = "survey.low_score";
/// Where approved payments go, and what they are.
pub const COSTS: &str = "costs";
pub const COMPENSATION_APPROVED: &str = "complaint.compensation_approved";

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

/// A complaint's payment, approved.
#[derive(Debug, Clone, Copy)]
pub struct CompensationApproved<'a> {
    pub complaint: &'a Complaint,
    pub payment: &'a Compensation,
    pub currency: &'a str,
}

impl From<CompensationApproved<'_>> for Event {
    fn from(a: CompensationApproved<'_>) -> Self {
        use aftercare_proto::costs::v1 as costs;
        let (c, p) = (a.complaint, a.payment);
        let payload = costs::ComplaintCompensation {
            complaint_id: c.id.clone(),
            dealer_id: c.subject.dealer_id.clone(),
            region_id: c.subject.region_id.clone(),
            station_id: c.subject.station_id.clone(),
            repair_order_id: c.subject.repair_order_id.clone().unwrap_or_default(),
            kind: match p.kind {
                Kind::Compensation => costs::CompensationKind::Compensation,
                Kind::Goodwill => costs::CompensationKind::Goodwill,
            } as i32,
            amount: Some(aftercare_proto::common::v1::Money {
                currency_code: a.currency.to_owned(),
                minor_units: p.amount,
            }),
            approve_time: p.decide_time.and_then(message::time),
            approved_by: p.decided_by.clone().unwrap_or_default(),
        };
        Event::new(COSTS, COMPENSATION_APPROVED, payload.encode_to_vec())
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
        match (event.destination.as_str(), event.kind.as_str()) {
            (COMPLAINTS, LOW_SCORE) => self.low_score(event).await,
            (COSTS, COMPENSATION_APPROVED) => self.compensation(event).await,
            _ => Err(DeliveryError::Permanent(format!(
                "no receiver for {} at {}",
                event.kind, event.destination
            ))),
        }
    }
}

impl Deliverer {
    /// An approved payment → costs, once per event id.
    async fn compensation(&self, event: &StoredEvent) -> Result<(), DeliveryError> {
        let payment =
            aftercare_proto::costs::v1::ComplaintCompensation::decode(event.payload.as_slice())
                .map_err(|e| DeliveryError::Permanent(format!("undecodable payment: {e}")))?;
        self.complaints
            .tell_costs(&event.id, payment)
            .await
            .map_err(DeliveryError::from)
    }

    /// A low score → its one complaint, in process.
    async fn low_score(&self, event: &StoredEvent) -> Result<(), DeliveryError> {
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
