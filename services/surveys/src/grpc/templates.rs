//! The `aftercare.surveys.v1.SurveyTemplateService` contract.

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1::{
    self as pb, survey_template_service_server::SurveyTemplateServiceServer,
};
use aftercare_values::FieldViolation;
use tonic::{Request, Response, service::interceptor::InterceptedService};

use super::{Reply, convert};
use crate::{
    domain::{
        servqual::Verdict,
        template::{
            Dimension, DimensionWeights, Draft, Factor, FactorWeights, Question, QuestionKind,
            Scale, Template,
        },
    },
    store::{PublishedVersion, Store, SurveyTemplate},
};

/// The gRPC face of survey templates.
#[derive(Debug, Clone)]
pub struct SurveyTemplateApi {
    store: Store,
}

impl SurveyTemplateApi {
    pub fn new(store: Store) -> Self {
        Self { store }
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
            self.store.create_template(&caller, template).await?.into(),
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
        let code = convert::id(&r.template_code, "template_code")?;
        let version = aftercare_edge::required(r.version, "version")?;
        let draft = draft(&version).map_err(invalid)?;
        Ok(Response::new(
            self.store
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
        let code = convert::id(&request.get_ref().code, "code")?;
        Ok(Response::new(
            self.store
                .get_template(&aftercare_edge::principal(&request)?, &code)
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
        let rows = self.store.list_templates(&principal, &page).await?;
        let (rows, next_page_token) = page.finish(rows, |t| t.code.as_str(), &[]);
        Ok(Response::new(pb::ListSurveyTemplatesResponse {
            survey_templates: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }
}

// Proto → domain -------------------------------------------------------------

/// The draft of a `version` field. Enum values out of range are refused
/// here; every other rule is the domain's (`Version::publish`), whose
/// refusal names the field under `version.`.
fn draft(v: &pb::SurveyVersion) -> Result<Draft, FieldViolation> {
    let questions = v
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let field = |name: &str| format!("version.questions[{i}].{name}");
            let bad = |name: &str| FieldViolation::new(field(name), "must be set to a known value");
            Ok(Question {
                id: q.id.clone(),
                text: q.text.clone(),
                scale: scale(q.scale).ok_or_else(|| bad("scale"))?,
                kind: kind(q.kind).ok_or_else(|| bad("kind"))?,
                dimension: optional(q.dimension, dimension).ok_or_else(|| bad("dimension"))?,
                factor: optional(q.factor, factor).ok_or_else(|| bad("factor"))?,
                item: (!q.item.is_empty()).then(|| q.item.clone()),
                required: q.required,
            })
        })
        .collect::<Result<Vec<_>, FieldViolation>>()?;
    let points = |v: i32, field: &str| {
        u32::try_from(v).map_err(|_| FieldViolation::new(field, "must not be negative"))
    };
    let d = v.dimension_weights.unwrap_or_default();
    let dimension_weights = DimensionWeights {
        tangibles: points(d.tangibles, "version.dimension_weights.tangibles")?,
        reliability: points(d.reliability, "version.dimension_weights.reliability")?,
        responsiveness: points(d.responsiveness, "version.dimension_weights.responsiveness")?,
        assurance: points(d.assurance, "version.dimension_weights.assurance")?,
        empathy: points(d.empathy, "version.dimension_weights.empathy")?,
    };
    let factor_weights = v
        .factor_weights
        .map(|f| {
            Ok::<_, FieldViolation>(FactorWeights {
                service_initiation: points(
                    f.service_initiation,
                    "version.factor_weights.service_initiation",
                )?,
                service_advisor: points(
                    f.service_advisor,
                    "version.factor_weights.service_advisor",
                )?,
                facility: points(f.facility, "version.factor_weights.facility")?,
                vehicle_pick_up: points(
                    f.vehicle_pick_up,
                    "version.factor_weights.vehicle_pick_up",
                )?,
                service_quality: points(
                    f.service_quality,
                    "version.factor_weights.service_quality",
                )?,
            })
        })
        .transpose()?;
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let draft = Draft {
        questions,
        dimension_weights,
        factor_weights,
        satisfaction_question: text(&v.satisfaction_question),
        nps_question: text(&v.nps_question),
    };
    // Checked here too, so that a bad draft is refused before the store.
    crate::domain::template::Version::publish("draft", 1, draft.clone())
        .map_err(|e| FieldViolation::new(format!("version.{}", e.field()), e.reason()))?;
    Ok(draft)
}

/// An optional enum: 0 is none, a known value is some, anything else is
/// refused (`None`).
fn optional<T>(v: i32, parse: fn(i32) -> Option<T>) -> Option<Option<T>> {
    if v == 0 {
        Some(None)
    } else {
        parse(v).map(Some)
    }
}

fn scale(v: i32) -> Option<Scale> {
    match pb::Scale::try_from(v).ok()? {
        pb::Scale::OneToFive => Some(Scale::OneToFive),
        pb::Scale::OneToSeven => Some(Scale::OneToSeven),
        pb::Scale::ZeroToTen => Some(Scale::ZeroToTen),
        pb::Scale::Unspecified => None,
    }
}

fn kind(v: i32) -> Option<QuestionKind> {
    match pb::QuestionKind::try_from(v).ok()? {
        pb::QuestionKind::Expectation => Some(QuestionKind::Expectation),
        pb::QuestionKind::Perception => Some(QuestionKind::Perception),
        pb::QuestionKind::Rating => Some(QuestionKind::Rating),
        pb::QuestionKind::Nps => Some(QuestionKind::Nps),
        pb::QuestionKind::Unspecified => None,
    }
}

fn dimension(v: i32) -> Option<Dimension> {
    Dimension::ALL
        .get(usize::try_from(v).ok()?.checked_sub(1)?)
        .copied()
}

fn factor(v: i32) -> Option<Factor> {
    Factor::ALL
        .get(usize::try_from(v).ok()?.checked_sub(1)?)
        .copied()
}

// Domain → proto -------------------------------------------------------------

pub(crate) fn dimension_to_pb(d: Dimension) -> pb::Dimension {
    match d {
        Dimension::Tangibles => pb::Dimension::Tangibles,
        Dimension::Reliability => pb::Dimension::Reliability,
        Dimension::Responsiveness => pb::Dimension::Responsiveness,
        Dimension::Assurance => pb::Dimension::Assurance,
        Dimension::Empathy => pb::Dimension::Empathy,
    }
}

pub(crate) fn verdict_to_pb(v: Verdict) -> pb::Verdict {
    match v {
        Verdict::Exceeds => pb::Verdict::Exceeds,
        Verdict::Meets => pb::Verdict::Meets,
        Verdict::FallsShort => pb::Verdict::FallsShort,
    }
}

fn factor_to_pb(f: Factor) -> pb::Factor {
    match f {
        Factor::ServiceInitiation => pb::Factor::ServiceInitiation,
        Factor::ServiceAdvisor => pb::Factor::ServiceAdvisor,
        Factor::Facility => pb::Factor::Facility,
        Factor::VehiclePickUp => pb::Factor::VehiclePickUp,
        Factor::ServiceQuality => pb::Factor::ServiceQuality,
    }
}

fn scale_to_pb(s: Scale) -> pb::Scale {
    match s {
        Scale::OneToFive => pb::Scale::OneToFive,
        Scale::OneToSeven => pb::Scale::OneToSeven,
        Scale::ZeroToTen => pb::Scale::ZeroToTen,
    }
}

fn kind_to_pb(k: QuestionKind) -> pb::QuestionKind {
    match k {
        QuestionKind::Expectation => pb::QuestionKind::Expectation,
        QuestionKind::Perception => pb::QuestionKind::Perception,
        QuestionKind::Rating => pb::QuestionKind::Rating,
        QuestionKind::Nps => pb::QuestionKind::Nps,
    }
}

impl From<PublishedVersion> for pb::SurveyVersion {
    fn from(v: PublishedVersion) -> Self {
        let c = v.content;
        let d = c.dimension_weights;
        pb::SurveyVersion {
            template_code: v.template_code,
            number: v.number as i32,
            questions: c
                .questions
                .into_iter()
                .map(|q| pb::Question {
                    id: q.id,
                    text: q.text,
                    scale: scale_to_pb(q.scale).into(),
                    kind: kind_to_pb(q.kind).into(),
                    dimension: q.dimension.map_or(0, |d| dimension_to_pb(d).into()),
                    factor: q.factor.map_or(0, |f| factor_to_pb(f).into()),
                    item: q.item.unwrap_or_default(),
                    required: q.required,
                })
                .collect(),
            dimension_weights: Some(pb::DimensionWeights {
                tangibles: d.tangibles as i32,
                reliability: d.reliability as i32,
                responsiveness: d.responsiveness as i32,
                assurance: d.assurance as i32,
                empathy: d.empathy as i32,
            }),
            factor_weights: c.factor_weights.map(|f| pb::FactorWeights {
                service_initiation: f.service_initiation as i32,
                service_advisor: f.service_advisor as i32,
                facility: f.facility as i32,
                vehicle_pick_up: f.vehicle_pick_up as i32,
                service_quality: f.service_quality as i32,
            }),
            satisfaction_question: c.satisfaction_question.unwrap_or_default(),
            nps_question: c.nps_question.unwrap_or_default(),
            publish_time: convert::time(v.publish_time),
        }
    }
}

impl From<SurveyTemplate> for pb::SurveyTemplate {
    fn from(t: SurveyTemplate) -> Self {
        pb::SurveyTemplate {
            code: t.code,
            display_name: t.display_name,
            versions: t.versions.into_iter().map(Into::into).collect(),
            create_time: convert::time(t.create_time),
        }
    }
}
