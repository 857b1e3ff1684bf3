//! Survey templates and versions: proto → domain (a draft, checked here
//! too) and domain → proto.

use aftercare_proto::surveys::v1 as pb;
use aftercare_values::FieldViolation;

use crate::{
    domain::template::{
        Dimension, DimensionWeights, Draft, Factor, FactorWeights, PublishedVersion, Question,
        QuestionKind, Scale, SurveyTemplate,
    },
    events::message::dimension_to_pb,
    grpc::time,
};

// Proto → domain -------------------------------------------------------------

/// The draft of a `version` field. Enum values out of range are refused
/// here; every other rule is the domain's (`Version::publish`), whose
/// refusal names the field under `version.`.
pub(super) fn draft(v: &pb::SurveyVersion) -> Result<Draft, FieldViolation> {
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
                translations: q.translations.clone().into_iter().collect(),
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
        locale: text(&v.locale),
    };
    // Checked here too, so that a bad draft is refused before a transaction
    // begins.
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
                    translations: q.translations.into_iter().collect(),
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
            publish_time: time(v.publish_time),
            locale: c.locale.unwrap_or_default(),
        }
    }
}

impl From<SurveyTemplate> for pb::SurveyTemplate {
    fn from(t: SurveyTemplate) -> Self {
        pb::SurveyTemplate {
            code: t.code,
            display_name: t.display_name,
            versions: t.versions.into_iter().map(Into::into).collect(),
            create_time: time(t.create_time),
        }
    }
}
