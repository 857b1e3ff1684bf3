//! The complaints' report of a period and their own standard, "answered
//! within 24 h", measured as the dealers' standards are. The rules are in
//! `docs/complaints.md` ("The monthly report").

use std::collections::BTreeMap;

use super::{Class, State, SubjectKind};

/// A report's scope: one dealer, one region, or the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportScope {
    Dealer(String),
    Region(String),
    Network,
}

/// One complaint opened in the period, as the report counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub id: String,
    pub dealer_id: String,
    pub station_id: String,
    pub class: Class,
    pub cause: String,
    pub state: State,
    pub open_time: i64,
    pub first_response_time: Option<i64>,
    pub resolve_time: Option<i64>,
    /// The deadline it is waiting on, if any.
    pub pending_due: Option<i64>,
    pub advisor_id: Option<String>,
    pub technician_ids: Vec<String>,
    pub part_numbers: Vec<String>,
}

impl Counted {
    fn is_overdue(&self, now: i64) -> bool {
        self.pending_due.is_some_and(|t| t <= now)
    }
}

/// The standard's threshold and target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardRule {
    /// A first response within this many seconds of the opening meets it.
    pub within_secs: i64,
    pub target_bp: u32,
}

impl Default for StandardRule {
    fn default() -> Self {
        Self {
            within_secs: 24 * 3600,
            target_bp: 9500,
        }
    }
}

/// Met, missed and pending, as a dealers' standard counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standard {
    pub met: u64,
    pub missed: u64,
    pub pending: u64,
    pub target_bp: u32,
}

impl Standard {
    /// Each complaint at `now`: met when first answered within the
    /// threshold; missed when answered later, or unanswered past it;
    /// pending while unanswered within it.
    pub fn of<'a>(
        complaints: impl IntoIterator<Item = &'a Counted>,
        now: i64,
        rule: StandardRule,
    ) -> Standard {
        let mut s = Standard {
            target_bp: rule.target_bp,
            ..Standard::default()
        };
        for c in complaints {
            let by = c
                .open_time
                .saturating_add(rule.within_secs.saturating_mul(1_000_000));
            match c.first_response_time {
                Some(t) if t <= by => s.met += 1,
                Some(_) => s.missed += 1,
                None if now > by => s.missed += 1,
                None => s.pending += 1,
            }
        }
        s
    }

    /// met / (met + missed) in basis points, rounded half up.
    pub fn rate_bp(&self) -> Option<u32> {
        let decided = self.met + self.missed;
        (decided > 0).then(|| ((self.met * 10_000 + decided / 2) / decided) as u32)
    }

    pub fn target_met(&self) -> bool {
        self.rate_bp().is_some_and(|r| r >= self.target_bp)
    }
}

/// The figures of a set of complaints opened in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    pub opened: u64,
    pub closed: u64,
    pub open: u64,
    pub overdue: u64,
    pub standard: Standard,
}

impl Figures {
    pub fn of<'a>(
        complaints: impl IntoIterator<Item = &'a Counted> + Clone,
        now: i64,
        rule: StandardRule,
    ) -> Figures {
        let mut f = Figures {
            standard: Standard::of(complaints.clone(), now, rule),
            ..Figures::default()
        };
        for c in complaints {
            f.opened += 1;
            if c.state == State::Closed {
                f.closed += 1;
            } else {
                f.open += 1;
            }
            f.overdue += u64::from(c.is_overdue(now));
        }
        f
    }
}

/// A duration's count, mean and 90th percentile, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Durations {
    pub count: u64,
    pub mean_secs: Option<i64>,
    pub p90_secs: Option<i64>,
}

impl Durations {
    /// Of `micros` (each ≥ 0): the mean rounded half up to the second; the
    /// 90th percentile by nearest rank (the ⌈0.9 n⌉-th smallest).
    pub fn of(mut micros: Vec<i64>) -> Durations {
        let n = micros.len();
        if n == 0 {
            return Durations::default();
        }
        micros.sort_unstable();
        let sum: i128 = micros.iter().map(|&m| i128::from(m)).sum();
        let mean = (sum + 500_000 * n as i128) / (1_000_000 * n as i128);
        let rank = (9 * n).div_ceil(10).max(1);
        Durations {
            count: n as u64,
            mean_secs: Some(mean as i64),
            p90_secs: Some((micros[rank - 1] + 500_000) / 1_000_000),
        }
    }
}

