//! What the dealers service tells other services, through its outbox: the
//! events an RO's changes write (in the same transaction as the change), and
//! how the relay delivers them.
//!
//! - RO completed → parts: issue each reserved line.
//! - RO cancelled → parts: release each line.
//! - RO delivered → surveys (an invitation) and costs (the cost record); a
//!   warranty RO also → costs (a draft claim).
//!
//! Surveys and costs receive RO-delivered events when the deliverer is given
//! their channels ([`Deliverer::with_surveys`], [`Deliverer::with_costs`]);
//! until then the events wait in the outbox (the `outbox_pending_events`
//! metric counts them).

use aftercare_auth::{DEALERS_RELAY, Principal, Scope, Secret, assertion::Signer};
use aftercare_outbox::{Deliver, DeliveryError, Event, StoredEvent};
use aftercare_proto::{
    costs::v1::{
        ReceiveRepairOrderDeliveredRequest as CostsDeliveredRequest,
        ReceiveWarrantyRepairOrderDeliveredRequest,
        cost_event_service_client::CostEventServiceClient,
    },
    dealers::v1::{self as pb, stock_instruction::Action},
    parts::v1 as parts_pb,
    surveys::v1::{
        ReceiveRepairOrderDeliveredRequest,
        survey_invitation_service_client::SurveyInvitationServiceClient,
    },
};
use prost::Message;
use tonic::transport::Channel;

use crate::{
    domain::{network::Vehicle, orders::RepairOrder, text::bucket},
    peers::parts::PartsClient,
};

pub(crate) mod repair_order;
mod vehicle;

use repair_order::repair_order;

pub const PARTS: &str = "parts";

/// Stock events go to one of this many queues of parts, chosen by RO: each
/// queue is delivered in order and the queues side by side, so the relay's
/// rate is not one call at a time. An RO's events keep their order.
pub const PARTS_QUEUES: u32 = 8;
pub const SURVEYS: &str = "surveys";
pub const COSTS: &str = "costs";
/// Warranty ROs go to costs in a queue of their own: a claim is drafted
/// (with the checks parts cannot answer marked unavailable) while an RO's
/// costing waits for parts' prices, rather than behind it.
pub const COSTS_CLAIMS: &str = "costs/claims";

pub const ISSUE: &str = "stock.issue";
pub const RELEASE: &str = "stock.release";
pub const DELIVERED: &str = "repair_order.delivered";
pub const WARRANTY_DELIVERED: &str = "repair_order.warranty_delivered";

/// Issue (`issue`) or release a reservation of line `line_number` of the RO.
pub fn stock(ro: &RepairOrder, warehouse_id: &str, line_number: i32, issue: bool) -> Event {
    let (repair_order_id, warehouse_id) = (ro.id.as_str().to_owned(), warehouse_id.to_owned());
    // The request_id is the event id, set at delivery.
    let action = if issue {
        Action::Issue(parts_pb::IssueReservationRequest {
            warehouse_id,
            repair_order_id,
            line_number,
            request_id: String::new(),
        })
    } else {
        Action::Release(parts_pb::ReleaseReservationRequest {
            warehouse_id,
            repair_order_id,
            line_number,
            request_id: String::new(),
        })
    };
    let payload = pb::StockInstruction {
        dealer_id: ro.dealer_id.as_str().to_owned(),
        action: Some(action),
    };
    Event::new(
        parts_queue(ro.id.as_str()),
        if issue { ISSUE } else { RELEASE },
        payload.encode_to_vec(),
    )
}

/// `parts/<n>`: the queue of the RO's stock events (FNV-1a of its id).
fn parts_queue(repair_order_id: &str) -> String {
    format!("{PARTS}/{}", bucket(repair_order_id, PARTS_QUEUES))
}

/// The service a destination names: `parts` for `parts/3`.
pub fn service_of(destination: &str) -> &str {
    destination.split('/').next().unwrap_or(destination)
}

/// The display names of an RO's dealer and station, told with its delivery.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub dealer: String,
    pub station: String,
}

/// The events of a delivered RO of `vehicle`, whose owner prefers `locale`
/// (empty when unknown).
pub fn delivered(ro: &RepairOrder, names: Names, vehicle: Vehicle, locale: &str) -> Vec<Event> {
    let payload = pb::RepairOrderDelivered {
        repair_order: Some(repair_order(ro.clone(), ro.meta.update_time)),
        region_id: ro.region_id.as_str().to_owned(),
        dealer_name: names.dealer,
        station_name: names.station,
        vehicle: Some(vehicle.into()),
        locale: locale.to_owned(),
    }
    .encode_to_vec();
    let mut events = vec![
        Event::new(SURVEYS, DELIVERED, payload.clone()),
        Event::new(COSTS, DELIVERED, payload.clone()),
    ];
    if ro.opening.order_type == crate::domain::repair_order::OrderType::Warranty {
        events.push(Event::new(COSTS_CLAIMS, WARRANTY_DELIVERED, payload));
    }
    events
}

