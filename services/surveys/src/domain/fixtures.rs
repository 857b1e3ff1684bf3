//! The example survey of `docs/scoring.md` and its two example responses,
//! shared by the tests of every module.

use super::servqual::{Dimension, DimensionWeights, Factor, FactorWeights};
use super::template::{Draft, Question, QuestionKind, Scale, Version};

fn question(
    id: &str,
    kind: QuestionKind,
    scale: Scale,
    dimension: Option<Dimension>,
    factor: Option<Factor>,
    required: bool,
) -> Question {
    // Expectation and perception questions are named <item>-e and <item>-p.
    let item = matches!(kind, QuestionKind::Expectation | QuestionKind::Perception)
        .then(|| id[..id.len() - 2].to_owned());
    Question {
        id: id.into(),
        text: format!("Question {id}"),
        scale,
        kind,
        dimension,
        factor,
        item,
        required,
        translations: Default::default(),
    }
}

/// Version 1 of template `after-service`, as in docs/scoring.md §1.
pub(crate) fn example_draft() -> Draft {
    use Dimension::*;
    use Factor::*;
    use QuestionKind::*;
    use Scale::*;
    let q = question;
    Draft {
        questions: vec![
            q(
                "tan-1-e",
                Expectation,
                OneToSeven,
                Some(Tangibles),
                None,
                true,
            ),
            q(
                "tan-1-p",
                Perception,
                OneToSeven,
                Some(Tangibles),
                Some(Facility),
                true,
            ),
            q(
                "rel-1-e",
                Expectation,
                OneToSeven,
                Some(Reliability),
                None,
                true,
            ),
            q(
                "rel-1-p",
                Perception,
                OneToSeven,
                Some(Reliability),
                Some(ServiceQuality),
                true,
            ),
            q(
                "rel-2-e",
                Expectation,
                OneToSeven,
                Some(Reliability),
                None,
                true,
            ),
            q(
                "rel-2-p",
                Perception,
                OneToSeven,
                Some(Reliability),
                Some(VehiclePickUp),
                true,
            ),
            q(
                "res-1-e",
                Expectation,
                OneToSeven,
                Some(Responsiveness),
                None,
                true,
            ),
            q(
                "res-1-p",
                Perception,
                OneToSeven,
                Some(Responsiveness),
                Some(ServiceAdvisor),
                true,
            ),
            q(
                "booking",
                Rating,
                OneToFive,
                None,
                Some(ServiceInitiation),
                false,
            ),
            q(
                "advisor",
                Rating,
                OneToFive,
                None,
                Some(ServiceAdvisor),
                false,
            ),
            q("overall", Rating, OneToFive, None, None, true),
            q("recommend", Nps, ZeroToTen, None, None, true),
        ],
        dimension_weights: DimensionWeights {
            tangibles: 20,
            reliability: 50,
            responsiveness: 30,
            assurance: 0,
            empathy: 0,
        },
        factor_weights: Some(FactorWeights {
            service_initiation: 20,
            service_advisor: 20,
            facility: 10,
            vehicle_pick_up: 20,
            service_quality: 30,
        }),
        satisfaction_question: Some("overall".into()),
        nps_question: Some("recommend".into()),
        locale: None,
    }
}

pub(crate) fn example_version() -> Version {
    Version::publish("after-service", 1, example_draft()).expect("the example survey is valid")
}

/// Response A of docs/scoring.md §2: a happy customer.
pub(crate) const RESPONSE_A: [(&str, i64); 12] = [
    ("tan-1-e", 6),
    ("tan-1-p", 7),
    ("rel-1-e", 7),
    ("rel-1-p", 6),
    ("rel-2-e", 7),
    ("rel-2-p", 4),
    ("res-1-e", 6),
    ("res-1-p", 6),
    ("booking", 5),
    ("advisor", 4),
    ("overall", 4),
    ("recommend", 9),
];

/// Response B of docs/scoring.md §2: an unhappy customer who left the two
/// optional questions out.
pub(crate) const RESPONSE_B: [(&str, i64); 10] = [
    ("tan-1-e", 5),
    ("tan-1-p", 5),
    ("rel-1-e", 6),
    ("rel-1-p", 3),
    ("rel-2-e", 6),
    ("rel-2-p", 7),
    ("res-1-e", 7),
    ("res-1-p", 3),
    ("overall", 2),
    ("recommend", 6),
];
