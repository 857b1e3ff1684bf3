//! Who may do what with plans, bad input naming its field, updates with
//! masks and etags, and retries applied once.

use aftercare_proto::surveys::v1 as pb;
use prost_types::FieldMask;
use tonic::Code;

use super::support::{NOVEMBER, PlanHarness, goal, month, new_plan, start};
use crate::{
    both,
    support::{code_of, field_of, who},
};

both!(
    plans_are_made_and_read_within_scope,
    start,
    |p: PlanHarness| async move {
        p.respond("d1", "r1", NOVEMBER, (2, 2, 1)).await;
        p.respond("d2", "r2", NOVEMBER, (2, 2, 1)).await;
        let create = |who| {
            let mut c = p.plans(who);
            async move {
                c.create_improvement_plan(new_plan("d1"))
                    .await
                    .map(|r| r.into_inner())
            }
        };
        // Another dealer and another region do not see d1.
        assert_eq!(code_of(create(who::dealer("d2")).await), Code::NotFound);
        assert_eq!(code_of(create(who::region("r2")).await), Code::NotFound);
        // A DMS reads its dealer's plans, and makes none.
        assert_eq!(
            code_of(create(who::dms("d1")).await),
            Code::PermissionDenied
        );
        let by_staff = create(who::dealer("d1")).await.unwrap();
        let by_region = create(who::region("r1")).await.unwrap();
        assert_eq!(by_staff.region_id, "r1");
        let other = p
            .plans(who::oem())
            .create_improvement_plan(new_plan("d2"))
            .await
            .unwrap()
            .into_inner();

        let get = |who, id: &str| {
            let mut c = p.plans(who);
            let id = id.to_owned();
            async move {
                c.get_improvement_plan(pb::GetImprovementPlanRequest { id })
                    .await
            }
        };
        assert!(get(who::dms("d1"), &by_staff.id).await.is_ok());
        assert!(get(who::region("r1"), &by_staff.id).await.is_ok());
        assert_eq!(
            code_of(get(who::dealer("d2"), &by_staff.id).await),
            Code::NotFound
        );
        assert_eq!(
            code_of(get(who::region("r2"), &by_staff.id).await),
            Code::NotFound
        );

        let list = |who, r: pb::ListImprovementPlansRequest| {
            let mut c = p.plans(who);
            async move {
                let plans = c.list_improvement_plans(r).await.unwrap().into_inner();
                plans
                    .improvement_plans
                    .into_iter()
                    .map(|p| p.id)
                    .collect::<Vec<_>>()
            }
        };
        let all = pb::ListImprovementPlansRequest::default();
        // Newest first.
        assert_eq!(
            list(who::oem(), all.clone()).await,
            [other.id.clone(), by_region.id.clone(), by_staff.id.clone()]
        );
        assert_eq!(
            list(who::dms("d1"), all.clone()).await,
            [by_region.id.clone(), by_staff.id.clone()]
        );
        assert_eq!(
            list(who::region("r2"), all.clone()).await,
            std::slice::from_ref(&other.id)
        );
        let page = pb::ListImprovementPlansRequest {
            page_size: 1,
            ..all.clone()
        };
        let first = p
            .plans(who::oem())
            .list_improvement_plans(page.clone())
            .await
            .unwrap()
            .into_inner();
        let second = list(
            who::oem(),
            pb::ListImprovementPlansRequest {
                page_token: first.next_page_token,
                ..page
            },
        )
        .await;
        assert_eq!(second, std::slice::from_ref(&by_region.id));
        let d1_open = pb::ListImprovementPlansRequest {
            dealer_id: "d1".into(),
            state: pb::ImprovementPlanState::Open.into(),
            ..all
        };
        assert_eq!(list(who::oem(), d1_open).await.len(), 2);
    }
);

