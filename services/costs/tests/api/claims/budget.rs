//! Approvals within the warranty budget left: a dealer's or region's
//! WARRANTY budget for a period caps the approved amounts of its claims in
//! that period, an approval that would pass it is refused naming the
//! budget and what is left, and two approvers racing for the last of it do
//! not both win.

use super::*;
use crate::control;

/// A WARRANTY budget of `scope` for `period`, set by head office.
async fn budget(
    h: &Harness,
    scope: Option<pb::CostScope>,
    period: Option<aftercare_proto::common::v1::Period>,
    amount: i64,
) {
    control::set_budget(h, scope, pb::CostCategory::Warranty, period, amount).await;
}

both!(
    an_approval_beyond_the_budget_left_is_refused_naming_it,
    |h: Harness| async move {
        world(&h).await;
        h.set_clock(DECEMBER);
        budget(&h, control::dealer("d1"), control::month(2026, 12), 50_000).await;
        let first = submitted(&h, "ro-1", 1).await;
        let second = submitted(&h, "ro-2", 2).await;
        let staff = claims(&h, who::dealer("d1"));
        staff
            .clone()
            .approve_warranty_claim(approve(&first.id, vec![]))
            .await
            .answer();
        let refused = staff
            .clone()
            .approve_warranty_claim(approve(&second.id, vec![]))
            .await
            .refused(Code::FailedPrecondition);
        assert_eq!(
            refused.message(),
            "the WARRANTY budget of dealer d1 for 2026-12: 16900 EUR left of 50000, 33100 asked"
        );
        // Nothing of the refused approval was kept.
        let still = staff
            .clone()
            .get_warranty_claim(pb::GetWarrantyClaimRequest {
                id: second.id.clone(),
            })
            .await
            .answer();
        assert_eq!(still.state, pb::ClaimState::Submitted as i32);
        assert_eq!(
            tally(&h, "dealer", "d1", "2026-12", "cost.WARRANTY").await,
            33_100
        );
        assert_eq!(
            tally(&h, "region", "north", "2026", "cost.WARRANTY").await,
            33_100
        );
        // What fits is approved: the rest cut with a reason.
        let cut = |line_number, approved: i64| pb::LineDecision {
            line_number,
            approved: eur(approved),
            reason: "within the budget left".into(),
        };
        let partly = staff
            .clone()
            .approve_warranty_claim(approve(&second.id, vec![cut(2, 0), cut(3, 0)]))
            .await
            .answer();
        assert_eq!(partly.approved, eur(9_100));
        assert_eq!(
            tally(&h, "dealer", "d1", "2026-12", "cost.WARRANTY").await,
            42_200
        );
    }
);

both!(
    the_regions_budget_caps_its_dealers_together,
    |h: Harness| async move {
        world(&h).await;
        h.set_clock(DECEMBER);
        budget(&h, control::region("north"), control::year(2026), 40_000).await;
        let first = submitted(&h, "ro-1", 1).await;
        let second = submitted(&h, "ro-2", 2).await;
        let region = claims(&h, who::region("north"));
        region
            .clone()
            .approve_warranty_claim(approve(&first.id, vec![]))
            .await
            .answer();
        let refused = region
            .clone()
            .approve_warranty_claim(approve(&second.id, vec![]))
            .await
            .refused(Code::FailedPrecondition);
        assert!(
            refused
                .message()
                .starts_with("the WARRANTY budget of region north for 2026: 6900 EUR left"),
            "{refused:?}"
        );
    }
);

both!(
    approvers_racing_for_the_last_of_a_budget_one_wins,
    |h: Harness| async move {
        world(&h).await;
        h.set_clock(DECEMBER);
        // Room for one claim of 331.00, and six approvals at once: the
        // dealer's staff and the region's manager, three each.
        budget(&h, control::dealer("d1"), control::quarter(2026, 4), 40_000).await;
        let mut ids = vec![];
        for n in 1..=6 {
            ids.push(submitted(&h, &format!("ro-{n}"), n).await.id);
        }
        let approvals = ids.iter().enumerate().map(|(i, id)| {
            let approver = if i % 2 == 0 {
                who::dealer("d1")
            } else {
                who::region("north")
            };
            let mut c = claims(&h, approver);
            let request = approve(id, vec![]);
            async move { c.approve_warranty_claim(request).await.code() }
        });
        let codes = futures::future::join_all(approvals).await;
        let won = codes.iter().filter(|c| **c == Code::Ok).count();
        let refused = codes
            .iter()
            .filter(|c| **c == Code::FailedPrecondition)
            .count();
        assert_eq!((won, refused), (1, 5), "{codes:?}");
        assert_eq!(
            tally(&h, "dealer", "d1", "2026-Q4", "cost.WARRANTY").await,
            33_100
        );
    }
);

both!(
    an_approval_past_the_networks_budget_raises_its_alert,
    |h: Harness| async move {
        world(&h).await;
        h.set_clock(DECEMBER);
        // The network's budget is no cap, but its overrun is told.
        budget(
            &h,
            control::network_scope(),
            control::month(2026, 12),
            20_000,
        )
        .await;
        let claim = submitted(&h, "ro-1", 1).await;
        claims(&h, who::dealer("d1"))
            .approve_warranty_claim(approve(&claim.id, vec![]))
            .await
            .answer();
        let alerts = control::all_alerts(&h).await;
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        let alert = &alerts[0];
        assert_eq!(alert.category, pb::CostCategory::Warranty as i32);
        assert_eq!(alert.scope, control::network_scope());
        assert_eq!(control::minor(&alert.actual), Some(33_100));
    }
);
