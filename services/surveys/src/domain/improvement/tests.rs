use super::*;

fn moments(values: &[i64]) -> Moments {
    values
        .iter()
        .fold(Moments::default(), |m, v| m + Moments::of(*v))
}

#[test]
fn attribute_ids_round_trip() {
    for id in [
        "item:tan-1",
        "dimension:reliability",
        "factor:vehicle_pick_up",
        "service_index",
    ] {
        assert_eq!(Attribute::parse(id).unwrap().to_string(), id);
    }
    for bad in ["", "item:", "dimension:speed", "factor", "nps"] {
        assert_eq!(Attribute::parse(bad), None, "{bad}");
    }
}

/// Worked example (docs/improvement-plans.md): baseline 600, 700, 800 and
/// check 800, 850, 900 on the service index.
#[test]
fn welch_interval_of_a_difference_of_means() {
    let c = check(
        &Attribute::ServiceIndex,
        moments(&[600, 700, 800]),
        moments(&[800, 850, 900]),
        820.0,
        2,
    );
    assert_eq!(c.difference, Some(150.0));
    // s² = 10000 and 2500: √(10000/3 + 2500/3) = 64.55; × 1.96 = 126.5.
    let (low, high) = c.interval.unwrap();
    assert!((low - 23.48).abs() < 0.01, "{low}");
    assert!((high - 276.52).abs() < 0.01, "{high}");
    assert_eq!(c.verdict, Verdict::Improved);
    assert!(c.goal_reached);
}

#[test]
fn an_interval_across_zero_is_no_change_even_with_the_goal_reached() {
    let c = check(
        &Attribute::ServiceIndex,
        moments(&[500, 900, 700]),
        moments(&[600, 1000, 800]),
        750.0,
        2,
    );
    assert_eq!(c.difference, Some(100.0));
    assert_eq!(c.verdict, Verdict::NoChange);
    assert!(c.goal_reached, "the goal is said apart from the verdict");
}

#[test]
fn worse_and_insufficient_samples() {
    let a = Attribute::Item("tan-1".into());
    let worse = check(
        &a,
        moments(&[1000, 1100, 900]),
        moments(&[-1000, -900, -1100]),
        0.0,
        3,
    );
    assert_eq!(worse.verdict, Verdict::Worse);
    assert_eq!(worse.difference, Some(-2.0), "gaps are reported in points");
    let small = check(
        &a,
        moments(&[1000, 1100]),
        moments(&[-1000, -900, -1100]),
        0.0,
        3,
    );
    assert_eq!(small.verdict, Verdict::InsufficientSample);
    let one = check(&a, moments(&[1000]), moments(&[2000]), 0.0, 1);
    assert_eq!(
        one.verdict,
        Verdict::InsufficientSample,
        "no interval from one response"
    );
    assert_eq!(one.interval, None);
}

#[test]
fn focus_takes_the_most_negative_gaps_and_lowest_factors() {
    let dealer: AttributeSums = [
        ("item:a", -2000),
        ("item:b", -500),
        ("item:c", 300),
        ("dimension:tangibles", -1200),
        ("dimension:reliability", 100),
        ("factor:facility", 400),
        ("factor:service_advisor", 900),
    ]
    .into_iter()
    .map(|(id, v)| (Attribute::parse(id).unwrap(), moments(&[v, v])))
    .collect();
    let network: AttributeSums = [(Attribute::parse("item:a").unwrap(), moments(&[100]))]
        .into_iter()
        .collect();
    let f = focus(&dealer, &network, 1);
    assert_eq!(f.items.len(), 1);
    assert_eq!(f.items[0].attribute.to_string(), "item:a");
    assert_eq!(f.items[0].value, Some(-2.0));
    assert_eq!(f.items[0].sample_size, 2);
    assert_eq!(f.items[0].network_value, Some(0.1));
    assert_eq!(f.items[0].network_sample_size, 1);
    assert_eq!(f.dimensions[0].attribute.to_string(), "dimension:tangibles");
    assert_eq!(f.factors[0].attribute.to_string(), "factor:facility");
    let all = focus(&dealer, &network, 5);
    assert_eq!(all.items.len(), 2, "only negative gaps are weak");
    assert_eq!(all.dimensions.len(), 1);
    assert_eq!(all.factors.len(), 2);
}
