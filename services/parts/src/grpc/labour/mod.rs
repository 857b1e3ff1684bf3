//! The `aftercare.parts.v1.LabourService` contract: labour operations and
//! maintenance packages. Proto in, parsed at the edge; domain out. No SQL
//! here, and no rule that belongs to the domain.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_db::timestamp::Clock;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::parts::v1::{self as pb, labour_service_server::LabourServiceServer};
use prost_types::Timestamp;
use tonic::{Request, Response, Status, service::interceptor::InterceptedService};

use super::{
    Reply,
    fields::{self, etag},
};
use crate::{
    domain::{labour::OperationCode, packages::PackageId},
    usecases::{Context, Labour, Packages},
};

/// The gRPC face of labour operations and maintenance packages.
#[derive(Debug, Clone)]
pub(crate) struct LabourApi {
    labour: Labour,
    packages: Packages,
}

impl LabourApi {
    pub(crate) fn new(cx: &Context) -> Self {
        Self {
            labour: Labour::new(cx.clone()),
            packages: Packages::new(cx.clone()),
        }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<LabourServiceServer<Self>, ServiceAuth> {
        LabourServiceServer::with_interceptor(self, auth)
    }
}

fn operation_code(v: &str, field: &str) -> Result<OperationCode, Status> {
    convert::operation_code(v, field).map_err(invalid)
}

fn package_id(v: &str, field: &str) -> Result<PackageId, Status> {
    convert::package_id(v, field).map_err(invalid)
}

/// A time at `field` in micros, required.
fn effective_time(v: Option<&Timestamp>, field: &str) -> Result<i64, Status> {
    aftercare_edge::required(fields::time(v, field).map_err(invalid)?, field)
}

/// A time at `field` in micros; now by `clock` when unset.
fn at_time(v: Option<&Timestamp>, field: &str, clock: &Clock) -> Result<i64, Status> {
    Ok(fields::time(v, field)
        .map_err(invalid)?
        .unwrap_or_else(|| clock.now_micros()))
}

#[tonic::async_trait]
impl pb::labour_service_server::LabourService for LabourApi {
    #[tracing::instrument(skip_all, fields(operation_code = %request.get_ref().operation_code))]
    async fn get_labour_operation(
        &self,
        request: Request<pb::GetLabourOperationRequest>,
    ) -> Reply<pb::LabourOperation> {
        let id = operation_code(&request.get_ref().operation_code, "operation_code")?;
        let principal = aftercare_edge::principal(&request)?;
        let operation = self.labour.get_labour_operation(&principal, &id).await?;
        Ok(Response::new(operation.into()))
    }

