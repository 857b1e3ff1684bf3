use super::*;

fn tally(sum: i64, n: u64) -> Tally {
    Tally { sum, n }
}

fn entry(member: &str, sum: i64, n: u64) -> Entry {
    Entry {
        member: member.into(),
        tally: tally(sum, n),
    }
}

const ONLY_THE_ESTIMATE: LeagueSettings = LeagueSettings {
    min_sample: 1,
    prior_weight: 20,
};

/// docs/scoring.md, example 4.1.
#[test]
fn wilson_lower_bounds_as_the_doc_works_them_out() {
    let s = LeagueSettings::default();
    let none = Tally::default();
    assert_eq!(
        sort_key(Metric::SatisfactionRate, tally(3, 3), none, &s),
        43_850_297
    );
    assert_eq!(
        sort_key(Metric::SatisfactionRate, tally(291, 300), none, &s),
        94_397_746
    );
    assert_eq!(wilson_lower_bound(0, 5), 0.0);
    assert_eq!(wilson_lower_bound(0, 0), 0.0);
}

/// docs/scoring.md, example 4.2.
#[test]
fn bayesian_averages_as_the_doc_works_them_out() {
    let network = tally(45_000, 1_000);
    let s = LeagueSettings::default();
    assert_eq!(
        sort_key(Metric::Nps, tally(300, 3), network, &s),
        52_173_913
    );
    assert_eq!(
        sort_key(Metric::Nps, tally(28_200, 300), network, &s),
        90_937_500
    );
    // Without a prior weight the estimate is the plain mean; a gap is
    // tallied in thousandths of a point.
    let plain = LeagueSettings {
        prior_weight: 0,
        ..s
    };
    assert_eq!(
        sort_key(Metric::WeightedGap, tally(-2_500, 2), network, &plain),
        -1_250_000
    );
    assert_eq!(
        sort_key(Metric::ServiceIndex, tally(0, 0), tally(0, 0), &plain),
        0
    );
}

/// The lesson of DESIGN.md: 3 answers, all perfect, do not top 300 answers
/// at 97 % — for every metric, by the estimate alone (minimum sample 1).
#[test]
fn three_perfect_answers_do_not_top_three_hundred_at_97_percent() {
    let cases = [
        // metric, 3 perfect, 300 at 97 %, network
        (
            Metric::SatisfactionRate,
            tally(3, 3),
            tally(291, 300),
            tally(0, 0),
        ),
        // 291 promoters and 9 detractors: NPS 94; network 45.
        (
            Metric::Nps,
            tally(300, 3),
            tally(28_200, 300),
            tally(45_000, 1_000),
        ),
        // Index 1000 each against a mean of 970; network 700.
        (
            Metric::ServiceIndex,
            tally(3_000, 3),
            tally(291_000, 300),
            tally(700_000, 1_000),
        ),
        // Gaps of +2 points against a mean of +1.5; network −0.5.
        (
            Metric::WeightedGap,
            tally(6_000, 3),
            tally(450_000, 300),
            tally(-500_000, 1_000),
        ),
    ];
    for (metric, few, many, network) in cases {
        let entries = [
            Entry {
                member: "a-lucky".into(),
                tally: few,
            },
            Entry {
                member: "b-steady".into(),
                tally: many,
            },
        ];
        let rows = rank(metric, &entries, network, &ONLY_THE_ESTIMATE);
        assert_eq!(rows[0].member, "b-steady", "{metric:?}");
        assert_eq!(rows[0].rank, Some(1));
        assert_eq!(rows[1].rank, Some(2));
        // The raw value is shown beside the estimate, and is higher.
        assert!(rows[1].raw > rows[0].raw, "{metric:?}");
        // With the default minimum sample of 10 it is not ranked at all.
        let rows = rank(metric, &entries, network, &LeagueSettings::default());
        assert_eq!(rows[1].member, "a-lucky");
        assert_eq!(rows[1].rank, None);
    }
}

