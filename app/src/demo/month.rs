//! The plan of the demo's month: which vehicles come to which station on
//! each of the thirty days before today, for what work, and what becomes of
//! each visit — with the moment of every step, so that `repair_orders.rs`
//! can play them in order on the demo's clock. Fixed: the same plan for the
//! same day, drawn from a hash of (profile, day, visit), not the time.
//!
//! Two stations (hm-airport and ac-munich) share a profile, so that they
//! see the same visits and answers and tie in every league table; rv-bonn
//! is small, under the tables' minimum sample in any month.

use aftercare_dealers::demo::VEHICLES_PER_STATION;
use time::{Duration, OffsetDateTime, Time, Weekday};

use super::STATIONS;

/// How many days back the month reaches.
const DAYS: i64 = 30;

/// Per station, in [`STATIONS`]' order: visits per working day (rv-bonn one
/// every third day), the profile its visits and answers are drawn from, and
/// its customers' perception of reliability and responsiveness (1–7).
const PROFILES: [(usize, u64, i32, i32); 6] = [
    (4, 11, 6, 6),
    (3, 22, 6, 5),
    (3, 22, 6, 5),
    (3, 33, 5, 4),
    (3, 44, 7, 6),
    (1, 55, 5, 5),
];

/// The work a visit is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Job {
    OilService,
    BrakePads,
    HvCheck,
    /// Brake pads under warranty: costs drafts a claim.
    WarrantyPads,
    /// A DC-DC converter, out of stock everywhere: the RO waits for it.
    Converter,
}

impl Job {
    /// (RO type, operation, part)
    pub(super) fn work(self) -> (RoType, &'static str, &'static str) {
        match self {
            Job::OilService => (RoType::Maintenance, "OIL-SERVICE", "OIL-FILTER-5"),
            Job::BrakePads => (RoType::Repair, "PAD-REPLACE", "PAD-SET-FRONT"),
            Job::HvCheck => (RoType::Maintenance, "HV-CHECK", "HV-CONNECTOR"),
            Job::WarrantyPads => (RoType::Warranty, "PAD-REPLACE", "PAD-SET-FRONT"),
            Job::Converter => (RoType::Repair, "DCDC-REPLACE", super::stock::OUT_OF_STOCK),
        }
    }

    /// The estimate given at opening, in cents.
    pub(super) fn estimate(self) -> i64 {
        match self {
            Job::OilService => 12_000,
            Job::BrakePads | Job::WarrantyPads => 30_000,
            Job::HvCheck => 45_000,
            Job::Converter => 120_000,
        }
    }
}

pub(super) use aftercare_proto::dealers::v1::RepairOrderType as RoType;

/// A step of a visit, played at its moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// The appointment is booked.
    Book,
    /// The RO is opened (on the appointment, if any) with its labour and
    /// parts lines.
    Open,
    Start,
    /// The parts line is backordered: the RO waits.
    WaitForParts,
    /// The labour time is recorded and the work completed.
    Finish,
    /// Handed back with the bill.
    Deliver,
    Close,
    Cancel,
    /// The customer did not come to the appointment.
    NoShow,
}

/// One vehicle's visit to a station.
#[derive(Debug, Clone)]
pub(super) struct Visit {
    /// The RO's id (and, with `ap-` before it, the appointment's).
    pub id: String,
    pub station: &'static str,
    pub dealer: &'static str,
    pub vehicle: String,
    pub job: Job,
    /// When the appointment's slot starts, for a booked visit.
    pub slot: Option<OffsetDateTime>,
    pub promise: OffsetDateTime,
    /// The hash the visit's details are drawn from.
    pub draw: u64,
    /// In order of time.
    pub steps: Vec<(OffsetDateTime, Step)>,
    /// The customer's perception of reliability and responsiveness, when
    /// the customer answers the survey.
    pub answer: Option<(i32, i32)>,
}

impl Visit {
    pub(super) fn warranty(&self) -> bool {
        self.job == Job::WarrantyPads
    }

    pub(super) fn reaches(&self, step: Step) -> bool {
        self.steps.iter().any(|(_, s)| *s == step)
    }

    pub(super) fn appointment_id(&self) -> String {
        format!("ap-{}", self.id)
    }
}

/// The month's visits.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub visits: Vec<Visit>,
}

impl Plan {
    /// The visits whose RO was handed back, in order of delivery.
    pub(super) fn delivered(&self) -> impl Iterator<Item = &Visit> {
        let mut delivered: Vec<_> = self
            .visits
            .iter()
            .filter(|v| v.reaches(Step::Deliver))
            .collect();
        delivered.sort_by_key(|v| {
            v.steps
                .iter()
                .find(|(_, s)| *s == Step::Deliver)
                .map(|s| s.0)
        });
        delivered.into_iter()
    }
}

