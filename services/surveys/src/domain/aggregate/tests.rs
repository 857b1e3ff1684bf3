use proptest::prelude::*;

use super::super::fixtures::{RESPONSE_A, RESPONSE_B, example_version};
use super::super::scoring::score;
use super::*;

fn scored(answers: &[(&str, i64)]) -> ResponseScore {
    let v = example_version();
    score(&v, &v.check_answers(answers.iter().copied()).unwrap())
}

fn item(a: &Aggregate, dimension: Dimension, item: &str) -> PairSums {
    a.items[&ItemKey {
        dimension,
        item: item.into(),
    }]
}

/// docs/scoring.md, example 3.1: a station with responses A and B.
#[test]
fn a_station_with_responses_a_and_b_reads_as_the_doc_works_it_out() {
    let mut station = Aggregate::default();
    station.add_response(&scored(&RESPONSE_A));
    station.add_response(&scored(&RESPONSE_B));

    assert_eq!(station.responses, 2);
    assert_eq!(station.satisfaction, Tally { sum: 1, n: 2 });
    assert_eq!(station.satisfaction_rate(), Some(5_000));
    assert_eq!(
        (station.promoters, station.passives, station.detractors),
        (1, 0, 1)
    );
    assert_eq!(station.nps_tally(), Tally { sum: 0, n: 2 });
    assert_eq!(station.nps(), Some(0.0));
    assert_eq!(station.service_index, Tally { sum: 1350, n: 2 });
    assert_eq!(station.service_index(), Some(675.0));
    assert_eq!(station.weighted_gap, Tally { sum: -2500, n: 2 });
    assert_eq!(station.weighted_gap(), Some(-1.25));
    assert_eq!(station.unweighted_gap, Tally { sum: -2000, n: 2 });
    assert_eq!(station.unweighted_gap(), Some(-1.0));

    use Dimension::*;
    let tan = item(&station, Tangibles, "tan-1");
    assert_eq!((tan.perception, tan.expectation, tan.n), (10_000, 9_000, 2));
    assert_eq!(
        (tan.gap(), tan.verdict()),
        (Some(0.5), Some(Verdict::Exceeds))
    );
    assert_eq!(item(&station, Reliability, "rel-1").gap(), Some(-2.0));
    assert_eq!(item(&station, Reliability, "rel-2").gap(), Some(-1.0));
    assert_eq!(item(&station, Responsiveness, "res-1").gap(), Some(-2.0));

    let rel = station.dimension(Reliability);
    assert_eq!(
        (rel.perception, rel.expectation, rel.n),
        (16_000, 22_000, 4)
    );
    assert_eq!(
        (rel.gap(), rel.verdict()),
        (Some(-1.5), Some(Verdict::FallsShort))
    );
    assert_eq!(station.dimension(Tangibles).gap(), Some(0.5));
    assert_eq!(station.dimension(Responsiveness).gap(), Some(-2.0));
    assert_eq!(station.dimension(Assurance).verdict(), None);

    // Every item required: the mean of the per-response weighted gaps is
    // the weighted sum of the dimension gaps, 0.2·0.5 + 0.5·(−1.5) + 0.3·(−2).
    let from_dimensions = 0.2 * 0.5 + 0.5 * -1.5 + 0.3 * -2.0;
    assert!((station.weighted_gap().unwrap() - from_dimensions).abs() < 1e-12);
}

#[test]
fn stations_merge_into_their_dealer_in_any_grouping() {
    let (a, b) = (
        Aggregate::of(&scored(&RESPONSE_A)),
        Aggregate::of(&scored(&RESPONSE_B)),
    );
    let x = a.clone() + b.clone() + a.clone();
    let y = b.clone();
    let dealer = x.clone() + y.clone();
    let all: Aggregate = [b.clone(), a.clone(), b, a].into_iter().sum();
    assert_eq!(dealer, all);
    let mut other_way = y;
    other_way += &x;
    assert_eq!(other_way, all);
    assert_eq!(all.responses, 4);
    assert_eq!(all.satisfaction_rate(), Some(5_000));
}

#[test]
fn nothing_to_read_from_an_empty_aggregate() {
    let empty = Aggregate::default();
    assert_eq!(empty.satisfaction_rate(), None);
    assert_eq!(empty.nps(), None);
    assert_eq!(empty.service_index(), None);
    assert_eq!(empty.weighted_gap(), None);
    assert_eq!(empty.dimension(Dimension::Empathy).gap(), None);
}

/// Any answers to the example survey: each question answered on its scale,
/// the optional ones sometimes left out.
fn any_answers() -> impl Strategy<Value = Vec<(String, i64)>> {
    let v = example_version();
    let per_question: Vec<_> = v
        .questions()
        .iter()
        .map(|q| {
            let (id, required) = (q.id.clone(), q.required);
            (
                i64::from(q.scale.min())..=i64::from(q.scale.max()),
                any::<bool>(),
            )
                .prop_map(move |(value, keep)| (required || keep).then(|| (id.clone(), value)))
        })
        .collect();
    per_question.prop_map(|answers| answers.into_iter().flatten().collect())
}

proptest! {
    #[test]
    fn adding_one_by_one_equals_merging_parts(
        responses in prop::collection::vec(any_answers(), 1..12),
        split in 0usize..12,
    ) {
        let v = example_version();
        let scores: Vec<_> = responses
            .iter()
            .map(|a| score(&v, &v.check_answers(a.clone()).unwrap()))
            .collect();
        let mut one_by_one = Aggregate::default();
        for s in &scores {
            one_by_one.add_response(s);
            prop_assert!(s.service_index.is_some_and(|i| i <= 1000));
        }
        let split = split.min(scores.len());
        let parts: Aggregate = scores[..split].iter().map(Aggregate::of).sum::<Aggregate>()
            + scores[split..].iter().map(Aggregate::of).sum::<Aggregate>();
        prop_assert_eq!(&parts, &one_by_one);
        prop_assert_eq!(one_by_one.responses, scores.len() as u64);
        prop_assert_eq!(one_by_one.nps_tally().n, scores.len() as u64);
    }
}
