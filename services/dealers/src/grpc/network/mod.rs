//! The `aftercare.dealers.v1.DealersService` contract: proto in, parsed at
//! the edge; domain out. No SQL here, and no rule that belongs to the domain.

mod convert;
mod inputs;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::dealers::v1::{self as pb, dealers_service_server::DealersServiceServer};
use tonic::{Request, Response, service::interceptor::InterceptedService};

use super::{Reply, etag, fields, id_of};
use crate::usecases::{Dealership, Network};

/// The gRPC face of the service.
#[derive(Debug, Clone)]
pub struct DealersApi {
    network: Network,
    dealership: Dealership,
    require_vin_check_digit: bool,
}

impl DealersApi {
    pub fn new(network: Network, dealership: Dealership, require_vin_check_digit: bool) -> Self {
        Self {
            network,
            dealership,
            require_vin_check_digit,
        }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<DealersServiceServer<Self>, ServiceAuth> {
        DealersServiceServer::with_interceptor(self, auth)
    }
}

/// Runs a list: fetch one more than a page, cut, and make the next token.
macro_rules! list {
    ($api:expr, $request:ident, [$($filter:ident),*], $method:ident, $items:ident, $Response:ident) => {{
        let principal = aftercare_edge::principal(&$request)?;
        let r = $request.into_inner();
        let filters = [$(r.$filter.as_str()),*];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = $api.$method(&principal, $(&r.$filter,)* &page).await?;
        let (rows, next_page_token) = page.finish(rows, |o| o.id.as_str(), &filters);
        Ok(Response::new(pb::$Response { $items: rows.into_iter().map(Into::into).collect(), next_page_token }))
    }};
}

#[tonic::async_trait]
impl pb::dealers_service_server::DealersService for DealersApi {
    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_region(&self, request: Request<pb::GetRegionRequest>) -> Reply<pb::Region> {
        let id = id_of(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.network
                .get_region(&aftercare_edge::principal(&request)?, &id)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_regions(
        &self,
        request: Request<pb::ListRegionsRequest>,
    ) -> Reply<pb::ListRegionsResponse> {
        list!(
            self.network,
            request,
            [],
            list_regions,
            regions,
            ListRegionsResponse
        )
    }

    #[tracing::instrument(skip_all)]
    async fn create_region(&self, request: Request<pb::CreateRegionRequest>) -> Reply<pb::Region> {
        let caller =
            aftercare_edge::mutation(&request, "CreateRegion", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let region = aftercare_edge::required(r.region, "region")?;
        let id = fields::new_id(&r.region_id, "region_id").map_err(invalid)?;
        let fields = inputs::region_fields(&region).map_err(invalid)?;
        Ok(Response::new(
            self.network
                .create_region(&caller, id, fields)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn update_region(&self, request: Request<pb::UpdateRegionRequest>) -> Reply<pb::Region> {
        let caller =
            aftercare_edge::mutation(&request, "UpdateRegion", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let region = aftercare_edge::required(r.region, "region")?;
        let id = id_of(&region.id, "region.id")?;
        let etag = etag(&region.etag, "region.etag")?;
        let patch = inputs::region_patch(&region, r.update_mask).map_err(invalid)?;
        Ok(Response::new(
            self.network
                .update_region(&caller, &id, etag, patch)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn delete_region(&self, request: Request<pb::DeleteRegionRequest>) -> Reply<()> {
        let caller =
            aftercare_edge::mutation(&request, "DeleteRegion", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let (id, etag) = (id_of(&r.id, "id")?, etag(&r.etag, "etag")?);
        self.network.delete_region(&caller, &id, etag).await?;
        Ok(Response::new(()))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_dealer(&self, request: Request<pb::GetDealerRequest>) -> Reply<pb::Dealer> {
        let id = id_of(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.network
                .get_dealer(&aftercare_edge::principal(&request)?, &id)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_dealers(
        &self,
        request: Request<pb::ListDealersRequest>,
    ) -> Reply<pb::ListDealersResponse> {
        list!(
            self.network,
            request,
            [region_id],
            list_dealers,
            dealers,
            ListDealersResponse
        )
    }

    #[tracing::instrument(skip_all)]
    async fn create_dealer(&self, request: Request<pb::CreateDealerRequest>) -> Reply<pb::Dealer> {
        let caller =
            aftercare_edge::mutation(&request, "CreateDealer", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let dealer = aftercare_edge::required(r.dealer, "dealer")?;
        let id = fields::new_id(&r.dealer_id, "dealer_id").map_err(invalid)?;
        let fields = inputs::dealer_fields(&dealer).map_err(invalid)?;
        Ok(Response::new(
            self.network
                .create_dealer(&caller, id, fields)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn update_dealer(&self, request: Request<pb::UpdateDealerRequest>) -> Reply<pb::Dealer> {
        let caller =
            aftercare_edge::mutation(&request, "UpdateDealer", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let dealer = aftercare_edge::required(r.dealer, "dealer")?;
        let id = id_of(&dealer.id, "dealer.id")?;
        let etag = etag(&dealer.etag, "dealer.etag")?;
        let patch = inputs::dealer_patch(&dealer, r.update_mask).map_err(invalid)?;
        Ok(Response::new(
            self.network
                .update_dealer(&caller, &id, etag, patch)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn delete_dealer(&self, request: Request<pb::DeleteDealerRequest>) -> Reply<()> {
        let caller =
            aftercare_edge::mutation(&request, "DeleteDealer", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let (id, etag) = (id_of(&r.id, "id")?, etag(&r.etag, "etag")?);
        self.network.delete_dealer(&caller, &id, etag).await?;
        Ok(Response::new(()))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_station(&self, request: Request<pb::GetStationRequest>) -> Reply<pb::Station> {
        let id = id_of(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.network
                .get_station(&aftercare_edge::principal(&request)?, &id)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_stations(
        &self,
        request: Request<pb::ListStationsRequest>,
    ) -> Reply<pb::ListStationsResponse> {
        list!(
            self.network,
            request,
            [dealer_id, region_id],
            list_stations,
            stations,
            ListStationsResponse
        )
    }

    #[tracing::instrument(skip_all)]
    async fn create_station(
        &self,
        request: Request<pb::CreateStationRequest>,
    ) -> Reply<pb::Station> {
        let caller =
            aftercare_edge::mutation(&request, "CreateStation", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let station = aftercare_edge::required(r.station, "station")?;
        let id = fields::new_id(&r.station_id, "station_id").map_err(invalid)?;
        let dealer_id = fields::id(&station.dealer_id, "station.dealer_id").map_err(invalid)?;
        let fields = inputs::station_fields(&station).map_err(invalid)?;
        Ok(Response::new(
            self.network
                .create_station(&caller, id, dealer_id, fields)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn update_station(
        &self,
        request: Request<pb::UpdateStationRequest>,
    ) -> Reply<pb::Station> {
        let caller =
            aftercare_edge::mutation(&request, "UpdateStation", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let station = aftercare_edge::required(r.station, "station")?;
        let id = id_of(&station.id, "station.id")?;
        let etag = etag(&station.etag, "station.etag")?;
        let patch = inputs::station_patch(&station, r.update_mask).map_err(invalid)?;
        Ok(Response::new(
            self.network
                .update_station(&caller, &id, etag, patch)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn delete_station(&self, request: Request<pb::DeleteStationRequest>) -> Reply<()> {
        let caller =
            aftercare_edge::mutation(&request, "DeleteStation", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let (id, etag) = (id_of(&r.id, "id")?, etag(&r.etag, "etag")?);
        self.network.delete_station(&caller, &id, etag).await?;
        Ok(Response::new(()))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_staff_member(
        &self,
        request: Request<pb::GetStaffMemberRequest>,
    ) -> Reply<pb::StaffMember> {
        let id = id_of(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.dealership
                .get_staff_member(&aftercare_edge::principal(&request)?, &id)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_staff_members(
        &self,
        request: Request<pb::ListStaffMembersRequest>,
    ) -> Reply<pb::ListStaffMembersResponse> {
        list!(
            self.dealership,
            request,
            [station_id, dealer_id],
            list_staff_members,
            staff_members,
            ListStaffMembersResponse
        )
    }

    #[tracing::instrument(skip_all)]
    async fn create_staff_member(
        &self,
        request: Request<pb::CreateStaffMemberRequest>,
    ) -> Reply<pb::StaffMember> {
        let caller =
            aftercare_edge::mutation(&request, "CreateStaffMember", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let member = aftercare_edge::required(r.staff_member, "staff_member")?;
        let id = fields::new_id(&r.staff_member_id, "staff_member_id").map_err(invalid)?;
        let station_id =
            fields::id(&member.station_id, "staff_member.station_id").map_err(invalid)?;
        let fields = inputs::staff_fields(&member).map_err(invalid)?;
        Ok(Response::new(
            self.dealership
                .create_staff_member(&caller, id, station_id, fields)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn update_staff_member(
        &self,
        request: Request<pb::UpdateStaffMemberRequest>,
    ) -> Reply<pb::StaffMember> {
        let caller =
            aftercare_edge::mutation(&request, "UpdateStaffMember", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let member = aftercare_edge::required(r.staff_member, "staff_member")?;
        let id = id_of(&member.id, "staff_member.id")?;
        let etag = etag(&member.etag, "staff_member.etag")?;
        let patch = inputs::staff_patch(&member, r.update_mask).map_err(invalid)?;
        Ok(Response::new(
            self.dealership
                .update_staff_member(&caller, &id, etag, patch)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn delete_staff_member(
        &self,
        request: Request<pb::DeleteStaffMemberRequest>,
    ) -> Reply<()> {
        let caller =
            aftercare_edge::mutation(&request, "DeleteStaffMember", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let (id, etag) = (id_of(&r.id, "id")?, etag(&r.etag, "etag")?);
        self.dealership
            .delete_staff_member(&caller, &id, etag)
            .await?;
        Ok(Response::new(()))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_customer(&self, request: Request<pb::GetCustomerRequest>) -> Reply<pb::Customer> {
        let id = id_of(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.dealership
                .get_customer(&aftercare_edge::principal(&request)?, &id)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_customers(
        &self,
        request: Request<pb::ListCustomersRequest>,
    ) -> Reply<pb::ListCustomersResponse> {
        list!(
            self.dealership,
            request,
            [dealer_id, advisor_id],
            list_customers,
            customers,
            ListCustomersResponse
        )
    }

    #[tracing::instrument(skip_all)]
    async fn create_customer(
        &self,
        request: Request<pb::CreateCustomerRequest>,
    ) -> Reply<pb::Customer> {
        let caller =
            aftercare_edge::mutation(&request, "CreateCustomer", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let customer = aftercare_edge::required(r.customer, "customer")?;
        let id = fields::new_id(&r.customer_id, "customer_id").map_err(invalid)?;
        let dealer_id = fields::id(&customer.dealer_id, "customer.dealer_id").map_err(invalid)?;
        let fields = inputs::customer_fields(&customer).map_err(invalid)?;
        Ok(Response::new(
            self.dealership
                .create_customer(&caller, id, dealer_id, fields)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn update_customer(
        &self,
        request: Request<pb::UpdateCustomerRequest>,
    ) -> Reply<pb::Customer> {
        let caller =
            aftercare_edge::mutation(&request, "UpdateCustomer", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let customer = aftercare_edge::required(r.customer, "customer")?;
        let id = id_of(&customer.id, "customer.id")?;
        let etag = etag(&customer.etag, "customer.etag")?;
        let patch = inputs::customer_patch(&customer, r.update_mask).map_err(invalid)?;
        Ok(Response::new(
            self.dealership
                .update_customer(&caller, &id, etag, patch)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn delete_customer(&self, request: Request<pb::DeleteCustomerRequest>) -> Reply<()> {
        let caller =
            aftercare_edge::mutation(&request, "DeleteCustomer", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let (id, etag) = (id_of(&r.id, "id")?, etag(&r.etag, "etag")?);
        self.dealership.delete_customer(&caller, &id, etag).await?;
        Ok(Response::new(()))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_vehicle(&self, request: Request<pb::GetVehicleRequest>) -> Reply<pb::Vehicle> {
        let id = id_of(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.dealership
                .get_vehicle(&aftercare_edge::principal(&request)?, &id)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_vehicles(
        &self,
        mut request: Request<pb::ListVehiclesRequest>,
    ) -> Reply<pb::ListVehiclesResponse> {
        // VINs are stored upper-case; find one however it is typed.
        let vin = request.get_ref().vin.trim().to_ascii_uppercase();
        request.get_mut().vin = vin;
        list!(
            self.dealership,
            request,
            [customer_id, dealer_id, vin],
            list_vehicles,
            vehicles,
            ListVehiclesResponse
        )
    }

    #[tracing::instrument(skip_all)]
    async fn create_vehicle(
        &self,
        request: Request<pb::CreateVehicleRequest>,
    ) -> Reply<pb::Vehicle> {
        let caller =
            aftercare_edge::mutation(&request, "CreateVehicle", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let vehicle = aftercare_edge::required(r.vehicle, "vehicle")?;
        let id = fields::new_id(&r.vehicle_id, "vehicle_id").map_err(invalid)?;
        let fields =
            inputs::vehicle_fields(&vehicle, self.require_vin_check_digit).map_err(invalid)?;
        Ok(Response::new(
            self.dealership
                .create_vehicle(&caller, id, fields)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn update_vehicle(
        &self,
        request: Request<pb::UpdateVehicleRequest>,
    ) -> Reply<pb::Vehicle> {
        let caller =
            aftercare_edge::mutation(&request, "UpdateVehicle", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let vehicle = aftercare_edge::required(r.vehicle, "vehicle")?;
        let id = id_of(&vehicle.id, "vehicle.id")?;
        let etag = etag(&vehicle.etag, "vehicle.etag")?;
        let patch = inputs::vehicle_patch(&vehicle, r.update_mask, self.require_vin_check_digit)
            .map_err(invalid)?;
        Ok(Response::new(
            self.dealership
                .update_vehicle(&caller, &id, etag, patch)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn delete_vehicle(&self, request: Request<pb::DeleteVehicleRequest>) -> Reply<()> {
        let caller =
            aftercare_edge::mutation(&request, "DeleteVehicle", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let (id, etag) = (id_of(&r.id, "id")?, etag(&r.etag, "etag")?);
        self.dealership.delete_vehicle(&caller, &id, etag).await?;
        Ok(Response::new(()))
    }
}
