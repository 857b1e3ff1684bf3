//! The `aftercare.surveys.v1.SurveyInvitationService` contract.

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::{
    dealers::v1 as dealers_pb,
    surveys::v1::{self as pb, survey_invitation_service_server::SurveyInvitationServiceServer},
};
use aftercare_values::{FieldViolation, Period, basis_points};
use tonic::{Request, Response, Status, service::interceptor::InterceptedService};

use super::{Reply, convert};
use crate::store::{Delivered, Invitation, RateScope, Store};

/// The gRPC face of survey invitations.
#[derive(Debug, Clone)]
pub struct SurveyInvitationApi {
    store: Store,
    /// Moved as each response is stored.
    leagues: std::sync::Arc<crate::leagues::Leagues>,
}

impl SurveyInvitationApi {
    pub fn new(store: Store, leagues: std::sync::Arc<crate::leagues::Leagues>) -> Self {
        Self { store, leagues }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<SurveyInvitationServiceServer<Self>, ServiceAuth> {
        SurveyInvitationServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl pb::survey_invitation_service_server::SurveyInvitationService for SurveyInvitationApi {
    #[tracing::instrument(skip_all, fields(event_id = %request.get_ref().request_id))]
    async fn receive_repair_order_delivered(
        &self,
        request: Request<pb::ReceiveRepairOrderDeliveredRequest>,
    ) -> Reply<pb::SurveyInvitation> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let event = aftercare_edge::required(r.event, "event")?;
        let delivered = delivered(event, &r.request_id).map_err(invalid)?;
        Ok(Response::new(
            self.store
                .receive_delivered(&principal, delivered)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().invitation_id))]
    async fn issue_survey_link(
        &self,
        request: Request<pb::IssueSurveyLinkRequest>,
    ) -> Reply<pb::IssueSurveyLinkResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let id = convert::id(&request.get_ref().invitation_id, "invitation_id")?;
        let issued = self.store.issue_link(&principal, &id).await?;
        Ok(Response::new(pb::IssueSurveyLinkResponse {
            link_token: issued.token,
            expire_time: convert::time(issued.expire_time),
            invitation: Some(issued.invitation.into()),
        }))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().invitation_id))]
    async fn take_survey_by_phone(
        &self,
        request: Request<pb::TakeSurveyByPhoneRequest>,
    ) -> Reply<pb::SurveyResponse> {
        let caller =
            aftercare_edge::mutation(&request, "TakeSurveyByPhone", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let id = convert::id(&r.invitation_id, "invitation_id")?;
        let response = self
            .store
            .take_by_phone(&caller, &id, convert::answers(r.answers))
            .await?;
        // A replayed call moves the tables again: harmless, the rows are
        // recomputed from the database.
        self.leagues.record(&response).await;
        Ok(Response::new(response.into()))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_survey_invitation(
        &self,
        request: Request<pb::GetSurveyInvitationRequest>,
    ) -> Reply<pb::SurveyInvitation> {
        let id = convert::id(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.store
                .get_invitation(&aftercare_edge::principal(&request)?, &id)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_survey_invitations(
        &self,
        request: Request<pb::ListSurveyInvitationsRequest>,
    ) -> Reply<pb::ListSurveyInvitationsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let filters = [r.station_id.as_str(), r.dealer_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .store
            .list_invitations(&principal, &r.station_id, &r.dealer_id, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |i| i.id.as_str(), &filters);
        Ok(Response::new(pb::ListSurveyInvitationsResponse {
            survey_invitations: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn get_response_rate(
        &self,
        request: Request<pb::GetResponseRateRequest>,
    ) -> Reply<pb::ResponseRate> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let scope = rate_scope(&r)?;
        let p = aftercare_edge::required(r.period, "period")?;
        let period = Period::from_parts(p.kind, p.year, p.number)
            .map_err(|e| invalid(FieldViolation::new("period", e.to_string())))?;
        let rate = self.store.response_rate(&principal, scope, period).await?;
        Ok(Response::new(pb::ResponseRate {
            invited: rate.invited,
            answered: rate.answered,
            rate_basis_points: basis_points(rate.answered as u64, rate.invited as u64).unwrap_or(0)
                as i32,
        }))
    }
}

fn rate_scope(r: &pb::GetResponseRateRequest) -> Result<RateScope, Status> {
    let set = [&r.station_id, &r.dealer_id, &r.region_id]
        .iter()
        .filter(|s| !s.is_empty())
        .count();
    if set > 1 {
        return Err(invalid(FieldViolation::new(
            "station_id",
            "set at most one of station_id, dealer_id and region_id",
        )));
    }
    Ok(if !r.station_id.is_empty() {
        RateScope::Station(convert::id(&r.station_id, "station_id")?)
    } else if !r.dealer_id.is_empty() {
        RateScope::Dealer(convert::id(&r.dealer_id, "dealer_id")?)
    } else if !r.region_id.is_empty() {
        RateScope::Region(convert::id(&r.region_id, "region_id")?)
    } else {
        RateScope::Visible
    })
}

/// The delivered RO of an event: its ids, its technicians (each once, in
/// the order of the labour lines) and its delivery time (the DELIVERED
/// change of its history, else its last update).
fn delivered(
    event: dealers_pb::RepairOrderDelivered,
    event_id: &str,
) -> Result<Delivered, FieldViolation> {
    if event_id.is_empty() {
        return Err(FieldViolation::new("request_id", "must be the event id"));
    }
    let ro = event
        .repair_order
        .ok_or_else(|| FieldViolation::new("event.repair_order", "must be set"))?;
    let id = |v: &str, field: &str| {
        if aftercare_values::is_valid_id(v) {
            Ok(v.to_owned())
        } else {
            Err(FieldViolation::new(field, "must be an id"))
        }
    };
    let mut technician_ids: Vec<String> = Vec::new();
    for line in &ro.labour_lines {
        if !line.technician_id.is_empty() && !technician_ids.contains(&line.technician_id) {
            technician_ids.push(line.technician_id.clone());
        }
    }
    let delivered_at = ro
        .history
        .iter()
        .rev()
        .find(|c| c.status == dealers_pb::RepairOrderStatus::Delivered as i32)
        .and_then(|c| c.time.as_ref())
        .or(ro.update_time.as_ref())
        .and_then(convert::micros)
        .ok_or_else(|| FieldViolation::new("event.repair_order.history", "has no delivery time"))?;
    Ok(Delivered {
        event_id: event_id.to_owned(),
        repair_order_id: id(&ro.id, "event.repair_order.id")?,
        station_id: id(&ro.station_id, "event.repair_order.station_id")?,
        dealer_id: id(&ro.dealer_id, "event.repair_order.dealer_id")?,
        // Events written before the region was added carry none.
        region_id: event.region_id,
        advisor_id: ro.advisor_id,
        technician_ids,
        delivery_time: delivered_at,
        // Events written before the names were added carry none.
        dealer_name: event.dealer_name,
        station_name: event.station_name,
    })
}

impl From<Invitation> for pb::SurveyInvitation {
    fn from(i: Invitation) -> Self {
        let state = if i.response_id.is_some() {
            pb::InvitationState::Answered
        } else {
            pb::InvitationState::Open
        };
        pb::SurveyInvitation {
            id: i.id,
            repair_order_id: i.repair_order_id,
            station_id: i.station_id,
            dealer_id: i.dealer_id,
            region_id: i.region_id,
            advisor_id: i.advisor_id,
            technician_ids: i.technician_ids,
            delivery_time: convert::time(i.delivery_time),
            template_code: i.template_code.unwrap_or_default(),
            version_number: i.version_number.unwrap_or_default() as i32,
            state: state.into(),
            link_expire_time: convert::opt_time(i.link_expire_time),
            response_id: i.response_id.unwrap_or_default(),
            create_time: convert::time(i.create_time),
        }
    }
}
