//! What every method refuses before it looks at the store: calls not
//! signed by the gateway, the survey-link principal outside the two link
//! methods, and ids that are not ids.

use aftercare_proto::surveys::v1::{
    self as pb, survey_invitation_service_client::SurveyInvitationServiceClient,
    survey_response_service_client::SurveyResponseServiceClient,
    survey_score_service_client::SurveyScoreServiceClient,
    survey_template_service_client::SurveyTemplateServiceClient,
};
use tonic::Code;

use crate::{
    both,
    support::{Harness, code_of, field_of, who},
};

both!(
    calls_not_signed_by_the_gateway_are_unauthenticated,
    |h: Harness| async move {
        let forged = h.served.forged();
        let mut t = SurveyTemplateServiceClient::new(forged.clone());
        let r = t
            .list_survey_templates(pb::ListSurveyTemplatesRequest::default())
            .await;
        assert_eq!(code_of(r), Code::Unauthenticated);
        let mut i = SurveyInvitationServiceClient::new(forged.clone());
        let r = i
            .list_survey_invitations(pb::ListSurveyInvitationsRequest::default())
            .await;
        assert_eq!(code_of(r), Code::Unauthenticated);
        let mut r = SurveyResponseServiceClient::new(forged.clone());
        let got = r
            .submit_survey_response(pb::SubmitSurveyResponseRequest {
                link_token: "t".into(),
                answers: vec![],
            })
            .await;
        assert_eq!(code_of(got), Code::Unauthenticated);
        let mut s = SurveyScoreServiceClient::new(forged);
        let got = s
            .get_survey_scores(pb::GetSurveyScoresRequest::default())
            .await;
        assert_eq!(code_of(got), Code::Unauthenticated);
        let mut bare = SurveyResponseServiceClient::new(h.served.channel());
        let got = bare
            .get_survey_by_link(pb::GetSurveyByLinkRequest {
                link_token: "t".into(),
            })
            .await;
        assert_eq!(code_of(got), Code::Unauthenticated);
    }
);

both!(
    a_survey_link_reaches_only_the_link_methods,
    |h: Harness| async move {
        let r = h
            .templates(who::link())
            .list_survey_templates(pb::ListSurveyTemplatesRequest::default())
            .await;
        assert_eq!(code_of(r), Code::PermissionDenied);
        let r = h
            .link()
            .list_survey_responses(pb::ListSurveyResponsesRequest::default())
            .await;
        assert_eq!(code_of(r), Code::PermissionDenied);
        let r = h
            .templates(who::link())
            .publish_survey_version(pb::PublishSurveyVersionRequest {
                template_code: "t".into(),
                version: Some(crate::support::draft()),
                request_id: String::new(),
            })
            .await;
        assert_eq!(code_of(r), Code::PermissionDenied);
    }
);

both!(
    ids_that_are_not_ids_name_their_field,
    |h: Harness| async move {
        let mut i = h.invitations(who::oem());
        let r = i
            .get_survey_invitation(pb::GetSurveyInvitationRequest {
                id: "Not An Id".into(),
            })
            .await;
        assert_eq!(field_of(r), "id");
        let r = i
            .issue_survey_link(pb::IssueSurveyLinkRequest {
                invitation_id: String::new(),
            })
            .await;
        assert_eq!(field_of(r), "invitation_id");
        let r = i
            .take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
                invitation_id: "x y".into(),
                ..Default::default()
            })
            .await;
        assert_eq!(field_of(r), "invitation_id");
        let mut r = h.responses(who::oem());
        let got = r
            .get_survey_response(pb::GetSurveyResponseRequest { id: String::new() })
            .await;
        assert_eq!(field_of(got), "id");
        let got = r
            .get_survey_response(pb::GetSurveyResponseRequest {
                id: "no-such-response".into(),
            })
            .await;
        assert_eq!(code_of(got), Code::NotFound);
        let got = r
            .list_survey_responses(pb::ListSurveyResponsesRequest {
                page_token: "garbage".into(),
                ..Default::default()
            })
            .await;
        assert_eq!(field_of(got), "page_token");
        let mut t = h.templates(who::oem());
        let got = t
            .get_survey_template(pb::GetSurveyTemplateRequest { code: "A".into() })
            .await;
        assert_eq!(field_of(got), "code");
        let long = "x".repeat(129);
        let got = h
            .link()
            .get_survey_by_link(pb::GetSurveyByLinkRequest { link_token: long })
            .await;
        assert_eq!(field_of(got), "link_token");
    }
);
