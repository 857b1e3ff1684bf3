//! The costs service's calls to the parts service.

use aftercare_auth::Principal;
use aftercare_proto::parts::v1::{
    self as pb, labour_service_client::LabourServiceClient,
    parts_service_client::PartsServiceClient, stock_service_client::StockServiceClient,
};
use tonic::Status;

use aftercare_auth::peer::Signed;

use super::Peers;

impl Peers {
    pub(crate) fn parts_catalogue(
        &self,
        principal: &Principal,
    ) -> Result<PartsServiceClient<Signed>, Status> {
        Ok(PartsServiceClient::new(self.parts()?.signed(principal)))
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
            .get_part_price(self.parts()?.request(request))
            .await?
            .into_inner())
    }
}

impl Peers {
    fn parts_labour(&self, principal: &Principal) -> Result<LabourServiceClient<Signed>, Status> {
        Ok(LabourServiceClient::new(self.parts()?.signed(principal)))
    }

    /// A labour operation of the catalogue: its standard hours.
    pub(crate) async fn labour_operation(
        &self,
        principal: &Principal,
        operation_code: &str,
    ) -> Result<pb::LabourOperation, Status> {
        let request = pb::GetLabourOperationRequest {
            operation_code: operation_code.to_owned(),
        };
        Ok(self
            .parts_labour(principal)?
            .get_labour_operation(self.parts()?.request(request))
            .await?
            .into_inner())
    }

    /// A maintenance package: its operations and parts.
    pub(crate) async fn maintenance_package(
        &self,
        principal: &Principal,
        package_id: &str,
    ) -> Result<pb::MaintenancePackage, Status> {
        let request = pb::GetMaintenancePackageRequest {
            package_id: package_id.to_owned(),
        };
        Ok(self
            .parts_labour(principal)?
            .get_maintenance_package(self.parts()?.request(request))
            .await?
            .into_inner())
    }

    /// The catalogue's part `part_number`.
    pub(crate) async fn part(
        &self,
        principal: &Principal,
        part_number: &str,
    ) -> Result<pb::Part, Status> {
        let request = pb::GetPartRequest {
            part_number: part_number.to_owned(),
            follow_supersession: false,
        };
        Ok(self
            .parts_catalogue(principal)?
            .get_part(self.parts()?.request(request))
            .await?
            .into_inner())
    }

    /// Every movement the parts ledger booked for `repair_order_id`'s
    /// lines, page by page, each page within the deadline.
    pub(crate) async fn repair_order_movements(
        &self,
        principal: &Principal,
        repair_order_id: &str,
    ) -> Result<Vec<pb::StockMovement>, Status> {
        let parts = self.parts()?;
        let mut client = StockServiceClient::new(parts.signed(principal));
        let mut all = vec![];
        let mut page_token = String::new();
        loop {
            let request = pb::ListStockMovementsRequest {
                repair_order_id: repair_order_id.to_owned(),
                page_size: 1000,
                page_token,
                ..Default::default()
            };
            let page = client
                .list_stock_movements(parts.request(request))
                .await?
                .into_inner();
            all.extend(page.stock_movements);
            if page.next_page_token.is_empty() {
                return Ok(all);
            }
            page_token = page.next_page_token;
        }
    }
}
