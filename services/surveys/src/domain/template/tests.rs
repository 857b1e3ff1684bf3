use super::super::fixtures::{example_draft, example_version};
use super::super::servqual::{Dimension, Factor};
use super::*;

#[test]
fn versions_are_numbered_and_a_published_one_never_changes() {
    let mut t = Template::new("after-service", "After-service survey").unwrap();
    let v1 = t.publish(example_draft()).unwrap().clone();
    assert_eq!((v1.template(), v1.number()), ("after-service", 1));

    // The next version starts from what was published; editing it leaves
    // version 1 as it was.
    let mut next = v1.content().clone();
    next.questions[10].text = "All in all, how satisfied are you?".into();
    next.questions.retain(|q| q.id != "advisor");
    let v2 = t.publish(next).unwrap();
    assert_eq!(v2.number(), 2);
    assert!(v2.question("advisor").is_none());
    assert_eq!(t.version(1), Some(&v1));
    assert!(t.version(1).unwrap().question("advisor").is_some());
    assert_eq!(t.versions().len(), 2);
}

#[test]
fn a_refused_draft_is_not_published() {
    let mut t = Template::new("after-service", "After-service survey").unwrap();
    let mut bad = example_draft();
    bad.questions.clear();
    assert!(t.publish(bad).is_err());
    assert!(t.versions().is_empty());
    assert_eq!(t.publish(example_draft()).unwrap().number(), 1);
}

#[test]
fn a_template_needs_an_id_like_code_and_a_name() {
    assert_eq!(
        Template::new("After Service", "x").unwrap_err().field(),
        "code"
    );
    let e = Template::new("after-service", " \t").unwrap_err();
    assert_eq!(e.to_string(), "display_name: must not be empty");
    let t = Template::new("after-service", "  Service survey ").unwrap();
    assert_eq!(t.display_name(), "Service survey");
}

/// The example draft with one change: the field named, and what it says.
fn refused(change: impl FnOnce(&mut Draft)) -> DraftError {
    let mut d = example_draft();
    change(&mut d);
    d.check().unwrap_err()
}

#[test]
fn each_fault_of_a_question_names_its_field() {
    let cases: Vec<(DraftError, &str, &str)> = vec![
        (
            refused(|d| d.questions.clear()),
            "questions",
            "must have 1 to 100 questions",
        ),
        (
            refused(|d| d.questions[0].id = "Tan 1".into()),
            "questions[0].id",
            "lower-case",
        ),
        (
            refused(|d| d.questions[3].id = "rel-1-e".into()),
            "questions[3].id",
            "repeats questions[2].id",
        ),
        (
            refused(|d| d.questions[4].text = String::new()),
            "questions[4].text",
            "must not be empty",
        ),
        (
            refused(|d| d.questions[4].text = "a\u{7}b".into()),
            "questions[4].text",
            "control",
        ),
        (
            refused(|d| d.questions[11].scale = Scale::OneToFive),
            "questions[11].scale",
            "0–10",
        ),
        (
            refused(|d| d.questions[0].dimension = None),
            "questions[0].dimension",
            "names its SERVQUAL dimension",
        ),
        (
            refused(|d| d.questions[1].item = None),
            "questions[1].item",
            "names the SERVQUAL item",
        ),
        (
            refused(|d| d.questions[1].item = Some("Tan_1".into())),
            "questions[1].item",
            "lower-case",
        ),
        (
            refused(|d| d.questions[10].dimension = Some(Dimension::Empathy)),
            "questions[10].dimension",
            "only expectation and perception questions",
        ),
        (
            refused(|d| d.questions[10].item = Some("overall".into())),
            "questions[10].item",
            "only expectation and perception questions",
        ),
        (
            refused(|d| d.questions[0].factor = Some(Factor::Facility)),
            "questions[0].factor",
            "only perception and rating questions",
        ),
        (
            refused(|d| d.questions[11].factor = Some(Factor::ServiceQuality)),
            "questions[11].factor",
            "only perception and rating questions",
        ),
    ];
    for (e, field, reason) in cases {
        assert_eq!(e.field(), field, "{e}");
        assert!(e.reason().contains(reason), "{e}");
    }
}

