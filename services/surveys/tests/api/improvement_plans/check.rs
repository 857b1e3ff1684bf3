//! The check with the clock moved past the check period: improved, no
//! change, insufficient sample; asked for, or made by the task of two
//! replicas at once, each plan once.

use aftercare_proto::surveys::v1 as pb;
use aftercare_test_support::eventually;
use tonic::Code;

use super::support::{DECEMBER, JANUARY, NOVEMBER, PlanHarness, Plans, at, month, new_plan, start};
use crate::{
    both,
    support::{code_of, who},
};

use pb::ImprovementVerdict as V;

fn verdicts(plan: &pb::ImprovementPlan) -> Vec<(String, V)> {
    plan.attributes
        .iter()
        .map(|a| {
            let check = a.check.as_ref().expect("checked");
            (a.attribute_id.clone(), check.verdict())
        })
        .collect()
}

/// d1 improves clearly, d2 moves within its noise, d3 has one response in
/// the check month.
async fn three_dealers(p: &PlanHarness) {
    p.respond_all("d1", "r1", NOVEMBER, &[(2, 2, 1), (3, 2, 2), (2, 3, 1)])
        .await;
    p.respond_all("d1", "r1", DECEMBER, &[(6, 7, 5), (7, 6, 5), (7, 7, 4)])
        .await;
    p.respond_all("d2", "r1", NOVEMBER, &[(3, 5, 2), (6, 4, 4), (5, 6, 3)])
        .await;
    p.respond_all("d2", "r1", DECEMBER, &[(4, 6, 3), (5, 3, 4), (6, 5, 2)])
        .await;
    p.respond_all("d3", "r1", NOVEMBER, &[(2, 2, 1), (3, 2, 2), (2, 3, 1)])
        .await;
    p.respond("d3", "r1", DECEMBER, (7, 7, 5)).await;
}

both!(
    the_check_tells_progress_from_noise,
    start,
    |p: PlanHarness| async move {
        three_dealers(&p).await;
        let mut region = p.plans(who::region("r1"));
        let mut plans = vec![];
        for dealer in ["d1", "d2", "d3"] {
            let plan = region
                .create_improvement_plan(new_plan(dealer))
                .await
                .unwrap()
                .into_inner();
            plans.push(plan);
        }
        let d1 = &plans[0];
        assert_eq!(d1.state(), pb::ImprovementPlanState::Open);
        assert_eq!(d1.check_period, month(12), "the month after");
        let tan = &d1.attributes[1];
        assert_eq!(tan.baseline_sample_size, 3);
        assert!(
            (tan.baseline_value.unwrap() + 11.0 / 3.0).abs() < 1e-9,
            "{tan:?}"
        );
        assert!(tan.check.is_none());

        let check = |id: &str| pb::CheckImprovementPlanRequest {
            id: id.into(),
            request_id: String::new(),
        };
        // December is not over.
        let early = region.check_improvement_plan(check(&d1.id)).await;
        assert_eq!(code_of(early), Code::FailedPrecondition);

        p.clock.set(at(JANUARY));
        let mut checked = vec![];
        for plan in &plans {
            let c = region
                .check_improvement_plan(check(&plan.id))
                .await
                .unwrap()
                .into_inner();
            assert_eq!(c.state(), pb::ImprovementPlanState::Checked);
            checked.push(c);
        }
        let si = "service_index".to_owned();
        let tan = "item:tan-1".to_owned();
        assert_eq!(
            verdicts(&checked[0]),
            [(si.clone(), V::Improved), (tan.clone(), V::Improved)]
        );
        assert_eq!(
            checked[0].met,
            Some(true),
            "improved and both goals reached"
        );
        let d1_si = checked[0].attributes[0].check.unwrap();
        assert_eq!(d1_si.sample_size, 3);
        assert!(d1_si.goal_reached);
        assert!(d1_si.difference_low.unwrap() > 0.0);
        assert!(
            d1_si.difference_low < d1_si.difference && d1_si.difference < d1_si.difference_high
        );

        assert_eq!(
            verdicts(&checked[1]),
            [(si.clone(), V::NoChange), (tan.clone(), V::NoChange)]
        );
        assert_eq!(checked[1].met, Some(false));
        let d2_si = checked[1].attributes[0].check.unwrap();
        assert!(d2_si.difference_low.unwrap() < 0.0 && d2_si.difference_high.unwrap() > 0.0);

        assert_eq!(
            verdicts(&checked[2]),
            [(si, V::InsufficientSample), (tan, V::InsufficientSample)]
        );
        assert_eq!(checked[2].met, Some(false), "one response is not progress");
        assert!(
            checked[2].attributes[0]
                .check
                .as_ref()
                .unwrap()
                .goal_reached
        );

        // Asked again: the same check, nothing moved.
        let again = region
            .check_improvement_plan(check(&d1.id))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(again, checked[0]);
        assert_eq!(again.checked_by, who::region("r1").subject);
    }
);

both!(
    two_replicas_check_each_plan_once,
    start,
    |p: PlanHarness| async move {
        three_dealers(&p).await;
        let mut staff = p.plans(who::oem());
        let mut ids = vec![];
        for dealer in ["d1", "d2", "d3", "d1", "d2"] {
            let plan = staff
                .create_improvement_plan(new_plan(dealer))
                .await
                .unwrap()
                .into_inner();
            ids.push(plan.id);
        }
        let cancelled = ids.pop().unwrap();
        staff
            .cancel_improvement_plan(pb::CancelImprovementPlanRequest {
                id: cancelled.clone(),
                ..Default::default()
            })
            .await
            .unwrap();

        // Both replicas' tasks find the plans due at once.
        p.clock.set(at(JANUARY));
        let _a = p.replica().await;
        let _b = p.replica().await;
        for id in &ids {
            let plan = eventually("the task checks the plan", || {
                let mut c = staff.clone();
                let id = id.clone();
                async move {
                    let plan = c
                        .get_improvement_plan(pb::GetImprovementPlanRequest { id })
                        .await
                        .unwrap()
                        .into_inner();
                    (plan.state() == pb::ImprovementPlanState::Checked).then_some(plan)
                }
            })
            .await;
            assert_eq!(plan.checked_by, "automatic");
            assert_eq!(plan.etag, "2", "created, then checked once");
        }
        let cancelled = staff
            .get_improvement_plan(pb::GetImprovementPlanRequest { id: cancelled })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(cancelled.state(), pb::ImprovementPlanState::Cancelled);
        assert!(cancelled.attributes.iter().all(|a| a.check.is_none()));
    }
);

both!(
    checks_asked_at_once_agree,
    start,
    |p: PlanHarness| async move {
        three_dealers(&p).await;
        let plan = p
            .plans(who::oem())
            .create_improvement_plan(new_plan("d1"))
            .await
            .unwrap()
            .into_inner();
        p.clock.set(at(JANUARY));
        // Two calls at once, each in its own transaction.
        let (a, b) = (p.plans(who::oem()), p.plans(who::region("r1")));
        let ask = |mut c: Plans, id: String| async move {
            c.check_improvement_plan(pb::CheckImprovementPlanRequest {
                id,
                request_id: String::new(),
            })
            .await
            .map(|r| r.into_inner())
        };
        let (x, y) = tokio::join!(ask(a, plan.id.clone()), ask(b, plan.id.clone()));
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(x.etag, "2");
        assert_eq!(x, y, "one check, answered to both");
    }
);
