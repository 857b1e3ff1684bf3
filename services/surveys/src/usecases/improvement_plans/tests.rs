//! The check task of two replicas racing on the same due plans, on both
//! stores: each plan is checked by exactly one of them.

use std::sync::Arc;

use aftercare_db::timestamp::ManualClock;
use aftercare_test_support::{Backend, fresh_with_outbox, on_both_stores};
use aftercare_values::resource::Meta;
use time::OffsetDateTime;

use super::*;
use crate::{
    Rules,
    domain::improvement::{Attribute, Moments},
    leagues::{LeagueOptions, Leagues, boards::MemoryBoards},
    peers::Peers,
    store::MIGRATOR,
};

/// 2027-01-01T00:00:01Z: December 2026 is over.
const JANUARY: i64 = 1_798_761_601;
const PLANS: usize = 40;

struct Replicas {
    a: ImprovementPlans,
    b: ImprovementPlans,
}

fn replica(db: &aftercare_db::Db, clock: &ManualClock) -> ImprovementPlans {
    let leagues = Leagues::new(
        db.clone(),
        Rules::default().zone,
        Arc::new(MemoryBoards::new()),
        LeagueOptions::default(),
    );
    ImprovementPlans::new(Context {
        db: db.clone(),
        rules: Rules::default(),
        clock: clock.clock(),
        peers: Peers::default(),
        leagues: Arc::new(leagues),
    })
}

/// Two replicas on one database, with `PLANS` open plans due.
async fn start(backend: Backend) -> Replicas {
    let db = fresh_with_outbox(backend, &MIGRATOR).await;
    let clock = ManualClock::default();
    clock.set(Some(OffsetDateTime::from_unix_timestamp(JANUARY).unwrap()));
    let november: Period = "2026-11".parse().unwrap();
    let mut tx = db.begin().await.unwrap();
    for i in 0..PLANS {
        let plan = Plan {
            id: format!("plan-{i:03}"),
            dealer_id: "d1".into(),
            region_id: "r1".into(),
            state: PlanState::Open,
            attributes: vec![PlanAttribute {
                attribute: Attribute::ServiceIndex,
                baseline_value: None,
                baseline_sample_size: 0,
                baseline: Moments::default(),
                target: 700.0,
                check: None,
            }],
            baseline_period: november,
            check_period: november.next(),
            owner: "Workshop manager".into(),
            deadline: JANUARY * 1_000_000,
            check_due_time: (JANUARY - 1) * 1_000_000,
            met: None,
            check_time: None,
            checked_by: None,
            meta: Meta::created(OffsetDateTime::from_unix_timestamp(JANUARY - 86_400).unwrap()),
        };
        store::insert(&mut tx, &plan).await.unwrap();
    }
    tx.commit().await.unwrap();
    Replicas {
        a: replica(&db, &clock),
        b: replica(&db, &clock),
    }
}

on_both_stores!(
    two_replicas_check_each_due_plan_once,
    start,
    |r: Replicas| async move {
        let (a, b) = tokio::join!(r.a.check_due(), r.b.check_due());
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a + b, PLANS, "{a} + {b} checks of {PLANS} plans");
        assert_eq!(r.a.check_due().await.unwrap(), 0, "nothing is due any more");
    }
);
