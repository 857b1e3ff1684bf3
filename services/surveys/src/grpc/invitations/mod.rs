//! The `aftercare.surveys.v1.SurveyInvitationService` contract.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1::{
    self as pb, survey_invitation_service_server::SurveyInvitationServiceServer,
};
use aftercare_values::basis_points;
use tonic::{Request, Response, service::interceptor::InterceptedService};

use self::convert::{delivered, rate_scope};
use super::Reply;
use crate::usecases::{Invitations, Responses};

/// The gRPC face of survey invitations.
#[derive(Debug, Clone)]
pub struct SurveyInvitationApi {
    invitations: Invitations,
    /// Answers taken by phone.
    responses: Responses,
}

impl SurveyInvitationApi {
    pub fn new(invitations: Invitations, responses: Responses) -> Self {
        Self {
            invitations,
            responses,
        }
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
            self.invitations
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
        let id = super::id(&request.get_ref().invitation_id, "invitation_id")?;
        let issued = self.invitations.issue_link(&principal, &id).await?;
        Ok(Response::new(pb::IssueSurveyLinkResponse {
            link_token: issued.token,
            expire_time: super::time(issued.expire_time),
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
        let id = super::id(&r.invitation_id, "invitation_id")?;
        let response = self
            .responses
            .take_by_phone(&caller, &id, super::answers(r.answers))
            .await?;
        Ok(Response::new(response.into()))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_survey_invitation(
        &self,
        request: Request<pb::GetSurveyInvitationRequest>,
    ) -> Reply<pb::SurveyInvitation> {
        let id = super::id(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.invitations
                .get(&aftercare_edge::principal(&request)?, &id)
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
            .invitations
            .list(&principal, &r.station_id, &r.dealer_id, &page)
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
        let period = super::period(r.period, "period")?;
        let rate = self
            .invitations
            .response_rate(&principal, scope, period)
            .await?;
        Ok(Response::new(pb::ResponseRate {
            invited: rate.invited,
            answered: rate.answered,
            rate_basis_points: basis_points(rate.answered as u64, rate.invited as u64).unwrap_or(0)
                as i32,
        }))
    }
}
