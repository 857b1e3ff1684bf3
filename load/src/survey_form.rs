//! The survey every load run answers: a template version with an
//! expectation and a perception per SERVQUAL dimension, an overall rating
//! and an NPS question, and answer sets that spread over its scales; and
//! the calendar month a response falls in.

use aftercare_proto::surveys::v1 as pb;

/// SplitMix64's finaliser: a well-spread hash of a counter.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn question(
    id: &str,
    kind: pb::QuestionKind,
    scale: pb::Scale,
    dimension: pb::Dimension,
    factor: pb::Factor,
) -> pb::Question {
    let servqual = matches!(
        kind,
        pb::QuestionKind::Expectation | pb::QuestionKind::Perception
    );
    pb::Question {
        id: id.into(),
        text: format!("Question {id}"),
        scale: scale.into(),
        kind: kind.into(),
        dimension: dimension.into(),
        factor: factor.into(),
        item: if servqual {
            id[..id.len() - 2].to_owned()
        } else {
            String::new()
        },
        required: true,
        translations: Default::default(),
    }
}

/// The SERVQUAL items, one per dimension: (item, dimension, the factor of
/// its perception question).
const ITEMS: [(&str, pb::Dimension, pb::Factor); 5] = [
    ("tan-1", pb::Dimension::Tangibles, pb::Factor::Facility),
    (
        "rel-1",
        pb::Dimension::Reliability,
        pb::Factor::ServiceQuality,
    ),
    (
        "res-1",
        pb::Dimension::Responsiveness,
        pb::Factor::ServiceInitiation,
    ),
    (
        "ass-1",
        pb::Dimension::Assurance,
        pb::Factor::ServiceAdvisor,
    ),
    ("emp-1", pb::Dimension::Empathy, pb::Factor::VehiclePickUp),
];

/// An expectation and a perception for each of the five dimensions, an
/// overall rating and an NPS question.
pub fn version() -> pb::SurveyVersion {
    use pb::{Dimension as D, Factor as F, QuestionKind as K, Scale as S};
    let mut questions = Vec::new();
    for (item, dimension, factor) in ITEMS {
        questions.push(question(
            &format!("{item}-e"),
            K::Expectation,
            S::OneToSeven,
            dimension,
            F::Unspecified,
        ));
        questions.push(question(
            &format!("{item}-p"),
            K::Perception,
            S::OneToSeven,
            dimension,
            factor,
        ));
    }
    questions.push(question(
        "overall",
        K::Rating,
        S::OneToFive,
        D::Unspecified,
        F::ServiceAdvisor,
    ));
    questions.push(question(
        "recommend",
        K::Nps,
        S::ZeroToTen,
        D::Unspecified,
        F::Unspecified,
    ));
    pb::SurveyVersion {
        questions,
        dimension_weights: Some(pb::DimensionWeights {
            tangibles: 10,
            reliability: 30,
            responsiveness: 25,
            assurance: 20,
            empathy: 15,
        }),
        satisfaction_question: "overall".into(),
        nps_question: "recommend".into(),
        ..Default::default()
    }
}

/// A complete answer set for the `i`th response: every value from a hash
/// of `i`, each within its scale, so that scores spread.
pub fn answers(i: usize) -> Vec<pb::Answer> {
    let mut n = (i as u64) << 4;
    let mut next = |range: u64| {
        n += 1;
        mix(n) % range
    };
    let mut answers = Vec::new();
    for (item, _, _) in ITEMS {
        // Expectations high, perceptions anywhere: gaps mostly negative.
        answers.push((format!("{item}-e"), 5 + next(3)));
        answers.push((format!("{item}-p"), 1 + next(7)));
    }
    answers.push(("overall".into(), 1 + next(5)));
    answers.push(("recommend".into(), next(11)));
    answers
        .into_iter()
        .map(|(question_id, value)| pb::Answer {
            question_id,
            value: value as i32,
        })
        .collect()
}

/// The date of `days` since 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn civil(days: i64) -> (i32, i32, i32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month as i32, day as i32)
}