    #[tracing::instrument(skip_all)]
    async fn list_labour_operations(
        &self,
        request: Request<pb::ListLabourOperationsRequest>,
    ) -> Reply<pb::ListLabourOperationsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let page = aftercare_edge::page(r.page_size, &r.page_token, &[])?;
        let rows = self
            .labour
            .list_labour_operations(&principal, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |o| o.operation_code.as_str(), &[]);
        Ok(Response::new(pb::ListLabourOperationsResponse {
            labour_operations: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn create_labour_operation(
        &self,
        request: Request<pb::CreateLabourOperationRequest>,
    ) -> Reply<pb::LabourOperation> {
        let caller = aftercare_edge::mutation(
            &request,
            "CreateLabourOperation",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let o = aftercare_edge::required(r.labour_operation, "labour_operation")?;
        let id = operation_code(&o.operation_code, "labour_operation.operation_code")?;
        let fields = convert::labour_fields(&o).map_err(invalid)?;
        let price = convert::published_price(o.price.as_ref(), "labour_operation.price")
            .map_err(invalid)?;
        let created = self
            .labour
            .create_labour_operation(&caller, id, fields, price)
            .await?;
        Ok(Response::new(created.into()))
    }

    #[tracing::instrument(skip_all)]
    async fn update_labour_operation(
        &self,
        request: Request<pb::UpdateLabourOperationRequest>,
    ) -> Reply<pb::LabourOperation> {
        let caller = aftercare_edge::mutation(
            &request,
            "UpdateLabourOperation",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let o = aftercare_edge::required(r.labour_operation, "labour_operation")?;
        let id = operation_code(&o.operation_code, "labour_operation.operation_code")?;
        let etag = etag(&o.etag, "labour_operation.etag").map_err(invalid)?;
        let patch = convert::labour_patch(&o, r.update_mask).map_err(invalid)?;
        let updated = self
            .labour
            .update_labour_operation(&caller, &id, etag, patch)
            .await?;
        Ok(Response::new(updated.into()))
    }

    #[tracing::instrument(skip_all, fields(operation_code = %request.get_ref().operation_code))]
    async fn schedule_labour_price_change(
        &self,
        request: Request<pb::ScheduleLabourPriceChangeRequest>,
    ) -> Reply<pb::LabourPriceChange> {
        let caller = aftercare_edge::mutation(
            &request,
            "ScheduleLabourPriceChange",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let id = operation_code(&r.operation_code, "operation_code")?;
        let effective_time = effective_time(r.effective_time.as_ref(), "effective_time")?;
        let price = convert::published_price(r.price.as_ref(), "price").map_err(invalid)?;
        let change = self
            .labour
            .schedule_labour_price_change(&caller, &id, effective_time, price)
            .await?;
        Ok(Response::new(change.into()))
    }

    #[tracing::instrument(skip_all, fields(operation_code = %request.get_ref().operation_code))]
    async fn get_labour_price(
        &self,
        request: Request<pb::GetLabourPriceRequest>,
    ) -> Reply<pb::LabourPriceChange> {
        let r = request.get_ref();
        let id = operation_code(&r.operation_code, "operation_code")?;
        let at = at_time(r.at_time.as_ref(), "at_time", self.labour.clock())?;
        let principal = aftercare_edge::principal(&request)?;
        let change = self.labour.get_labour_price(&principal, &id, at).await?;
        Ok(Response::new(change.into()))
    }

    #[tracing::instrument(skip_all, fields(package_id = %request.get_ref().package_id))]
    async fn get_maintenance_package(
        &self,
        request: Request<pb::GetMaintenancePackageRequest>,
    ) -> Reply<pb::MaintenancePackage> {
        let id = package_id(&request.get_ref().package_id, "package_id")?;
        let principal = aftercare_edge::principal(&request)?;
        let package = self
            .packages
            .get_maintenance_package(&principal, &id)
            .await?;
        Ok(Response::new(package.into()))
    }

    #[tracing::instrument(skip_all)]
    async fn list_maintenance_packages(
        &self,
        request: Request<pb::ListMaintenancePackagesRequest>,
    ) -> Reply<pb::ListMaintenancePackagesResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        if !r.model_code.is_empty() {
            convert::model_code(&r.model_code, "model_code").map_err(invalid)?;
        }
        let filters = [r.model_code.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .packages
            .list_maintenance_packages(&principal, &r.model_code, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |p| p.package_id.as_str(), &filters);
        Ok(Response::new(pb::ListMaintenancePackagesResponse {
            maintenance_packages: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn create_maintenance_package(
        &self,
        request: Request<pb::CreateMaintenancePackageRequest>,
    ) -> Reply<pb::MaintenancePackage> {
        let caller = aftercare_edge::mutation(
            &request,
            "CreateMaintenancePackage",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let p = aftercare_edge::required(r.maintenance_package, "maintenance_package")?;
        let id = package_id(&p.package_id, "maintenance_package.package_id")?;
        let model = convert::model_code(&p.model_code, "maintenance_package.model_code")
            .map_err(invalid)?;
        let interval = convert::interval(p.interval.as_ref()).map_err(invalid)?;
        let fields = convert::package_fields(&p).map_err(invalid)?;
        let price = convert::published_price(p.price.as_ref(), "maintenance_package.price")
            .map_err(invalid)?;
        let created = self
            .packages
            .create_maintenance_package(&caller, id, model, interval, fields, price)
            .await?;
        Ok(Response::new(created.into()))
    }

    #[tracing::instrument(skip_all)]
    async fn update_maintenance_package(
        &self,
        request: Request<pb::UpdateMaintenancePackageRequest>,
    ) -> Reply<pb::MaintenancePackage> {
        let caller = aftercare_edge::mutation(
            &request,
            "UpdateMaintenancePackage",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let p = aftercare_edge::required(r.maintenance_package, "maintenance_package")?;
        let id = package_id(&p.package_id, "maintenance_package.package_id")?;
        let etag = etag(&p.etag, "maintenance_package.etag").map_err(invalid)?;
        let patch = convert::package_patch(&p, r.update_mask).map_err(invalid)?;
        let updated = self
            .packages
            .update_maintenance_package(&caller, &id, etag, patch)
            .await?;
        Ok(Response::new(updated.into()))
    }

    #[tracing::instrument(skip_all, fields(package_id = %request.get_ref().package_id))]
    async fn schedule_package_price_change(
        &self,
        request: Request<pb::SchedulePackagePriceChangeRequest>,
    ) -> Reply<pb::PackagePriceChange> {
        let caller = aftercare_edge::mutation(
            &request,
            "SchedulePackagePriceChange",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let id = package_id(&r.package_id, "package_id")?;
        let effective_time = effective_time(r.effective_time.as_ref(), "effective_time")?;
        let price = convert::published_price(r.price.as_ref(), "price").map_err(invalid)?;
        let change = self
            .packages
            .schedule_package_price_change(&caller, &id, effective_time, price)
            .await?;
        Ok(Response::new(change.into()))
    }

    #[tracing::instrument(skip_all, fields(package_id = %request.get_ref().package_id))]
    async fn get_package_price(
        &self,
        request: Request<pb::GetPackagePriceRequest>,
    ) -> Reply<pb::PackagePriceChange> {
        let r = request.get_ref();
        let id = package_id(&r.package_id, "package_id")?;
        let at = at_time(r.at_time.as_ref(), "at_time", self.labour.clock())?;
        let principal = aftercare_edge::principal(&request)?;
        let change = self.packages.get_package_price(&principal, &id, at).await?;
        Ok(Response::new(change.into()))
    }
}
