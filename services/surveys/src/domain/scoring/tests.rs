use super::super::fixtures::{RESPONSE_A, RESPONSE_B, example_draft, example_version};
use super::*;

fn scored(answers: &[(&str, i64)]) -> ResponseScore {
    let v = example_version();
    score(&v, &v.check_answers(answers.iter().copied()).unwrap())
}

fn item_gaps(s: &ResponseScore) -> Vec<(&str, i64, Verdict)> {
    s.items
        .iter()
        .map(|i| (i.item.as_str(), i.gap(), i.verdict()))
        .collect()
}

fn dimension_gaps(s: &ResponseScore) -> Vec<(Dimension, i64, Verdict)> {
    s.dimensions()
        .iter()
        .map(|d| (d.dimension, d.gap(), d.verdict()))
        .collect()
}

use Dimension::*;
use Verdict::*;

/// docs/scoring.md, example 2.1 (response A).
#[test]
fn response_a_scores_as_the_doc_works_it_out() {
    let s = scored(&RESPONSE_A);
    assert_eq!(
        item_gaps(&s),
        [
            ("tan-1", 1000, Exceeds),
            ("rel-1", -1000, FallsShort),
            ("rel-2", -3000, FallsShort),
            ("res-1", 0, Meets),
        ]
    );
    assert_eq!(
        dimension_gaps(&s),
        [
            (Tangibles, 1000, Exceeds),
            (Reliability, -2000, FallsShort),
            (Responsiveness, 0, Meets),
        ]
    );
    assert_eq!(s.unweighted_gap, Some(-333));
    assert_eq!(s.weighted_gap, Some(-800));
    assert_eq!(s.service_index, Some(808));
    assert_eq!(s.top_two_box, Some(true));
    assert_eq!(s.nps, Some(NpsClass::Promoter));
    assert!(!is_below_threshold(&s, DEFAULT_ALERT_BELOW));
}

/// docs/scoring.md, example 2.2 (response B, two optional answers left out).
#[test]
fn response_b_scores_as_the_doc_works_it_out() {
    let s = scored(&RESPONSE_B);
    assert_eq!(
        item_gaps(&s),
        [
            ("tan-1", 0, Meets),
            ("rel-1", -3000, FallsShort),
            ("rel-2", 1000, Exceeds),
            ("res-1", -4000, FallsShort),
        ]
    );
    assert_eq!(
        dimension_gaps(&s),
        [
            (Tangibles, 0, Meets),
            (Reliability, -1000, FallsShort),
            (Responsiveness, -4000, FallsShort),
        ]
    );
    assert_eq!(s.unweighted_gap, Some(-1667));
    assert_eq!(s.weighted_gap, Some(-1700));
    // Service initiation had no answer: the other factors share 80 points.
    assert_eq!(s.service_index, Some(542));
    assert_eq!(s.top_two_box, Some(false));
    assert_eq!(s.nps, Some(NpsClass::Detractor));
    assert!(is_below_threshold(&s, DEFAULT_ALERT_BELOW));
    assert!(!is_below_threshold(&s, 542));
    assert!(is_below_threshold(&s, 543));
}

/// docs/scoring.md, example 2.3: response A without factor weights.
#[test]
fn without_factor_weights_the_index_is_the_plain_mean_of_the_factors() {
    let mut d = example_draft();
    d.factor_weights = None;
    let v = Version::publish("after-service", 2, d).unwrap();
    let s = score(&v, &v.check_answers(RESPONSE_A).unwrap());
    assert_eq!(s.service_index, Some(825));
}

#[test]
fn a_perfect_response_scores_1000_and_a_floor_one_0() {
    let v = example_version();
    let top: Vec<_> = v
        .questions()
        .iter()
        .map(|q| (q.id.clone(), i64::from(q.scale.max())))
        .collect();
    let s = score(&v, &v.check_answers(top).unwrap());
    assert_eq!(s.service_index, Some(1000));
    assert_eq!(s.weighted_gap, Some(0));
    let bottom: Vec<_> = v
        .questions()
        .iter()
        .map(|q| (q.id.clone(), i64::from(q.scale.min())))
        .collect();
    let s = score(&v, &v.check_answers(bottom).unwrap());
    assert_eq!(s.service_index, Some(0));
    assert_eq!(s.nps, Some(NpsClass::Detractor));
}

#[test]
fn an_item_needs_both_answers_but_its_perception_still_counts_in_the_index() {
    let mut d = example_draft();
    for q in &mut d.questions {
        q.required = false;
    }
    let v = Version::publish("after-service", 2, d).unwrap();
    let answers = v
        .check_answers([("rel-2-p", 7), ("tan-1-e", 6), ("tan-1-p", 4)])
        .unwrap();
    let s = score(&v, &answers);
    assert_eq!(item_gaps(&s), [("tan-1", -2000, FallsShort)]);
    // Only tangibles (20 points) answered: weighted and unweighted agree.
    assert_eq!(
        (s.unweighted_gap, s.weighted_gap),
        (Some(-2000), Some(-2000))
    );
    // Facility 3000 (weight 10), vehicle pick-up 6000 (weight 20):
    // (10·3000 + 20·6000) / 30 = 5000 → 833.
    assert_eq!(s.service_index, Some(833));
    assert_eq!((s.top_two_box, s.nps), (None, None));

    // Nothing that scores.
    let s = score(&v, &v.check_answers([("tan-1-e", 6)]).unwrap());
    assert!(s.items.is_empty());
    assert_eq!((s.weighted_gap, s.service_index), (None, None));
    assert!(!is_below_threshold(&s, DEFAULT_ALERT_BELOW));
}

#[test]
fn a_dimension_without_weight_counts_in_the_unweighted_gap_only() {
    let mut d = example_draft();
    d.dimension_weights.tangibles = 0;
    d.dimension_weights.reliability = 70;
    let v = Version::publish("after-service", 2, d).unwrap();
    let s = score(&v, &v.check_answers(RESPONSE_A).unwrap());
    // (70·(−2000) + 30·0) / 100 = −1400; unweighted as before.
    assert_eq!(s.weighted_gap, Some(-1400));
    assert_eq!(s.unweighted_gap, Some(-333));
}

#[test]
fn nps_classes_split_at_6_and_8() {
    let classes: Vec<_> = (0..=10).map(NpsClass::of).collect();
    assert!(classes[..7].iter().all(|c| *c == NpsClass::Detractor));
    assert_eq!(&classes[7..9], [NpsClass::Passive; 2]);
    assert_eq!(&classes[9..], [NpsClass::Promoter; 2]);
    assert_eq!(NpsClass::Detractor.points(), -100);
}
