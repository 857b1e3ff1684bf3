//! The network's day as proportions: per repair order, how many of each
//! other activity the network makes, and which calls each activity is.
//! The repair order is the unit because everything else follows from the
//! workshop's volume (≈ 10 M ROs a year for 5,000 stations).

/// What a caller of the network does, one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Activity {
    /// An RO from its appointment to delivery, with its parts look-ups.
    Journey,
    /// A customer answers the survey of a delivered RO through its link.
    SurveyResponse,
    /// A dashboard reads the top of a league table.
    LeagueRead,
    /// A console reads a list or a record (ROs, at-risk ROs, a station).
    ConsoleRead,
    /// Head office or a region manager opens a dealer's scorecard.
    ScorecardRead,
    /// Staff open a complaint about a delivered RO.
    Complaint,
    /// A warranty clerk reads the dealer's claims.
    ClaimRead,
}

impl Activity {
    pub(crate) const ALL: [Activity; 7] = [
        Activity::Journey,
        Activity::SurveyResponse,
        Activity::LeagueRead,
        Activity::ConsoleRead,
        Activity::ScorecardRead,
        Activity::Complaint,
        Activity::ClaimRead,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Activity::Journey => "RO journey",
            Activity::SurveyResponse => "survey response",
            Activity::LeagueRead => "league read",
            Activity::ConsoleRead => "console read",
            Activity::ScorecardRead => "scorecard read",
            Activity::Complaint => "complaint",
            Activity::ClaimRead => "claim read",
        }
    }

    /// The gateway calls one of it makes, and how many of each (a console
    /// read is one of three reads in turn: a third of each).
    pub(crate) fn calls(self) -> &'static [(&'static str, f64)] {
        match self {
            Activity::Journey => &[
                ("CreateAppointment", 1.0),
                ("ArriveForAppointment", 1.0),
                ("AddLabourLine", 1.0),
                ("GetPartAvailability", 1.0),
                ("GetStockLevel", 1.0),
                ("AddPartsLine", 1.0),
                ("StartRepairOrder", 1.0),
                ("CompleteRepairOrder", 1.0),
                ("DeliverRepairOrder", 1.0),
            ],
            Activity::SurveyResponse => &[
                ("ListSurveyInvitations", 1.0),
                ("IssueSurveyLink", 1.0),
                ("SubmitSurveyResponse", 1.0),
            ],
            Activity::LeagueRead => &[("GetLeagueTable", 1.0)],
            Activity::ConsoleRead => &[
                ("ListRepairOrders", 1.0 / 3.0),
                ("ListAtRiskRepairOrders", 1.0 / 3.0),
                ("GetStation", 1.0 / 3.0),
            ],
            Activity::ScorecardRead => &[("GetDealerScorecard", 1.0)],
            Activity::Complaint => &[("OpenComplaint", 1.0)],
            Activity::ClaimRead => &[("ListWarrantyClaims", 1.0)],
        }
    }
}

/// The span the desks' phases are spread over: many times the longest
/// period of the day's rates (a complaint every 50th RO).
const PHASES: u64 = 1000;
/// [`PHASES`] over the golden ratio, rounded.
const GOLDEN_STRIDE: u64 = 618;

/// How many of each activity per RO.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mix {
    /// (activity, per RO); the journey is 1 by definition.
    pub(crate) per_ro: Vec<(Activity, f64)>,
    /// Every this many-th RO is a warranty RO (costs drafts its claim).
    pub(crate) warranty_every: u64,
}

impl Mix {
    /// The day of a dealer network, with the reason for each figure:
    ///
    /// - an RO is booked (one appointment), then six moves: arrival (the
    ///   RO opens), a labour line, a parts line (dealers reserves in
    ///   parts: the third parts call), start, completion, delivery; the
    ///   advisor checks the part's availability and the station's stock
    ///   first (two parts reads);
    /// - 30 % of delivered ROs answer their survey (after-sales response
    ///   rates run 20–40 %);
    /// - 2 % of ROs bring a complaint (1–3 % is usual in after-sales);
    /// - one RO in ten is under warranty, and its claim is read twice by
    ///   the warranty desk (drafted, then checked before submitting): 0.2;
    /// - reads dominate: each station's league position is on every
    ///   dealer, region and head-office dashboard, refreshed through the
    ///   day: 4 league reads per RO; advisors' and managers' consoles
    ///   (RO lists, at-risk lists, a station) 6 per RO; a scorecard opened
    ///   for one RO in twenty (managers look at their dealers a few times
    ///   a day).
    pub(crate) fn day() -> Self {
        Self {
            per_ro: vec![
                (Activity::Journey, 1.0),
                (Activity::SurveyResponse, 0.3),
                (Activity::LeagueRead, 4.0),
                (Activity::ConsoleRead, 6.0),
                (Activity::ScorecardRead, 0.05),
                (Activity::Complaint, 0.02),
                (Activity::ClaimRead, 0.2),
            ],
            warranty_every: 10,
        }
    }

