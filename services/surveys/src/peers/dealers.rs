//! Surveys' calls to the dealers service: an RO and a station, for a
//! complaint; a dealer, for the region of a scorecard.

use aftercare_auth::Principal;
use aftercare_proto::dealers::v1::{
    self as pb, dealers_service_client::DealersServiceClient,
    repair_order_service_client::RepairOrderServiceClient,
};
use tonic::Status;

use super::Peers;

impl Peers {
    /// RO `id`, as `principal` may see it (NOT_FOUND otherwise).
    pub(crate) async fn repair_order(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<pb::RepairOrder, Status> {
        let peer = self.dealers()?;
        let request = pb::GetRepairOrderRequest { id: id.to_owned() };
        Ok(RepairOrderServiceClient::new(peer.signed(principal))
            .get_repair_order(peer.request(request))
            .await?
            .into_inner())
    }

    /// Station `id` with its dealer and region, as `principal` may see it.
    pub(crate) async fn station(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<pb::Station, Status> {
        let peer = self.dealers()?;
        let request = pb::GetStationRequest { id: id.to_owned() };
        Ok(DealersServiceClient::new(peer.signed(principal))
            .get_station(peer.request(request))
            .await?
            .into_inner())
    }

    /// Dealer `id` with its region, as `principal` may see it (NOT_FOUND
    /// otherwise).
    pub(crate) async fn dealer(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<pb::Dealer, Status> {
        let peer = self.dealers()?;
        let request = pb::GetDealerRequest { id: id.to_owned() };
        Ok(DealersServiceClient::new(peer.signed(principal))
            .get_dealer(peer.request(request))
            .await?
            .into_inner())
    }
}
