//! The `aftercare.dealers.v1.RepairOrderService` contract: appointments and
//! repair orders, parsed at the edge; the use cases keep the rules.

pub(crate) mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::{invalid_argument as invalid, mutation, principal};
use aftercare_proto::dealers::v1::{
    self as pb, repair_order_service_server::RepairOrderServiceServer,
};
use aftercare_values::FieldViolation;
use std::time::Duration;

use aftercare_serving::watch::Watch;
use time::OffsetDateTime;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, service::interceptor::InterceptedService};

use super::fields::{code, etag, id, new_id, optional_id, required_time, time};
use crate::{
    domain::{at_risk, repair_order::Transition, text::Id},
    usecases::{Arrival, Details, RepairOrders, Workshop},
};

/// The gRPC face of the workshop.
#[derive(Debug, Clone)]
pub struct RepairOrderApi {
    repair_orders: RepairOrders,
    workshop: Workshop,
    /// How often a watch of at-risk ROs reads them again.
    watch_every: Duration,
}

impl RepairOrderApi {
    pub fn new(repair_orders: RepairOrders, workshop: Workshop) -> Self {
        Self {
            repair_orders,
            workshop,
            watch_every: Duration::from_secs(5),
        }
    }

    pub fn with_watch_interval(mut self, every: Duration) -> Self {
        self.watch_every = every;
        self
    }

    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<RepairOrderServiceServer<Self>, ServiceAuth> {
        RepairOrderServiceServer::with_interceptor(self, auth)
    }

    /// A move of RO `id`, answered as the RO after it.
    async fn move_to(
        &self,
        caller: aftercare_edge::Caller,
        (id_field, raw_id): (&str, &str),
        raw_etag: &str,
        transition: Transition,
        details: Details,
    ) -> Reply<pb::RepairOrder> {
        let ro_id = id(raw_id, id_field).map_err(invalid)?;
        let etag = etag(raw_etag, "etag").map_err(invalid)?;
        let ro = self
            .workshop
            .move_repair_order(&caller, ro_id.as_str(), etag, transition, details)
            .await?;
        answer(ro)
    }
}

type Reply<T> = Result<Response<T>, Status>;

/// The stream of a watch.
type Updates<T> = ReceiverStream<Result<T, Status>>;

/// The at-risk ROs as read at `now`.
type AtRisk = (OffsetDateTime, Vec<crate::domain::orders::RepairOrder>);

fn answer(ro: crate::domain::orders::RepairOrder) -> Reply<pb::RepairOrder> {
    Ok(Response::new(convert::repair_order(
        ro,
        OffsetDateTime::now_utc(),
    )))
}

fn parsed<T>(r: Result<T, FieldViolation>) -> Result<T, Status> {
    r.map_err(invalid)
}

/// 1 to 1,000,000.
fn quantity(v: i64) -> Result<i64, FieldViolation> {
    if (1..=1_000_000).contains(&v) {
        Ok(v)
    } else {
        Err(FieldViolation::new("quantity", "must be 1 to 1,000,000"))
    }
}

/// 1 to 100,000 hundredths of an hour.
fn centihours(v: i32) -> Result<i32, FieldViolation> {
    if (1..=100_000).contains(&v) {
        Ok(v)
    } else {
        Err(FieldViolation::new(
            "actual_centihours",
            "must be 1 to 100,000 hundredths of an hour",
        ))
    }
}

fn line_number(v: i32) -> Result<i32, FieldViolation> {
    if v >= 1 {
        Ok(v)
    } else {
        Err(FieldViolation::new("line_number", "must be 1 or more"))
    }
}

/// A part number as the catalogue writes them: upper-case letters, digits
/// and hyphens, at most 32 characters.
fn part_number(v: &str) -> Result<String, FieldViolation> {
    code(v, "part_number").map(|c| c.into_string())
}

fn reason(v: &str) -> Result<String, FieldViolation> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > 500 {
        Err(FieldViolation::new("reason", "must be 1 to 500 characters"))
    } else {
        Ok(v.to_owned())
    }
}