/// What a row of the report is of: a region's and the network's report are
/// by dealer, a dealer's by station.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowsBy {
    Dealer,
    Station,
}

/// The compensation approved in the period, of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    pub kind: super::compensation::Kind,
    pub payments: u64,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub figures: Figures,
    /// (class, cause, complaints), most first, then by class and cause.
    pub causes: Vec<(Class, String, u64)>,
    pub to_first_response: Durations,
    pub to_resolution: Durations,
    /// Oldest opening first, at most [`MAX_OVERDUE_IDS`].
    pub overdue_ids: Vec<String>,
    pub paid: Vec<Paid>,
    /// (dealer or station id, its figures), in id order.
    pub rows: Vec<(String, Figures)>,
    /// (technician id, complaints), most first, then by id; at most
    /// [`MAX_SUBJECT_COUNTS`]. The same for parts and advisors.
    pub by_technician: Vec<(String, u64)>,
    pub by_part: Vec<(String, u64)>,
    pub by_advisor: Vec<(String, u64)>,
}

/// A closed complaint's root cause and corrective action, as its station's
/// scorecard shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectiveAction {
    pub station_id: String,
    pub complaint_id: String,
    pub repair_order_id: Option<String>,
    pub class: Class,
    pub cause: String,
    pub root_cause: String,
    pub corrective_action: String,
    pub close_time: i64,
}

/// The overdue ids a report lists at most.
pub const MAX_OVERDUE_IDS: usize = 1000;

/// The technicians, parts and advisors a report counts at most, each.
pub const MAX_SUBJECT_COUNTS: usize = 20;

/// How many of `complaints` are tied to each subject of `kind`: most first,
/// then by id, at most [`MAX_SUBJECT_COUNTS`].
fn counts_of(complaints: &[Counted], kind: SubjectKind) -> Vec<(String, u64)> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for c in complaints {
        let tied = super::tied(c.advisor_id.as_deref(), &c.technician_ids, &c.part_numbers);
        for (k, id) in tied {
            if k == kind {
                *counts.entry(id).or_default() += 1;
            }
        }
    }
    let mut counts: Vec<(String, u64)> = counts
        .into_iter()
        .map(|(id, n)| (id.to_owned(), n))
        .collect();
    // Stable: ties stay in id order.
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts.truncate(MAX_SUBJECT_COUNTS);
    counts
}