both!(
    bad_input_names_its_field,
    start,
    |p: PlanHarness| async move {
        p.respond("d1", "r1", NOVEMBER, (2, 2, 1)).await;
        let c = p.plans(who::oem());
        let field = |f: fn(&mut pb::CreateImprovementPlanRequest)| {
            let mut c = c.clone();
            let mut r = new_plan("d1");
            f(&mut r);
            async move { field_of(c.create_improvement_plan(r).await) }
        };
        assert_eq!(field(|r| r.dealer_id.clear()).await, "dealer_id");
        assert_eq!(field(|r| r.goals.clear()).await, "goals");
        assert_eq!(field(|r| r.goals = vec![goal("nps", 1.0)]).await, "goals");
        assert_eq!(
            field(|r| r.goals = vec![goal("service_index", 1.0), goal("service_index", 2.0)]).await,
            "goals"
        );
        assert_eq!(field(|r| r.baseline_period = None).await, "baseline_period");
        assert_eq!(field(|r| r.check_period = month(10)).await, "check_period");
        assert_eq!(field(|r| r.owner = "  ".into()).await, "owner");
        assert_eq!(field(|r| r.deadline = None).await, "deadline");
        assert_eq!(
            field(|r| r.deadline = Some(prost_types::Timestamp {
                seconds: NOVEMBER,
                nanos: 0
            }))
            .await,
            "deadline"
        );
        assert_eq!(field(|r| r.request_id = "\n".into()).await, "request_id");

        let plan = c
            .clone()
            .create_improvement_plan(new_plan("d1"))
            .await
            .unwrap()
            .into_inner();
        let update = |f: fn(&mut pb::UpdateImprovementPlanRequest), id: &str| {
            let mut c = c.clone();
            let mut r = pb::UpdateImprovementPlanRequest {
                id: id.into(),
                ..Default::default()
            };
            f(&mut r);
            async move { c.update_improvement_plan(r).await }
        };
        assert_eq!(field_of(update(|r| r.id = "X".into(), "").await), "id");
        assert_eq!(
            field_of(
                update(
                    |r| r.update_mask = Some(FieldMask {
                        paths: vec!["dealer_id".into()]
                    }),
                    &plan.id
                )
                .await
            ),
            "update_mask"
        );
        assert_eq!(
            field_of(update(|r| r.goals = vec![goal("item:rel-1", 1.0)], &plan.id).await),
            "goals",
            "a plan's attributes are not changed by an update"
        );
        assert_eq!(
            field_of(update(|r| r.etag = "x".into(), &plan.id).await),
            "etag"
        );
        let unknown = c
            .clone()
            .get_improvement_plan(pb::GetImprovementPlanRequest {
                id: "0190a000-0000-7000-8000-000000000000".into(),
            })
            .await;
        assert_eq!(code_of(unknown), Code::NotFound);
    }
);

both!(
    updates_take_masks_and_etags_and_retries_apply_once,
    start,
    |p: PlanHarness| async move {
        p.respond("d1", "r1", NOVEMBER, (2, 2, 1)).await;
        let mut staff = p.plans(who::dealer("d1"));
        let create = pb::CreateImprovementPlanRequest {
            request_id: "plan-1".into(),
            ..new_plan("d1")
        };
        let first = staff
            .create_improvement_plan(create.clone())
            .await
            .unwrap()
            .into_inner();
        let again = staff
            .create_improvement_plan(create)
            .await
            .unwrap()
            .into_inner();
        assert_eq!(first, again, "a retry gets the first answer");
        let listed = staff
            .list_improvement_plans(pb::ListImprovementPlansRequest::default())
            .await
            .unwrap()
            .into_inner();
        assert_eq!(listed.improvement_plans.len(), 1, "one plan made");

        let update = pb::UpdateImprovementPlanRequest {
            id: first.id.clone(),
            goals: vec![goal("service_index", 750.0)],
            owner: "Service manager".into(),
            update_mask: Some(FieldMask {
                paths: vec!["goals".into(), "owner".into()],
            }),
            etag: first.etag.clone(),
            request_id: "update-1".into(),
            ..Default::default()
        };
        let updated = staff
            .update_improvement_plan(update.clone())
            .await
            .unwrap()
            .into_inner();
        assert_eq!(updated.owner, "Service manager");
        assert_eq!(updated.attributes[0].target, 750.0);
        assert_eq!(updated.attributes[1].target, 0.0, "untouched");
        assert_eq!(updated.deadline, first.deadline);
        assert_eq!(updated.etag, "2");
        // The retry answers the same; a change with the old etag is stale.
        let retried = staff
            .update_improvement_plan(update.clone())
            .await
            .unwrap()
            .into_inner();
        assert_eq!(retried, updated);
        let stale = staff
            .update_improvement_plan(pb::UpdateImprovementPlanRequest {
                request_id: "update-2".into(),
                ..update
            })
            .await;
        assert_eq!(code_of(stale), Code::Aborted);

        // The DMS reads and cannot change; the region manager can.
        let dms = p
            .plans(who::dms("d1"))
            .cancel_improvement_plan(pb::CancelImprovementPlanRequest {
                id: first.id.clone(),
                ..Default::default()
            })
            .await;
        assert_eq!(code_of(dms), Code::PermissionDenied);
        let cancel = pb::CancelImprovementPlanRequest {
            id: first.id.clone(),
            etag: updated.etag.clone(),
            request_id: "cancel-1".into(),
        };
        let mut region = p.plans(who::region("r1"));
        let cancelled = region
            .cancel_improvement_plan(cancel.clone())
            .await
            .unwrap()
            .into_inner();
        assert_eq!(cancelled.state(), pb::ImprovementPlanState::Cancelled);
        assert_eq!(
            region
                .cancel_improvement_plan(cancel)
                .await
                .unwrap()
                .into_inner(),
            cancelled
        );
        let late = staff
            .update_improvement_plan(pb::UpdateImprovementPlanRequest {
                id: first.id.clone(),
                owner: "Nobody".into(),
                ..Default::default()
            })
            .await;
        assert_eq!(code_of(late), Code::FailedPrecondition);
    }
);
