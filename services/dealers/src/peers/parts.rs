//! The dealers service's calls to the parts service: the labour catalogue,
//! the station's warehouse, and the reservations of RO parts lines. Each
//! call is signed as the principal it is made for, so parts checks it as it
//! would the caller's own.

use aftercare_auth::{Principal, Secret, assertion::Signer};
use aftercare_proto::parts::v1::{
    self as pb, labour_service_client::LabourServiceClient,
    stock_service_client::StockServiceClient,
};
use tonic::{Code, Status, service::interceptor::InterceptedService, transport::Channel};

use time::OffsetDateTime;

use crate::{domain::orders::PartsLineState, error::Error};

/// A client of the parts service.
#[derive(Debug, Clone)]
pub struct PartsClient {
    channel: Channel,
    key: Secret,
}

type Signed = InterceptedService<Channel, Signer>;

impl PartsClient {
    /// Calls through `channel` (to the parts server, or to its routes in
    /// this process), signed with the internal `key`.
    pub fn new(channel: Channel, key: Secret) -> Self {
        Self { channel, key }
    }

    fn signer(&self, principal: &Principal) -> Signer {
        Signer {
            principal: principal.clone(),
            key: self.key.clone(),
        }
    }

    fn stock(&self, principal: &Principal) -> StockServiceClient<Signed> {
        StockServiceClient::with_interceptor(self.channel.clone(), self.signer(principal))
    }

    pub async fn labour_operation(
        &self,
        principal: &Principal,
        code: &str,
    ) -> Result<pb::LabourOperation, Status> {
        let mut client =
            LabourServiceClient::with_interceptor(self.channel.clone(), self.signer(principal));
        let request = pb::GetLabourOperationRequest {
            operation_code: code.to_owned(),
        };
        Ok(client.get_labour_operation(request).await?.into_inner())
    }

    /// The service intervals of `model`'s maintenance packages.
    pub async fn schedule(
        &self,
        principal: &Principal,
        model: &str,
    ) -> Result<Vec<pb::ServiceInterval>, Status> {
        let mut client =
            LabourServiceClient::with_interceptor(self.channel.clone(), self.signer(principal));
        let mut intervals = vec![];
        let mut page_token = String::new();
        loop {
            let page = client
                .list_maintenance_packages(pb::ListMaintenancePackagesRequest {
                    page_size: 1000,
                    page_token,
                    model_code: model.to_owned(),
                })
                .await?
                .into_inner();
            intervals.extend(
                page.maintenance_packages
                    .into_iter()
                    .filter_map(|p| p.interval),
            );
            if page.next_page_token.is_empty() {
                return Ok(intervals);
            }
            page_token = page.next_page_token;
        }
    }

    /// The warehouse serving `station_id`, among its dealer's; None when the
    /// station has none.
    pub async fn station_warehouse(
        &self,
        principal: &Principal,
        dealer_id: &str,
        station_id: &str,
    ) -> Result<Option<String>, Status> {
        let mut client = self.stock(principal);
        let mut page_token = String::new();
        loop {
            let page = client
                .list_warehouses(pb::ListWarehousesRequest {
                    page_size: 1000,
                    page_token,
                    dealer_id: dealer_id.to_owned(),
                    ..Default::default()
                })
                .await?
                .into_inner();
            if let Some(w) = page
                .warehouses
                .into_iter()
                .find(|w| w.station_id == station_id)
            {
                return Ok(Some(w.warehouse_id));
            }
            if page.next_page_token.is_empty() {
                return Ok(None);
            }
            page_token = page.next_page_token;
        }
    }

    pub async fn reserve(
        &self,
        principal: &Principal,
        request: pb::ReserveStockRequest,
    ) -> Result<pb::Reservation, Status> {
        Ok(self
            .stock(principal)
            .reserve_stock(request)
            .await?
            .into_inner())
    }

    pub async fn reservation(
        &self,
        principal: &Principal,
        request: pb::GetReservationRequest,
    ) -> Result<pb::Reservation, Status> {
        Ok(self
            .stock(principal)
            .get_reservation(request)
            .await?
            .into_inner())
    }

    pub async fn issue(
        &self,
        principal: &Principal,
        request: pb::IssueReservationRequest,
    ) -> Result<pb::Reservation, Status> {
        Ok(self
            .stock(principal)
            .issue_reservation(request)
            .await?
            .into_inner())
    }

    pub async fn release(
        &self,
        principal: &Principal,
        request: pb::ReleaseReservationRequest,
    ) -> Result<pb::Reservation, Status> {
        Ok(self
            .stock(principal)
            .release_reservation(request)
            .await?
            .into_inner())
    }
}

/// What the caller hears of a refusal by the parts service: its answer,
/// with `field` named for what parts could not find, and UNAVAILABLE when
/// parts cannot be reached.
pub(crate) fn refusal(status: Status, field: &str) -> Error {
    let message = status.message().to_owned();
    match status.code() {
        Code::NotFound => Error::invalid(field, message),
        Code::InvalidArgument => Error::invalid(field, message),
        Code::FailedPrecondition => Error::FailedPrecondition(message),
        Code::PermissionDenied => Error::PermissionDenied(message),
        Code::Unavailable | Code::DeadlineExceeded | Code::Cancelled => {
            Error::Unavailable(format!(
                "the parts service cannot be reached ({message}); nothing was recorded, try again"
            ))
        }
        _ => Error::Internal(format!("parts answered {:?}: {message}", status.code()).into()),
    }
}

/// The state of an RO parts line, as parts answers its reservation.
pub(crate) fn line_state(r: &pb::Reservation) -> Result<PartsLineState, Error> {
    match pb::ReservationState::try_from(r.state) {
        Ok(pb::ReservationState::Reserved) => Ok(PartsLineState::Reserved),
        Ok(pb::ReservationState::Backordered) => Ok(PartsLineState::Backordered),
        Ok(pb::ReservationState::Issued) => Ok(PartsLineState::Issued),
        Ok(pb::ReservationState::Released) => Ok(PartsLineState::Released),
        _ => Err(Error::Internal(
            format!("parts answered a reservation in state {}", r.state).into(),
        )),
    }
}

/// A time parts answered.
pub(crate) fn to_time(t: prost_types::Timestamp) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(
        i128::from(t.seconds) * 1_000_000_000 + i128::from(t.nanos),
    )
    .ok()
}