    /// How many times an activity of `rate` per RO is due after RO number
    /// `n` (from 1): ⌊n·rate⌋ − ⌊(n−1)·rate⌋, so that after any number of
    /// ROs they add up to the rate (0.3: the 4th, 7th, 10th … RO).
    pub(crate) fn due(rate: f64, n: u64) -> u64 {
        if n == 0 || rate <= 0.0 {
            return 0;
        }
        let upto = |k: u64| (k as f64 * rate + 1e-9).floor() as u64;
        upto(n) - upto(n - 1)
    }

    /// The RO number desk `desk` counts on from, so that the network as a
    /// whole keeps the mix from its first minute: counting each from 0, a
    /// desk making fewer than 50 ROs in a short run would never bring a
    /// complaint, nor one under 10 a warranty RO. The desks step through
    /// [`PHASES`] by a golden-ratio stride (a Weyl sequence), so whatever
    /// an activity's period, their phases fall evenly across it; an even
    /// spacing would line up with some periods and miss them all.
    pub(crate) fn phase(desk: usize) -> u64 {
        (desk as u64 * GOLDEN_STRIDE) % PHASES
    }

    /// Gateway calls per RO, by RPC, in call order: what the capacity
    /// model multiplies by the year's ROs.
    pub(crate) fn calls_per_ro(&self) -> Vec<(&'static str, f64)> {
        let mut calls: Vec<(&'static str, f64)> = vec![];
        for &(activity, rate) in &self.per_ro {
            for &(rpc, each) in activity.calls() {
                match calls.iter_mut().find(|(r, _)| *r == rpc) {
                    Some((_, n)) => *n += rate * each,
                    None => calls.push((rpc, rate * each)),
                }
            }
        }
        calls
    }

    /// All gateway calls per RO.
    pub(crate) fn calls_per_ro_total(&self) -> f64 {
        self.calls_per_ro().iter().map(|(_, n)| n).sum()
    }

    /// The rate of `activity` per RO.
    pub(crate) fn rate(&self, activity: Activity) -> f64 {
        self.per_ro
            .iter()
            .find(|(a, _)| *a == activity)
            .map_or(0.0, |(_, r)| *r)
    }
}

/// Whether `rpc` reads (Get…, List…) rather than writes.
pub(crate) fn reads(rpc: &str) -> bool {
    rpc.starts_with("Get") || rpc.starts_with("List")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_activity_is_due_as_often_as_its_rate_over_any_run() {
        for rate in [0.02, 0.05, 0.2, 0.3, 1.0, 4.0, 6.0] {
            for ros in [1u64, 7, 10, 100, 1000] {
                let total: u64 = (1..=ros).map(|n| Mix::due(rate, n)).sum();
                assert_eq!(
                    total,
                    (ros as f64 * rate + 1e-9).floor() as u64,
                    "{rate} × {ros}"
                );
            }
        }
        let thirty: Vec<u64> = (1..=10).map(|n| Mix::due(0.3, n)).collect();
        assert_eq!(thirty, [0, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
        assert_eq!(Mix::due(4.0, 1), 4);
        assert_eq!(Mix::due(0.3, 0), 0);
    }

    #[test]
    fn sixteen_desks_of_eight_ros_keep_the_rare_activities() {
        let (desks, ros) = (16, 8);
        let mix = Mix::day();
        let count = |due: &dyn Fn(u64) -> u64| -> u64 {
            (0..desks)
                .map(|d| {
                    let from = Mix::phase(d);
                    (from + 1..=from + ros).map(due).sum::<u64>()
                })
                .sum()
        };
        let warranty = count(&|n| u64::from(n.is_multiple_of(mix.warranty_every)));
        let complaints = count(&|n| Mix::due(0.02, n));
        // 128 ROs: 12.8 warranty ROs and 2.56 complaints expected.
        assert!((11..=14).contains(&warranty), "{warranty} warranty ROs");
        assert!((2..=3).contains(&complaints), "{complaints} complaints");
    }

    #[test]
    fn the_day_makes_its_calls_per_ro() {
        let mix = Mix::day();
        let calls = mix.calls_per_ro();
        let per = |rpc| calls.iter().find(|(r, _)| *r == rpc).map(|(_, n)| *n);
        assert_eq!(per("CreateAppointment"), Some(1.0));
        assert_eq!(per("SubmitSurveyResponse"), Some(0.3));
        assert_eq!(per("GetLeagueTable"), Some(4.0));
        assert!((per("ListRepairOrders").unwrap() - 2.0).abs() < 1e-9);
        assert_eq!(per("OpenComplaint"), Some(0.02));
        // 9 journey calls, 3 × 0.3 survey, 4 league, 6 console, 0.05
        // scorecard, 0.02 complaint, 0.2 claims.
        assert!((mix.calls_per_ro_total() - 20.17).abs() < 1e-9);
        let moves = [
            "ArriveForAppointment",
            "AddLabourLine",
            "AddPartsLine",
            "StartRepairOrder",
            "CompleteRepairOrder",
            "DeliverRepairOrder",
        ];
        assert!(moves.iter().all(|m| per(m) == Some(1.0)));
        let reads: f64 = calls.iter().filter(|(r, _)| reads(r)).map(|(_, n)| n).sum();
        assert!(reads > mix.calls_per_ro_total() / 2.0, "reads dominate");
    }
}
