//! The `aftercare.parts.v1.StockService` contract: proto in, parsed at the
//! edge; domain out. No SQL here, and no rule that belongs to the domain.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::{Mask, invalid_argument as invalid};
use aftercare_proto::{
    common::v1 as common,
    parts::v1::{self as pb, stock_service_server::StockServiceServer},
};
use aftercare_values::{AtField, DEFAULT_PAGE_SIZE, FieldViolation, MAX_PAGE_SIZE, Period};
use tonic::{Request, Response, Status, service::interceptor::InterceptedService};

use super::{Reply, fields, int_key, part_number};
use crate::{
    domain::{
        catalogue::Unit, fill_rate::FillRate, ledger::BookingKey, levels::LevelsPatch,
        quantity::Quantity, stock::Movement, warehouse::NetworkId,
    },
    usecases::{
        Context, LineRequest, MovementRequest, Reports, Reservations, Stock, TransferRequest,
        Transfers, Warehouses,
    },
};

/// The gRPC face of the stock.
#[derive(Debug, Clone)]
pub(crate) struct StockApi {
    warehouses: Warehouses,
    stock: Stock,
    reservations: Reservations,
    transfers: Transfers,
    reports: Reports,
}

impl StockApi {
    pub(crate) fn new(cx: &Context) -> Self {
        Self {
            warehouses: Warehouses::new(cx.clone()),
            stock: Stock::new(cx.clone()),
            reservations: Reservations::new(cx.clone()),
            transfers: Transfers::new(cx.clone()),
            reports: Reports::new(cx.clone()),
        }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<StockServiceServer<Self>, ServiceAuth> {
        StockServiceServer::with_interceptor(self, auth)
    }

    /// ListStockMovements by repair order: every warehouse's movements of
    /// its lines, in booking order.
    async fn list_order_movements(
        &self,
        principal: &aftercare_auth::Principal,
        r: pb::ListStockMovementsRequest,
    ) -> Reply<pb::ListStockMovementsResponse> {
        for (v, field) in [
            (&r.warehouse_id, "warehouse_id"),
            (&r.part_number, "part_number"),
        ] {
            if !v.is_empty() {
                return Err(invalid(FieldViolation::new(
                    field,
                    "must be empty when asking by repair_order_id",
                )));
            }
        }
        let ro = id(&r.repair_order_id, "repair_order_id")?;
        let filters = [r.repair_order_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = aftercare_edge::page_key(&page, booking_key)?;
        let rows = self
            .stock
            .list_order_movements(principal, &ro, after, page.fetch_limit())
            .await?
            .into_iter()
            .map(|l| {
                let key = format!(
                    "{}/{}/{}/{}",
                    l.booking_time, l.sequence, l.warehouse_id, l.part_number
                );
                (key, l)
            })
            .collect();
        let (rows, next_page_token) = page.finish(rows, |(k, _)| k.as_str(), &filters);
        Ok(Response::new(pb::ListStockMovementsResponse {
            stock_movements: rows.into_iter().map(|(_, l)| l.into()).collect(),
            next_page_token,
        }))
    }
}

/// The key of a page of an RO's movements: `time/sequence/warehouse/part`
/// (the part last: it is the one that may hold any character).
fn booking_key(key: &str) -> Option<BookingKey> {
    let mut parts = key.splitn(4, '/');
    Some(BookingKey {
        booking_time: parts.next()?.parse().ok()?,
        sequence: parts.next()?.parse().ok()?,
        warehouse_id: parts.next()?.to_owned(),
        part_number: parts.next()?.to_owned(),
    })
}

fn id(v: &str, field: &str) -> Result<NetworkId, Status> {
    fields::id(v, field).map_err(invalid)
}

fn quantity(v: i64, field: &str) -> Result<Quantity, Status> {
    fields::quantity(v, field).map_err(invalid)
}

fn unit(v: &str) -> Result<Option<Unit>, Status> {
    fields::unit(v, "unit").map_err(invalid)
}

fn line_number(v: i32) -> Result<i64, Status> {
    convert::line_number(v, "line_number").map_err(invalid)
}

/// The warehouse, repair order and line a reservation is named by.
fn order_line(
    warehouse_id: &str,
    repair_order_id: &str,
    line: i32,
) -> Result<(NetworkId, NetworkId, i64), Status> {
    Ok((
        id(warehouse_id, "warehouse_id")?,
        id(repair_order_id, "repair_order_id")?,
        line_number(line)?,
    ))
}

/// The period a request names.
fn period(p: Option<&common::Period>) -> Result<Period, Status> {
    let p = aftercare_edge::required(p, "period")?;
    Period::from_parts(p.kind, p.year, p.number)
        .at("period")
        .map_err(invalid)
}

#[tonic::async_trait]
impl pb::stock_service_server::StockService for StockApi {
    #[tracing::instrument(skip_all, fields(warehouse_id = %request.get_ref().warehouse_id))]
    async fn get_warehouse(
        &self,
        request: Request<pb::GetWarehouseRequest>,
    ) -> Reply<pb::Warehouse> {
        let w = id(&request.get_ref().warehouse_id, "warehouse_id")?;
        let principal = aftercare_edge::principal(&request)?;
        Ok(Response::new(
            self.warehouses.get_warehouse(&principal, &w).await?.into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_warehouses(
        &self,
        request: Request<pb::ListWarehousesRequest>,
    ) -> Reply<pb::ListWarehousesResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        fields::optional_id(&r.region_id, "region_id").map_err(invalid)?;
        fields::optional_id(&r.dealer_id, "dealer_id").map_err(invalid)?;
        let filters = [r.region_id.as_str(), r.dealer_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .warehouses
            .list_warehouses(&principal, &r.region_id, &r.dealer_id, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |w| w.id.as_str(), &filters);
        Ok(Response::new(pb::ListWarehousesResponse {
            warehouses: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn create_warehouse(
        &self,
        request: Request<pb::CreateWarehouseRequest>,
    ) -> Reply<pb::Warehouse> {
        let caller =
            aftercare_edge::mutation(&request, "CreateWarehouse", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let w = aftercare_edge::required(r.warehouse, "warehouse")?;
        let w = convert::warehouse(&w).map_err(invalid)?;
        Ok(Response::new(
            self.warehouses.create_warehouse(&caller, w).await?.into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(warehouse_id = %request.get_ref().warehouse_id))]
    async fn get_stock_level(
        &self,
        request: Request<pb::GetStockLevelRequest>,
    ) -> Reply<pb::StockLevel> {
        let r = request.get_ref();
        let w = id(&r.warehouse_id, "warehouse_id")?;
        let part = part_number(&r.part_number, "part_number")?;
        let principal = aftercare_edge::principal(&request)?;
        Ok(Response::new(
            self.stock
                .get_stock_level(&principal, &w, &part)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(warehouse_id = %request.get_ref().warehouse_id))]
    async fn list_stock_levels(
        &self,
        request: Request<pb::ListStockLevelsRequest>,
    ) -> Reply<pb::ListStockLevelsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let w = id(&r.warehouse_id, "warehouse_id")?;
        let filters = [r.warehouse_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self.stock.list_stock_levels(&principal, &w, &page).await?;
        let (rows, next_page_token) = page.finish(rows, |s| s.part_number.as_str(), &filters);
        Ok(Response::new(pb::ListStockLevelsResponse {
            stock_levels: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn update_stock_level(
        &self,
        request: Request<pb::UpdateStockLevelRequest>,
    ) -> Reply<pb::StockLevel> {
        let caller =
            aftercare_edge::mutation(&request, "UpdateStockLevel", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let level = aftercare_edge::required(r.stock_level, "stock_level")?;
        let w = id(&level.warehouse_id, "stock_level.warehouse_id")?;
        let part = part_number(&level.part_number, "stock_level.part_number")?;
        let etag = fields::etag(&level.etag, "stock_level.etag").map_err(invalid)?;
        let fields = [
            "safety_stock",
            "reorder_point",
            "min_quantity",
            "max_quantity",
        ];
        let m = Mask::new(r.update_mask, &fields).map_err(invalid)?;
        let take = |name: &str, v: i64| m.take(name, v != 0, || Ok::<_, FieldViolation>(v));
        let patch = LevelsPatch {
            safety_stock: take("safety_stock", level.safety_stock).map_err(invalid)?,
            reorder_point: take("reorder_point", level.reorder_point).map_err(invalid)?,
            min_quantity: take("min_quantity", level.min_quantity).map_err(invalid)?,
            max_quantity: take("max_quantity", level.max_quantity).map_err(invalid)?,
        };
        Ok(Response::new(
            self.stock
                .update_stock_level(&caller, &w, &part, etag, patch)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(warehouse_id = %request.get_ref().warehouse_id))]
    async fn receive_stock(
        &self,
        request: Request<pb::ReceiveStockRequest>,
    ) -> Reply<pb::StockMovement> {
        let caller =
            aftercare_edge::mutation(&request, "ReceiveStock", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let w = id(&r.warehouse_id, "warehouse_id")?;
        let part = part_number(&r.part_number, "part_number")?;
        let q = quantity(r.quantity, "quantity")?;
        let at = convert::past_time(
            r.effective_time.as_ref(),
            "effective_time",
            self.stock.clock(),
        )
        .map_err(invalid)?;
        let reference = convert::note(&r.reference, "reference", false).map_err(invalid)?;
        let unit = unit(&r.unit)?;
        Ok(Response::new(
            self.stock
                .book_movement(
                    &caller,
                    MovementRequest {
                        warehouse_id: w,
                        part_number: part,
                        movement: Movement::Receive(q),
                        unit,
                        effective_time: at,
                        reference,
                    },
                )
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(warehouse_id = %request.get_ref().warehouse_id))]
    async fn adjust_stock(
        &self,
        request: Request<pb::AdjustStockRequest>,
    ) -> Reply<pb::StockMovement> {
        let caller =
            aftercare_edge::mutation(&request, "AdjustStock", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let w = id(&r.warehouse_id, "warehouse_id")?;
        let part = part_number(&r.part_number, "part_number")?;
        if r.quantity_delta == 0 || quantity(r.quantity_delta.abs(), "quantity_delta").is_err() {
            return Err(invalid(FieldViolation::new(
                "quantity_delta",
                "must be -1,000,000 to 1,000,000 and not 0",
            )));
        }
        let reason = convert::note(&r.reason, "reason", true).map_err(invalid)?;
        let at = convert::past_time(
            r.effective_time.as_ref(),
            "effective_time",
            self.stock.clock(),
        )
        .map_err(invalid)?;
        Ok(Response::new(
            self.stock
                .book_movement(
                    &caller,
                    MovementRequest {
                        warehouse_id: w,
                        part_number: part,
                        movement: Movement::Adjust(r.quantity_delta),
                        unit: unit(&r.unit)?,
                        effective_time: at,
                        reference: reason,
                    },
                )
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(repair_order_id = %request.get_ref().repair_order_id))]
    async fn reserve_stock(
        &self,
        request: Request<pb::ReserveStockRequest>,
    ) -> Reply<pb::Reservation> {
        let caller =
            aftercare_edge::mutation(&request, "ReserveStock", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let line = LineRequest {
            warehouse_id: id(&r.warehouse_id, "warehouse_id")?,
            part_number: part_number(&r.part_number, "part_number")?,
            quantity: quantity(r.quantity, "quantity")?,
            repair_order_id: id(&r.repair_order_id, "repair_order_id")?,
            line_number: line_number(r.line_number)?,
            allow_backorder: r.allow_backorder,
            unit: unit(&r.unit)?,
        };
        Ok(Response::new(
            self.reservations.reserve(&caller, line).await?.into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(repair_order_id = %request.get_ref().repair_order_id))]
    async fn release_reservation(
        &self,
        request: Request<pb::ReleaseReservationRequest>,
    ) -> Reply<pb::Reservation> {
        let caller = aftercare_edge::mutation(
            &request,
            "ReleaseReservation",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let (w, ro, line) = order_line(&r.warehouse_id, &r.repair_order_id, r.line_number)?;
        Ok(Response::new(
            self.reservations
                .settle(&caller, &w, &ro, line, false)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(repair_order_id = %request.get_ref().repair_order_id))]
    async fn issue_reservation(
        &self,
        request: Request<pb::IssueReservationRequest>,
    ) -> Reply<pb::Reservation> {
        let caller =
            aftercare_edge::mutation(&request, "IssueReservation", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let (w, ro, line) = order_line(&r.warehouse_id, &r.repair_order_id, r.line_number)?;
        Ok(Response::new(
            self.reservations
                .settle(&caller, &w, &ro, line, true)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(repair_order_id = %request.get_ref().repair_order_id))]
    async fn get_reservation(
        &self,
        request: Request<pb::GetReservationRequest>,
    ) -> Reply<pb::Reservation> {
        let r = request.get_ref();
        let (w, ro, line) = order_line(&r.warehouse_id, &r.repair_order_id, r.line_number)?;
        let principal = aftercare_edge::principal(&request)?;
        Ok(Response::new(
            self.reservations
                .get_reservation(&principal, &w, &ro, line)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn create_transfer(
        &self,
        request: Request<pb::CreateTransferRequest>,
    ) -> Reply<pb::Transfer> {
        let caller =
            aftercare_edge::mutation(&request, "CreateTransfer", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let from = id(&r.from_warehouse_id, "from_warehouse_id")?;
        let to = id(&r.to_warehouse_id, "to_warehouse_id")?;
        if from == to {
            return Err(invalid(FieldViolation::new(
                "to_warehouse_id",
                "must be another warehouse than from_warehouse_id",
            )));
        }
        let req = TransferRequest {
            from,
            to,
            part_number: part_number(&r.part_number, "part_number")?,
            quantity: quantity(r.quantity, "quantity")?,
            expected_time: fields::time(r.expected_time.as_ref(), "expected_time")
                .map_err(invalid)?,
            unit: unit(&r.unit)?,
        };
        Ok(Response::new(
            self.transfers.create_transfer(&caller, req).await?.into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(transfer_id = %request.get_ref().transfer_id))]
    async fn receive_transfer(
        &self,
        request: Request<pb::ReceiveTransferRequest>,
    ) -> Reply<pb::Transfer> {
        let caller =
            aftercare_edge::mutation(&request, "ReceiveTransfer", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let t = id(&r.transfer_id, "transfer_id")?;
        Ok(Response::new(
            self.transfers
                .receive_transfer(&caller, t.as_str())
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(warehouse_id = %request.get_ref().warehouse_id))]
    async fn list_stock_movements(
        &self,
        request: Request<pb::ListStockMovementsRequest>,
    ) -> Reply<pb::ListStockMovementsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        if !r.repair_order_id.is_empty() {
            return self.list_order_movements(&principal, r).await;
        }
        let w = id(&r.warehouse_id, "warehouse_id")?;
        let part = part_number(&r.part_number, "part_number")?;
        let filters = [r.warehouse_id.as_str(), r.part_number.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = int_key(&page)?;
        let rows = self
            .stock
            .list_stock_movements(&principal, &w, &part, after, page.fetch_limit())
            .await?
            .into_iter()
            .map(|l| (l.sequence.to_string(), l))
            .collect();
        let (rows, next_page_token) = page.finish(rows, |(k, _)| k.as_str(), &filters);
        Ok(Response::new(pb::ListStockMovementsResponse {
            stock_movements: rows.into_iter().map(|(_, l)| l.into()).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all, fields(warehouse_id = %request.get_ref().warehouse_id))]
    async fn list_backorders(
        &self,
        request: Request<pb::ListBackordersRequest>,
    ) -> Reply<pb::ListBackordersResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let w = id(&r.warehouse_id, "warehouse_id")?;
        let filters = [r.warehouse_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .reservations
            .list_backorders(&principal, &w, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |(k, _)| k.as_str(), &filters);
        Ok(Response::new(pb::ListBackordersResponse {
            backorders: rows.into_iter().map(|(_, r)| r.into()).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all, fields(part_number = %request.get_ref().part_number))]
    async fn get_part_availability(
        &self,
        request: Request<pb::GetPartAvailabilityRequest>,
    ) -> Reply<pb::PartAvailability> {
        let part = part_number(&request.get_ref().part_number, "part_number")?;
        let max_warehouses = match request.get_ref().max_warehouses {
            0 => DEFAULT_PAGE_SIZE,
            n => u32::try_from(n)
                .map_err(|_| {
                    invalid(FieldViolation::new(
                        "max_warehouses",
                        "must not be negative",
                    ))
                })?
                .min(MAX_PAGE_SIZE),
        };
        let principal = aftercare_edge::principal(&request)?;
        let found = self
            .reports
            .part_availability(&principal, &part, max_warehouses)
            .await?;
        Ok(Response::new(pb::PartAvailability {
            total_available: found.total_available,
            warehouses_holding: i32::try_from(found.warehouses_holding).unwrap_or(i32::MAX),
            part_number: part.into_string(),
            warehouses: found.warehouses.into_iter().map(Into::into).collect(),
        }))
    }

    #[tracing::instrument(skip_all, fields(warehouse_id = %request.get_ref().warehouse_id))]
    async fn list_replenishment_suggestions(
        &self,
        request: Request<pb::ListReplenishmentSuggestionsRequest>,
    ) -> Reply<pb::ListReplenishmentSuggestionsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let w = id(&r.warehouse_id, "warehouse_id")?;
        let filters = [r.warehouse_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self.reports.replenishment(&principal, &w, &page).await?;
        let (rows, next_page_token) = page.finish(rows, |s| s.level.part_number.as_str(), &filters);
        Ok(Response::new(pb::ListReplenishmentSuggestionsResponse {
            suggestions: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn get_fill_rate(&self, request: Request<pb::GetFillRateRequest>) -> Reply<pb::FillRate> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let dealer = fields::optional_id(&r.dealer_id, "dealer_id").map_err(invalid)?;
        let region = fields::optional_id(&r.region_id, "region_id").map_err(invalid)?;
        if dealer.is_some() && region.is_some() {
            return Err(invalid(FieldViolation::new(
                "region_id",
                "must be empty when dealer_id is set",
            )));
        }
        let period = period(r.period.as_ref())?;
        let rate: FillRate = self
            .reports
            .fill_rate(&principal, dealer.as_ref(), region.as_ref(), &period)
            .await?;
        Ok(Response::new(pb::FillRate {
            dealer_id: r.dealer_id,
            region_id: r.region_id,
            period: r.period,
            lines_asked: rate.lines_asked as i64,
            lines_served_at_once: rate.lines_served_at_once as i64,
            rate_basis_points: rate.basis_points().unwrap_or(0) as i32,
        }))
    }
}
