//! The costs service's calls to the dealers service.

use aftercare_auth::Principal;
use aftercare_proto::dealers::v1::{self as pb, dealers_service_client::DealersServiceClient};
use tonic::Status;

use super::{Peers, Signed, with_deadline};

impl Peers {
    pub(crate) fn network(
        &self,
        principal: &Principal,
    ) -> Result<DealersServiceClient<Signed>, Status> {
        let channel = self
            .dealers
            .clone()
            .ok_or_else(|| Status::unavailable("the dealers service is not connected"))?;
        Ok(DealersServiceClient::with_interceptor(
            channel,
            self.signer(principal),
        ))
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
            .get_station(with_deadline(request, self.deadline))
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
            .get_vehicle(with_deadline(request, self.deadline))
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
            .get_staff_member(with_deadline(request, self.deadline))
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
            .get_dealer(with_deadline(request, self.deadline))
            .await?
            .into_inner())
    }
}