/// Delivers the dealers service's events.
#[derive(Debug, Clone)]
pub struct Deliverer {
    parts: PartsClient,
    /// The surveys service and the internal key the relay signs with; none
    /// leaves its events waiting.
    surveys: Option<(Channel, Secret)>,
    /// The costs service, likewise.
    costs: Option<(Channel, Secret)>,
}

impl Deliverer {
    pub fn new(parts: PartsClient) -> Self {
        Self {
            parts,
            surveys: None,
            costs: None,
        }
    }

    /// Delivers RO-delivered events to the surveys service behind
    /// `channel`, signed with the internal `key`.
    pub fn with_surveys(mut self, channel: Channel, key: Secret) -> Self {
        self.surveys = Some((channel, key));
        self
    }

    /// Delivers RO-delivered events to the costs service behind `channel`,
    /// signed with the internal `key`.
    pub fn with_costs(mut self, channel: Channel, key: Secret) -> Self {
        self.costs = Some((channel, key));
        self
    }

    /// An RO delivered → its survey invitation, on behalf of the RO's
    /// dealer, with the event id as the request_id.
    async fn to_surveys(&self, event: &StoredEvent) -> Result<(), DeliveryError> {
        if event.kind != DELIVERED {
            return Err(DeliveryError::Permanent(format!(
                "surveys takes no {} events",
                event.kind
            )));
        }
        let (channel, signer, delivered) = relayed(&self.surveys, SURVEYS, event)?;
        SurveyInvitationServiceClient::with_interceptor(channel, signer)
            .receive_repair_order_delivered(ReceiveRepairOrderDeliveredRequest {
                event: Some(delivered),
                request_id: event.id.clone(),
            })
            .await?;
        Ok(())
    }

    /// An RO delivered → its cost record; a warranty RO → its draft claim;
    /// on behalf of the RO's dealer, with the event id as the request_id.
    async fn to_costs(&self, event: &StoredEvent) -> Result<(), DeliveryError> {
        let (channel, signer, delivered) = relayed(&self.costs, COSTS, event)?;
        let mut client = CostEventServiceClient::with_interceptor(channel, signer);
        let request_id = event.id.clone();
        match event.kind.as_str() {
            DELIVERED => client
                .receive_repair_order_delivered(CostsDeliveredRequest {
                    event: Some(delivered),
                    request_id,
                })
                .await
                .map(drop)?,
            WARRANTY_DELIVERED => client
                .receive_warranty_repair_order_delivered(
                    ReceiveWarrantyRepairOrderDeliveredRequest {
                        event: Some(delivered),
                        request_id,
                    },
                )
                .await
                .map(drop)?,
            other => {
                return Err(DeliveryError::Permanent(format!(
                    "costs takes no {other} events"
                )));
            }
        }
        Ok(())
    }

    async fn to_parts(&self, event: &StoredEvent) -> Result<(), DeliveryError> {
        let instruction = pb::StockInstruction::decode(event.payload.as_slice())
            .map_err(|e| DeliveryError::Permanent(format!("undecodable payload: {e}")))?;
        let principal = Principal {
            subject: DEALERS_RELAY.into(),
            scope: Scope::Dms {
                dealer_id: instruction.dealer_id,
            },
        };
        let request_id = event.id.clone();
        match instruction.action {
            Some(Action::Issue(r)) => self
                .parts
                .issue(
                    &principal,
                    parts_pb::IssueReservationRequest { request_id, ..r },
                )
                .await
                .map(drop)?,
            Some(Action::Release(r)) => self
                .parts
                .release(
                    &principal,
                    parts_pb::ReleaseReservationRequest { request_id, ..r },
                )
                .await
                .map(drop)?,
            None => return Err(DeliveryError::Permanent("no action".into())),
        }
        Ok(())
    }
}

impl Deliver for Deliverer {
    async fn deliver(&self, event: &StoredEvent) -> Result<(), DeliveryError> {
        match service_of(&event.destination) {
            PARTS => self.to_parts(event).await,
            SURVEYS => self.to_surveys(event).await,
            COSTS => self.to_costs(event).await,
            other => Err(DeliveryError::Retryable(format!(
                "{other} has no receiver for {} yet",
                event.kind
            ))),
        }
    }
}

/// The channel to `service` (retryable while it is not connected), a signer
/// for the RO's dealer, and the RO-delivered event decoded.
fn relayed(
    peer: &Option<(Channel, Secret)>,
    service: &str,
    event: &StoredEvent,
) -> Result<(Channel, Signer, pb::RepairOrderDelivered), DeliveryError> {
    let Some((channel, key)) = peer else {
        return Err(DeliveryError::Retryable(format!(
            "{service} is not connected yet"
        )));
    };
    let delivered = pb::RepairOrderDelivered::decode(event.payload.as_slice())
        .map_err(|e| DeliveryError::Permanent(format!("undecodable payload: {e}")))?;
    let dealer_id = delivered
        .repair_order
        .as_ref()
        .map(|ro| ro.dealer_id.clone())
        .unwrap_or_default();
    let signer = Signer {
        principal: Principal {
            subject: DEALERS_RELAY.into(),
            scope: Scope::Dms { dealer_id },
        },
        key: key.clone(),
    };
    Ok((channel.clone(), signer, delivered))
}