/// splitmix64 of the three numbers: the plan's only source of variety.
fn draw(profile: u64, day: i64, visit: usize) -> u64 {
    let mut z = profile
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((day as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9))
        .wrapping_add(visit as u64 + 1);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn at(day: OffsetDateTime, hour: u8, minute: i64) -> OffsetDateTime {
    day.replace_time(Time::from_hms(hour, 0, 0).expect("an hour of the day"))
        + Duration::minutes(minute)
}

/// The plan of the thirty days before `today` and of today so far, with
/// appointments booked for the next three days.
pub(super) fn plan(today: OffsetDateTime) -> Plan {
    let mut visits = vec![];
    for (s, ((station, dealer, _), profile)) in STATIONS.iter().zip(PROFILES).enumerate() {
        let mut vehicles = 0usize;
        // Vehicles 1 and 2 come for the warranty work only: the same VIN
        // and part twice in 30 days would be a duplicate claim.
        let mut next_vehicle = || {
            vehicles += 1;
            format!(
                "{station}-vehicle-{}",
                3 + vehicles % (VEHICLES_PER_STATION - 2)
            )
        };
        for back in (1..=DAYS).rev() {
            let day = today - Duration::days(back);
            if day.weekday() == Weekday::Sunday {
                continue;
            }
            past_day(
                &mut visits,
                (s, station, dealer),
                profile,
                back,
                day,
                &mut next_vehicle,
            );
        }
        this_day(&mut visits, (s, station, dealer), today, &mut next_vehicle);
        booked_ahead(&mut visits, (station, dealer), today, &mut next_vehicle);
    }
    Plan { visits }
}

type Place<'a> = (usize, &'a &'static str, &'a &'static str);

/// A working day of the month: visits by appointment and walk-in, handed
/// back in the afternoon, most closed the next day; a few cancelled, a
/// no-show now and then; the warranty work at the first three stations.
fn past_day(
    visits: &mut Vec<Visit>,
    (s, station, dealer): Place<'_>,
    (per_day, profile, reliability, responsiveness): (usize, u64, i32, i32),
    back: i64,
    day: OffsetDateTime,
    next_vehicle: &mut impl FnMut() -> String,
) {
    let count = if per_day == 1 && back % 3 != 0 {
        0
    } else {
        per_day
    };
    let date = day.date();
    for k in 0..count {
        let h = draw(profile, back, k);
        let warranty = s < 3 && k == 0 && (back == 20 || back == 10);
        let job = if warranty {
            Job::WarrantyPads
        } else {
            [
                Job::OilService,
                Job::OilService,
                Job::BrakePads,
                Job::HvCheck,
            ][(h % 4) as usize]
        };
        let vehicle = if warranty {
            format!("{station}-vehicle-{}", if back == 20 { 1 } else { 2 })
        } else {
            next_vehicle()
        };
        let slot = (k == 0).then(|| at(day, 8, 0));
        let mut steps = vec![];
        if slot.is_some() {
            steps.push((at(day, 8, 0) - Duration::hours(16), Step::Book));
        }
        // The station's visits move together, at few moments of the day:
        // the demo plays a moment's steps at once.
        steps.push((at(day, 8, 0), Step::Open));
        // A low answer at la-konstanz and at rv-bonn: the closed loop opens
        // their complaints.
        let low = (s == 3 && back == 2 && k == 0) || (s == 5 && back == 3);
        let cancelled = !warranty && !low && h % 23 == 5;
        if cancelled {
            steps.push((at(day, 9, 0), Step::Cancel));
        } else {
            steps.push((at(day, 9, 0), Step::Start));
            steps.push((at(day, 14, 0), Step::Finish));
            // Handed back after the promise now and then.
            steps.push((at(day, 16, 15 * (h % 3) as i64), Step::Deliver));
            if back >= 2 && !h.is_multiple_of(3) {
                steps.push((at(day + Duration::days(1), 10, 0), Step::Close));
            }
        }
        let answer = (!cancelled && (low || h % 7 != 3)).then(|| {
            if low {
                (2, 2)
            } else {
                (
                    reliability - i32::from((h >> 8).is_multiple_of(3)),
                    responsiveness - i32::from((h >> 12).is_multiple_of(4)),
                )
            }
        });
        visits.push(Visit {
            id: format!("ro-{station}-{date}-{k}"),
            station,
            dealer,
            vehicle,
            job,
            slot,
            promise: at(day, 15, 30 + 30 * k as i64),
            draw: h,
            steps,
            answer,
        });
    }
    // A customer who booked and did not come.
    if back % 5 == 2 {
        let start = at(day, 10, 0);
        visits.push(Visit {
            id: format!("ro-{station}-{date}-no-show"),
            station,
            dealer,
            vehicle: next_vehicle(),
            job: Job::OilService,
            slot: Some(start),
            promise: start + Duration::hours(4),
            draw: draw(profile, back, 99),
            steps: vec![
                (start - Duration::hours(18), Step::Book),
                (start + Duration::hours(1), Step::NoShow),
            ],
            answer: None,
        });
    }
}

/// Today so far, by the hours before now: at most stations one RO in work
/// whose hours left run past its promise (at risk now), one just opened
/// and comfortably on time, one completed waiting for its owner, and at
/// four one waiting for a DC-DC converter on a backorder.
fn this_day(
    visits: &mut Vec<Visit>,
    (s, station, dealer): Place<'_>,
    now: OffsetDateTime,
    next_vehicle: &mut impl FnMut() -> String,
) {
    let ago = |minutes: i64| now - Duration::minutes(minutes);
    let later = |minutes: i64| now + Duration::minutes(minutes);
    // hm-airport and rv-bonn are on time today.
    let at_risk = ![1, 5].contains(&s);
    type Steps = Vec<(OffsetDateTime, Step)>;
    let today: [(&str, Job, OffsetDateTime, Steps); 4] = [
        (
            "in-work",
            Job::BrakePads,
            if at_risk { later(45) } else { later(300) },
            vec![(ago(180), Step::Open), (ago(150), Step::Start)],
        ),
        (
            "opened",
            Job::OilService,
            later(360),
            vec![(ago(40), Step::Open)],
        ),
        (
            "completed",
            Job::HvCheck,
            later(90),
            vec![
                (ago(300), Step::Open),
                (ago(270), Step::Start),
                (ago(60), Step::Finish),
            ],
        ),
        (
            "waiting",
            Job::Converter,
            later(60 * 26),
            vec![
                (ago(240), Step::Open),
                (ago(220), Step::Start),
                (ago(200), Step::WaitForParts),
            ],
        ),
    ];
    for (name, job, promise, steps) in today {
        if name == "waiting" && s >= 4 {
            continue;
        }
        visits.push(Visit {
            id: format!("ro-{station}-{}-{name}", now.date()),
            station,
            dealer,
            vehicle: next_vehicle(),
            job,
            slot: None,
            promise,
            draw: draw(s as u64, 0, 0),
            steps,
            answer: None,
        });
    }
}

/// Two appointments a day at each station for the next three days, booked
/// now.
fn booked_ahead(
    visits: &mut Vec<Visit>,
    (station, dealer): (&&'static str, &&'static str),
    now: OffsetDateTime,
    next_vehicle: &mut impl FnMut() -> String,
) {
    for ahead in 1..=3 {
        let day = now + Duration::days(ahead);
        for (k, hour) in [9, 11].into_iter().enumerate() {
            let start = at(day, hour, 0);
            visits.push(Visit {
                id: format!("ro-{station}-{}-booked-{k}", day.date()),
                station,
                dealer,
                vehicle: next_vehicle(),
                job: if k == 0 {
                    Job::OilService
                } else {
                    Job::BrakePads
                },
                slot: Some(start),
                promise: start + Duration::hours(6),
                draw: 0,
                steps: vec![(now, Step::Book)],
                answer: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn every_step_of_the_past_is_before_now_and_in_order() {
        let now = datetime!(2026-03-01 06:30 UTC);
        let plan = plan(now);
        for v in &plan.visits {
            let times: Vec<_> = v.steps.iter().map(|s| s.0).collect();
            assert!(times.windows(2).all(|w| w[0] < w[1]), "{}", v.id);
            assert!(times.iter().all(|t| *t <= now), "{}", v.id);
        }
    }

    #[test]
    fn the_same_day_gives_the_same_plan_and_the_twins_tie() {
        let now = datetime!(2026-03-17 10:00 UTC);
        let (a, b) = (plan(now), plan(now));
        assert_eq!(a.visits.len(), b.visits.len());
        let answers = |station: &str| -> Vec<_> {
            a.delivered()
                .filter(|v| v.station == station)
                .map(|v| v.answer)
                .collect()
        };
        assert_eq!(answers("hm-airport"), answers("ac-munich"));
        let answered = a.delivered().filter(|v| v.answer.is_some()).count();
        assert!((300..=400).contains(&answered), "{answered} answers");
    }
}
