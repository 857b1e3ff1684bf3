//! A claim from draft to payment: submitted by the dealer, approved by the
//! level its amount calls for (or a higher one), per line, paid by head
//! office; rejected and resubmitted with reasons; every step once per
//! request_id.

use aftercare_costs::CostsSettings;
use aftercare_values::OemZone;

use super::*;

fn states(c: &pb::WarrantyClaim) -> Vec<(pb::ClaimState, String)> {
    c.history
        .iter()
        .map(|s| (pb::ClaimState::try_from(s.state).unwrap(), s.actor.clone()))
        .collect()
}

fn pay(id: &str) -> pb::PayWarrantyClaimRequest {
    pb::PayWarrantyClaimRequest {
        id: id.into(),
        payment_reference: "PAY-2026-0001".into(),
        etag: String::new(),
        request_id: rid(),
    }
}

both!(
    a_claim_goes_from_draft_to_paid_at_the_station_level,
    |h: Harness| async move {
        world(&h).await;
        let claim = submitted(&h, "ro-1", 1).await;
        // The DMS submits but does not approve.
        claims(&h, who::dms("d1"))
            .approve_warranty_claim(approve(&claim.id, vec![]))
            .await
            .refused(Code::PermissionDenied);
        let approved = claims(&h, who::dealer("d1"))
            .approve_warranty_claim(approve(&claim.id, vec![]))
            .await
            .answer();
        assert_eq!(approved.state, pb::ClaimState::Approved as i32);
        assert_eq!(approved.approved, eur(33_100));
        // Only head office pays.
        claims(&h, who::dealer("d1"))
            .pay_warranty_claim(pay(&claim.id))
            .await
            .refused(Code::PermissionDenied);
        let paid = claims(&h, who::oem())
            .pay_warranty_claim(pay(&claim.id))
            .await
            .answer();
        assert_eq!(paid.payment_reference, "PAY-2026-0001");
        use pb::ClaimState::*;
        assert_eq!(
            states(&paid),
            [
                (Draft, aftercare_auth::DEALERS_RELAY.to_string()),
                (Submitted, "dms-d1".into()),
                (Approved, "staff-d1".into()),
                (Paid, "head-office".into()),
            ]
        );
        assert!(paid.history.iter().all(|s| s.time.is_some()));
        let read = claims(&h, who::region("north"))
            .get_warranty_claim(pb::GetWarrantyClaimRequest { id: claim.id })
            .await
            .answer();
        assert_eq!(read, paid);
    }
);

/// Costs with a station limit of 100.00 and a region limit of `region`.
async fn with_limits(b: aftercare_test_support::Backend, region: i64) -> Harness {
    let settings = CostsSettings {
        station_limit: 10_000,
        region_limit: region,
        ..Default::default()
    };
    support::start_with(b, settings, OemZone::utc()).await
}

async fn region_up_to_500(b: aftercare_test_support::Backend) -> Harness {
    with_limits(b, 50_000).await
}

async fn region_up_to_200(b: aftercare_test_support::Backend) -> Harness {
    with_limits(b, 20_000).await
}

