//! Surveys' call to the costs service: an approved complaint payment.

use aftercare_auth::Principal;
use aftercare_proto::costs::v1::{self as pb, cost_event_service_client::CostEventServiceClient};
use tonic::Status;

use super::Peers;

impl Peers {
    /// Tells costs of approved payment `event` (event `event_id`, its
    /// request id), signed as `relay`.
    pub(crate) async fn tell_compensation(
        &self,
        relay: &Principal,
        event_id: &str,
        event: pb::ComplaintCompensation,
    ) -> Result<(), Status> {
        let peer = self.costs()?;
        let request = pb::ReceiveComplaintCompensationRequest {
            event: Some(event),
            request_id: event_id.to_owned(),
        };
        CostEventServiceClient::new(peer.signed(relay))
            .receive_complaint_compensation(peer.request(request))
            .await?;
        Ok(())
    }
}
