//! The `aftercare.surveys.v1.ComplaintService` contract.

mod convert;
mod followups;

pub(crate) use convert::class_pb;
pub(crate) use followups::standard;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1::{self as pb, complaint_service_server::ComplaintServiceServer};
use aftercare_values::FieldViolation;
use tonic::{Request, Response, Status, service::interceptor::InterceptedService};

use super::Reply;
use crate::usecases::{Change, Complaints, Filter};

/// The gRPC face of complaints.
#[derive(Debug, Clone)]
pub struct ComplaintApi {
    complaints: Complaints,
}

impl ComplaintApi {
    pub fn new(complaints: Complaints) -> Self {
        Self { complaints }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<ComplaintServiceServer<Self>, ServiceAuth> {
        ComplaintServiceServer::with_interceptor(self, auth)
    }

    fn answer(&self, c: crate::domain::complaint::Complaint) -> Response<pb::Complaint> {
        Response::new(convert::complaint(
            c,
            self.complaints.now(),
            self.complaints.currency(),
        ))
    }

    /// A lifecycle change of `id`, after its fields parsed.
    async fn change<T: prost::Message>(
        &self,
        request: &Request<T>,
        method: &str,
        (id, etag, request_id): (&str, &str, &str),
        change: Change,
    ) -> Reply<pb::Complaint> {
        let caller = aftercare_edge::mutation(request, method, request_id)?;
        let id = complaint_id(id)?;
        let etag = Some(etag).filter(|e| !e.is_empty());
        let c = self.complaints.change(&caller, &id, etag, change).await?;
        Ok(self.answer(c))
    }
}

/// A complaint id: `CP-YYYYMM-NNNN`.
fn complaint_id(v: &str) -> Result<String, Status> {
    complaint_id_in(v, "id")
}

/// A complaint id in `field`.
fn complaint_id_in(v: &str, field: &str) -> Result<String, Status> {
    let ok = v.len() <= 32
        && v.starts_with("CP-")
        && v[3..].bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(v.to_owned())
    } else {
        Err(invalid(FieldViolation::new(
            field,
            "must be a complaint id, CP-YYYYMM-NNNN",
        )))
    }
}

