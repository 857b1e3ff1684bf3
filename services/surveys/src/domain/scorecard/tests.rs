//! The worked examples of `docs/scorecard.md`.

use super::*;

fn present(figures: Figures) -> Section {
    Section::gathered(figures)
}

#[test]
fn each_part_is_scored_by_its_rule() {
    let score = |f: Figures| f.score();
    let satisfaction = Satisfaction {
        service_index: Some(812.4),
        sample: 12,
        ..Default::default()
    };
    assert_eq!(score(Figures::Satisfaction(satisfaction)), Ok(812));
    let standards = Standards {
        met: 45,
        missed: 5,
        standards: 3,
        key_only: true,
    };
    assert_eq!(score(Figures::Standards(standards)), Ok(900));
    // 3 comebacks of 100 ROs: 3 % of the 10 % that scores 0.
    let comebacks = Comebacks {
        comebacks: 3,
        repair_orders: 100,
    };
    assert_eq!(score(Figures::Comebacks(comebacks)), Ok(700));
    let fill = FillRate {
        lines_asked: 40,
        lines_served_at_once: 37,
        rate_bp: 9250,
    };
    assert_eq!(score(Figures::FillRate(fill)), Ok(925));
    let stock = RequiredStock::of(&[(10, 9, 9000), (10, 10, 10000)]);
    assert_eq!(stock.rate_bp, 9500);
    assert_eq!(score(Figures::RequiredStock(stock)), Ok(950));
    // A 20 % margin of the 50 % that scores 1000.
    let costs = Costs {
        repair_orders: 100,
        margin_bp: Some(2000),
        ..Default::default()
    };
    assert_eq!(score(Figures::Costs(costs)), Ok(400));
    // 2 complaints per 100 ROs of the 5 that score 0.
    let complaints = Complaints {
        complaints: 2,
        repair_orders: 100,
        ..Complaints::default()
    };
    assert_eq!(complaints.per_100_centi(), Some(200));
    assert_eq!(score(Figures::Complaints(complaints)), Ok(600));
}

#[test]
fn scores_stay_within_0_and_1000() {
    let many = Comebacks {
        comebacks: 50,
        repair_orders: 100,
    };
    assert_eq!(Figures::Comebacks(many).score(), Ok(0));
    let loss = Costs {
        margin_bp: Some(-1500),
        ..Default::default()
    };
    assert_eq!(Figures::Costs(loss).score(), Ok(0));
    let rich = Costs {
        margin_bp: Some(7000),
        ..Default::default()
    };
    assert_eq!(Figures::Costs(rich).score(), Ok(1000));
}

#[test]
fn a_part_with_nothing_to_measure_is_missing_with_its_reason() {
    let section = present(Figures::Comebacks(Comebacks::default()));
    assert_eq!(
        section,
        Section::Missing {
            part: Part::Comebacks,
            reason: "no RO delivered in the period".into()
        }
    );
}

#[test]
fn the_composite_renormalises_the_weights_of_the_parts_present() {
    // Built-in weights: satisfaction 30, standards 15, comebacks 15, ...
    let sections = [
        Section::Present {
            figures: Figures::Satisfaction(Satisfaction::default()),
            score: 800,
        },
        Section::Present {
            figures: Figures::Standards(Standards::default()),
            score: 900,
        },
        Section::Missing {
            part: Part::Comebacks,
            reason: "the costs service did not answer in time".into(),
        },
    ];
    let c = composite(&sections, &Weights::builtin());
    // (30·800 + 15·900) / 45 = 833.33.
    assert_eq!(c.value, Some(833));
    assert_eq!(c.parts_used, [Part::Satisfaction, Part::Standards]);
}

#[test]
fn a_part_weighing_nothing_is_not_used() {
    let weights = Weights::parse(&[(Some(Part::Satisfaction), 1), (Some(Part::Costs), 0)]).unwrap();
    let sections = [
        Section::Present {
            figures: Figures::Satisfaction(Satisfaction::default()),
            score: 640,
        },
        Section::Present {
            figures: Figures::Costs(Costs::default()),
            score: 1000,
        },
    ];
    let c = composite(&sections, &weights);
    assert_eq!(c.value, Some(640));
    assert_eq!(c.parts_used, [Part::Satisfaction]);
    assert_eq!(composite(&sections[1..], &weights).value, None);
}

#[test]
fn bad_weights_name_the_field() {
    let field = |given: &[(Option<Part>, i64)]| Weights::parse(given).unwrap_err().field;
    assert_eq!(field(&[(None, 10)]), "weights.weights[0].part");
    assert_eq!(
        field(&[(Some(Part::Costs), 1), (Some(Part::Costs), 2)]),
        "weights.weights[1].part"
    );
    assert_eq!(
        field(&[(Some(Part::Costs), 1001)]),
        "weights.weights[0].weight"
    );
    assert_eq!(field(&[(Some(Part::Costs), 0)]), "weights.weights");
}
