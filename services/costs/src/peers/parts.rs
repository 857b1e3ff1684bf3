//! The costs service's calls to the parts service.

use aftercare_auth::Principal;
use aftercare_proto::parts::v1::{self as pb, parts_service_client::PartsServiceClient};
use tonic::Status;

use super::{Peers, Signed, with_deadline};

impl Peers {
    fn parts_channel(&self) -> Result<tonic::transport::Channel, Status> {
        self.parts
            .clone()
            .ok_or_else(|| Status::unavailable("the parts service is not connected"))
    }

    pub(crate) fn parts_catalogue(
        &self,
        principal: &Principal,
    ) -> Result<PartsServiceClient<Signed>, Status> {
        Ok(PartsServiceClient::with_interceptor(
            self.parts_channel()?,
            self.signer(principal),
        ))
    }

    /// The list price and cost of `part_number` in force at `at`.
    pub(crate) async fn part_price(
        &self,
        principal: &Principal,
        part_number: &str,
        at: prost_types::Timestamp,
    ) -> Result<pb::PriceChange, Status> {
        let request = pb::GetPartPriceRequest {
            part_number: part_number.to_owned(),
            at_time: Some(at),
        };
        Ok(self
            .parts_catalogue(principal)?
            .get_part_price(with_deadline(request, self.deadline))
            .await?
            .into_inner())
    }
}