#[tonic::async_trait]
impl pb::complaint_service_server::ComplaintService for ComplaintApi {
    #[tracing::instrument(skip_all)]
    async fn open_complaint(
        &self,
        request: Request<pb::OpenComplaintRequest>,
    ) -> Reply<pb::Complaint> {
        let r = request.get_ref().clone();
        let complaint = aftercare_edge::required(r.complaint, "complaint")?;
        let opening = convert::opening(complaint).map_err(invalid)?;
        let caller = aftercare_edge::mutation(&request, "OpenComplaint", &r.request_id)?;
        let c = self.complaints.open(&caller, opening).await?;
        Ok(self.answer(c))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_complaint(
        &self,
        request: Request<pb::GetComplaintRequest>,
    ) -> Reply<pb::Complaint> {
        let principal = aftercare_edge::principal(&request)?;
        let id = complaint_id(&request.get_ref().id)?;
        let c = self.complaints.get(&principal, &id).await?;
        Ok(self.answer(c))
    }

    #[tracing::instrument(skip_all)]
    async fn list_complaints(
        &self,
        request: Request<pb::ListComplaintsRequest>,
    ) -> Reply<pb::ListComplaintsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let optional = |v: &str, field: &str| -> Result<String, Status> {
            if v.is_empty() {
                Ok(String::new())
            } else {
                super::id(v, field)
            }
        };
        let mut filter = Filter {
            dealer_id: optional(&r.dealer_id, "dealer_id")?,
            region_id: optional(&r.region_id, "region_id")?,
            station_id: optional(&r.station_id, "station_id")?,
            state: convert::state(r.state).map_err(invalid)?,
            owner: convert::owner(r.owner_level).map_err(invalid)?,
            technician_id: convert::optional_subject(&r.technician_id, "technician_id")
                .map_err(invalid)?,
            part_number: convert::optional_subject(&r.part_number, "part_number")
                .map_err(invalid)?,
            advisor_id: optional(&r.advisor_id, "advisor_id")?,
            ..Filter::default()
        };
        let month = match r.month {
            None => String::new(),
            Some(m) => {
                let period = super::period(Some(m), "month")?;
                if !matches!(period, aftercare_values::Period::Month { .. }) {
                    return Err(invalid(FieldViolation::new("month", "must be a month")));
                }
                filter.opened = Some(self.complaints.month_bounds(&period));
                format!("{period:?}")
            }
        };
        let state = r.state.to_string();
        let owner = r.owner_level.to_string();
        let overdue = r.overdue.to_string();
        let filters = [
            r.dealer_id.as_str(),
            r.region_id.as_str(),
            r.station_id.as_str(),
            &state,
            &owner,
            &overdue,
            &month,
            r.technician_id.as_str(),
            r.part_number.as_str(),
            r.advisor_id.as_str(),
        ];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = aftercare_edge::page_key(&page, |k| {
            let (t, id) = k.split_once(':')?;
            Some((t.parse::<i64>().ok()?, id.to_owned()))
        })?;
        let rows = self
            .complaints
            .list(&principal, filter, r.overdue, after, &page)
            .await?;
        let keyed: Vec<(String, _)> = rows
            .into_iter()
            .map(|c| (format!("{}:{}", c.open_time, c.id), c))
            .collect();
        let (rows, next_page_token) = page.finish(keyed, |(k, _)| k.as_str(), &filters);
        let now = self.complaints.now();
        Ok(Response::new(pb::ListComplaintsResponse {
            complaints: rows
                .into_iter()
                .map(|(_, c)| convert::complaint(c, now, self.complaints.currency()))
                .collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn respond_to_complaint(
        &self,
        request: Request<pb::RespondToComplaintRequest>,
    ) -> Reply<pb::Complaint> {
        let r = request.get_ref();
        let text = convert::text(r.response.clone(), "response", false).map_err(invalid)?;
        let keys = (r.id.as_str(), r.etag.as_str(), r.request_id.as_str());
        self.change(&request, "RespondToComplaint", keys, Change::Respond(text))
            .await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn resolve_complaint(
        &self,
        request: Request<pb::ResolveComplaintRequest>,
    ) -> Reply<pb::Complaint> {
        let r = request.get_ref();
        let root_cause =
            convert::text(r.root_cause.clone(), "root_cause", false).map_err(invalid)?;
        let corrective_action =
            convert::text(r.corrective_action.clone(), "corrective_action", false)
                .map_err(invalid)?;
        let class = convert::classed(r.class, r.cause.clone(), "").map_err(invalid)?;
        let change = Change::Resolve {
            root_cause,
            corrective_action,
            class,
        };
        let keys = (r.id.as_str(), r.etag.as_str(), r.request_id.as_str());
        self.change(&request, "ResolveComplaint", keys, change)
            .await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn close_complaint(
        &self,
        request: Request<pb::CloseComplaintRequest>,
    ) -> Reply<pb::Complaint> {
        let r = request.get_ref();
        let confirmation = convert::confirmation(r.confirmation).map_err(invalid)?;
        let note = convert::text(r.note.clone(), "note", true).map_err(invalid)?;
        let keys = (r.id.as_str(), r.etag.as_str(), r.request_id.as_str());
        let change = Change::Close { confirmation, note };
        self.change(&request, "CloseComplaint", keys, change).await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn reopen_complaint(
        &self,
        request: Request<pb::ReopenComplaintRequest>,
    ) -> Reply<pb::Complaint> {
        let r = request.get_ref();
        let reason = convert::text(r.reason.clone(), "reason", false).map_err(invalid)?;
        let keys = (r.id.as_str(), r.etag.as_str(), r.request_id.as_str());
        self.change(&request, "ReopenComplaint", keys, Change::Reopen(reason))
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn list_complaint_notifications(
        &self,
        request: Request<pb::ListComplaintNotificationsRequest>,
    ) -> Reply<pb::ListComplaintNotificationsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let page = aftercare_edge::page(r.page_size, "", &[])?;
        let after = if r.page_token.is_empty() {
            0
        } else {
            r.page_token
                .parse::<i64>()
                .ok()
                .filter(|s| *s >= 0)
                .ok_or_else(|| {
                    invalid(FieldViolation::new(
                        "page_token",
                        "must be a sequence read before",
                    ))
                })?
        };
        let rows = self
            .complaints
            .notifications(&principal, after, &page)
            .await?;
        let next_page_token = rows
            .last()
            .map(|n| n.sequence.to_string())
            .unwrap_or(r.page_token);
        Ok(Response::new(pb::ListComplaintNotificationsResponse {
            notifications: rows.into_iter().map(convert::notification).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn propose_complaint_compensation(
        &self,
        request: Request<pb::ProposeComplaintCompensationRequest>,
    ) -> Reply<pb::Complaint> {
        self.propose(request).await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn approve_complaint_compensation(
        &self,
        request: Request<pb::ApproveComplaintCompensationRequest>,
    ) -> Reply<pb::Complaint> {
        let r = request.get_ref();
        let fields = (
            r.id.as_str(),
            r.number,
            r.note.as_str(),
            r.etag.as_str(),
            r.request_id.as_str(),
        );
        self.decide(&request, "ApproveComplaintCompensation", fields, true)
            .await
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn reject_complaint_compensation(
        &self,
        request: Request<pb::RejectComplaintCompensationRequest>,
    ) -> Reply<pb::Complaint> {
        let r = request.get_ref();
        let fields = (
            r.id.as_str(),
            r.number,
            r.note.as_str(),
            r.etag.as_str(),
            r.request_id.as_str(),
        );
        self.decide(&request, "RejectComplaintCompensation", fields, false)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn get_complaint_report(
        &self,
        request: Request<pb::GetComplaintReportRequest>,
    ) -> Reply<pb::ComplaintReport> {
        self.report(request).await
    }

    #[tracing::instrument(skip_all)]
    async fn open_complaint_by_link(
        &self,
        request: Request<pb::OpenComplaintByLinkRequest>,
    ) -> Reply<pb::CustomerComplaint> {
        self.open_by_link(request).await
    }

    #[tracing::instrument(skip_all)]
    async fn get_complaint_by_link(
        &self,
        request: Request<pb::GetComplaintByLinkRequest>,
    ) -> Reply<pb::CustomerComplaint> {
        self.by_link(request).await
    }
}