/// The report of `complaints` (those opened in the period) at `now`.
pub fn report(
    complaints: &[Counted],
    paid: Vec<Paid>,
    now: i64,
    rule: StandardRule,
    by: RowsBy,
) -> Report {
    let mut causes: BTreeMap<(Class, &str), u64> = BTreeMap::new();
    let mut groups: BTreeMap<&str, Vec<&Counted>> = BTreeMap::new();
    for c in complaints {
        *causes.entry((c.class, c.cause.as_str())).or_default() += 1;
        let key = match by {
            RowsBy::Dealer => c.dealer_id.as_str(),
            RowsBy::Station => c.station_id.as_str(),
        };
        groups.entry(key).or_default().push(c);
    }
    let mut causes: Vec<(Class, String, u64)> = causes
        .into_iter()
        .map(|((class, cause), n)| (class, cause.to_owned(), n))
        .collect();
    causes.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (a.0, &a.1).cmp(&(b.0, &b.1))));
    let mut overdue: Vec<&Counted> = complaints.iter().filter(|c| c.is_overdue(now)).collect();
    overdue.sort_by(|a, b| (a.open_time, &a.id).cmp(&(b.open_time, &b.id)));
    let since_open = |t: Option<i64>, c: &Counted| t.map(|t| (t - c.open_time).max(0));
    Report {
        figures: Figures::of(complaints, now, rule),
        causes,
        to_first_response: Durations::of(
            complaints
                .iter()
                .filter_map(|c| since_open(c.first_response_time, c))
                .collect(),
        ),
        to_resolution: Durations::of(
            complaints
                .iter()
                .filter_map(|c| since_open(c.resolve_time, c))
                .collect(),
        ),
        overdue_ids: overdue
            .into_iter()
            .take(MAX_OVERDUE_IDS)
            .map(|c| c.id.clone())
            .collect(),
        paid,
        rows: groups
            .into_iter()
            .map(|(id, cs)| (id.to_owned(), Figures::of(cs.iter().copied(), now, rule)))
            .collect(),
        by_technician: counts_of(complaints, SubjectKind::Technician),
        by_part: counts_of(complaints, SubjectKind::Part),
        by_advisor: counts_of(complaints, SubjectKind::Advisor),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600 * 1_000_000;

    fn counted(id: &str, opened_h: i64, answered_h: Option<i64>) -> Counted {
        Counted {
            id: id.into(),
            dealer_id: "d1".into(),
            station_id: "s1".into(),
            class: Class::Quality,
            cause: "workmanship".into(),
            state: State::Open,
            open_time: opened_h * H,
            first_response_time: answered_h.map(|h| h * H),
            resolve_time: None,
            pending_due: None,
            advisor_id: None,
            technician_ids: vec![],
            part_numbers: vec![],
        }
    }

    /// docs/complaints.md, "The complaints' standard": answered at 10 h and
    /// at 24 h met, at 30 h missed, unanswered at 40 h missed, unanswered at
    /// 5 h pending.
    #[test]
    fn the_standard_counts_met_missed_and_pending() {
        let now = 100 * H;
        let cs = [
            counted("a", 0, Some(10)),
            counted("b", 0, Some(24)),
            counted("c", 0, Some(30)),
            counted("d", 60, None),
            counted("e", 95, None),
        ];
        let s = Standard::of(&cs, now, StandardRule::default());
        assert_eq!((s.met, s.missed, s.pending), (2, 2, 1));
        assert_eq!(s.rate_bp(), Some(5000));
        assert!(!s.target_met());
    }

    #[test]
    fn durations_are_a_rounded_mean_and_a_nearest_rank_p90() {
        let d = Durations::of((1..=10).map(|h| h * H).collect());
        assert_eq!(d.count, 10);
        assert_eq!(d.mean_secs, Some(19_800));
        assert_eq!(d.p90_secs, Some(9 * 3600));
        assert_eq!(Durations::of(vec![]).mean_secs, None);
    }

    /// Each complaint counts once per technician, part and advisor; most
    /// first, ties by id, at most 20.
    #[test]
    fn subjects_are_counted_most_first_then_by_id_at_most_twenty() {
        let tied = |id: &str, advisor: Option<&str>, techs: &[&str], parts: &[&str]| Counted {
            advisor_id: advisor.map(Into::into),
            technician_ids: techs.iter().map(|&t| t.into()).collect(),
            part_numbers: parts.iter().map(|&p| p.into()).collect(),
            ..counted(id, 0, None)
        };
        let mut cs = vec![
            tied("a", Some("adv-2"), &["t2", "t1", "t2"], &["p-9"]),
            tied("b", Some("adv-1"), &["t2"], &["p-9", "p-1"]),
            tied("c", None, &["t3"], &[]),
        ];
        let r = report(&cs, vec![], 0, StandardRule::default(), RowsBy::Station);
        let n = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
            v.iter().map(|&(id, n)| (id.to_owned(), n)).collect()
        };
        assert_eq!(r.by_technician, n(&[("t2", 2), ("t1", 1), ("t3", 1)]));
        assert_eq!(r.by_part, n(&[("p-9", 2), ("p-1", 1)]));
        assert_eq!(r.by_advisor, n(&[("adv-1", 1), ("adv-2", 1)]));

        cs = (0..25)
            .map(|i| tied(&format!("x{i}"), None, &[&format!("t{i:02}")], &[]))
            .collect();
        let r = report(&cs, vec![], 0, StandardRule::default(), RowsBy::Station);
        assert_eq!(r.by_technician.len(), MAX_SUBJECT_COUNTS);
        assert_eq!(r.by_technician[19], ("t19".to_owned(), 1));
    }
}