#[test]
fn each_item_pairs_one_expectation_with_one_perception() {
    // The pair on different scales or dimensions: reported at the later one.
    let e = refused(|d| d.questions[1].scale = Scale::OneToFive);
    assert_eq!(
        e.to_string(),
        "questions[1].scale: must be the scale of questions[0], on the same item"
    );
    let e = refused(|d| d.questions[1].dimension = Some(Dimension::Empathy));
    assert_eq!(e.field(), "questions[1].dimension");
    // A second perception question on the item.
    let e = refused(|d| {
        let mut extra = d.questions[1].clone();
        extra.id = "tan-1-bis".into();
        d.questions.push(extra);
    });
    assert_eq!(
        e.to_string(),
        "questions[12].item: item tan-1 already has its perception question (questions[1])"
    );
    // An item with no expectation question.
    let e = refused(|d| {
        d.questions.remove(0);
    });
    assert_eq!(
        e.to_string(),
        "questions[0].item: item tan-1 has no expectation question"
    );
}

#[test]
fn dimension_weights_are_100_points_on_dimensions_with_items() {
    let e = refused(|d| d.dimension_weights.tangibles = 10);
    assert_eq!(
        e.to_string(),
        "dimension_weights: must allocate 100 points over the five dimensions, not 90"
    );
    let e = refused(|d| {
        d.dimension_weights.tangibles = 10;
        d.dimension_weights.assurance = 10;
    });
    assert_eq!(e.field(), "dimension_weights.assurance");
    // A version without SERVQUAL items has no weights to give.
    let e = refused(|d| d.questions.retain(|q| q.item.is_none()));
    assert_eq!(
        e.to_string(),
        "dimension_weights: must be all zero: the version has no SERVQUAL items"
    );
    let mut d = example_draft();
    d.questions.retain(|q| q.item.is_none());
    d.dimension_weights = Default::default();
    d.factor_weights = None;
    assert_eq!(d.check(), Ok(()));
}

#[test]
fn factor_weights_are_100_points_on_factors_with_questions() {
    let e = refused(|d| d.factor_weights.as_mut().unwrap().facility = 0);
    assert_eq!(e.field(), "factor_weights");
    // Without the booking question, service initiation has weight and no
    // question.
    let e = refused(|d| d.questions.retain(|q| q.id != "booking"));
    assert_eq!(
        e.to_string(),
        "factor_weights.service_initiation: has weight but no questions"
    );
}

#[test]
fn without_factor_weights_each_factor_with_questions_weighs_the_same() {
    let mut d = example_draft();
    d.questions.retain(|q| q.id != "booking");
    d.factor_weights = None;
    let v = Version::publish("after-service", 2, d).unwrap();
    let weights: Vec<u32> = Factor::ALL.iter().map(|f| v.factor_weight(*f)).collect();
    // Service initiation has no question left.
    assert_eq!(weights, [0, 1, 1, 1, 1]);
    assert_eq!(example_version().factor_weight(Factor::ServiceQuality), 30);
}

#[test]
fn the_satisfaction_and_nps_questions_are_of_their_kind() {
    let e = refused(|d| d.satisfaction_question = Some("overal".into()));
    assert_eq!(
        e.to_string(),
        "satisfaction_question: no question has id overal"
    );
    let e = refused(|d| d.satisfaction_question = Some("recommend".into()));
    assert_eq!(
        e.to_string(),
        "satisfaction_question: must name a question of kind rating, not nps"
    );
    let e = refused(|d| d.nps_question = Some("overall".into()));
    assert_eq!(e.field(), "nps_question");
    let e = refused(|d| d.nps_question = None);
    assert_eq!(
        e.to_string(),
        "questions[11].kind: only the question named by nps_question may be of kind nps"
    );
    // Neither is compulsory.
    let mut d = example_draft();
    d.questions.retain(|q| q.kind != QuestionKind::Nps);
    d.nps_question = None;
    d.satisfaction_question = None;
    assert_eq!(d.check(), Ok(()));
}

#[test]
fn a_refusal_becomes_a_field_violation() {
    let e = refused(|d| d.questions[11].scale = Scale::OneToSeven);
    let v: aftercare_values::FieldViolation = e.into();
    assert_eq!(v.field, "questions[11].scale");
}

#[test]
fn names_of_kinds_round_trip() {
    for k in QuestionKind::ALL {
        assert_eq!(QuestionKind::parse(k.as_str()), Some(k));
    }
}