/// docs/scoring.md, example 4.3: a station league by service index.
#[test]
fn the_station_league_of_the_doc() {
    let entries = [
        entry("s-a", 40_000, 50),
        entry("s-b", 24_600, 30),
        entry("s-c", 5_000, 5),
        entry("s-d", 24_600, 30),
        entry("s-e", 13_000, 20),
    ];
    let network = tally(700_000, 1_000);
    let mut rows = rank(
        Metric::ServiceIndex,
        &entries,
        network,
        &LeagueSettings::default(),
    );
    let table: Vec<_> = rows
        .iter()
        .map(|r| (r.member.as_str(), r.sample, r.raw, r.sort_key, r.rank))
        .collect();
    assert_eq!(
        table,
        [
            ("s-b", 30, Some(820.0), 772_000_000, Some(1)),
            ("s-d", 30, Some(820.0), 772_000_000, Some(1)),
            ("s-a", 50, Some(800.0), 771_428_571, Some(3)),
            ("s-e", 20, Some(650.0), 675_000_000, Some(4)),
            ("s-c", 5, Some(1000.0), 760_000_000, None),
        ]
    );
    assert_eq!(rows[2].estimate, 771.428571);

    let previous = [("s-a", 1), ("s-b", 2), ("s-c", 5), ("s-e", 3)];
    add_movement(&mut rows, |m| {
        previous.iter().find(|(p, _)| *p == m).map(|(_, r)| *r)
    });
    let moves: Vec<_> = rows
        .iter()
        .map(|r| (r.member.as_str(), r.movement))
        .collect();
    assert_eq!(
        moves,
        [
            ("s-b", Some(1)),
            ("s-d", None),
            ("s-a", Some(-2)),
            ("s-e", Some(-1)),
            ("s-c", None),
        ]
    );
}

#[test]
fn ties_rank_alike_and_list_by_member_id() {
    let entries = [
        entry("d-9", 100, 10),
        entry("d-1", 100, 10),
        entry("d-5", 200, 10),
        entry("d-3", 100, 10),
        entry("d-0", 0, 10),
    ];
    let rows = rank(Metric::Nps, &entries, tally(0, 0), &ONLY_THE_ESTIMATE);
    let ranks: Vec<_> = rows.iter().map(|r| (r.member.as_str(), r.rank)).collect();
    assert_eq!(
        ranks,
        [
            ("d-5", Some(1)),
            ("d-1", Some(2)),
            ("d-3", Some(2)),
            ("d-9", Some(2)),
            ("d-0", Some(5)),
        ]
    );
}

#[test]
fn movement_is_places_gained() {
    assert_eq!(movement(Some(1), Some(4)), Some(3));
    assert_eq!(movement(Some(4), Some(1)), Some(-3));
    assert_eq!(movement(Some(2), Some(2)), Some(0));
    assert_eq!(movement(None, Some(2)), None);
    assert_eq!(movement(Some(2), None), None);
}

#[test]
fn a_member_without_responses_is_listed_last_and_never_ranked() {
    let none = LeagueSettings {
        min_sample: 0,
        prior_weight: 20,
    };
    let rows = rank(
        Metric::SatisfactionRate,
        &[entry("x", 0, 0), entry("y", 1, 2)],
        tally(0, 0),
        &none,
    );
    assert_eq!(
        (rows[1].member.as_str(), rows[1].rank, rows[1].raw),
        ("x", None, None)
    );
    assert_eq!(rows[0].rank, Some(1));
}

#[test]
fn metrics_read_their_tally_from_an_aggregate_and_round_trip_their_names() {
    let a = Aggregate {
        responses: 4,
        satisfaction: tally(3, 4),
        promoters: 2,
        passives: 1,
        detractors: 1,
        service_index: tally(3_000, 4),
        weighted_gap: tally(-1_000, 4),
        ..Default::default()
    };
    assert_eq!(
        Metric::SatisfactionRate.raw(Metric::SatisfactionRate.tally(&a)),
        Some(75.0)
    );
    assert_eq!(Metric::Nps.tally(&a), tally(100, 4));
    assert_eq!(Metric::Nps.raw(Metric::Nps.tally(&a)), Some(25.0));
    assert_eq!(
        Metric::ServiceIndex.raw(Metric::ServiceIndex.tally(&a)),
        Some(750.0)
    );
    assert_eq!(
        Metric::WeightedGap.raw(Metric::WeightedGap.tally(&a)),
        Some(-0.25)
    );
    for m in Metric::ALL {
        assert_eq!(Metric::parse(m.as_str()), Some(m));
    }
}