#[tonic::async_trait]
impl pb::repair_order_service_server::RepairOrderService for RepairOrderApi {
    #[tracing::instrument(skip_all)]
    async fn create_appointment(
        &self,
        request: Request<pb::CreateAppointmentRequest>,
    ) -> Reply<pb::Appointment> {
        let caller = mutation(&request, "CreateAppointment", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let a = aftercare_edge::required(r.appointment, "appointment")?;
        let booking = parsed(convert::booking(&a))?;
        let new = parsed(new_id(&r.appointment_id, "appointment_id"))?;
        let appointment = self
            .repair_orders
            .create_appointment(&caller, new, booking)
            .await?;
        Ok(Response::new(appointment.into()))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_appointment(
        &self,
        request: Request<pb::GetAppointmentRequest>,
    ) -> Reply<pb::Appointment> {
        let id = parsed(id(&request.get_ref().id, "id"))?;
        let a = self
            .repair_orders
            .get_appointment(&principal(&request)?, id.as_str())
            .await?;
        Ok(Response::new(a.into()))
    }

    #[tracing::instrument(skip_all)]
    async fn list_appointments(
        &self,
        request: Request<pb::ListAppointmentsRequest>,
    ) -> Reply<pb::ListAppointmentsResponse> {
        let principal = principal(&request)?;
        let r = request.into_inner();
        parsed(optional_id(&r.station_id, "station_id"))?;
        parsed(optional_id(&r.advisor_id, "advisor_id"))?;
        let filters = [r.station_id.as_str(), r.advisor_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .repair_orders
            .list_appointments(&principal, &r.station_id, &r.advisor_id, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |a| a.id.as_str(), &filters);
        Ok(Response::new(pb::ListAppointmentsResponse {
            appointments: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn arrive_for_appointment(
        &self,
        request: Request<pb::ArriveForAppointmentRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(
            &request,
            "ArriveForAppointment",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let appointment = parsed(id(&r.id, "id"))?;
        let arrival = Arrival {
            arrival_time: parsed(time(r.arrival_time.as_ref(), "arrival_time"))?,
            promise_time: parsed(required_time(r.promise_time.as_ref(), "promise_time"))?,
            estimate: parsed(convert::money(r.estimate.as_ref(), "estimate"))?,
            mileage_km: parsed(super::fields::mileage(r.mileage_km, "mileage_km"))?,
            repair_order_id: parsed(new_id(&r.repair_order_id, "repair_order_id"))?,
        };
        let ro = self
            .repair_orders
            .arrive_for_appointment(&caller, appointment.as_str(), arrival)
            .await?;
        answer(ro)
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn record_no_show(
        &self,
        request: Request<pb::RecordNoShowRequest>,
    ) -> Reply<pb::Appointment> {
        let caller = mutation(&request, "RecordNoShow", &request.get_ref().request_id)?;
        let id = parsed(id(&request.get_ref().id, "id"))?;
        let a = self
            .repair_orders
            .record_no_show(&caller, id.as_str())
            .await?;
        Ok(Response::new(a.into()))
    }

    #[tracing::instrument(skip_all)]
    async fn create_repair_order(
        &self,
        request: Request<pb::CreateRepairOrderRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(&request, "CreateRepairOrder", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let ro = aftercare_edge::required(r.repair_order, "repair_order")?;
        let opening = parsed(convert::opening(&ro))?;
        let new = parsed(new_id(&r.repair_order_id, "repair_order_id"))?;
        answer(
            self.repair_orders
                .create_repair_order(&caller, new, opening)
                .await?,
        )
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_repair_order(
        &self,
        request: Request<pb::GetRepairOrderRequest>,
    ) -> Reply<pb::RepairOrder> {
        let id = parsed(id(&request.get_ref().id, "id"))?;
        answer(
            self.repair_orders
                .get_repair_order(&principal(&request)?, id.as_str())
                .await?,
        )
    }

    #[tracing::instrument(skip_all)]
    async fn list_repair_orders(
        &self,
        request: Request<pb::ListRepairOrdersRequest>,
    ) -> Reply<pb::ListRepairOrdersResponse> {
        let principal = principal(&request)?;
        let r = request.into_inner();
        parsed(optional_id(&r.station_id, "station_id"))?;
        parsed(optional_id(&r.vehicle_id, "vehicle_id"))?;
        let status = parsed(convert::status(r.status, "status"))?;
        let status_filter = r.status.to_string();
        let filters = [
            r.station_id.as_str(),
            r.vehicle_id.as_str(),
            status_filter.as_str(),
        ];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .repair_orders
            .list_repair_orders(&principal, &r.station_id, &r.vehicle_id, status, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |ro| ro.id.as_str(), &filters);
        let now = OffsetDateTime::now_utc();
        Ok(Response::new(pb::ListRepairOrdersResponse {
            repair_orders: rows
                .into_iter()
                .map(|ro| convert::repair_order(ro, now))
                .collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all, fields(station = %request.get_ref().station_id))]
    async fn list_at_risk_repair_orders(
        &self,
        request: Request<pb::ListAtRiskRepairOrdersRequest>,
    ) -> Reply<pb::ListAtRiskRepairOrdersResponse> {
        let principal = principal(&request)?;
        let r = request.into_inner();
        let station = parsed(id(&r.station_id, "station_id"))?;
        parsed(optional_id(&r.advisor_id, "advisor_id"))?;
        let now = OffsetDateTime::now_utc();
        let rows = self
            .repair_orders
            .list_at_risk(&principal, station.as_str(), &r.advisor_id, now)
            .await?;
        Ok(Response::new(pb::ListAtRiskRepairOrdersResponse {
            repair_orders: rows
                .into_iter()
                .map(|ro| convert::repair_order(ro, now))
                .collect(),
        }))
    }

    type WatchAtRiskRepairOrdersStream = Updates<pb::AtRiskRepairOrders>;

    #[tracing::instrument(skip_all, fields(station = %request.get_ref().station_id))]
    async fn watch_at_risk_repair_orders(
        &self,
        request: Request<pb::WatchAtRiskRepairOrdersRequest>,
    ) -> Reply<Self::WatchAtRiskRepairOrdersStream> {
        let principal = principal(&request)?;
        let station = parsed(id(&request.get_ref().station_id, "station_id"))?;
        let watch = Watch::new(self.repair_orders.changes(), self.watch_every, &request);
        let repair_orders = self.repair_orders.clone();
        let read = move || {
            let (repair_orders, principal, station) =
                (repair_orders.clone(), principal.clone(), station.clone());
            async move {
                let now = OffsetDateTime::now_utc();
                let at_risk = repair_orders
                    .list_at_risk(&principal, station.as_str(), "", now)
                    .await?;
                Ok::<AtRisk, Status>((now, at_risk))
            }
        };
        let update = |last: Option<&AtRisk>, (now, at_risk): &AtRisk| {
            if let Some((_, last)) = last
                && !at_risk::changed(&at_risk::seen(last), &at_risk::seen(at_risk))
            {
                return None;
            }
            Some(pb::AtRiskRepairOrders {
                repair_orders: at_risk
                    .iter()
                    .map(|ro| convert::repair_order(ro.clone(), *now))
                    .collect(),
            })
        };
        Ok(Response::new(watch.follow(read, update).await?))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().repair_order_id))]
    async fn add_labour_line(
        &self,
        request: Request<pb::AddLabourLineRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(&request, "AddLabourLine", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let ro = parsed(id(&r.repair_order_id, "repair_order_id"))?;
        let operation = parsed(code(&r.operation_code, "operation_code"))?;
        let technician = parsed(optional_id(&r.technician_id, "technician_id"))?;
        let etag = parsed(etag(&r.etag, "etag"))?;
        answer(
            self.workshop
                .add_labour_line(&caller, ro.as_str(), etag, operation, technician)
                .await?,
        )
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().repair_order_id))]
    async fn record_labour_time(
        &self,
        request: Request<pb::RecordLabourTimeRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(&request, "RecordLabourTime", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let ro = parsed(id(&r.repair_order_id, "repair_order_id"))?;
        let line = parsed(line_number(r.line_number))?;
        let hours = parsed(centihours(r.actual_centihours))?;
        let technician = parsed(id(&r.technician_id, "technician_id"))?;
        let etag = parsed(etag(&r.etag, "etag"))?;
        answer(
            self.workshop
                .record_labour_time(&caller, ro.as_str(), etag, line, hours, technician)
                .await?,
        )
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().repair_order_id))]
    async fn add_parts_line(
        &self,
        request: Request<pb::AddPartsLineRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(&request, "AddPartsLine", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let ro = parsed(id(&r.repair_order_id, "repair_order_id"))?;
        let part = parsed(part_number(&r.part_number))?;
        let quantity = parsed(quantity(r.quantity))?;
        let etag = parsed(etag(&r.etag, "etag"))?;
        answer(
            self.workshop
                .add_parts_line(&caller, ro.as_str(), etag, part, quantity)
                .await?,
        )
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn start_repair_order(
        &self,
        request: Request<pb::StartRepairOrderRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(&request, "StartRepairOrder", &request.get_ref().request_id)?;
        let r = request.into_inner();
        self.move_to(
            caller,
            ("id", &r.id),
            &r.etag,
            Transition::Start,
            Details::None,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn wait_for_parts(
        &self,
        request: Request<pb::WaitForPartsRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(&request, "WaitForParts", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let t = Transition::WaitForParts;
        self.move_to(caller, ("id", &r.id), &r.etag, t, Details::None)
            .await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn resume_repair_order(
        &self,
        request: Request<pb::ResumeRepairOrderRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(&request, "ResumeRepairOrder", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let t = Transition::ResumeWork;
        self.move_to(caller, ("id", &r.id), &r.etag, t, Details::None)
            .await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn complete_repair_order(
        &self,
        request: Request<pb::CompleteRepairOrderRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(
            &request,
            "CompleteRepairOrder",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let t = Transition::Complete;
        self.move_to(caller, ("id", &r.id), &r.etag, t, Details::None)
            .await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn deliver_repair_order(
        &self,
        request: Request<pb::DeliverRepairOrderRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(
            &request,
            "DeliverRepairOrder",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let details = Details::Deliver {
            final_bill: parsed(convert::money(r.final_bill.as_ref(), "final_bill"))?,
            approval: parsed(convert::approval(r.customer_approval.as_ref()))?,
            handover: parsed(convert::handover(&r.handover))?,
        };
        let t = Transition::Deliver;
        self.move_to(caller, ("id", &r.id), &r.etag, t, details)
            .await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn close_repair_order(
        &self,
        request: Request<pb::CloseRepairOrderRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(&request, "CloseRepairOrder", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let t = Transition::Close;
        self.move_to(caller, ("id", &r.id), &r.etag, t, Details::None)
            .await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn cancel_repair_order(
        &self,
        request: Request<pb::CancelRepairOrderRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(&request, "CancelRepairOrder", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let details = Details::Cancel {
            reason: parsed(reason(&r.reason))?,
        };
        let t = Transition::Cancel;
        self.move_to(caller, ("id", &r.id), &r.etag, t, details)
            .await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn record_call_back(
        &self,
        request: Request<pb::RecordCallBackRequest>,
    ) -> Reply<pb::RepairOrder> {
        let caller = mutation(&request, "RecordCallBack", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let ro: Id = parsed(id(&r.id, "id"))?;
        let at = parsed(time(r.call_back_time.as_ref(), "call_back_time"))?;
        answer(
            self.workshop
                .record_call_back(&caller, ro.as_str(), at)
                .await?,
        )
    }

    #[tracing::instrument(skip_all, fields(station = %request.get_ref().station_id))]
    async fn list_maintenance_reminders(
        &self,
        request: Request<pb::ListMaintenanceRemindersRequest>,
    ) -> Reply<pb::ListMaintenanceRemindersResponse> {
        let principal = principal(&request)?;
        let r = request.into_inner();
        let station = parsed(id(&r.station_id, "station_id"))?;
        parsed(optional_id(&r.advisor_id, "advisor_id"))?;
        let within_days = match r.within_days {
            0 => 30,
            d @ 1..=366 => i64::from(d),
            _ => {
                return Err(invalid(FieldViolation::new(
                    "within_days",
                    "must be 1 to 366",
                )));
            }
        };
        let reminders = self
            .workshop
            .maintenance_reminders(
                &principal,
                station.as_str(),
                &r.advisor_id,
                within_days,
                OffsetDateTime::now_utc(),
            )
            .await?;
        Ok(Response::new(pb::ListMaintenanceRemindersResponse {
            reminders: reminders.into_iter().map(convert::reminder).collect(),
        }))
    }
}
