//! The `aftercare.surveys.v1.SurveyTemplateService` contract.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1::{
    self as pb, survey_template_service_server::SurveyTemplateServiceServer,
};
use aftercare_values::FieldViolation;
use tonic::{Request, Response, service::interceptor::InterceptedService};

use self::convert::draft;
use super::Reply;
use crate::{domain::template::Template, usecases::Templates};

/// The gRPC face of survey templates.
#[derive(Debug, Clone)]
pub struct SurveyTemplateApi {
    templates: Templates,
}

impl SurveyTemplateApi {
    pub fn new(templates: Templates) -> Self {
        Self { templates }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<SurveyTemplateServiceServer<Self>, ServiceAuth> {
        SurveyTemplateServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl pb::survey_template_service_server::SurveyTemplateService for SurveyTemplateApi {
    #[tracing::instrument(skip_all)]
    async fn create_survey_template(
        &self,
        request: Request<pb::CreateSurveyTemplateRequest>,
    ) -> Reply<pb::SurveyTemplate> {
        let caller = aftercare_edge::mutation(
            &request,
            "CreateSurveyTemplate",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let t = aftercare_edge::required(r.survey_template, "survey_template")?;
        let template = Template::new(&t.code, &t.display_name).map_err(|e| {
            invalid(FieldViolation::new(
                format!("survey_template.{}", e.field()),
                e.reason(),
            ))
        })?;
        Ok(Response::new(
            self.templates.create(&caller, template).await?.into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(template = %request.get_ref().template_code))]
    async fn publish_survey_version(
        &self,
        request: Request<pb::PublishSurveyVersionRequest>,
    ) -> Reply<pb::SurveyVersion> {
        let caller = aftercare_edge::mutation(
            &request,
            "PublishSurveyVersion",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let code = super::id(&r.template_code, "template_code")?;
        let version = aftercare_edge::required(r.version, "version")?;
        let draft = draft(&version).map_err(invalid)?;
        Ok(Response::new(
            self.templates
                .publish_version(&caller, &code, draft)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(code = %request.get_ref().code))]
    async fn get_survey_template(
        &self,
        request: Request<pb::GetSurveyTemplateRequest>,
    ) -> Reply<pb::SurveyTemplate> {
        let code = super::id(&request.get_ref().code, "code")?;
        Ok(Response::new(
            self.templates
                .get(&aftercare_edge::principal(&request)?, &code)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_survey_templates(
        &self,
        request: Request<pb::ListSurveyTemplatesRequest>,
    ) -> Reply<pb::ListSurveyTemplatesResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let page = aftercare_edge::page(r.page_size, &r.page_token, &[])?;
        let rows = self.templates.list(&principal, &page).await?;
        let (rows, next_page_token) = page.finish(rows, |t| t.code.as_str(), &[]);
        Ok(Response::new(pb::ListSurveyTemplatesResponse {
            survey_templates: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }
}
