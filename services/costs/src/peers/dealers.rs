//! The costs service's calls to the dealers service.

use aftercare_auth::Principal;
use aftercare_proto::dealers::v1::{self as pb, dealers_service_client::DealersServiceClient};
use tonic::Status;

use aftercare_auth::peer::Signed;

use super::Peers;

impl Peers {
    pub(crate) fn network(
        &self,
        principal: &Principal,
    ) -> Result<DealersServiceClient<Signed>, Status> {
        Ok(DealersServiceClient::new(self.dealers()?.signed(principal)))
    }

    /// The station `id`, as `principal` may see it (NOT_FOUND otherwise).
    pub(crate) async fn station(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<pb::Station, Status> {
        let request = pb::GetStationRequest { id: id.to_owned() };
        Ok(self
            .network(principal)?
            .get_station(self.dealers()?.request(request))
            .await?
            .into_inner())
    }
}

impl Peers {
    /// The vehicle `id`, as `principal` may see it.
    pub(crate) async fn vehicle(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<pb::Vehicle, Status> {
        let request = pb::GetVehicleRequest { id: id.to_owned() };
        Ok(self
            .network(principal)?
            .get_vehicle(self.dealers()?.request(request))
            .await?
            .into_inner())
    }

    /// The staff member `id` with their certifications.
    pub(crate) async fn staff_member(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<pb::StaffMember, Status> {
        let request = pb::GetStaffMemberRequest { id: id.to_owned() };
        Ok(self
            .network(principal)?
            .get_staff_member(self.dealers()?.request(request))
            .await?
            .into_inner())
    }

    /// The dealer `id`, as `principal` may see it (NOT_FOUND otherwise).
    pub(crate) async fn dealer(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<pb::Dealer, Status> {
        let request = pb::GetDealerRequest { id: id.to_owned() };
        Ok(self
            .network(principal)?
            .get_dealer(self.dealers()?.request(request))
            .await?
            .into_inner())
    }
}
