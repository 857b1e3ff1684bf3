//! A surveys service whose clock the test sets, its replicas on the same
//! database, and the scored responses the plans are made from.

use std::sync::Arc;

use aftercare_auth::Principal;
use aftercare_proto::{
    common::v1 as common,
    surveys::v1::{self as pb, improvement_plan_service_client::ImprovementPlanServiceClient},
};
use aftercare_surveys::{MIGRATOR, Rules, Surveys, SurveysSettings, leagues::boards::MemoryBoards};
use aftercare_test_support::{Backend, ManualClock, Served, Signed, fresh_with_outbox};
use time::OffsetDateTime;

use crate::support::{Harness, delivered_at, test_league_options, who};

pub(crate) type Plans = ImprovementPlanServiceClient<Signed>;

/// 2026-11-10 and 2026-12-10, noon UTC: a day of the baseline month and
/// one of the check month.
pub(crate) const NOVEMBER: i64 = 1_794_312_000;
pub(crate) const DECEMBER: i64 = NOVEMBER + 30 * 86_400;
/// 2027-01-01T00:00:01Z: the check month is over.
pub(crate) const JANUARY: i64 = 1_798_761_601;

pub(crate) fn at(seconds: i64) -> Option<OffsetDateTime> {
    Some(OffsetDateTime::from_unix_timestamp(seconds).unwrap())
}

pub(crate) fn month(m: i32) -> Option<common::Period> {
    let (year, number) = if m > 12 { (2027, m - 12) } else { (2026, m) };
    Some(common::Period {
        kind: common::PeriodKind::Month.into(),
        year,
        number,
    })
}

/// The service with its clock at December 2026, and what the test reaches.
pub(crate) struct PlanHarness {
    pub(crate) h: Harness,
    pub(crate) clock: ManualClock,
}

/// How often the replicas' task checks due plans in these tests.
const CHECK_MS: u64 = 50;

async fn replica(db: aftercare_db::Db, clock: &ManualClock, task_ms: u64) -> Harness {
    let clock = clock.clock();
    let settings = SurveysSettings {
        improvement_check_ms: task_ms,
        ..SurveysSettings::default()
    };
    let (served, leagues) = Served::start("surveys", db.clone(), |db, key| async move {
        Surveys::new(&settings, db, key)
            .with_rules(Rules::default())
            .with_boards(Arc::new(MemoryBoards::new()))
            .with_league_options(test_league_options())
            .with_clock(clock)
            .build()
            .await
            .expect("the service builds")
    })
    .await;
    Harness {
        served,
        db,
        leagues,
        redis: None,
    }
}

/// A service whose check task does not run within a test: checks are asked
/// for.
pub(crate) async fn start(backend: Backend) -> PlanHarness {
    let db = fresh_with_outbox(backend, &MIGRATOR).await;
    let clock = ManualClock::default();
    clock.set(at(DECEMBER));
    let h = replica(db, &clock, 3_600_000).await;
    h.publish_template("after-sales").await;
    PlanHarness { h, clock }
}

impl PlanHarness {
    pub(crate) fn plans(&self, principal: Principal) -> Plans {
        ImprovementPlanServiceClient::new(self.h.served.signed(principal))
    }

    /// Another replica on the same database and clock, its check task
    /// running every 50 ms.
    pub(crate) async fn replica(&self) -> Harness {
        replica(self.h.db.clone(), &self.clock, CHECK_MS).await
    }

    /// Delivers an RO of `dealer` at `seconds` and answers its survey by
    /// phone: the perceptions of items tan-1 and rel-1 (expectations 6) and
    /// the overall rating (1–5).
    pub(crate) async fn respond(
        &self,
        dealer: &str,
        region: &str,
        seconds: i64,
        (tan, rel, overall): (i32, i32, i32),
    ) {
        let ro = format!("ro-{}", uuid::Uuid::now_v7());
        let invitation = self
            .h
            .invitations(who::relay(dealer))
            .receive_repair_order_delivered(delivered_at(&ro, &ro, dealer, region, seconds))
            .await
            .expect("invitation created")
            .into_inner();
        let answers = [
            ("tan-1-e", 6),
            ("tan-1-p", tan),
            ("rel-1-e", 6),
            ("rel-1-p", rel),
            ("overall", overall),
            ("recommend", 8),
        ]
        .into_iter()
        .map(|(q, value)| pb::Answer {
            question_id: q.into(),
            value,
        })
        .collect();
        self.h
            .invitations(who::oem())
            .take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
                invitation_id: invitation.id,
                answers,
                request_id: String::new(),
            })
            .await
            .expect("survey taken");
    }

    /// Answers each of `answers` for `dealer` at `seconds`.
    pub(crate) async fn respond_all(
        &self,
        dealer: &str,
        region: &str,
        seconds: i64,
        answers: &[(i32, i32, i32)],
    ) {
        for a in answers {
            self.respond(dealer, region, seconds, *a).await;
        }
    }
}

pub(crate) fn goal(attribute_id: &str, target: f64) -> pb::PlanGoal {
    pb::PlanGoal {
        attribute_id: attribute_id.into(),
        target,
    }
}

/// A plan for `dealer` on the service index (target 700) and item tan-1
/// (target 0), baseline November, owner "Workshop manager", deadline
/// 2027-01-31.
pub(crate) fn new_plan(dealer: &str) -> pb::CreateImprovementPlanRequest {
    pb::CreateImprovementPlanRequest {
        dealer_id: dealer.into(),
        goals: vec![goal("service_index", 700.0), goal("item:tan-1", 0.0)],
        baseline_period: month(11),
        check_period: None,
        owner: "Workshop manager".into(),
        deadline: Some(prost_types::Timestamp {
            seconds: JANUARY + 30 * 86_400,
            nanos: 0,
        }),
        request_id: String::new(),
    }
}