both!(
    a_claim_above_the_station_limit_is_approved_by_the_region_or_above,
    region_up_to_500,
    |h: Harness| async move {
        world(&h).await;
        let claim = submitted(&h, "ro-1", 1).await;
        assert_eq!(claim.approval_level, pb::ApprovalLevel::Region as i32);
        let queue = claims(&h, who::region("north"))
            .list_warranty_claims(pb::ListWarrantyClaimsRequest {
                approval_level: pb::ApprovalLevel::Region as i32,
                state: pb::ClaimState::Submitted as i32,
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(queue.claims.len(), 1);
        let refused = claims(&h, who::dealer("d1"))
            .approve_warranty_claim(approve(&claim.id, vec![]))
            .await
            .refused(Code::PermissionDenied);
        assert!(refused.message().contains("region"), "{refused:?}");
        let approved = claims(&h, who::region("north"))
            .approve_warranty_claim(approve(&claim.id, vec![]))
            .await
            .answer();
        assert_eq!(approved.state, pb::ClaimState::Approved as i32);
    }
);

both!(
    a_claim_above_the_region_limit_is_head_offices,
    region_up_to_200,
    |h: Harness| async move {
        world(&h).await;
        let claim = submitted(&h, "ro-1", 1).await;
        assert_eq!(claim.approval_level, pb::ApprovalLevel::HeadOffice as i32);
        for p in [who::dealer("d1"), who::region("north")] {
            claims(&h, p)
                .approve_warranty_claim(approve(&claim.id, vec![]))
                .await
                .refused(Code::PermissionDenied);
        }
        claims(&h, who::oem())
            .approve_warranty_claim(approve(&claim.id, vec![]))
            .await
            .answer();
    }
);

both!(
    a_cut_line_makes_a_partial_approval_with_its_reason,
    |h: Harness| async move {
        world(&h).await;
        let claim = submitted(&h, "ro-1", 1).await;
        let cut = pb::LineDecision {
            line_number: 3,
            approved: eur(10_000),
            reason: "1.25 h is what the job takes".into(),
        };
        let approved = claims(&h, who::dealer("d1"))
            .approve_warranty_claim(approve(&claim.id, vec![cut]))
            .await
            .answer();
        assert_eq!(approved.state, pb::ClaimState::PartlyApproved as i32);
        assert_eq!(approved.approved, eur(31_100));
        assert_eq!(approved.lines[2].approved, eur(10_000));
        assert_eq!(
            approved.lines[2].decision_reason,
            "1.25 h is what the job takes"
        );
        assert_eq!(approved.lines[0].approved, eur(9_100));
    }
);

both!(
    a_rejected_claim_is_resubmitted_with_a_reason,
    |h: Harness| async move {
        world(&h).await;
        let claim = submitted(&h, "ro-1", 1).await;
        let rejected = claims(&h, who::dealer("d1"))
            .reject_warranty_claim(pb::RejectWarrantyClaimRequest {
                id: claim.id.clone(),
                reason: "photos of the worn pads missing".into(),
                etag: claim.etag.clone(),
                request_id: rid(),
            })
            .await
            .answer();
        assert_eq!(rejected.state, pb::ClaimState::Rejected as i32);
        // The stale etag of before the rejection is refused.
        let dms = claims(&h, who::dms("d1"));
        let resubmit = |etag: String| pb::ResubmitWarrantyClaimRequest {
            id: claim.id.clone(),
            reason: "photos attached".into(),
            etag,
            request_id: rid(),
        };
        dms.clone()
            .resubmit_warranty_claim(resubmit(claim.etag.clone()))
            .await
            .refused(Code::Aborted);
        let again = dms
            .clone()
            .resubmit_warranty_claim(resubmit(rejected.etag.clone()))
            .await
            .answer();
        assert_eq!(again.state, pb::ClaimState::Submitted as i32);
        let reasons: Vec<_> = again.history.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            reasons,
            ["", "", "photos of the worn pads missing", "photos attached"]
        );
    }
);

both!(
    every_step_is_applied_once_per_request_id,
    |h: Harness| async move {
        world(&h).await;
        h.set_clock(DECEMBER);
        let claim = submitted(&h, "ro-1", 1).await;
        let request = approve(&claim.id, vec![]);
        let staff = claims(&h, who::dealer("d1"));
        let first = staff
            .clone()
            .approve_warranty_claim(request.clone())
            .await
            .answer();
        let again = staff.clone().approve_warranty_claim(request).await.answer();
        assert_eq!(first, again);
        assert_eq!(
            tally(&h, "dealer", "d1", "2026-12", "cost.WARRANTY").await,
            33_100
        );
        // The same request_id for another request is refused.
        let mut other = pay(&claim.id);
        other.request_id = "r-1".into();
        let oem = claims(&h, who::oem());
        let paid = oem.clone().pay_warranty_claim(other.clone()).await.answer();
        assert_eq!(
            oem.clone().pay_warranty_claim(other.clone()).await.answer(),
            paid
        );
        other.payment_reference = "PAY-OTHER".into();
        assert_eq!(
            oem.clone().pay_warranty_claim(other).await.bad_field(),
            "request_id"
        );
        assert_eq!(paid.history.len(), 4);
    }
);

both!(
    the_causal_part_is_changed_on_a_draft_and_the_checks_run_again,
    |h: Harness| async move {
        world(&h).await;
        let claim = drafted(&h, "ro-1", 1).await;
        let dms = claims(&h, who::dms("d1"));
        let mut changed = claim.clone();
        changed.causal_part_number = "DISC-1".into();
        let updated = dms
            .clone()
            .update_warranty_claim(pb::UpdateWarrantyClaimRequest {
                claim: Some(changed),
                update_mask: Some(prost_types::FieldMask {
                    paths: vec!["causal_part_number".into()],
                }),
                request_id: rid(),
            })
            .await
            .answer();
        assert_eq!(updated.causal_part_number, "DISC-1");
        assert_eq!(updated.checks[1].inputs["causal_part_number"], "DISC-1");
        assert_ne!(updated.etag, claim.etag);
    }
);

both!(
    claims_are_listed_newest_first_a_page_at_a_time,
    |h: Harness| async move {
        world(&h).await;
        for (n, minute) in [(1, 0), (2, 1), (3, 2)] {
            h.set_clock(DECEMBER + time::Duration::minutes(minute));
            drafted(&h, &format!("ro-{n}"), n).await;
        }
        let c = claims(&h, who::dealer("d1"));
        let mut ids = vec![];
        let mut page_token = String::new();
        loop {
            let page = c
                .clone()
                .list_warranty_claims(pb::ListWarrantyClaimsRequest {
                    page_size: 2,
                    page_token,
                    dealer_id: "d1".into(),
                    state: pb::ClaimState::Draft as i32,
                    ..Default::default()
                })
                .await
                .answer();
            ids.extend(page.claims.into_iter().map(|c| c.id));
            if page.next_page_token.is_empty() {
                break;
            }
            page_token = page.next_page_token;
        }
        assert_eq!(ids, ["WC-ro-3", "WC-ro-2", "WC-ro-1"]);
        let submitted = c
            .clone()
            .list_warranty_claims(pb::ListWarrantyClaimsRequest {
                state: pb::ClaimState::Submitted as i32,
                ..Default::default()
            })
            .await
            .answer();
        assert!(submitted.claims.is_empty());
    }
);
